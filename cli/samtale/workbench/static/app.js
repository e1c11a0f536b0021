// samtale serve: the little the page needs beyond htmx. The preview image is loaded before it is shown
// (no flicker), and only the newest one; problems are marked at their fields; a hand edit elsewhere is noticed.
(function () {
  "use strict";
  var loading = null, wanted = null;

  function byId(id) { return document.getElementById(id); }

  // The words are the page's, in the language it speaks: data- attributes of the status line.
  function said(name) { var s = byId("preview-status"); return (s && s.dataset[name]) || ""; }

  function status(text) { var s = byId("preview-status"); if (s) { s.textContent = text; } }

  function load(src) {
    wanted = src;
    if (loading) { return; }
    loading = src;
    status(said("drawing"));
    var img = new Image();
    img.onload = function () {
      var shown = byId("preview"), link = byId("preview-link");
      if (shown) { shown.src = loading; shown.dataset.src = loading; }
      if (link) { link.href = loading; link.hidden = false; }
      var now = new Date();
      status(said("updated").replace("%(time)s", now.toLocaleTimeString(said("locale") || undefined)));
      finish();
    };
    img.onerror = function () { status(said("failed")); finish(); };
    img.src = src;
  }

  function finish() {
    var done = loading;
    loading = null;
    if (wanted && wanted !== done) { load(wanted); }
  }

  function markProblems(root) {
    document.querySelectorAll("[aria-invalid=true]").forEach(function (el) { el.removeAttribute("aria-invalid"); });
    document.querySelectorAll(".field-problem").forEach(function (el) { el.hidden = true; el.textContent = ""; });
    root.querySelectorAll("li[data-fields]").forEach(function (li) {
      (li.dataset.fields || "").split(" ").forEach(function (name) {
        if (!name) { return; }
        var field = byId("f-" + name) || byId("field-" + name), note = byId("err-" + name);
        if (field) { field.setAttribute("aria-invalid", "true"); }
        if (note) { note.textContent = (note.textContent ? note.textContent + " · " : "") + li.dataset.text; note.hidden = false; }
      });
    });
  }

  function syncProducts(next) {
    var select = byId("preview_product");
    if (!select || !next.dataset.products) { return; }
    var names = next.dataset.products.split(" ");
    var have = Array.prototype.map.call(select.options, function (o) { return o.value; });
    if (have.join(" ") !== names.join(" ")) {
      select.innerHTML = "";
      names.forEach(function (n) { var o = document.createElement("option"); o.value = n; o.textContent = n; select.appendChild(o); });
    }
    select.value = next.dataset.product;
  }

  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target && event.detail.target.id === "check") {
      var next = byId("preview-next");
      markProblems(event.detail.target);
      if (next) {
        syncProducts(next);
        if (next.dataset.ready === "1") { load(next.dataset.src); } else { status(said("waiting")); }
      }
    }
  });

  function fit(area) {  // a text field as tall as its text (hidden ones are measured when shown)
    if (area.offsetParent === null) { return; }
    area.style.height = "auto";
    area.style.height = (area.scrollHeight + 2) + "px";
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("textarea").forEach(fit);
  });

  document.addEventListener("input", function (event) {
    if (event.target.tagName === "TEXTAREA") { fit(event.target); }
    var dirty = byId("dirty");
    if (dirty && event.target.closest && !event.target.closest(".choose") && event.target.name !== "show") { dirty.value = "1"; }
  });

  document.addEventListener("change", function (event) {
    var t = event.target;
    if (t.name === "show") {
      var form = byId("editor");
      form.dataset.show = t.value;
      document.querySelectorAll("textarea").forEach(fit);
      var type = byId("preview_type");
      if (type && t.value !== "alle" && type.value !== t.value) { type.value = t.value; }
    }
    if (t.type === "file") { var dirty = byId("dirty"); if (dirty) { dirty.value = "1"; } }
  }, true);  // before htmx sends the check, so it carries the chosen type

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-clear]");
    if (!button) { return; }
    var field = byId(button.dataset.clear);
    if (field) {
      field.value = "";
      var now = byId("now-" + button.dataset.clear.replace(/^field-/, ""));
      if (now) { now.textContent = "–"; }
      byId("dirty").value = "1";
      document.body.dispatchEvent(new CustomEvent("samtale-changed"));
    }
  });
}());

"""`samtale serve`: the workbench as a local web application, for the administrator's whole job, in samtale's language.

Pages: the catalogue's workplaces; a workplace's questions, keywords, pictures and logo with
live checking and a preview of the printed page; the changes for approval; and its PDFs.
Every word of the pages is in the templates beside this module (English msgids, through `_()`);
this module hands them plain values.

Only this computer can reach it: it listens on 127.0.0.1, answers only requests whose Host
is that address (or localhost) with its port, and only with the random token of the address
it printed (then a cookie); it reads and writes only inside the working folder.
"""

from __future__ import annotations

import asyncio
import re
import secrets
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ..batch import pairs
from ..core.errors import Problem, SamtaleError
from ..core.i18n import _, language, n_
from ..core.text import slugify
from ..material import diff
from ..press import validate
from ..press.writer import inside, write_atomic
from ..products import PRODUCTS, Options, file_stem
from ..source import images, overlay, settings
from ..source.catalogue import Loaded, load
from . import editing, preview
from .approval import by_type, markdown

HERE = Path(__file__).resolve().parent
MAX_UPLOAD = 5 * 1024 * 1024  # a picture or logo for print; a camera's photo is well below
MAX_BODY = MAX_UPLOAD + 64 * 1024
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
FILE = re.compile(r"^[a-z0-9][a-z0-9-]*\.(pdf|svg)$")
SECURITY_HEADERS = [
    (b"content-security-policy", b"default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                                 b"connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),  # "no-referrer" makes a form post say "Origin: null"
    (b"cache-control", b"no-store"),
]


# --- the guard -----------------------------------------------------------------------------


class Guard:
    """Every request must come to 127.0.0.1 (or localhost) on our port and carry the token, in the address it was
    given once (then the page is reloaded without it, and a cookie carries it) or in that cookie."""

    def __init__(self, app: Any, token: str, port: int, denied: Callable[[str], bytes]):
        self.app = app
        self.token = token
        self.hosts = {f"127.0.0.1:{port}", f"localhost:{port}"}
        self.origins = {f"http://{h}" for h in self.hosts}
        self.cookie = f"samtale-{port}"  # cookies are per host, not per port: two servers must not share one
        self.denied = denied

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            await self.app(scope, receive, send)
            return
        if scope["type"] != "http":
            return  # no websockets
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        if headers.get("host") not in self.hosts:
            await self.refuse(send, 403, "host")
            return
        if scope["method"] not in ("GET", "HEAD") and headers.get("origin", "") not in self.origins | {""}:
            await self.refuse(send, 403, "origin")
            return
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        given = (query.get("token") or [""])[0]
        jar = SimpleCookie()
        jar.load(headers.get("cookie", ""))
        held = jar[self.cookie].value if self.cookie in jar else ""
        if given and secrets.compare_digest(given, self.token):
            rest = {k: v for k, v in query.items() if k != "token"}
            target = scope["path"] + ("?" + urlencode(rest, doseq=True) if rest else "")
            await self.start(send, 303, [(b"location", target.encode()), (b"set-cookie", (
                f"{self.cookie}={self.token}; Path=/; HttpOnly; SameSite=Strict").encode())])
            await send({"type": "http.response.body", "body": b""})
            return
        if not (held and secrets.compare_digest(held, self.token)):
            await self.refuse(send, 403, "token")
            return
        if int(headers.get("content-length") or 0) > MAX_BODY:
            await self.refuse(send, 413, "size")
            return

        async def send_with_headers(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *SECURITY_HEADERS]
            await send(message)

        await self.app(scope, receive, send_with_headers)

    async def start(self, send: Any, status: int, headers: list[tuple[bytes, bytes]]) -> None:
        await send({"type": "http.response.start", "status": status, "headers": [*headers, *SECURITY_HEADERS]})

    async def refuse(self, send: Any, status: int, why: str) -> None:
        await self.start(send, status, [(b"content-type", b"text/html; charset=utf-8")])
        await send({"type": "http.response.body", "body": self.denied(why)})


# --- the state -----------------------------------------------------------------------------


@dataclass
class RenderJob:
    """A render of one workplace's PDFs in a process of its own (`samtale render`), and what it has said."""

    id: str
    slug: str
    names: list[str]  # the PDFs it makes, by file name
    written: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    done: bool = False
    ok: bool = False

    @property
    def total(self) -> int:
        return len(self.names)


class Bench:
    """The working folder as the pages see it: its catalogue (read again when it changes), files' change
    counters (from watchfiles), previews and render jobs."""

    def __init__(self, config: settings.Settings, catalogue: str | Path | None):
        self.settings = config
        self.root = config.root
        self.catalogue = catalogue
        self.out = config.out
        self.options = Options(**{**config.file.render.model_dump(), "back_offset": _offset(config.file.render.back_offset)})
        self._loaded: tuple[tuple[int, int], Loaded] | None = None
        self.previews = preview.Cache()
        self.drafts: dict[str, tuple[Path, str, str, str, int]] = {}
        self.renderer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="samtale-preview")
        self.changes: dict[Path, int] = {}
        self.jobs: dict[str, RenderJob] = {}
        self.stop = threading.Event()
        self.check_folders()

    def check_folders(self) -> None:
        """Nothing is read or written outside the working folder."""
        for kind, path in ((_("the catalogue"), self.loaded().path), (_("the output folder"), self.out)):
            if not Path(path).resolve().is_relative_to(self.root):
                raise SamtaleError(Problem(_("{what} {path} lies outside the working folder {root}; "
                                             "samtale serve works only inside it: change samtale.toml").format(
                    what=kind, path=path, root=self.root), file=self.settings.path))

    def loaded(self) -> Loaded:
        path = settings.locate(self.catalogue)
        st = path.stat()
        mark = (st.st_mtime_ns, st.st_size)
        if self._loaded is None or self._loaded[0] != mark:
            self._loaded = (mark, load(path))
        return self._loaded[1]

    def catalogue_mark(self) -> tuple[int, int]:
        """Changes when the catalogue file does: a preview made before is stale."""
        self.loaded()
        assert self._loaded is not None
        return self._loaded[0]

    def workplace_path(self, slug: str) -> Path | None:
        if not SLUG.match(slug):
            return None
        return next((p for p in overlay.overlay_paths(self.loaded()) if p.stem == slug), None)

    def watch(self) -> None:
        """Count changes to each file of the working folder, so a page learns of a hand edit."""
        import watchfiles

        skip = self.out.resolve()
        for changes in watchfiles.watch(self.root, stop_event=self.stop, debounce=200,
                                        watch_filter=lambda _c, p: not Path(p).resolve().is_relative_to(skip)):
            for _change, path in changes:
                resolved = Path(path).resolve()
                self.changes[resolved] = self.changes.get(resolved, 0) + 1


def _offset(text: str) -> tuple[float, float]:
    x, y = (float(part) for part in text.split(","))
    return (x, y)


# --- the pages -----------------------------------------------------------------------------


def environment() -> Any:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    env = Environment(loader=FileSystemLoader(str(HERE / "templates")), autoescape=select_autoescape(default=True),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, extensions=["jinja2.ext.i18n"])
    # The templates' words are English msgids in samtale's catalogue, said in the language samtale speaks:
    # `_("… %(name)s …", name=…)` and `ngettext("%(num)d …", "%(num)d …", n)`, values escaped, the words not.
    env.install_gettext_callables(gettext=_, ngettext=n_, newstyle=True)  # type: ignore[attr-defined]
    env.globals["language"] = language
    return env


def create_app(bench: Bench, token: str, port: int) -> Any:
    env = environment()

    def page(template: str, status: int = 200, headers: dict[str, str] | None = None, **context: Any) -> HTMLResponse:
        loaded = context.pop("loaded", None) or bench.loaded()
        body = env.get_template(template).render(cat=_catalogue(loaded), **context)
        return HTMLResponse(body, status_code=status, headers=headers)

    def problems(found: list[Problem] | tuple[Problem, ...], loaded: Loaded | None = None) -> list[dict[str, Any]]:
        """Each problem with the page's fields it is about, and what those fields are, for the page to name them."""
        type_ids = [t.id for t in loaded.catalogue.conversation_types] if loaded else []
        labels = _field_labels(loaded) if loaded else {}
        shown = []
        for p in found:
            fields = editing.fields_of(p, type_ids)
            shown.append({"text": p.message, "where": p.where or "", "line": p.line or 0, "fields": fields,
                          "about": [labels[f] for f in fields if f in labels]})
        return shown

    def broken(err: SamtaleError, status: int = 400) -> HTMLResponse:
        return HTMLResponse(env.get_template("error.html").render(problems=problems(err.problems)), status_code=status)

    async def failed(request: Request, err: Exception) -> Response:
        """A catalogue or file that became wrong while the server ran (an edit in another editor): say what."""
        assert isinstance(err, SamtaleError)
        return broken(err, 500)

    async def home(request: Request) -> Response:
        try:
            loaded = bench.loaded()
        except SamtaleError as err:
            return broken(err, 500)
        rows: list[dict[str, Any]] = []
        for path in overlay.overlay_paths(loaded):
            try:
                wp = await asyncio.to_thread(validate.workplace, loaded, path)
                rows.append({"slug": wp.slug, "name": wp.name, "changes": vars(overlay.changes(wp)), "problems": []})
            except SamtaleError as err:
                rows.append({"slug": path.stem, "name": path.stem, "changes": None, "problems": problems(err.problems)})
        return page("home.html", workplaces=rows, error=request.query_params.get("fejl", ""), name=request.query_params.get("navn", ""))

    async def create(request: Request) -> Response:
        form = await request.form()
        name = editing.one_line(str(form.get("name") or ""))
        loaded = bench.loaded()
        slug = slugify(name)
        if not slug or slug == overlay.STANDARD:
            return RedirectResponse("/?" + urlencode({"fejl": "empty", "navn": name}), status_code=303)
        if bench.workplace_path(slug) is not None or (overlay.folder(loaded) / f"{slug}.yaml").exists():
            return RedirectResponse("/?" + urlencode({"fejl": "exists", "navn": name}), status_code=303)
        try:
            path = editing.create(loaded, name)
        except SamtaleError as err:
            return RedirectResponse("/?" + urlencode({"fejl": err.problems[0].message, "navn": name}), status_code=303)
        return RedirectResponse(f"/a/{path.stem}", status_code=303)

    async def catalogue_css(request: Request) -> Response:
        """The catalogue's colours and conversation types, which the page's style needs (ids and colours are checked)."""
        cat = bench.loaded().catalogue
        rules = [f".persp-{p.id} {{ --c: {p.colour}; }}" for p in cat.perspectives]
        rules += [f"form[data-show={t.id}] .wording:not([data-type={t.id}]) {{ display: none; }}" for t in cat.conversation_types]
        return Response("\n".join(rules) + "\n", media_type="text/css")

    def find(request: Request) -> tuple[Loaded, Path]:
        loaded = bench.loaded()
        path = bench.workplace_path(request.path_params["slug"])
        if path is None:
            raise LookupError
        return loaded, path

    async def editor(request: Request) -> Response:
        try:
            loaded, path = find(request)
        except LookupError:
            return page("missing.html", status=404)
        raw = path.read_bytes()
        try:
            wp = overlay.load(loaded, path)
        except SamtaleError as err:  # a hand edit with mistakes: say where, and wait for the fix
            return page("broken.html", slug=path.stem, file=path.name, problems=problems(err.problems),
                        base=editing.digest(raw), rev=bench.changes.get(path.resolve(), 0))
        draft = editing.draft_of(wp)
        type_id = request.query_params.get("type") or loaded.catalogue.conversation_types[0].id
        return page("editor.html", slug=wp.slug, file=path.name, base=editing.digest(raw),
                    rev=bench.changes.get(path.resolve(), 0), form=_form(loaded, draft, type_id),
                    kept=_kept(draft), shown=type_id)

    async def checked_form(request: Request) -> tuple[Loaded, Path, Any, str, editing.Checked] | None:
        """The workplace a request is about, the form it sent, and the overlay that form makes, checked; None for none."""
        try:
            loaded, path = find(request)
        except LookupError:
            return None
        form = await request.form()
        text, checked = await asyncio.to_thread(_check_form, loaded, path, form)
        return loaded, path, form, text, checked

    async def check(request: Request) -> Response:
        if (found := await checked_form(request)) is None:
            return Response(status_code=404)
        loaded, path, form, text, checked = found
        type_id, product, page_no = _preview_choice(loaded, form)
        key = editing.digest(f"{text}\0{type_id}\0{product}\0{page_no}\0{bench.catalogue_mark()}")
        bench.drafts[key] = (path, text, type_id, product, page_no)
        while len(bench.drafts) > 200:
            bench.drafts.pop(next(iter(bench.drafts)))
        return page("check.html", loaded=loaded, slug=path.stem, key=key, ready=checked.workplace is not None,
                    problems=problems(checked.problems, loaded), products=_products(loaded, type_id), product=product)

    async def picture(request: Request) -> Response:
        key = request.path_params["key"]
        found = bench.previews.get(key)
        if found is None:
            if key not in bench.drafts:
                return Response(status_code=404)
            path, text, type_id, product, page_no = bench.drafts[key]
            loaded = bench.loaded()
            try:  # a draft the page could not read has no picture; one that does not fit still has one
                wp = overlay.load(loaded, path, text=text)
            except SamtaleError:
                return Response(status_code=409)
            try:
                found = await asyncio.get_running_loop().run_in_executor(
                    bench.renderer, preview.render, loaded, wp, type_id, product, bench.options, page_no)
            except SamtaleError:
                return Response(status_code=409)
            bench.previews.put(key, found)
        return Response(found.png, media_type="image/png", headers={"x-pages": str(found.pages)})

    async def save(request: Request) -> Response:
        if (found := await checked_form(request)) is None:
            return Response(status_code=404)
        loaded, path, form, text, checked = found
        if checked.problems:
            return page("saved.html", loaded=loaded, status=422, outcome="problems", base=str(form.get("base") or ""))
        try:
            base = editing.save(path, text, str(form.get("base") or ""))
        except editing.Conflict:
            return page("saved.html", loaded=loaded, status=409, outcome="conflict", base=str(form.get("base") or ""))
        return page("saved.html", loaded=loaded, outcome="saved", base=base, at=time.strftime("%H:%M:%S"))

    async def status(request: Request) -> Response:
        """Polled by the page: has the file changed on disk since the page was made from it?"""
        path = bench.workplace_path(request.path_params["slug"])
        rev = int(request.query_params.get("rev") or 0)
        if path is None or bench.changes.get(path.resolve(), 0) == rev:
            return Response(status_code=204)
        current = editing.digest(path.read_bytes()) if path.exists() else ""
        if current == request.query_params.get("base"):
            return Response(status_code=204)
        if request.query_params.get("dirty") != "1":
            return Response(status_code=204, headers={"HX-Refresh": "true"})  # nothing typed here: take the file as it is now
        return page("changed.html", slug=path.stem)

    async def upload(request: Request) -> Response:
        try:
            loaded, path = find(request)
        except LookupError:
            return Response(status_code=404)
        what = request.path_params["what"]
        if what != "logo" and what not in {p.id for p in loaded.catalogue.pictures}:
            return Response(status_code=404)
        form = await request.form(max_files=1, max_fields=4)
        upload = form.get("file")
        field_name = "logo" if what == "logo" else f"picture.{what}.image"
        error, value = "", ""
        if upload is None or isinstance(upload, str) or not upload.filename:
            error = "none"
        else:
            suffix = Path(upload.filename).suffix.lower()
            data = await upload.read(MAX_UPLOAD + 1)
            if suffix not in images.KINDS:
                error = "kind"
            elif len(data) > MAX_UPLOAD:
                error = "size"
            else:
                folder = path.parent
                value = f"{path.stem}/{what}-{editing.digest(data)[:8]}{suffix}"
                target = folder / value
                await asyncio.to_thread(write_atomic, target, data)
                problem = images.problem(folder, value)  # as `validate` checks it
                if problem:
                    target.unlink(missing_ok=True)
                    error, value = problem, ""
        return page("uploaded.html", loaded=loaded, field=field_name, what=what, value=value, error=error,
                    headers={"HX-Trigger": "samtale-changed"} if value else None)

    async def changes_page(request: Request) -> Response:
        try:
            loaded, path = find(request)
            wp = overlay.load(loaded, path)
        except LookupError:
            return page("missing.html", status=404)
        except SamtaleError as err:
            return broken(err)
        found = diff(loaded, wp)
        sections = [{"code": t.code if t else "", "name": t.name if t else "",
                     "rows": [{"kind": c.kind, "number": c.number, "perspective": c.perspective, "id": c.id,
                               "standard": c.standard or "", "workplace": c.workplace or ""} for c in rows]}
                    for t, rows in by_type(loaded, found) if rows]
        return page("changes.html", loaded=loaded, slug=wp.slug, name=wp.name, sections=sections, file=path.name)

    async def changes_markdown(request: Request) -> Response:
        try:
            loaded, path = find(request)
            wp = overlay.load(loaded, path)
        except LookupError:
            return Response(status_code=404)
        except SamtaleError as err:
            return broken(err)
        return Response(markdown(loaded, wp, diff(loaded, wp)) + "\n", media_type="text/markdown; charset=utf-8",
                        headers={"content-disposition": f'attachment; filename="{wp.slug}-aendringer.md"'})

    async def render_page(request: Request) -> Response:
        try:
            loaded, path = find(request)
        except LookupError:
            return page("missing.html", status=404)
        cat = loaded.catalogue
        products = list(dict.fromkeys(p for t in cat.conversation_types for p in t.products))
        name = overlay.stated_name(path) or path.name
        return page("render.html", loaded=loaded, slug=path.stem, file=path.name, name=name,
                    types=[{"id": t.id, "code": t.code, "name": t.name} for t in cat.conversation_types], products=products)

    async def render_start(request: Request) -> Response:
        try:
            loaded, path = find(request)
        except LookupError:
            return Response(status_code=404)
        form = await request.form()
        types = [t for t in form.getlist("type") if isinstance(t, str)]
        wanted = [p for p in form.getlist("product") if isinstance(p, str) and p in PRODUCTS]
        try:
            todo = pairs(loaded, types, wanted)
        except SamtaleError as err:
            return broken(err)
        if not types or not wanted:
            todo = []
        job = RenderJob(uuid.uuid4().hex, path.stem, [f"{file_stem(t, p, bench.options)}.pdf" for t, p in todo])
        bench.jobs[job.id] = job
        if todo:
            threading.Thread(target=_run_render, args=(bench, loaded, path, job, types, wanted), daemon=True).start()
        else:
            job.done = True
        return page("progress.html", loaded=loaded, job=_job(job))

    async def render_progress(request: Request) -> Response:
        job = bench.jobs.get(request.path_params["job"])
        if job is None or job.slug != request.path_params["slug"]:
            return Response(status_code=404)
        return page("progress.html", job=_job(job))

    async def download(request: Request) -> Response:
        slug, name = request.path_params["slug"], request.path_params["name"]
        if not SLUG.match(slug) or not FILE.match(name):
            return Response(status_code=404)
        target = inside(bench.out, f"{bench.loaded().catalogue.id}/{slug}/{name}")
        if not target.is_file():
            return Response(status_code=404)
        return FileResponse(target, filename=name, content_disposition_type="attachment")

    async def lifespan(app: Any) -> Any:  # the watcher lives as long as the server
        watcher = threading.Thread(target=bench.watch, daemon=True, name="samtale-watch")
        watcher.start()
        try:
            yield
        finally:
            bench.stop.set()
            bench.renderer.shutdown(wait=False, cancel_futures=True)

    from contextlib import asynccontextmanager

    app = Starlette(routes=[
        Route("/", home),
        Route("/arbejdspladser", create, methods=["POST"]),
        Route("/katalog.css", catalogue_css),
        Route("/a/{slug}", editor),
        Route("/a/{slug}/tjek", check, methods=["POST"]),
        Route("/a/{slug}/gem", save, methods=["POST"]),
        Route("/a/{slug}/status", status),
        Route("/a/{slug}/upload/{what}", upload, methods=["POST"]),
        Route("/a/{slug}/forhaandsvisning/{key}.png", picture),
        Route("/a/{slug}/aendringer", changes_page),
        Route("/a/{slug}/aendringer.md", changes_markdown),
        Route("/a/{slug}/pdf", render_page),
        Route("/a/{slug}/pdf", render_start, methods=["POST"]),
        Route("/a/{slug}/pdf/job/{job}", render_progress),
        Route("/a/{slug}/pdf/{name}", download),
        Mount("/static", app=StaticFiles(directory=str(HERE / "static")), name="static"),
    ], lifespan=asynccontextmanager(lifespan), exception_handlers={SamtaleError: failed})
    denied = env.get_template("denied.html")
    return Guard(app, token, port, lambda why: denied.render(why=why).encode("utf-8"))


def _check_form(loaded: Loaded, path: Path, form: Any) -> tuple[str, editing.Checked]:
    """The text the page would save, and what `workplace validate` says of it."""
    kept: dict[str, Any] = {}
    try:
        current = overlay.load(loaded, path)
        kept = editing.draft_of(current).kept
    except SamtaleError:
        pass  # the file on disk has mistakes: the page was made before them, keep what it shows
    draft = editing.draft_from_form(loaded, form, kept)
    text = editing.text_of(loaded, draft, path.stem)
    return text, editing.check_text(loaded, path, text)


def _preview_choice(loaded: Loaded, form: Any) -> tuple[str, str, int]:
    cat = loaded.catalogue
    types = {t.id: t for t in cat.conversation_types}
    type_id = str(form.get("preview_type") or "")
    ctype = types.get(type_id) or cat.conversation_types[0]
    product = str(form.get("preview_product") or "")
    if product not in ctype.products:
        product = next(iter(ctype.products))
    try:
        page_no = max(1, min(20, int(str(form.get("preview_page") or 1))))
    except ValueError:
        page_no = 1
    return ctype.id, product, page_no


def _field_labels(loaded: Loaded) -> dict[str, dict[str, Any]]:
    """What each field of the editor is, as plain values the page words in Danish."""
    cat = loaded.catalogue
    labels: dict[str, dict[str, Any]] = {"name": {"kind": "name"}, "logo": {"kind": "logo"}}
    for number, q in enumerate((q for p in cat.perspectives for q in cat.questions if q.perspective == p.id), start=1):
        for t in cat.conversation_types:
            labels[f"q.{q.id}.{t.id}"] = {"kind": "question", "number": number, "code": t.code}
    for p in cat.perspectives:
        labels[f"add.{p.id}"] = {"kind": "keywords", "name": p.name}
    for pic in cat.pictures:
        labels[f"picture.{pic.id}.image"] = {"kind": "picture", "name": pic.caption}
    return labels


def _products(loaded: Loaded, type_id: str) -> list[str]:
    return list(loaded.conversation_type(type_id).products)


def _catalogue(loaded: Loaded) -> dict[str, Any]:
    cat = loaded.catalogue
    return {"id": cat.id, "version": cat.version, "municipality": cat.municipality.name, "file": loaded.path.name}


def _form(loaded: Loaded, draft: editing.Draft, type_id: str) -> dict[str, Any]:
    """Everything the editor page shows, as plain values."""
    cat = loaded.catalogue
    types = [{"id": t.id, "code": t.code, "name": t.name} for t in cat.conversation_types]
    left_out = {k.casefold() for k in draft.leave_out}
    perspectives = []
    number = 0
    for p in cat.perspectives:
        questions = []
        for q in cat.questions:
            if q.perspective != p.id:
                continue
            number += 1
            questions.append({
                "id": q.id, "number": number,
                "wordings": [{"type": t["id"], "code": t["code"], "standard": q.wording.get(t["id"], ""),
                              "mine": draft.reword.get(q.id, {}).get(t["id"], "")} for t in types],
            })
        perspectives.append({
            "id": p.id, "name": p.name, "colour": p.colour, "questions": questions,
            "keywords": [{"word": k, "kept": k.casefold() not in left_out} for k in p.keywords],
            "added": ", ".join(draft.add_keywords.get(p.id, [])),
        })
    pictures = [{"id": pic.id, "caption": pic.caption, "image": draft.pictures.get(pic.id, {}).get("image", ""),
                 "own_caption": draft.pictures.get(pic.id, {}).get("caption", "")} for pic in cat.pictures]
    first = cat.conversation_types[0]
    return {"name": draft.name, "types": types, "perspectives": perspectives, "pictures": pictures, "logo": draft.logo,
            "products": {t.id: list(t.products) for t in cat.conversation_types}, "type": type_id or first.id}


def _kept(draft: editing.Draft) -> list[dict[str, Any]]:
    """The workplace's own questions, shown (they are edited in the file)."""
    shown = []
    for q in draft.kept.get("add_questions") or []:
        if isinstance(q, dict):
            given = q.get("wording")
            wording = given if isinstance(given, dict) else {}
            shown.append({"id": str(q.get("id", "")), "perspective": str(q.get("perspective", "")),
                          "wording": [{"key": str(k), "text": str(v)} for k, v in wording.items()]})
    return shown


def _job(job: RenderJob) -> dict[str, Any]:
    return {"id": job.id, "slug": job.slug, "total": job.total, "count": min(len(job.written), job.total),
            "names": job.names, "written": job.written, "problems": job.problems, "done": job.done, "ok": job.ok}


def _run_render(bench: Bench, loaded: Loaded, path: Path, job: RenderJob, types: list[str], wanted: list[str]) -> None:
    """`samtale render` for one workplace in a process of its own (it starts its own workers); each PDF it
    names on its output is one step of the progress."""
    command = [sys.executable, "-m", "samtale", "render", "--catalogue", str(loaded.path), "--workplace", str(path),
               "--out", str(bench.out)]
    command += [arg for t in types for arg in ("--type", t)] + [arg for p in wanted for arg in ("--product", p)]
    process = subprocess.Popen(command, cwd=bench.root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               encoding="utf-8", errors="replace")
    assert process.stdout is not None and process.stderr is not None
    errors: list[str] = []
    reader = threading.Thread(target=lambda: errors.extend(process.stderr.read().splitlines()), daemon=True)  # type: ignore[union-attr]
    reader.start()
    for line in process.stdout:  # each PDF's path as it is written, then the run's summary line
        if line.strip().endswith((".pdf", ".svg")):
            job.written.append(Path(line.strip()).name)
    process.wait()
    reader.join()
    job.ok = process.returncode == 0
    if not job.ok:
        job.problems = [line for line in errors if line.strip()][-20:]
    job.done = True


# --- running it ----------------------------------------------------------------------------


def serve(catalogue: str | Path | None, *, port: int = 0, open_browser: bool = True,
          say: Callable[[str], None] = print, show: Callable[[str], None] = print) -> None:
    """Serve the working folder's workbench on 127.0.0.1 until Ctrl-C; `show` gets the address with its token."""
    import uvicorn

    config = settings.find()
    if config is None:
        raise SamtaleError(_("there is no samtale.toml in this folder or a folder above it; make a working folder with "
                           "'samtale init FOLDER', go there and run 'samtale serve' again"))
    bench = Bench(config, catalogue)
    token = secrets.token_urlsafe(24)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.bind(("127.0.0.1", port))
    except OSError as err:
        raise SamtaleError(_("cannot listen on 127.0.0.1:{port} ({reason}); choose another --port or leave it out").format(port=port, reason=err.strerror)) from None
    sock.listen(128)  # from now on the address works: connections wait until the server takes them
    port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}/?token={token}"
    app = create_app(bench, token, port)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False, server_header=False,
                                           proxy_headers=False, lifespan="on", timeout_graceful_shutdown=2))
    show(url)
    say(_("The workbench for {folder} is open at the address above, for this computer only. Stop it with Ctrl-C.").format(folder=config.root))
    if open_browser:
        import webbrowser

        threading.Timer(0.5, webbrowser.open, args=(url,)).start()
    server.run(sockets=[sock])

"""samtale serve as an administrator uses it: in a real browser, and refused to anyone else.

The browser tests drive Debian's headless Chromium (`apt-get install chromium chromium-driver`); without
it they are skipped with a reason. With SAMTALE_SCREENSHOTS=FOLDER they save a screenshot of each screen.
"""

from __future__ import annotations

import http.client
import os
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

import pytest

from conftest import column_text, page_texts
from samtale.core.paths import CATALOGUES
from samtale.source.catalogue import load
from samtale.workbench import editing

SAMTALE = str(Path(sys.executable).with_name("samtale"))
CHROMIUM, CHROMEDRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")
NEW_WORDING = "Hvordan trives du med eleverne på Skolen ved Søen?"
TOO_LONG = " ".join(["Hvordan arbejder vi sammen om opgaverne i skolen og i fritidsordningen hver eneste dag?"] * 10)
SHOTS = os.environ.get("SAMTALE_SCREENSHOTS")


# --- the file the page saves -----------------------------------------------------------------


@pytest.fixture(scope="module")
def loaded():
    return load(CATALOGUES / "albertslund.yaml")


def test_saved_file_is_the_overlay_a_person_would_write(loaded, tmp_path):
    path = tmp_path / "workplaces" / "albertslund" / "hjemmet.yaml"
    path.parent.mkdir(parents=True)
    draft = editing.Draft(
        name="Hjemmet: Aften & nat",
        reword={"trivsel": {"mus": "Hvordan trives du?", "grus": "Hvordan trives I?", "lus": "Hvordan trives I?"},
                "vaerdi": dict.fromkeys(("mus", "grus", "lus"), "Hvordan skaber vi værdi?")},
        leave_out=["Senior"], add_keywords={"adfaerd": ["Nattevagt"]},
        kept={"add_questions": [{"id": "kaffe", "perspective": "struktur", "wording": {"all": "Hvordan er kaffen?"}}]},
    )
    text = editing.text_of(loaded, draft, "hjemmet")
    assert text.startswith("# yaml-language-server: $schema=overlay.schema.json\n")
    assert "\ncatalogue: albertslund\nname: 'Hjemmet: Aften & nat'\n" in text
    assert "  trivsel:  # Adfærd\n    mus: Hvordan trives du?\n    grus, lus: Hvordan trives I?\n" in text
    assert "  vaerdi:  # Opgaver\n    all: Hvordan skaber vi værdi?\n" in text
    checked = editing.check_text(loaded, path, text)
    assert not checked.problems, [str(p) for p in checked.problems]
    assert editing.draft_of(checked.workplace) == draft  # read back: the same draft


def test_a_problem_is_shown_at_the_fields_it_is_about(loaded, tmp_path):
    path = tmp_path / "hjemmet.yaml"
    draft = editing.Draft(name="Hjemmet", reword={"trivsel": {"mus": TOO_LONG, "grus": TOO_LONG}})
    checked = editing.check_text(loaded, path, editing.text_of(loaded, draft, "hjemmet"))
    assert checked.workplace is not None and checked.problems
    fields = {f for p in checked.problems for f in editing.fields_of(p, ["mus", "grus", "lus"])}
    assert fields == {"q.trivsel.mus", "q.trivsel.grus"}
    assert "do not fit" in checked.problems[0].message  # the words `samtale workplace validate` uses


def test_saving_over_a_file_changed_by_hand_is_refused(tmp_path):
    path = tmp_path / "hjemmet.yaml"
    path.write_text("name: Hjemmet\n", encoding="utf-8")
    base = editing.digest(path.read_bytes())
    path.write_text("name: Hjemmet\n# a hand edit\n", encoding="utf-8")
    with pytest.raises(editing.Conflict):
        editing.save(path, "name: Andet\n", base)
    assert "a hand edit" in path.read_text(encoding="utf-8")


# --- the server --------------------------------------------------------------------------------


def working_folder(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("serve") / "arbejdsmappe"
    made = subprocess.run([SAMTALE, "init", str(root)], capture_output=True, text=True, timeout=120)
    assert made.returncode == 0, made.stderr
    return root


@contextmanager
def serving(root: Path, *args: str):
    """`samtale serve` in `root` (in the tests' English, see conftest, unless `args` ask otherwise); yields the
    address with its token and the port."""
    process = subprocess.Popen([SAMTALE, "serve", "--no-browser", *args], cwd=root, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    url = process.stdout.readline().strip()
    assert url.startswith("http://127.0.0.1:"), process.stderr.read()
    port = int(url.split(":")[2].split("/")[0])
    try:
        yield url, port
    finally:
        process.terminate()
        process.wait(10)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`samtale serve` in a fresh working folder; yields the folder, the address with its token and the port."""
    root = working_folder(tmp_path_factory)
    with serving(root) as (url, port):
        yield root, url, port


def request(port: int, path: str, *, host: str | None = None, cookie: str | None = None, method: str = "GET",
            body: bytes | None = None, headers: dict | None = None) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    sent = {"Host": host or f"127.0.0.1:{port}", **(headers or {})}
    if cookie:
        sent["Cookie"] = cookie
    connection.request(method, path, body=body, headers=sent)
    response = connection.getresponse()
    response.read()
    return response


def cookie_of(port: int, url: str) -> str:
    first = request(port, "/?" + url.split("?", 1)[1])
    assert first.status == 303 and first.getheader("location") == "/"
    return first.getheader("set-cookie").split(";")[0]


def page(port: int, path: str, cookie: str) -> str:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", path, headers={"Host": f"127.0.0.1:{port}", "Cookie": cookie})
    response = connection.getresponse()
    assert response.status == 200, response.status
    return response.read().decode()


@pytest.mark.parametrize(("lang", "words"), [
    ("da", ('<html lang="da">', "<title>Arbejdspladser – samtale</title>", "<h1>Arbejdspladser</h1>",
            "Opret en arbejdsplads", "0 arbejdspladser", 'placeholder="fx Skolen ved Søen"')),
    ("en", ('<html lang="en">', "<title>Workplaces – samtale</title>", "<h1>Workplaces</h1>",
            "Create a workplace", "0 workplaces", 'placeholder="e.g. Skolen ved Søen"')),
])
def test_the_pages_speak_the_language_samtale_speaks(tmp_path_factory, lang, words):
    root = working_folder(tmp_path_factory)
    with serving(root, "--lang", lang) as (url, port):
        home = page(port, "/", cookie_of(port, url))
    for each in words:
        assert each in home, each


def test_requests_without_the_token_or_from_another_host_are_refused(server):
    root, url, port = server
    token = url.split("token=")[1]
    assert request(port, "/").status == 403
    assert request(port, "/?token=wrong").status == 403
    assert request(port, "/static/app.js").status == 403
    assert request(port, f"/?token={token}", host=f"evil.example:{port}").status == 403  # DNS rebinding
    assert request(port, f"/?token={token}", host="127.0.0.1:1").status == 403
    cookie = cookie_of(port, url)
    assert request(port, "/", cookie=cookie).status == 200
    assert request(port, "/", cookie=cookie, host=f"evil.example:{port}").status == 403
    assert request(port, "/", cookie=f"samtale-{port}=wrong").status == 403
    post = request(port, "/arbejdspladser", cookie=cookie, method="POST", body=b"name=Ond",
                   headers={"Origin": "http://evil.example", "Content-Type": "application/x-www-form-urlencoded"})
    assert post.status == 403 and not (root / "workplaces/albertslund/ond.yaml").exists()


def test_uploads_are_limited_in_size_and_kind(server):
    root, url, port = server
    cookie = cookie_of(port, url)
    made = request(port, "/arbejdspladser", cookie=cookie, method="POST", body=urlencode({"name": "Børnehuset Æblehaven"}).encode(),
                   headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert made.status == 303

    def upload(name: str, data: bytes) -> tuple[int, str]:
        boundary = "graense42"
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n"
                f"Content-Type: application/octet-stream\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.request("POST", "/a/boernehuset-aeblehaven/upload/logo", body=body, headers={
            "Host": f"127.0.0.1:{port}", "Cookie": cookie, "Content-Type": f"multipart/form-data; boundary={boundary}"})
        response = connection.getresponse()
        return response.status, response.read().decode()

    status, page = upload("logo.png", b"GIF89a not a png at all")
    assert status == 200 and "not really a PNG" in page
    status, page = upload("logo.exe", b"MZ")
    assert "PNG, JPEG or SVG" in page
    status, _ = upload("stor.png", b"\x89PNG" + b"0" * (6 * 1024 * 1024))
    assert status == 413
    status, page = upload("logo.svg", (CATALOGUES / "images" / "dialog.svg").read_bytes())
    assert status == 200 and "boernehuset-aeblehaven/logo-" in page
    assert not [p for p in (root / "workplaces").rglob("*") if p.suffix in (".png", ".exe")]


def test_a_hand_edit_while_the_page_is_open_is_picked_up_not_overwritten(server):
    root, url, port = server
    cookie = cookie_of(port, url)
    request(port, "/arbejdspladser", cookie=cookie, method="POST", body=urlencode({"name": "Plejecenter Søholm – Aftenvagt"}).encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"})
    path = root / "workplaces/albertslund/plejecenter-soeholm-aftenvagt.yaml"
    base = editing.digest(path.read_bytes())
    path.write_text(path.read_text(encoding="utf-8") + "keywords:\n  leave_out: [Senior]\n", encoding="utf-8")
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:  # watchfiles reports the change
        clean = request(port, f"/a/plejecenter-soeholm-aftenvagt/status?base={base}&dirty=0&rev=0", cookie=cookie)
        if clean.status == 204 and clean.getheader("HX-Refresh"):
            break
        time.sleep(0.2)
    assert clean.getheader("HX-Refresh") == "true"  # nothing typed on the page: it reloads with the file's content
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", f"/a/plejecenter-soeholm-aftenvagt/status?base={base}&dirty=1&rev=0", headers={"Host": f"127.0.0.1:{port}", "Cookie": cookie})
    typed = connection.getresponse()
    assert typed.status == 200 and "changed outside this page" in typed.read().decode()
    saved = request(port, "/a/plejecenter-soeholm-aftenvagt/gem", cookie=cookie, method="POST",
                    body=urlencode({"name": "Plejecenter Søholm – Aftenvagt", "base": base}).encode(), headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert saved.status == 409  # refused: saving would lose the hand edit
    assert "leave_out: [Senior]" in path.read_text(encoding="utf-8")


# --- in a real browser ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        why = "no Chromium: install Debian's with 'apt-get install chromium chromium-driver' to run the browser tests"
        if os.environ.get("SAMTALE_REQUIRE_BROWSER"):  # .ci/run installs it and must not skip
            pytest.fail(why)
        pytest.skip(why)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    downloads = tmp_path_factory.mktemp("downloads")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1360,900"):
        options.add_argument(argument)
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads), "download.prompt_for_download": False})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)  # never a driver of its own download
    driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    driver.downloads = downloads
    try:
        yield driver
    finally:
        driver.quit()


def shot(driver, name: str) -> None:
    """A screenshot for the README, in 256 colours so it stays small."""
    if SHOTS:
        from PIL import Image

        path = Path(SHOTS) / f"{name}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(path))
        Image.open(path).convert("RGB").quantize(256).save(path, optimize=True)


def wait_for(condition, seconds: float = 30.0, what: str = ""):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.05)
    raise AssertionError(f"waited {seconds:g} s for {what}")


def downloaded(folder: Path, name: str) -> Path:
    return wait_for(lambda: (folder / name) if (folder / name).is_file() else None, what=f"the download {name}")


@pytest.mark.slow
@pytest.mark.browser
def test_an_administrator_rewords_a_question_sees_the_page_and_downloads_the_pdf(server, browser):
    from selenium.webdriver.common.by import By

    root, url, port = server
    b = browser
    b.get(url)
    assert b.title.startswith("Workplaces")

    # Create a workplace by its name.
    b.find_element(By.ID, "name").send_keys("Skolen ved Søen")
    b.find_element(By.CSS_SELECTOR, "form.inline button[type=submit]").click()
    wait_for(lambda: b.current_url.endswith("/a/skolen-ved-soeen"), what="the editor")
    preview = b.find_element(By.ID, "preview")
    first = wait_for(lambda: preview.get_attribute("data-src"), what="the first preview")
    assert "All is well" in b.find_element(By.ID, "check").text

    # Reword a question: the check and the page follow.
    field = b.find_element(By.ID, "f-q.trivsel.mus")
    field.send_keys(NEW_WORDING)
    typed = time.monotonic()
    wait_for(lambda: preview.get_attribute("data-src") not in (None, first), what="the preview to change")
    seconds = time.monotonic() - typed
    print(f"preview refreshed {seconds:.2f} s after the last key")
    assert seconds < 6, f"the preview took {seconds:.1f} s"
    second = preview.get_attribute("data-src")
    shot(b, "2-formuleringer")

    # A wording too long for its space is refused, at its field, with validate's words.
    b.execute_script("arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input', {bubbles: true}))", field, TOO_LONG)
    wait_for(lambda: "do not fit" in b.find_element(By.ID, "check").text, what="the too-long message")
    wait_for(lambda: field.get_attribute("aria-invalid") == "true", what="the field marked")
    assert "do not fit" in b.find_element(By.ID, "err-q.trivsel.mus").text
    b.find_element(By.CSS_SELECTOR, ".save button").click()
    wait_for(lambda: "Not saved" in b.find_element(By.ID, "save-status").text, what="saving refused")
    assert TOO_LONG not in (root / "workplaces/albertslund/skolen-ved-soeen.yaml").read_text(encoding="utf-8")
    b.execute_script("arguments[0].scrollIntoView({block: 'center'})", field)
    shot(b, "3-for-lang")

    # Back to the good wording, saved.
    b.execute_script("arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input', {bubbles: true}))", field, NEW_WORDING)
    wait_for(lambda: "All is well" in b.find_element(By.ID, "check").text, what="the check to pass")
    wait_for(lambda: preview.get_attribute("data-src") == second, what="the preview of the good wording")
    b.find_element(By.CSS_SELECTOR, ".save button").click()
    wait_for(lambda: "Saved at" in b.find_element(By.ID, "save-status").text, what="saved")
    saved = (root / "workplaces/albertslund/skolen-ved-soeen.yaml").read_text(encoding="utf-8")
    assert f"    mus: {NEW_WORDING}\n" in saved and "\ncatalogue: albertslund\n" in saved

    # The changes for approval, downloadable.
    b.find_element(By.LINK_TEXT, "Changes for approval").click()
    wait_for(lambda: NEW_WORDING in b.find_element(By.CSS_SELECTOR, "table.diff").text, what="the changes")
    shot(b, "4-aendringer")
    b.find_element(By.PARTIAL_LINK_TEXT, "Download as a document").click()
    approval = downloaded(b.downloads, "skolen-ved-soeen-aendringer.md").read_text(encoding="utf-8")
    assert NEW_WORDING in approval and approval.startswith("# Skolen ved Søen")

    # The PDFs, with progress, and downloaded: the wording is printed.
    b.find_element(By.LINK_TEXT, "PDFs").click()
    for box in b.find_elements(By.CSS_SELECTOR, "input[type=checkbox]"):
        if box.get_attribute("value") not in ("mus", "skema"):
            box.click()
    b.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    link = wait_for(lambda: b.find_elements(By.LINK_TEXT, "mus-skema.pdf"), seconds=90, what="the PDF")[0]
    shot(b, "5-pdf")
    link.click()
    pdf = downloaded(b.downloads, "mus-skema.pdf")
    assert NEW_WORDING in column_text(pdf, 0, "Spørgsmål", "Stikord for samtalen")
    assert "Skolen ved Søen" in page_texts(pdf)[0]  # the footer names the workplace

    # Back on the first page, the workplace says what it changes.
    b.find_element(By.LINK_TEXT, "Workplaces").click()
    wait_for(lambda: "Rewords 1 question (MUS)" in b.find_element(By.CSS_SELECTOR, ".workplaces").text, what="the summary")
    shot(b, "1-arbejdspladser")

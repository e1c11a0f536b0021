"""A hostile corpus: files an attacker or an unlucky user hands samtale, and what must come of each.

Every case runs the real command line (in this process, for speed) in a project folder of its own,
beside an `outside` folder holding a secret. Each case asserts: the promised exit code; one plain
line (or as many as there are problems) and no traceback; the fragment of the message a user
needs; nothing written outside the project's output; no half-written file; and no secret in any
file samtale wrote. The categories are those of issue 9: YAML, paths, templates, images, plan PDFs,
file-system faults and batches.
"""

from __future__ import annotations

import errno
import io
import os
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from conftest import CATALOGUE, ROOT, in_process

SECRET = "HEMMELIG-7f3a9c-KODEORD"
HT = ROOT / "catalogue" / "hoeje-taastrup.yaml"

Setup = Callable[[Path], None]


@dataclass
class Case:
    category: str
    name: str
    args: list[str]
    setup: Setup = lambda project: None
    code: int = 1
    says: str = ""
    lines: int = 1  # how many lines the problem takes (one per problem)
    patch: Callable[[pytest.MonkeyPatch], None] | None = None
    marks: list = field(default_factory=list)
    then: Callable[[Path], None] = lambda project: None  # what must be true afterwards, besides the rest


# --- the project a case runs in -----------------------------------------------------------------


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def catalogue_text() -> str:
    return CATALOGUE.read_text(encoding="utf-8")


def set_catalogue(text: str) -> Setup:
    return lambda project: write(project / "katalog.yaml", text)


def overlay(body: str, name: str = "vaerkstedet") -> Setup:
    return lambda project: write(project / "workplaces" / f"{name}.yaml", "name: Værkstedet\n" + body)


def with_template(source: str | bytes, file: str = "skema.html.j2") -> Setup:
    def setup(project: Path) -> None:
        overlay("templates: egne\n")(project)
        write(project / "workplaces" / "egne" / file, source)

    return setup


def with_picture(file: str, data: bytes | None = None, link_to: str | None = None) -> Setup:
    def setup(project: Path) -> None:
        overlay(f"pictures:\n  vaekst:\n    image: {file}\n")(project)
        target = project / "workplaces" / file
        target.parent.mkdir(parents=True, exist_ok=True)
        if link_to is not None:
            target.symlink_to(project.parent / "outside" / link_to)
        elif data is not None:
            target.write_bytes(data)

    return setup


def both(*setups: Setup) -> Setup:
    def setup(project: Path) -> None:
        for each in setups:
            each(project)

    return setup


RENDER_ONE = ["render", "-c", "katalog.yaml", "-t", "mus", "-p", "skema", "--out", "out", "--jobs", "1"]
RENDER_WORKPLACE = [*RENDER_ONE, "--workplace", "vaerkstedet"]
VALIDATE_WORKPLACE = ["workplace", "validate", "vaerkstedet", "-c", "katalog.yaml"]

PLAN = """\
catalogue: albertslund
type: mus
date: 2026-03-12
workplace: Værkstedet
participants:
  - name: Anna Jensen
    role: Medarbejder
  - name: Bo Hansen
    role: Leder
agreements:
  - what: Kursus i konflikthåndtering
    responsible: Anna Jensen
    follow_up: 2026-09-01
"""


def plan(text: str = PLAN) -> Setup:
    return lambda project: write(project / "plan.yaml", text)


def png(width: int = 8, height: int = 8, mode: str = "RGB") -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new(mode, (width, height), 0).save(out, format="PNG", optimize=True)
    return out.getvalue()


def sparse(path: str, size: int) -> Setup:
    def setup(project: Path) -> None:
        target = project / path
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "wb") as f:
            f.truncate(size)

    return setup


def sheet_pdf(keywords: str, fields: dict[str, str] | None = None, password: str | None = None) -> Setup:
    """A filled sheet: a real fillable note sheet with its keywords (which name catalogue and type) replaced."""

    def setup(project: Path) -> None:
        from pypdf import PdfReader, PdfWriter

        writer = PdfWriter(clone_from=PdfReader(fillable_sheet()))
        writer.add_metadata({"/Keywords": keywords})
        writer.update_page_form_field_values(writer.pages[0], fields or {"deltager_1": "Anna Jensen"}, auto_regenerate=False)
        if password is not None:
            writer.encrypt(user_password=password, owner_password="ejer", algorithm="AES-128")
        out = io.BytesIO()
        writer.write(out)
        write(project / "udfyldt.pdf", out.getvalue())

    return setup


_SHEET: list[Path] = []


def fillable_sheet() -> Path:
    if not _SHEET:
        from conftest import render
        from samtale.products import Options

        folder = Path(os.environ["HOSTILE_TMP"]) / "sheet"
        _SHEET.append(render(folder, types=["mus"], products=["aftaleark"], options=Options(fillable=True))
                      / "standard" / "mus-aftaleark-udfyldelig.pdf")
        if not _SHEET[0].exists():  # before the fillable sheet had its own name
            _SHEET[0] = _SHEET[0].with_name("mus-aftaleark.pdf")
    return _SHEET[0]


def fail_writes(err: int) -> Callable[[pytest.MonkeyPatch], None]:
    """The disk refuses every write (full, read-only, no permission): as root, chmod alone would not."""

    def patch(monkeypatch: pytest.MonkeyPatch) -> None:
        import tempfile

        real = tempfile.mkstemp

        def refuse(*args, **kwargs):
            fd, name = real(*args, **kwargs)
            os.close(fd)
            os.unlink(name)
            raise OSError(err, os.strerror(err))

        monkeypatch.setattr(tempfile, "mkstemp", refuse)

    return patch


def full_disk_while_writing(monkeypatch: pytest.MonkeyPatch) -> None:
    """The disk fills up half-way through a file."""
    real = os.fsync

    def refuse(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", refuse)
    assert real


unix = pytest.mark.skipif(sys.platform == "win32", reason="needs symbolic links and pipes as Unix has them")

# --- the corpus --------------------------------------------------------------------------------

CASES = [
    # YAML: what a catalogue, workplace or plan file may hold
    Case("yaml", "malformed indentation", ["validate", "-c", "katalog.yaml"],
         set_catalogue(catalogue_text().replace("\nlabels:\n", "\nlabels:\n   x: y\n  bad\n", 1)), says="katalog.yaml:"),
    Case("yaml", "a key given twice", ["validate", "-c", "katalog.yaml"],
         set_catalogue(catalogue_text().replace("version: \"2026.1\"\n", "version: \"2026.1\"\nversion: \"2\"\n")), says="given twice"),
    Case("yaml", "nested ten thousand deep", ["validate", "-c", "katalog.yaml"],
         set_catalogue("a: " + "[" * 10_000 + "]" * 10_000), says="nested more than"),
    Case("yaml", "billion laughs", ["validate", "-c", "katalog.yaml"],
         set_catalogue("a: &a [" + ", ".join(["lol"] * 9) + "]\n" + "".join(
             f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8))), says="expand to more than"),
    Case("yaml", "python object tag", ["validate", "-c", "katalog.yaml"],
         set_catalogue("id: !!python/object/apply:os.system ['touch pwned']\n"), says="not allowed"),
    Case("yaml", "empty catalogue", ["validate", "-c", "katalog.yaml"], set_catalogue(""), says="empty"),
    Case("yaml", "not UTF-8", ["validate", "-c", "katalog.yaml"],
         lambda p: write(p / "katalog.yaml", catalogue_text().encode("utf-8").replace("Adfærd".encode(), "Adfærd".encode("latin-1"))),
         says="not UTF-8"),
    Case("yaml", "two documents", ["validate", "-c", "katalog.yaml"], set_catalogue(catalogue_text() + "---\nid: x\n"),
         says="second YAML document"),
    Case("yaml", "a misspelt key", ["validate", "-c", "katalog.yaml"],
         set_catalogue(catalogue_text().replace("\nlabels:", "\nlabes:", 1)), says="did you mean 'labels'"),
    Case("yaml", "a list where text belongs", VALIDATE_WORKPLACE, overlay("reword:\n  trivsel:\n    mus: [a, b]\n"),
         says="must be text"),
    Case("yaml", "overlay nested deep", VALIDATE_WORKPLACE, overlay("reword: " + "{a: " * 200 + "b" + "}" * 200 + "\n"),
         says="nested more than"),
    Case("yaml", "a picture id that does not exist", VALIDATE_WORKPLACE,
         both(overlay("pictures:\n  vaeskt:\n    image: ny.png\n"), lambda p: write(p / "workplaces" / "ny.png", png())),
         says="did you mean 'vaekst'"),
    Case("yaml", "more keywords than the skema row holds", VALIDATE_WORKPLACE,
         overlay("keywords:\n  add:\n    adfaerd: [Et, To]\n"), says="room for 12 keywords"),
    Case("yaml", "a keyword too long for its piece", VALIDATE_WORKPLACE,
         overlay("keywords:\n  add:\n    adfaerd: [Nærværsledelsesudviklingsprogrammer]\n"), says="too long", lines=2),
    Case("yaml", "a question too long for the skema", VALIDATE_WORKPLACE,
         overlay("reword:\n  trivsel:\n    all: " + "Hvordan trives du med arbejdet i huset hver eneste dag? " * 12 + "\n"),
         says="do not fit", lines=None),
    Case("yaml", "plan with an impossible date", ["plan", "render", "plan.yaml", "--out", "planer"],
         plan(PLAN.replace("follow_up: 2026-09-01", "follow_up: 2026-02-30")), says="not a real date"),
    Case("yaml", "plan far in the future", ["plan", "render", "plan.yaml", "--out", "planer"],
         plan(PLAN.replace("follow_up: 2026-09-01", "follow_up: 9999-12-31")), says="between 2000 and 2100"),
    Case("yaml", "plan with an 80 KB field", ["plan", "render", "plan.yaml", "--out", "planer"],
         plan(PLAN.replace("what: Kursus i konflikthåndtering", "what: " + "x" * 80_000)), says="characters long"),
    Case("yaml", "plan of an unknown type", ["plan", "render", "plan.yaml", "--out", "planer"],
         plan(PLAN.replace("type: mus", "type: muss")), says="did you mean 'mus'"),
    Case("yaml", "plan follow-up before the conversation", ["plan", "render", "plan.yaml", "--out", "planer"],
         plan(PLAN.replace("follow_up: 2026-09-01", "follow_up: 2025-09-01")), says="before the conversation"),
    Case("yaml", "plan with every problem at once", ["plan", "render", "plan.yaml", "--out", "planer"],
         plan(PLAN.replace("follow_up: 2026-09-01", "follow_up: 2026-02-30").replace("    responsible: Anna Jensen\n", "")
              .replace("type: mus", "type: muss")),
         says="", lines=3),
    Case("yaml", "plan that is a list", ["plan", "render", "plan.yaml"], plan("- a\n- b\n"), says="set of keys"),
    # Paths: where a file may be read from or written to
    Case("paths", "--out names a file", [*RENDER_ONE[:-4], "--out", "fil.txt"], lambda p: write(p / "fil.txt", "x"),
         says="a file is in the way"),
    Case("paths", "picture outside the workplace's folder", VALIDATE_WORKPLACE,
         overlay("pictures:\n  vaekst:\n    image: ../../outside/secret.png\n"), says="outside the folder"),
    Case("paths", "picture by absolute path", VALIDATE_WORKPLACE,
         overlay("pictures:\n  vaekst:\n    image: /etc/passwd.png\n"), says="outside the folder"),
    Case("paths", "picture linked to a file outside", VALIDATE_WORKPLACE, with_picture("link.png", link_to="secret.png"),
         says="outside the folder", marks=[unix]),
    Case("paths", "logo linked to a file outside", VALIDATE_WORKPLACE,
         lambda p: (overlay("logo: logo.svg\n")(p), (p / "workplaces" / "logo.svg").symlink_to(p.parent / "outside" / "secret.svg")),
         says="outside the folder", marks=[unix]),
    Case("paths", "templates folder above the workplace's", VALIDATE_WORKPLACE, overlay("templates: ..\n"),
         says="not a folder inside"),
    Case("paths", "templates folder by absolute path", VALIDATE_WORKPLACE, overlay("templates: /etc\n"), says="not a folder inside"),
    Case("paths", "a workplace file that is a link", ["workplace", "validate", "-c", "katalog.yaml"],
         lambda p: (write(p / "outside.yaml", "name: Ude\n"), (p / "workplaces" / "ude.yaml").symlink_to(p / "outside.yaml")),
         says="symbolic link", marks=[unix]),
    Case("paths", "a workplace named by a path out of the project", [*RENDER_ONE, "--workplace", "../../etc/passwd"],
         says="no workplace file here"),
    Case("paths", "catalogue is a folder", ["validate", "-c", "mappe.yaml"], lambda p: (p / "mappe.yaml").mkdir(), says="folder"),
    Case("paths", "catalogue is a pipe", ["validate", "-c", "roer.yaml"], lambda p: os.mkfifo(p / "roer.yaml"),
         says="not an ordinary file", marks=[unix]),
    Case("paths", "catalogue is a device", ["validate", "-c", "/dev/zero"], says="not an ordinary file", marks=[unix]),
    Case("paths", "catalogue larger than 5 MB", ["validate", "-c", "stor.yaml"], sparse("stor.yaml", 6 * 1024 * 1024),
         says="far larger"),
    Case("paths", "plan written through a link", ["plan", "new", "link.yaml"],
         lambda p: (p / "link.yaml").symlink_to(p.parent / "outside" / "planen.yaml"), says="symbolic link", marks=[unix]),
    Case("paths", "plan new over an existing file", ["plan", "new", "plan.yaml"], plan(), says="exists already"),
    Case("paths", "plan render over its own PDF", ["plan", "render", "plan.yaml"],
         both(plan(), lambda p: write(p / "plan.pdf", "tidligere")), says="exists already"),
    Case("paths", "plan render where a link is in the way", ["plan", "render", "plan.yaml", "--out", "planer"],
         both(plan(), lambda p: (p / "planer").mkdir(), lambda p: (p / "planer" / "plan.ics").symlink_to(p.parent / "outside" / "x.ics")),
         says="symbolic link", marks=[unix]),
    # Templates: what a workplace's own template may do
    Case("templates", "reaching Python's classes", RENDER_WORKPLACE,
         with_template("{{ ''.__class__.__mro__[1].__subclasses__() }}"), says="sandbox does not allow"),
    Case("templates", "reaching the os module", RENDER_WORKPLACE,
         with_template("{{ cycler.__init__.__globals__.os.popen('id').read() }}"), says=""),
    Case("templates", "including an absolute path", RENDER_WORKPLACE, with_template("{% include '/etc/passwd' %}"), says="not found"),
    Case("templates", "including through ..", RENDER_WORKPLACE, with_template("{% include '../../../outside/secret.txt' %}"),
         says="not found"),
    Case("templates", "fetching a local file", RENDER_WORKPLACE,
         lambda p: with_template(f'<img src="file://{p.parent / "outside" / "secret.png"}">')(p), says="may not read"),
    Case("templates", "fetching from the web", RENDER_WORKPLACE,
         with_template('<link rel="stylesheet" href="https://example.com/x.css"><p>x</p>'), says="may not read"),
    Case("templates", "a CSS import of a file outside", RENDER_WORKPLACE,
         with_template('<style>@import url("../../../outside/secret.css");</style><p>x</p>'), says="may not read"),
    Case("templates", "extending itself", RENDER_WORKPLACE, with_template('{% extends "skema.html.j2" %}'), says="itself"),
    Case("templates", "a macro calling itself", RENDER_WORKPLACE,
         with_template("{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}"), says="itself"),
    Case("templates", "an enormous string", RENDER_WORKPLACE, with_template('{{ "x" * 10**9 }}'), says="sandbox does not allow"),
    Case("templates", "an enormous number", RENDER_WORKPLACE, with_template("{{ 9**9**9 }}"), says="sandbox does not allow"),
    Case("templates", "an enormous range", RENDER_WORKPLACE, with_template("{{ range(10**6)|list }}"), says=""),
    Case("templates", "writing without end", RENDER_WORKPLACE,
         with_template('{% for i in range(99999) %}{{ "x" * 99999 }}{% endfor %}'), says="writes more than"),
    Case("templates", "changing the data it is given", RENDER_WORKPLACE,
         with_template("{% set x = m.update({'workplace': 'x'}) %}"), says="sandbox does not allow"),
    Case("templates", "a value that does not exist", RENDER_WORKPLACE, with_template("{{ m.logo.read_text() }}"),
         says="only the values"),
    Case("templates", "a syntax error, found by validate", VALIDATE_WORKPLACE, with_template("{% if %}"), says="skema.html.j2:1"),
    Case("templates", "not UTF-8", VALIDATE_WORKPLACE, with_template("Æble".encode("latin-1")), says="not UTF-8"),
    Case("templates", "larger than 1 MB", VALIDATE_WORKPLACE, with_template("x" * (1024 * 1024 + 10)), says="larger than"),
    Case("templates", "a template that is a link", VALIDATE_WORKPLACE,
         lambda p: (overlay("templates: egne\n")(p), (p / "workplaces" / "egne").mkdir(),
                    (p / "workplaces" / "egne" / "skema.html.j2").symlink_to(p.parent / "outside" / "secret.txt")),
         says="not an ordinary file", marks=[unix]),
    # Images: pictures and logos a workplace brings
    Case("images", "text named .png", VALIDATE_WORKPLACE, with_picture("ny.png", b"not a picture"), says="not really a PNG"),
    Case("images", "damaged PNG", VALIDATE_WORKPLACE, with_picture("ny.png", png()[:40] + b"\0" * 40), says="damaged"),
    Case("images", "decompression bomb", VALIDATE_WORKPLACE, with_picture("ny.png", png(9000, 9000, "1")), says="pixels"),
    Case("images", "picture larger than 20 MB", VALIDATE_WORKPLACE,
         both(overlay("pictures:\n  vaekst:\n    image: stor.jpg\n"), sparse("workplaces/stor.jpg", 21 * 1024 * 1024)),
         says="larger than 20 MB"),
    Case("images", "SVG pointing at a file", VALIDATE_WORKPLACE,
         with_picture("ny.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><image href="file:///etc/passwd"/></svg>'),
         says="refers to another file"),
    Case("images", "SVG with entities", VALIDATE_WORKPLACE,
         with_picture("ny.svg", b'<?xml version="1.0"?><!DOCTYPE s [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                                b'<svg xmlns="http://www.w3.org/2000/svg"><text>&x;</text></svg>'), says="entities"),
    Case("images", "SVG with a script", VALIDATE_WORKPLACE,
         with_picture("ny.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), says="script"),
    Case("images", "a GIF", VALIDATE_WORKPLACE, with_picture("ny.gif", b"GIF89a"), says="not a PNG, JPEG or SVG"),
    Case("images", "a missing logo", VALIDATE_WORKPLACE, overlay("logo: mangler.svg\n"), says="does not exist"),
    # Plan PDFs: filled sheets handed to plan import
    Case("plan PDFs", "a text file", ["plan", "import", "udfyldt.pdf"], lambda p: write(p / "udfyldt.pdf", "hej"),
         says="not a PDF"),
    Case("plan PDFs", "a truncated PDF", ["plan", "import", "udfyldt.pdf"],
         lambda p: write(p / "udfyldt.pdf", fillable_sheet().read_bytes()[:3000]), says="damaged"),
    Case("plan PDFs", "protected by a password", ["plan", "import", "udfyldt.pdf"],
         sheet_pdf("MUS, albertslund, 2026.1", password="hemmeligt"), says="protected by a password"),
    Case("plan PDFs", "encrypted without a password", ["plan", "import", "udfyldt.pdf"],
         sheet_pdf("MUS, albertslund, 2026.1", password=""), code=0, lines=None),
    Case("plan PDFs", "keywords naming a path", ["plan", "import", "udfyldt.pdf"],
         sheet_pdf("MUS, ../../outside/secret, 2026.1"), says="not built in"),
    Case("plan PDFs", "made for another catalogue", ["plan", "import", "udfyldt.pdf", "-c", str(HT)],
         sheet_pdf("MUS, albertslund, 2026.1"), says="made from the catalogue 'albertslund'"),
    Case("plan PDFs", "a PDF without fields", ["plan", "import", "udfyldt.pdf"],
         lambda p: write(p / "udfyldt.pdf", (ROOT / "tests" / "test_hostile.py").read_bytes()[:0] + minimal_pdf()), says="no form fields"),
    Case("plan PDFs", "a PDF larger than 20 MB", ["plan", "import", "udfyldt.pdf"], sparse("udfyldt.pdf", 30 * 1024 * 1024),
         says="far larger"),
    Case("plan PDFs", "a date it cannot read", ["plan", "import", "udfyldt.pdf"],
         sheet_pdf("MUS, albertslund, 2026.1", {"deltager_1": "Anna", "dato": "31.02.2026"}), code=0, lines=None, says="31.02.2026"),
    # File-system faults: the disk refuses
    Case("file system", "disk full", RENDER_ONE, patch=fail_writes(errno.ENOSPC), says="disk is full"),
    Case("file system", "disk full half-way through a file", RENDER_ONE, patch=full_disk_while_writing, says="disk is full"),
    Case("file system", "read-only disk", RENDER_ONE, patch=fail_writes(errno.EROFS), says="read-only"),
    Case("file system", "no permission", ["plan", "new", "ny.yaml"], patch=fail_writes(errno.EACCES), says="may not write"),
    Case("file system", "workplaces folder not writable", ["workplace", "new", "Nyt", "Sted", "-c", "katalog.yaml"],
         patch=fail_writes(errno.EACCES), says="may not write"),
    Case("file system", "calibration sheet to a full disk", ["calibrate", "--out", "ud", "-c", "katalog.yaml"],
         patch=fail_writes(errno.ENOSPC), says="disk is full"),
    # Batches: one broken workplace among good ones
    Case("batch", "a broken workplace among good ones", ["render", "-c", "katalog.yaml", "-t", "mus", "-p", "skema", "--out", "out",
                                                          "--all-workplaces", "--jobs", "1"],
         both(overlay("reword:\n  trivsel:\n    muss: x\n", "braekket"), overlay("", "hel")), says="braekket.yaml", lines=None),
    Case("batch", "a workplace template that fetches a file", ["render", "-c", "katalog.yaml", "-t", "mus", "-p", "skema",
                                                                "--out", "out", "--all-workplaces", "--jobs", "1"],
         lambda p: with_template(f'<img src="file://{p.parent / "outside" / "secret.png"}">')(p), says="may not read", lines=None),
    Case("batch", "a nested bomb among good workplaces", ["render", "-c", "katalog.yaml", "-t", "mus", "-p", "skema", "--out", "out",
                                                           "--all-workplaces", "--jobs", "1"],
         both(lambda p: write(p / "workplaces" / "bombe.yaml", "name: " + "[" * 5000 + "]" * 5000), overlay("", "hel")),
         says="bombe.yaml", lines=None,
         then=lambda p: assert_pdfs(p, "out/albertslund/hel/mus-skema.pdf", "out/albertslund/standard/mus-skema.pdf")),
    Case("batch", "a new workplace for a catalogue without keywords", ["workplace", "new", "Borgerservice", "-c", "ht.yaml"],
         lambda p: (shutil.copy(HT, p / "ht.yaml")), code=0, lines=None,
         then=lambda p: assert_pdfs(p) or (p / "workplaces" / "hoeje-taastrup" / "borgerservice.yaml").read_text(encoding="utf-8").startswith("#")),
    # Command lines: wrong options are usage errors
    Case("command line", "unknown option", ["render", "--colour", "red"], code=2, says="--colour"),
    Case("command line", "unknown paper", ["render", "--paper", "a5"], code=2, says="a5"),
    Case("command line", "back offset beyond the scale", ["render", "--back-offset", "25,0"], code=2, says="mm"),
    Case("command line", "unknown conversation type", ["render", "-c", "katalog.yaml", "-t", "xyz"], says="not a conversation type"),
    Case("command line", "unknown product", ["render", "-c", "katalog.yaml", "-p", "plakat"], says="not a product"),
]


def assert_pdfs(project: Path, *names: str) -> None:
    """These PDFs were written, whole."""
    from pypdf import PdfReader

    for name in names:
        assert len(PdfReader(project / name).pages) >= 1, name


def minimal_pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(100, 100)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture(autouse=True, scope="module")
def _shared_tmp(tmp_path_factory):
    os.environ["HOSTILE_TMP"] = str(tmp_path_factory.mktemp("hostile"))


@pytest.fixture
def project(tmp_path) -> Path:
    """A working folder with the catalogue and its pictures, and beside it an `outside` folder with secrets."""
    folder = tmp_path / "project"
    folder.mkdir()
    shutil.copy(CATALOGUE, folder / "katalog.yaml")
    shutil.copytree(CATALOGUE.parent / "images", folder / "images")
    (folder / "workplaces").mkdir()
    outside = tmp_path / "outside"
    outside.mkdir()
    for name in ("secret.txt", "secret.css", "planen.yaml", "x.ics"):
        write(outside / name, SECRET)
    write(outside / "secret.png", png())
    write(outside / "secret.svg", f'<svg xmlns="http://www.w3.org/2000/svg"><text>{SECRET}</text></svg>')
    return folder


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(folder)): (p.lstat().st_size, p.lstat().st_mtime_ns) for p in folder.rglob("*")}


def written_text(project: Path, before: dict[str, tuple[int, int]]) -> str:
    """The text of every file samtale wrote or changed in the project (PDFs as a reader would copy it)."""
    texts = []
    for path in project.rglob("*"):
        rel = str(path.relative_to(project))
        if path.is_symlink() or not path.is_file() or before.get(rel) == (path.lstat().st_size, path.lstat().st_mtime_ns):
            continue
        if path.suffix == ".pdf" and path.read_bytes().startswith(b"%PDF"):
            import pdfplumber

            with pdfplumber.open(path) as pdf:
                texts += [page.extract_text() or "" for page in pdf.pages]
        else:
            texts.append(path.read_bytes().decode("utf-8", "replace"))
    return "\n".join(texts)


@pytest.mark.parametrize("case", [pytest.param(c, id=f"{c.category}: {c.name}", marks=c.marks) for c in CASES])
def test_hostile_input_gets_one_clear_line_and_harms_nothing(case: Case, project: Path, monkeypatch):
    case.setup(project)
    outside = project.parent / "outside"
    before_outside, before = snapshot(outside), snapshot(project)
    if case.patch:
        case.patch(monkeypatch)
    code, out, err = in_process(case.args, project)
    monkeypatch.undo()

    assert code == case.code, (code, out, err)
    assert "Traceback" not in err and "Traceback" not in out, err
    lines = err.strip().splitlines()
    if case.code != 0:
        assert lines, "a failure says why"
        if case.lines is not None:
            assert len(lines) == case.lines, err
    assert case.says in err + out, err
    assert snapshot(outside) == before_outside, "nothing outside the project was touched"
    assert not list(project.rglob("*.part")) and not list(project.rglob(".*.part")), "no half-written file"
    assert not (project / "pwned").exists()
    assert SECRET not in written_text(project, before), "a secret from outside the project ended up in a file samtale wrote"
    case.then(project)


def test_the_corpus_covers_every_category_with_sixty_cases_or_more():
    categories = {c.category for c in CASES}
    assert {"yaml", "paths", "templates", "images", "plan PDFs", "file system", "batch"} <= categories
    assert len(CASES) >= 60

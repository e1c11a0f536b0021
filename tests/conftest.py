"""Shared helpers: render once per test session, read PDFs as a user would see them."""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

# The tests read samtale's messages in English, the language of its code; tests/test_messages.py reads them in Danish.
# Set before samtale is imported (Typer reads help texts on import), and passed on to every `samtale` run().
os.environ["SAMTALE_LANG"] = "en"

ROOT = Path(__file__).resolve().parents[1]
CATALOGUE = ROOT / "catalogue" / "albertslund.yaml"
HT = ROOT / "catalogue" / "hoeje-taastrup.yaml"
MM = 72 / 25.4


def run(*args: str, cwd: Path | None = None, env: dict | None = None, fresh: bool = False) -> subprocess.CompletedProcess:
    """Run the real command line, `samtale ARGS`, as a user would: its exit status, standard output and error.

    It runs in this test process (`main()` itself), whose fork server stays warm from run to run: a new process
    for every run would cost more than most of what the tests check. A run that needs a process of its own gets
    one: with `fresh`, with `env`, or in a language other than the tests' (samtale chooses its language once per
    process, before its commands are imported)."""
    from samtale.core import i18n

    if fresh or env or (i18n.asked(args) or i18n.language()) != i18n.language():
        return subprocess.run(
            [sys.executable, "-m", "samtale", *args], capture_output=True, text=True, cwd=cwd or ROOT,
            env={**os.environ, **(env or {})}, timeout=300,
        )
    code, out, err = in_process(list(args), cwd or ROOT)
    return subprocess.CompletedProcess(["samtale", *args], code, out, err)


def in_process(args: list[str], cwd: Path) -> tuple[int, str, str]:
    """`samtale ARGS` run by `main()` in this process, in `cwd`: exit status, standard output and standard error.
    What a run changes of the process (arguments, folder, environment, the SIGTERM handler) is put back after it,
    and the fork server it started is kept for the next run (samtale stops it as it exits; this process goes on)."""
    import io
    import signal
    from contextlib import redirect_stderr, redirect_stdout
    from unittest import mock

    from samtale.commands import main

    out, err = io.StringIO(), io.StringIO()
    argv, here, environ, on_term = sys.argv, Path.cwd(), dict(os.environ), signal.getsignal(signal.SIGTERM)
    sys.argv = ["samtale", *args]
    os.chdir(cwd)
    try:
        with redirect_stdout(out), redirect_stderr(err), mock.patch("samtale.batch.start.shutdown"):
            main()
        code = 0
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else 0 if stop.code is None else 1
    finally:
        sys.argv = argv
        os.chdir(here)
        os.environ.clear()
        os.environ.update(environ)
        signal.signal(signal.SIGTERM, on_term)
    return code, out.getvalue(), err.getvalue()


@functools.lru_cache(maxsize=48)
def _plumbed(path: str, modified: int, size: int):
    import pdfplumber

    return pdfplumber.open(path)


class _Kept:
    """`with plumbed(pdf) as doc:` without closing the document: the next test reads the same pages."""

    def __init__(self, doc) -> None:
        self.doc = doc

    def __enter__(self):
        return self.doc

    def __exit__(self, *exc) -> None:
        return None


def plumbed(pdf: Path | str) -> _Kept:
    """A PDF opened with pdfplumber once per test process (a changed file is opened again): pdfplumber parses a
    page's content once and keeps it, and parsing is most of what reading a PDF costs the tests."""
    stat = Path(pdf).stat()
    return _Kept(_plumbed(str(pdf), stat.st_mtime_ns, stat.st_size))


def page_texts(pdf: Path) -> list[str]:
    with plumbed(pdf) as doc:
        return [normalise(page.extract_text() or "") for page in doc.pages]


def column_text(pdf: Path, page: int, heading: str, next_heading: str | None = None) -> str:
    """The text of one table column on a page: from `heading`'s left edge to `next_heading`'s."""
    with plumbed(pdf) as doc:
        p = doc.pages[page]
        left = p.search(heading)[0]["x0"] - 1
        right = p.search(next_heading)[0]["x0"] - 1 if next_heading else p.width
        return normalise(p.crop((left, 0, right, p.height)).extract_text() or "")


def normalise(text: str) -> str:
    """Text as one line: rejoin lines broken inside a sentence, so phrases can be searched."""
    return re.sub(r"\s+", " ", text).strip()


def polygon(curves, n: int = 24) -> list:
    """A closed outline of Bézier curves as a polygon: `n` points along each curve."""
    return [c.at(i / n) for c in curves for i in range(n)]


def inside(p, poly) -> bool:
    """Whether point `p` lies inside the polygon `poly` (even-odd rule)."""
    hit = False
    for a, b in zip(poly, poly[1:] + poly[:1]):
        if (a.y > p.y) != (b.y > p.y) and p.x < a.x + (p.y - a.y) / (b.y - a.y) * (b.x - a.x):
            hit = not hit
    return hit


def page_sizes_mm(pdf: Path) -> list[tuple[float, float]]:
    from pypdf import PdfReader

    return [(float(p.mediabox.width) / MM, float(p.mediabox.height) / MM) for p in PdfReader(pdf).pages]


def render(out: Path, *, catalogue: Path = CATALOGUE, types=(), products=(), options=None, workplaces=(),
           jobs: int = 1) -> Path:
    """Render through samtale's one render path (the batch), as `samtale render` does; returns the catalogue's folder."""
    from samtale.batch import run
    from samtale.products import Options
    from samtale.source.catalogue import load

    loaded = load(catalogue)
    summary = run(loaded, types=types, wanted=products, options=options or Options(), out=out, jobs=jobs,
                  progress=False, workplaces=workplaces)
    assert summary.ok, [str(p) for p in summary.problems]
    return Path(out) / loaded.catalogue.id


def shared(tmp_path_factory, worker_id: str, name: str, make) -> Path:
    """A folder made once per test run by `make(folder)` and shared by every test worker: the first worker to ask
    makes it, the others wait for it. Products several test files look at are rendered this way, once."""
    from filelock import FileLock

    root = tmp_path_factory.getbasetemp()
    root = root if worker_id == "master" else root.parent  # the folder all workers share
    folder = root / name
    with FileLock(f"{folder}.lock"):
        if not (folder / ".done").exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)
            make(folder)
            (folder / ".done").touch()
    return folder


def cli(*args: str) -> None:
    result = run(*args)
    assert result.returncode == 0, result.stderr


@pytest.fixture(scope="session")
def standard(tmp_path_factory, worker_id) -> Path:
    """Every document of the standard set (skema, note sheet, puzzle of MUS, GRUS and LUS)."""
    folder = shared(tmp_path_factory, worker_id, "standard", lambda out: render(out, jobs=2))
    return folder / "albertslund" / "standard"


@pytest.fixture(scope="session")
def english(tmp_path_factory, worker_id) -> Path:
    """The standard set in English, rendered by the command line (`samtale render --lang en`)."""
    folder = shared(tmp_path_factory, worker_id, "english", lambda out: cli("render", "--lang", "en", "--out", str(out)))
    return folder / "albertslund" / "standard"


@pytest.fixture(scope="session")
def duplex_puzzle(tmp_path_factory, worker_id) -> Path:
    """MUS with backs (long-edge flip), a small offset and cut lines, through the real command."""
    folder = shared(tmp_path_factory, worker_id, "duplex", lambda out: cli(
        "render", "--type", "mus", "--product", "puslespil", "--backs", "--cut-svg", "--back-offset", "0.5,-1",
        "--out", str(out), "--jobs", "1"))
    return folder / "albertslund" / "standard" / "mus-puslespil.pdf"


def puzzle_with(tmp_path_factory, worker_id, name: str, type_id: str, **options) -> Path:
    from samtale.products import Options

    folder = shared(tmp_path_factory, worker_id, name, lambda out: render(
        out, types=[type_id], products=["puslespil"], options=Options(**options)))
    return folder / "albertslund" / "standard" / f"{type_id}-puslespil.pdf"


@pytest.fixture(scope="session")
def short_flip_puzzle(tmp_path_factory, worker_id) -> Path:
    """LUS with backs for short-edge duplex."""
    return puzzle_with(tmp_path_factory, worker_id, "short-flip", "lus", backs=True, flip="short")


@pytest.fixture(scope="session")
def a3_puzzle(tmp_path_factory, worker_id) -> Path:
    """MUS on A3 sheets with three blank keyword pieces."""
    return puzzle_with(tmp_path_factory, worker_id, "a3", "mus", paper="a3", blank_keywords=3)


@pytest.fixture(scope="session")
def cards_puzzle(tmp_path_factory, worker_id) -> Path:
    """GRUS as rectangular cards with crop marks."""
    return puzzle_with(tmp_path_factory, worker_id, "cards", "grus", style="cards")


@pytest.fixture(scope="session")
def calibration(tmp_path_factory, worker_id) -> Path:
    """The A3 calibration sheet."""
    folder = shared(tmp_path_factory, worker_id, "calibration", lambda out: cli("calibrate", "--paper", "a3", "--out", str(out)))
    return folder / "kalibrering-a3-long.pdf"


@pytest.fixture(scope="session")
def hoeje_taastrup(tmp_path_factory, worker_id) -> Path:
    """Høje-Taastrup's own products, through the real command."""
    folder = shared(tmp_path_factory, worker_id, "ht", lambda out: cli("render", "--catalogue", str(HT), "--out", str(out)))
    return folder / "hoeje-taastrup" / "standard"


@pytest.fixture(scope="session")
def fillable(tmp_path_factory, worker_id) -> dict[str, Path]:
    """The MUS note sheet and Høje-Taastrup's follow-up form, fillable."""
    from samtale.products import Options

    def make(out: Path) -> None:
        render(out, types=["mus"], products=["aftaleark"], options=Options(fillable=True))
        render(out, catalogue=HT, products=["opsamling"], options=Options(fillable=True))

    folder = shared(tmp_path_factory, worker_id, "fillable", make)
    return {"aftaleark": folder / "albertslund" / "standard" / "mus-aftaleark-udfyldelig.pdf",
            "opsamling": folder / "hoeje-taastrup" / "standard" / "grus-opsamling-udfyldelig.pdf"}


MUS_PLAN = """\
catalogue: albertslund
type: mus
date: 12.03.2026
workplace: Børnehuset Solsikken
participants:
  - name: Anna Jensen
    role: Medarbejder
  - name: Bo Hansen
    role: Leder
agreements:
  - what: Kursus i konflikthåndtering
    aim: Mere ro i hverdagen
    activities: To kursusdage; sparring med en kollega
    deadline: 01-06-2026
    responsible: Anna Jensen
    follow_up: 2026-09-01
  - what: Fordybelse i sprogarbejde
    responsible: Bo Hansen
    follow_up: 15.10.2026
notes: Næste MUS i marts 2027.
"""

GRUS_PLAN = """\
catalogue: albertslund
type: grus
date: 2026-04-20
workplace: Vejcentret
participants:
  - {name: Amira Khan, role: Medarbejdere}
  - {name: Søren Ølgaard, role: Medarbejdere}
  - {name: Jens Åberg, role: Medarbejdere}
  - {name: Lise Holm, role: Leder}
agreements:
  - what: Fælles planlægning af vintertjenesten
    responsible: Lise Holm
    follow_up: 2026-10-01
  - what: Certifikat til ny maskine
    responsible: Søren Ølgaard
    follow_up: 2026-11-01
    concerns: [Søren Ølgaard]
"""


@pytest.fixture(scope="session")
def plans(tmp_path_factory, worker_id) -> Path:
    """A MUS plan and a GRUS plan (the group plan and one per employee) rendered as the command line does it."""
    def make(folder: Path) -> None:
        for name, text in (("anna-mus.yaml", MUS_PLAN), ("vejcentret-grus.yaml", GRUS_PLAN)):
            (folder / name).write_text(text, encoding="utf-8")
            cli("plan", "render", str(folder / name), "--out", str(folder / "out"))

    return shared(tmp_path_factory, worker_id, "plans", make) / "out"


@pytest.fixture
def catalogue_copy(tmp_path) -> Path:
    """A copy of the catalogue and its pictures, to break in a test."""
    shutil.copytree(ROOT / "catalogue", tmp_path / "catalogue", ignore=shutil.ignore_patterns("workplaces"))
    return tmp_path / "catalogue" / "albertslund.yaml"


def reading_order(page) -> tuple[list[list[dict]], list[list[dict]]]:
    """A page's words as a reader takes them: the lines that run across the page (a title over columns), and each
    column's lines top to bottom, columns left to right. pdfplumber alone reads across columns, line by line."""
    words = page.extract_words(extra_attrs=["size"])
    if not words:
        return [], []
    lines: list[list[dict]] = []
    for w in sorted(words, key=lambda w: (round(w["top"]), w["x0"])):
        if lines and abs(lines[-1][0]["top"] - w["top"]) < 2:
            lines[-1].append(w)
        else:
            lines.append([w])
    left, right = min(w["x0"] for w in words), max(w["x1"] for w in words)

    def wide(line: list[dict]) -> bool:  # one run of words over half the text's width
        gaps = [b["x0"] - a["x1"] for a, b in zip(line, line[1:])]
        return line[-1]["x1"] - line[0]["x0"] > 0.5 * (right - left) and all(gap < 3 * MM for gap in gaps)

    gutters = _gutters([w for line in lines if not wide(line) for w in line] or words, page)

    def spans(line: list[dict]) -> bool:  # a title over the columns
        return wide(line) and any(line[0]["x0"] < g < line[-1]["x1"] for g in gutters)

    across = [line for line in lines if spans(line)]
    edges = [-1.0, *gutters, page.width + 1]
    columns = []
    for a, b in zip(edges, edges[1:]):
        column = [[w for w in line if a <= (w["x0"] + w["x1"]) / 2 < b] for line in lines if not spans(line)]
        columns.append([line for line in column if line])
    return across, columns


def reading_text(page) -> str:
    """A page's text in reading order (see reading_order), with words broken at a line's end joined again."""
    across, columns = reading_order(page)
    text = [" ".join(w["text"] for w in line) for line in across]
    for column in columns:
        ordered = [w for line in column for w in line]
        for here, after in zip(ordered, [*ordered[1:], None]):
            broken = (after is not None and here["text"].endswith("-") and after["top"] > here["top"] + 2
                      and after["text"][:1].islower() and here["text"][-2:-1].isalpha())
            text.append(here["text"][:-1] + "\0" if broken else here["text"])  # a word broken at the line's end
    return normalise(" ".join(text)).replace("\0 ", "")


def _gutters(words, page) -> list[float]:
    """x positions of the gaps between columns: wide stretches no word covers, inside the text."""
    spans = sorted((w["x0"], w["x1"]) for w in words)
    gutters, reach = [], spans[0][1]
    for x0, x1 in spans[1:]:
        if x0 - reach > 4 * MM:
            gutters.append((reach + x0) / 2)
        reach = max(reach, x1)
    return gutters


def pytest_terminal_summary(terminalreporter, config) -> None:
    """How every PDF this run made fares against the PDF/UA-1 checks, also those no accessibility test names: a new
    product or option shows up here even before test_accessibility.py lists it (issue 13)."""
    if hasattr(config, "workerinput"):
        return
    from collections import Counter

    import pikepdf

    from pdfua import check

    made = sorted(config._tmp_path_factory.getbasetemp().rglob("*.pdf"))  # xdist workers' folders lie inside it
    failing: Counter[str] = Counter()
    passed = checked = 0
    for path in made:
        try:
            with pikepdf.open(path) as pdf:
                if str(pdf.docinfo.get("/Creator", "")) != "samtale":
                    continue  # a test's own small document
                found = {f.checkpoint for f in check(pdf)}
        except (pikepdf.PdfError, pikepdf.PasswordError, OSError, ValueError):
            continue  # a test's deliberately broken or unfinished file
        checked += 1
        passed += not found
        failing.update(found)
    if checked:
        worst = ", ".join(f"{k} in {n}" for k, n in sorted(failing.items()))
        terminalreporter.write_line(f"PDF/UA-1 over the {checked} PDFs samtale made in this run: {passed} pass"
                                    + (f"; failing {worst}" if worst else ""))

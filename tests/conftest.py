"""Shared helpers: render once per test session, read PDFs as a user would see them."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CATALOGUE = ROOT / "catalogue" / "albertslund.yaml"
MM = 72 / 25.4


def run(*args: str, cwd: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run the real command line, as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "samtale", *args], capture_output=True, text=True, cwd=cwd or ROOT,
        env={**os.environ, **(env or {})}, timeout=300,
    )


def page_texts(pdf: Path) -> list[str]:
    import pdfplumber

    with pdfplumber.open(pdf) as doc:
        return [normalise(page.extract_text() or "") for page in doc.pages]


def column_text(pdf: Path, page: int, heading: str, next_heading: str | None = None) -> str:
    """The text of one table column on a page: from `heading`'s left edge to `next_heading`'s."""
    import pdfplumber

    with pdfplumber.open(pdf) as doc:
        p = doc.pages[page]
        left = p.search(heading)[0]["x0"] - 1
        right = p.search(next_heading)[0]["x0"] - 1 if next_heading else p.width
        return normalise(p.crop((left, 0, right, p.height)).extract_text() or "")


def normalise(text: str) -> str:
    """Text as one line: rejoin lines broken inside a sentence, so phrases can be searched."""
    return re.sub(r"\s+", " ", text).strip()


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


@pytest.fixture(scope="session")
def standard(tmp_path_factory, worker_id) -> Path:
    """Every document of the standard set (skema, note sheet, puzzle of MUS, GRUS and LUS), rendered once per
    test run: the first test worker to ask renders it, the others wait for it and share it."""
    from filelock import FileLock

    root = tmp_path_factory.getbasetemp()
    root = root if worker_id == "master" else root.parent  # the folder all workers share
    folder = root / "standard"
    with FileLock(f"{folder}.lock"):
        if not (folder / ".done").exists():
            shutil.rmtree(folder, ignore_errors=True)
            render(folder, jobs=2)
            (folder / ".done").touch()
    return folder / "albertslund" / "standard"


@pytest.fixture
def catalogue_copy(tmp_path) -> Path:
    """A copy of the catalogue and its pictures, to break in a test."""
    shutil.copytree(ROOT / "catalogue", tmp_path / "catalogue", ignore=shutil.ignore_patterns("workplaces"))
    return tmp_path / "catalogue" / "albertslund.yaml"

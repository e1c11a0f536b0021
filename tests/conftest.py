"""Shared helpers: render once per test session, read PDFs as a user would see them."""

from __future__ import annotations

import os
import re
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


@pytest.fixture(scope="session")
def standard(tmp_path_factory) -> Path:
    """The standard skema and note sheets of every conversation type, rendered once."""
    from samtale.build import render_all
    from samtale.catalogue import load
    from samtale.products import Options

    out = tmp_path_factory.mktemp("out")
    list(render_all(load(CATALOGUE), [], ["skema", "aftaleark"], Options(), out))
    return out / "albertslund" / "standard"


@pytest.fixture
def catalogue_copy(tmp_path) -> Path:
    """A copy of the catalogue and its pictures, to break in a test."""
    import shutil

    shutil.copytree(ROOT / "catalogue", tmp_path / "catalogue", ignore=shutil.ignore_patterns("workplaces"))
    return tmp_path / "catalogue" / "albertslund.yaml"

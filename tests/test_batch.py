"""Batches over many workplaces: incremental, parallel, and safe when stopped, broken or run twice at once."""

import hashlib
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from samtale.batch import MANIFEST, read_manifest, run
from samtale.core.errors import SamtaleError
from samtale.core.paths import DEFAULT_CATALOGUE
from samtale.press.writer import inside
from samtale.source.catalogue import load

SAMTALE = str(Path(sys.executable).with_name("samtale"))


def workplace(folder: Path, slug: str, name: str, wording: str) -> Path:
    path = folder / "workplaces" / f"{slug}.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(f"name: {name}\nreword:\n  trivsel:\n    mus: {wording}\n", encoding="utf-8")
    return path


@pytest.fixture
def municipality(tmp_path):
    """A copy of the catalogue with two workplaces beside it."""
    shutil.copy(DEFAULT_CATALOGUE, tmp_path / "katalog.yaml")
    shutil.copytree(DEFAULT_CATALOGUE.parent / "images", tmp_path / "images")
    workplace(tmp_path, "alfa", "Alfa", "Hvordan trives du i Alfa?")
    workplace(tmp_path, "beta", "Beta", "Hvordan trives du i Beta?")
    return tmp_path


def batch(folder: Path, **kw):
    kw = {"all_workplaces": True, "types": ["mus"], "wanted": ["skema"], "jobs": 2, "progress": False, **kw}
    return run(load(folder / "katalog.yaml"), out=folder / "out", **kw)


def pdfs(out: Path) -> set[str]:
    return {p.relative_to(out).as_posix() for p in out.rglob("*.pdf")}


def assert_manifest_matches_files(out: Path) -> None:
    documents = read_manifest(out)
    recorded = {name for record in documents.values() for name in record.files}
    assert recorded == pdfs(out)
    for record in documents.values():
        for name, mark in record.files.items():
            st = (out / name).stat()
            assert (st.st_size, st.st_mtime_ns) == (mark.size, mark.mtime_ns)
            assert hashlib.sha256((out / name).read_bytes()).hexdigest() == mark.sha256
    for pdf in out.rglob("*.pdf"):
        assert len(PdfReader(pdf).pages) >= 1
    assert not list(out.rglob("*.part"))


def test_second_run_renders_nothing_and_a_changed_workplace_only_its_documents(municipality):
    first = batch(municipality)
    assert first.ok and len(first.rendered) == 3 and first.unchanged == 0
    second = batch(municipality)
    assert second.unchanged == 3 and not second.rendered and not second.copied
    assert second.seconds < 1.0

    workplace(municipality, "beta", "Beta", "Hvordan trives du nu i Beta?")
    third = batch(municipality)
    assert third.rendered == ["albertslund/beta/mus-skema.pdf"] and third.unchanged == 2

    (municipality / "out/albertslund/alfa/mus-skema.pdf").unlink()  # deleted by hand
    fourth = batch(municipality)
    assert fourth.rendered == ["albertslund/alfa/mus-skema.pdf"]

    forced = batch(municipality, force=True)
    assert len(forced.rendered) == 3
    assert_manifest_matches_files(municipality / "out")


def test_changed_options_render_again(municipality):
    from samtale.products import Options

    batch(municipality, all_workplaces=False)
    again = batch(municipality, all_workplaces=False, options=Options(paper="a3"))
    assert again.rendered == ["albertslund/standard/mus-skema.pdf"]


def test_workplaces_with_the_same_content_are_rendered_once_and_copied(municipality):
    workplace(municipality, "gamma", "Tvilling", "Hvordan trives du her?")
    workplace(municipality, "delta", "Tvilling", "Hvordan trives du her?")
    summary = batch(municipality, workplaces=["gamma", "delta"], all_workplaces=False)
    assert len(summary.rendered) == 1 and len(summary.copied) == 1
    out = municipality / "out/albertslund"
    assert (out / "gamma/mus-skema.pdf").read_bytes() == (out / "delta/mus-skema.pdf").read_bytes()


def test_broken_workplace_is_reported_by_line_and_the_rest_render(municipality):
    (municipality / "workplaces" / "broken.yaml").write_text("name: Brudt\nreword:\n  trivsel:\n    mis: Hvad?\n")
    result = subprocess.run(
        [SAMTALE, "render", "-c", "katalog.yaml", "--all-workplaces", "-t", "mus", "-p", "skema", "-o", "out"],
        cwd=municipality, capture_output=True, text=True,
    )
    assert result.returncode == 1
    assert "workplaces/broken.yaml:4:5: reword › trivsel › mis: 'mis' is not a conversation type" in result.stderr
    assert "1 workplace file left out" in result.stdout
    assert pdfs(municipality / "out") == {f"albertslund/{s}/mus-skema.pdf" for s in ("standard", "alfa", "beta")}


@pytest.mark.slow
def test_interrupted_batch_leaves_no_partial_file(municipality):
    out = municipality / "out"
    proc = subprocess.Popen(
        [SAMTALE, "render", "-c", "katalog.yaml", "--all-workplaces", "-p", "skema", "-p", "aftaleark", "-o", "out", "-j", "2"],
        cwd=municipality, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # as at a terminal, even if we run in the background
    )
    deadline = time.monotonic() + 60
    while not pdfs(out) and time.monotonic() < deadline:
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)  # Ctrl-C
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err
    assert 0 < len(pdfs(out)) < 18
    assert_manifest_matches_files(out)
    assert "Stopped" in err


@pytest.mark.slow
def test_two_runs_at_once_leave_only_whole_pdfs(municipality):
    cmd = [SAMTALE, "render", "-c", "katalog.yaml", "--all-workplaces", "-t", "mus", "-t", "grus", "-p", "skema",
           "-o", "out", "-j", "1", "--force"]
    procs = [subprocess.Popen(cmd, cwd=municipality, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)]
    for p in procs:
        p.communicate(timeout=120)
        assert p.returncode == 0
    assert len(pdfs(municipality / "out")) == 6
    assert_manifest_matches_files(municipality / "out")
    assert (municipality / "out" / MANIFEST).is_file()


def test_document_over_the_time_limit_is_stopped_and_reported(municipality):
    summary = batch(municipality, all_workplaces=False, timeout=0.05)
    assert not summary.ok and "stopped after 0.05 s" in str(summary.problems[0])
    assert not pdfs(municipality / "out")


def test_paths_outside_the_output_folder_are_refused(municipality, tmp_path):
    with pytest.raises(SamtaleError):
        inside(tmp_path / "out", "albertslund/../../elsewhere.pdf")
    with pytest.raises(SamtaleError, match="not a workplace slug"):
        batch(municipality, workplaces=["..."], all_workplaces=False)
    odd = municipality / "Min Arbejdsplads.yaml"
    odd.write_text("name: Min Arbejdsplads\n")
    summary = batch(municipality, workplaces=[str(odd)], all_workplaces=False)
    assert not summary.ok and "cannot name a workplace folder" in str(summary.problems[0])
    assert not (municipality / "out").exists() or not pdfs(municipality / "out")

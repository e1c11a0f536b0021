"""An administrator's working folder: made by `samtale init`, found from any folder inside it, kept apart per catalogue."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from samtale.core.errors import SamtaleError
from samtale.core.paths import CATALOGUES, TEMPLATES, built_in
from samtale.material import diff
from samtale.products import Options, file_stem
from samtale.source import overlay, settings
from samtale.source.catalogue import load

SAMTALE = str(Path(sys.executable).with_name("samtale"))


def samtale(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([SAMTALE, *args], capture_output=True, text=True, cwd=cwd, timeout=300)


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    """A working folder with both built-in catalogues, Albertslund's the default."""
    root = tmp_path_factory.mktemp("admin") / "Min mappe"
    made = samtale("init", str(root), "--catalogue", "albertslund", "--catalogue", "hoeje-taastrup", cwd=root.parent)
    assert made.returncode == 0, made.stderr
    return root


def test_init_makes_settings_an_editable_catalogue_copy_workplace_folders_and_a_danish_guide(folder):
    assert (folder / "samtale.toml").is_file()
    assert (folder / "albertslund.yaml").read_bytes() == (CATALOGUES / "albertslund.yaml").read_bytes()
    assert (folder / "hoeje-taastrup.yaml").is_file()
    assert {p.name for p in (folder / "images").iterdir()} == {p.name for p in (CATALOGUES / "images").iterdir()}
    assert (folder / "workplaces" / "albertslund" / "overlay.schema.json").is_file()
    assert (folder / "workplaces" / "hoeje-taastrup").is_dir()
    guide = (folder / "LÆS MIG.txt").read_text(encoding="utf-8")
    assert "samtale serve" in guide and "arbejdsplads" in guide
    assert settings.read(folder / "samtale.toml").catalogue == (folder / "albertslund.yaml").resolve()


def test_init_never_replaces_a_working_folder(folder):
    again = samtale("init", str(folder), cwd=folder.parent)
    assert again.returncode == 1 and "working folder already" in again.stderr
    assert len(again.stderr.strip().splitlines()) == 1


def test_commands_inside_the_folder_take_its_catalogue_and_settings_without_options(folder):
    inner = folder / "workplaces"
    listed = samtale("list", cwd=inner)  # a folder inside the working folder, as git finds its folder
    assert listed.returncode == 0, listed.stderr
    assert str((folder / "albertslund.yaml").resolve()) in listed.stdout
    (folder / "samtale.toml").write_text((folder / "samtale.toml").read_text(encoding="utf-8").replace('paper = "a4"', 'paper = "a3"'), encoding="utf-8")
    try:
        shown = samtale("render", "--help", cwd=folder)
        assert "[default: a3]" in shown.stdout  # the folder's paper is the default; --paper still overrides
    finally:
        (folder / "samtale.toml").write_text((folder / "samtale.toml").read_text(encoding="utf-8").replace('paper = "a3"', 'paper = "a4"'), encoding="utf-8")


def test_a_mistake_in_samtale_toml_is_one_line_naming_the_key(tmp_path):
    (tmp_path / "albertslund.yaml").write_bytes((CATALOGUES / "albertslund.yaml").read_bytes())
    (tmp_path / "samtale.toml").write_text('catalogue = "albertslund.yaml"\n\n[render]\npaper = "a5"\n', encoding="utf-8")
    result = samtale("validate", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip() == "samtale.toml:4:1: render › paper: 'a5' is not possible here; write one of 'a4' or 'a3'"
    (tmp_path / "samtale.toml").write_text('catalogue = albertslund\n', encoding="utf-8")
    result = samtale("validate", cwd=tmp_path)
    assert result.returncode == 1 and result.stderr.startswith("samtale.toml:1:") and len(result.stderr.splitlines()) == 1


def test_two_catalogues_workplaces_are_kept_apart(folder):
    for name, catalogue in (("Skolen ved Søen", "albertslund"), ("Vejcentret Nord", "hoeje-taastrup")):
        made = samtale("workplace", "new", name, "--catalogue", catalogue, cwd=folder)
        assert made.returncode == 0, made.stderr
    assert (folder / "workplaces/albertslund/skolen-ved-soeen.yaml").is_file()
    assert (folder / "workplaces/hoeje-taastrup/vejcentret-nord.yaml").is_file()
    mine = samtale("workplace", "list", cwd=folder)
    assert "Skolen ved Søen" in mine.stdout and "Vejcentret" not in mine.stdout
    theirs = samtale("workplace", "list", "--catalogue", "hoeje-taastrup", cwd=folder)
    assert theirs.returncode == 0, theirs.stdout + theirs.stderr
    assert "Vejcentret Nord" in theirs.stdout and "Skolen" not in theirs.stdout
    checked = samtale("workplace", "validate", "--catalogue", "hoeje-taastrup", cwd=folder)
    assert checked.returncode == 0, checked.stderr
    # Another catalogue's overlay given by its path is refused with both names, in one line.
    wrong = samtale("workplace", "validate", "workplaces/albertslund/skolen-ved-soeen.yaml", "-c", "hoeje-taastrup", cwd=folder)
    assert wrong.returncode == 1
    assert "belongs to the catalogue 'albertslund', not to 'hoeje-taastrup'" in wrong.stderr
    assert len(wrong.stderr.strip().splitlines()) == 1


def test_an_overlay_in_another_catalogues_folder_is_refused_even_without_the_key(folder, tmp_path):
    stray = folder / "workplaces" / "hoeje-taastrup" / "uden-noegle.yaml"
    stray.write_text("name: Uden nøgle\n", encoding="utf-8")
    try:
        with pytest.raises(SamtaleError, match="folder of the catalogue 'hoeje-taastrup', not of 'albertslund'"):
            overlay.load(load(folder / "albertslund.yaml"), stray)
    finally:
        stray.unlink()


def test_workplace_is_found_by_slug_file_or_the_name_as_printed(folder):
    loaded = load(folder / "albertslund.yaml")
    path = folder / "workplaces/albertslund/skolen-ved-soeen.yaml"
    if not path.is_file():  # made by the test above, unless another worker ran it (each has its own folder)
        assert samtale("workplace", "new", "Skolen ved Søen", "--catalogue", "albertslund", cwd=folder).returncode == 0
    for given in ("skolen-ved-soeen", "Skolen ved Søen", "  skolen VED søen ", str(path)):
        assert overlay.find(loaded, given).resolve() == path.resolve(), given
    with pytest.raises(SamtaleError, match="did you mean 'skolen-ved-soeen'"):
        overlay.find(loaded, "Skolen ved Sø")


def test_nothing_is_written_among_samtales_own_files(tmp_path):
    """Without a working folder the built-in catalogue is used for reading, and writing next to it is refused."""
    assert built_in(CATALOGUES / "albertslund.yaml") and built_in(TEMPLATES) and not built_in(tmp_path)
    result = samtale("workplace", "new", "Skolen ved Søen", cwd=tmp_path)
    assert result.returncode == 1 and "run 'samtale init" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not list((CATALOGUES / "workplaces").rglob("skolen-ved-soeen.yaml"))
    result = samtale("render", "--out", str(CATALOGUES / "out"), cwd=tmp_path)
    assert result.returncode == 1 and "samtale init" in result.stderr and not (CATALOGUES / "out").exists()


def test_diff_names_pictures_logo_and_templates_too(tmp_path):
    shutil.copy(CATALOGUES / "albertslund.yaml", tmp_path / "albertslund.yaml")
    shutil.copytree(CATALOGUES / "images", tmp_path / "images")
    folder = tmp_path / "workplaces" / "albertslund"
    (folder / "egne").mkdir(parents=True)
    (folder / "egne" / "skema.html.j2").write_text('{% extends "base.html.j2" %}', encoding="utf-8")
    shutil.copy(CATALOGUES / "images" / "dialog.svg", folder / "have.svg")
    shutil.copy(CATALOGUES / "images" / "pause.svg", folder / "logo.svg")
    path = folder / "hjemmet.yaml"
    path.write_text("catalogue: albertslund\nname: Hjemmet\npictures:\n  vaekst:\n    image: have.svg\n"
                    "logo: logo.svg\ntemplates: egne\nkeywords:\n  leave_out: [Senior]\n", encoding="utf-8")
    loaded = load(tmp_path / "albertslund.yaml")
    changes = diff(loaded, overlay.load(loaded, path))
    named = {(c.type_id, c.kind, c.id, c.workplace) for c in changes}
    assert ("", "picture", "vaekst", next(c.workplace for c in changes if c.kind == "picture")) in named
    assert ("", "logo", "", "logo.svg") in named
    assert ("", "template", "skema.html.j2", "egne/skema.html.j2") in named
    assert [c.standard for c in changes if c.kind == "keyword"] == ["Senior"]  # once, not once per conversation type
    shown = samtale("workplace", "diff", "hjemmet", "--format", "markdown", "-c", "albertslund.yaml", cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    assert "| logo | — | logo.svg |" in shown.stdout and "template skema.html.j2" in shown.stdout


def test_the_fillable_sheet_has_its_own_file_name_beside_the_printable_one():
    assert file_stem("mus", "aftaleark", Options()) == "mus-aftaleark"
    assert file_stem("mus", "aftaleark", Options(fillable=True)) == "mus-aftaleark-udfyldelig"
    assert file_stem("mus", "skema", Options(fillable=True)) == "mus-skema"  # nothing to fill in: the same file


def test_every_help_text_is_in_plain_words(tmp_path):
    """No Python types (<list[str]>, <int range>), braces ({NAME}) or comparisons (x>=1) in any --help."""
    commands = [[], ["render"], ["validate"], ["list"], ["calibrate"], ["init"], ["serve"], ["schema"], ["workplace"],
                ["workplace", "new"], ["workplace", "list"], ["workplace", "validate"], ["workplace", "diff"],
                ["plan"], ["plan", "new"], ["plan", "import"], ["plan", "render"]]
    from typer.testing import CliRunner

    from samtale.commands import app

    for command in commands:  # in this process: seventeen interpreters would take seconds
        shown = CliRunner().invoke(app, [*command, "--help"], prog_name="samtale", terminal_width=100)
        assert shown.exit_code == 0, command
        for notation in ("<", ">", "{", "}", "[str]", "x>=", "x<="):
            assert notation not in shown.output, (command, notation, shown.output)


@pytest.mark.slow
def test_render_watch_renders_again_after_a_change(tmp_path):
    """`samtale render --watch` renders at once, then again what a saved change affects."""
    import time

    made = samtale("init", str(tmp_path / "m"), cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    root = tmp_path / "m"
    assert samtale("workplace", "new", "Hjemmet", cwd=root).returncode == 0
    process = subprocess.Popen([SAMTALE, "render", "--watch", "-w", "Hjemmet", "-t", "mus", "-p", "skema"], cwd=root,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env={**os.environ, "COLUMNS": "200"})
    pdf = root / "output/albertslund/hjemmet/mus-skema.pdf"
    try:
        deadline = time.monotonic() + 60
        while not pdf.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        first = pdf.stat().st_mtime_ns
        time.sleep(1.0)  # the watch has started after the first render
        path = root / "workplaces/albertslund/hjemmet.yaml"
        path.write_text(path.read_text(encoding="utf-8") + "reword:\n  trivsel:\n    mus: Hvordan trives du i Hjemmet?\n", encoding="utf-8")
        while pdf.stat().st_mtime_ns == first and time.monotonic() < deadline:
            time.sleep(0.2)
        assert pdf.stat().st_mtime_ns != first, "the change was not rendered"
    finally:
        process.terminate()
        process.wait(10)


def test_an_old_overlay_beside_two_catalogues_is_named_not_silently_dropped(folder):
    """Written before overlays named their catalogue, directly in workplaces/, it cannot be told whose it is."""
    old = folder / "workplaces" / "gammel.yaml"
    old.write_text("name: Gammel\n", encoding="utf-8")
    try:
        listed = samtale("workplace", "list", cwd=folder)
        assert "gammel.yaml: names no catalogue" in listed.stderr and "catalogue: albertslund" in listed.stderr
        assert "Gammel" not in listed.stdout
    finally:
        old.unlink()

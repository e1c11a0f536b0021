"""Workplace overlays as an administrator uses them: create, edit, check, compare, print."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pdfplumber
import pytest

from samtale.batch import run
from samtale.core.errors import SamtaleError
from samtale.core.paths import DEFAULT_CATALOGUE
from samtale.core.text import slugify
from samtale.material import diff
from samtale.products import check
from samtale.source import overlay
from samtale.source.catalogue import load

SAMTALE = str(Path(sys.executable).with_name("samtale"))

OVERLAY = """\
name: Testhuset Ødegården
reword:
  trivsel:
    mus: Hvordan trives du med zebrafinkerne i huset?
  vaerdi:
    all: Hvordan skaber vi værdi for borgerne med vores ordning?
add_questions:
  - id: kaffe
    perspective: struktur
    wording:
      all: Hvordan fungerer den xylofoniske kaffeordning?
keywords:
  leave_out: [Senior]
  add:
    opgaver: [Kanoture]
"""


def text(pdf: Path) -> list[str]:
    with pdfplumber.open(pdf) as doc:
        return [" ".join((page.extract_text() or "").split()) for page in doc.pages]  # lines joined


@pytest.fixture(scope="module")
def loaded():
    return load()


@pytest.fixture(scope="module")
def rendered(tmp_path_factory, loaded):
    """One workplace's MUS and GRUS skema, MUS note sheet and (when built) MUS puzzle."""
    folder = tmp_path_factory.mktemp("wp")
    path = folder / "testhuset-oedegaarden.yaml"
    path.write_text(OVERLAY, encoding="utf-8")
    out = folder / "out"
    summary = run(loaded, workplaces=[str(path)], types=["mus", "grus"], wanted=["skema", "aftaleark", "puslespil"], out=out,
                  jobs=2, progress=False)
    assert summary.ok, [str(p) for p in summary.problems]
    return out / "albertslund" / "testhuset-oedegaarden"


def test_workplace_names_become_ascii_slugs():
    assert slugify("Børnehuset Æblehaven") == "boernehuset-aeblehaven"
    assert slugify("  Plejecenter Åbjerg  ") == "plejecenter-aabjerg"


def test_reworded_question_prints_only_in_the_types_it_names(rendered):
    mus = " ".join(text(rendered / "mus-skema.pdf"))
    grus = " ".join(text(rendered / "grus-skema.pdf"))
    assert "zebrafinkerne" in mus
    assert "helt grundlæggende med dit arbejde" not in mus  # the standard MUS wording is gone
    assert "zebrafinkerne" not in grus
    assert "trives I helt grundlæggende med jeres" in grus  # GRUS keeps the standard wording
    assert "zebrafinkerne" not in " ".join(text(rendered / "mus-aftaleark.pdf"))
    for pdf in (rendered / "mus-skema.pdf", rendered / "grus-skema.pdf"):  # 'all' rewords every type
        assert "ordning?" in " ".join(text(pdf))


def test_added_question_sits_in_its_perspective_row_of_the_skema(rendered):
    with pdfplumber.open(rendered / "grus-skema.pdf") as doc:
        words = doc.pages[0].extract_words()
    top = {w["text"]: w["top"] for w in words}
    assert top["Struktur"] < top["xylofoniske"] < top["Opgaver"]
    assert top["Opgaver"] < top["Kanoture"]
    assert "Senior" not in top


def test_added_question_and_rewording_are_puzzle_pieces(rendered):
    pages = " ".join(text(rendered / "mus-puslespil.pdf"))
    assert "xylofoniske" in pages and "zebrafinkerne" in pages and "Kanoture" in pages


def test_workplace_name_is_in_the_footer_of_every_page(rendered):
    for pdf in sorted(rendered.glob("*-skema.pdf")) + sorted(rendered.glob("*-aftaleark.pdf")):
        for i, page in enumerate(text(pdf)):
            assert "Testhuset Ødegården" in page, f"{pdf.name} page {i + 1}"


def test_diff_lists_exactly_the_changed_questions(loaded, tmp_path):
    path = tmp_path / "testhuset.yaml"
    path.write_text(OVERLAY, encoding="utf-8")
    wp = overlay.load(loaded, path)
    changes = {(c.type_id, c.id) for c in diff(loaded, wp) if c.number}
    assert changes == {("mus", "trivsel"), *((t, q) for t in ("mus", "grus", "lus") for q in ("vaerdi", "kaffe"))}
    out = subprocess.run([SAMTALE, "workplace", "diff", str(path), "--format", "markdown"], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert "zebrafinkerne" in out.stdout and "helt grundlæggende med dit arbejde" in out.stdout
    assert "motiveres" not in out.stdout  # an unchanged question is not listed


def broken(loaded, tmp_path, body: str) -> list[str]:
    """The problems `samtale workplace validate` reports: the overlay's own, then the products' fit rules."""
    path = tmp_path / "broken.yaml"
    path.write_text(body, encoding="utf-8")
    try:
        problems = check(loaded, overlay.load(loaded, path))
    except SamtaleError as err:
        problems = err.problems
    assert problems, "the overlay was accepted"
    return [str(p) for p in problems]


def test_misspelt_key_is_placed_and_a_fix_suggested(loaded, tmp_path):
    (problem,) = broken(loaded, tmp_path, "name: X\nrewrod:\n  trivsel:\n    mus: Ny tekst?\n")
    assert "broken.yaml:2:1" in problem and "did you mean 'reword'" in problem


def test_unknown_question_keyword_and_type_are_named(loaded, tmp_path):
    problems = broken(loaded, tmp_path, (
        "name: X\n"
        "reword:\n"
        "  trivsl:\n"
        "    mus: Ny tekst?\n"
        "  motivation:\n"
        "    mu: Ny tekst?\n"
        "keywords:\n"
        "  leave_out: [Seniorer]\n"
    ))
    assert any(":3:3" in p and "no question 'trivsl'" in p and "did you mean 'trivsel'" in p for p in problems)
    assert any(":6:5" in p and "'mu' is not a conversation type" in p and "did you mean 'mus'" in p for p in problems)
    assert any(":8:15" in p and "no keyword 'Seniorer'" in p and "did you mean 'Senior'" in p for p in problems)


def test_missing_picture_and_logo_are_placed(loaded, tmp_path):
    problems = broken(loaded, tmp_path, "name: X\npictures:\n  vaekst:\n    image: vores.png\nlogo: logo.gif\n")
    assert any(":4:5" in p and "'vores.png' does not exist" in p for p in problems)
    assert any(":5:1" in p and "not a PNG, JPEG or SVG" in p for p in problems)


def test_added_question_too_long_for_the_skema_is_placed_at_it(loaded, tmp_path):
    long = " ".join(["Hvordan arbejder vi sammen om opgaverne i huset hver eneste dag?"] * 12)
    problems = broken(loaded, tmp_path, (
        "name: X\nadd_questions:\n  - id: lang\n    perspective: adfaerd\n    wording:\n"
        f"      all: {long}\n"
    ))
    assert problems and all("broken.yaml:6:7" in p for p in problems)
    assert "do not fit" in problems[0]


def test_template_override_replaces_only_that_template(loaded, tmp_path):
    templates = tmp_path / "egne"
    templates.mkdir()
    (templates / "skema.html.j2").write_text(
        '{% extends "base.html.j2" %}{% block body %}<h1>{{ title }}</h1><p>Vores egen skabelon</p>{% endblock %}',
        encoding="utf-8",
    )
    path = tmp_path / "egen.yaml"
    path.write_text("name: Egen Skabelon\ntemplates: egne\n", encoding="utf-8")
    out = tmp_path / "out"
    summary = run(loaded, workplaces=[str(path)], types=["mus"], wanted=["skema", "aftaleark"], out=out, jobs=2, progress=False)
    assert summary.ok, [str(p) for p in summary.problems]
    skema = " ".join(text(out / "albertslund/egen/mus-skema.pdf"))
    aftaleark = " ".join(text(out / "albertslund/egen/mus-aftaleark.pdf"))
    assert "Vores egen skabelon" in skema and "Egen Skabelon" in skema  # the built-in footer still frames it
    assert "Vores egen skabelon" not in aftaleark and "Note- og aftaleark" in aftaleark


def test_workplace_template_cannot_reach_python_internals(loaded, tmp_path):
    templates = tmp_path / "egne"
    templates.mkdir()
    (templates / "skema.html.j2").write_text("{{ m.__class__.__init__.__globals__ }}", encoding="utf-8")
    path = tmp_path / "egen.yaml"
    path.write_text("name: Egen\ntemplates: egne\n", encoding="utf-8")
    summary = run(loaded, workplaces=[str(path)], types=["mus"], wanted=["skema"], out=tmp_path / "out", jobs=1, progress=False)
    assert not summary.ok and "unsafe" in str(summary.problems[0])
    assert not (tmp_path / "out/albertslund/egen/mus-skema.pdf").exists()


def test_template_file_that_replaces_nothing_is_reported(loaded, tmp_path):
    (tmp_path / "egne").mkdir()
    (tmp_path / "egne" / "skema.htm.j2").write_text("x", encoding="utf-8")
    (problem,) = broken(loaded, tmp_path, "name: X\ntemplates: egne\n")
    assert "did you mean 'skema.html.j2'" in problem


def test_new_workplace_lists_every_wording_commented_and_never_overwrites(tmp_path, loaded):
    shutil.copy(DEFAULT_CATALOGUE, tmp_path / "katalog.yaml")
    shutil.copytree(DEFAULT_CATALOGUE.parent / "images", tmp_path / "images")
    cmd = [SAMTALE, "workplace", "new", "Børnehuset Æblehaven", "-c", str(tmp_path / "katalog.yaml")]
    first = subprocess.run(cmd, capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    path = tmp_path / "workplaces" / "albertslund" / "boernehuset-aeblehaven.yaml"  # the folder of its catalogue
    body = path.read_text(encoding="utf-8")
    assert body.startswith("# yaml-language-server: $schema=overlay.schema.json\n")
    assert "\ncatalogue: albertslund\n" in body  # and it says so as data
    assert json.loads((tmp_path / "workplaces" / "albertslund" / "overlay.schema.json").read_text())["title"]
    for q in loaded.catalogue.questions:
        for wording in q.wording.values():
            assert wording in body
    assert overlay.load(load(tmp_path / "katalog.yaml"), path).name == "Børnehuset Æblehaven"
    # An administrator uncomments one wording and changes it.
    edited = body.replace("# reword:", "reword:").replace(
        "#   trivsel:\n#     mus: Hvordan trives du helt grundlæggende med dit arbejde og dine opgaver?",
        "  trivsel:\n    mus: Hvordan trives du i Æblehaven?",
    )
    path.write_text(edited, encoding="utf-8")
    wp = overlay.load(load(tmp_path / "katalog.yaml"), path)
    assert {q: {t: w.text for t, w in ws.items()} for q, ws in wp.reworded.items()} == {"trivsel": {"mus": "Hvordan trives du i Æblehaven?"}}
    again = subprocess.run(cmd, capture_output=True, text=True)
    assert again.returncode == 1 and "exists already" in again.stderr
    assert path.read_text(encoding="utf-8") == edited


def test_shipped_overlay_schema_is_the_models_schema():
    shipped = json.loads((DEFAULT_CATALOGUE.parent / "workplaces" / "albertslund" / overlay.SCHEMA_FILE).read_text(encoding="utf-8"))
    assert shipped == overlay.json_schema(overlay=True)


def test_shipped_example_workplace_is_valid(loaded):
    paths = overlay.overlay_paths(loaded)
    assert [p.name for p in paths] == ["boernehuset-aeblehaven.yaml"]
    for path in paths:
        overlay.load(loaded, path)


def test_schema_command_prints_catalogue_and_overlay_schemas():
    catalogue = json.loads(subprocess.run([SAMTALE, "schema"], capture_output=True, text=True, check=True).stdout)
    mine = json.loads(subprocess.run([SAMTALE, "schema", "--overlay"], capture_output=True, text=True, check=True).stdout)
    assert "conversation_types" in catalogue["properties"]
    assert {"name", "reword", "add_questions", "keywords", "pictures", "logo", "templates"} <= set(mine["properties"])

"""Høje-Taastrup's GRUS: a second municipality's own materials, through the same code and templates."""

from __future__ import annotations

import pytest

from conftest import HT, ROOT, page_sizes_mm, page_texts, plumbed, run

QUESTIONS = [
    "Hvilke kompetencer besidder gruppen allerede?",
    "I hvilken retning udvikles gruppens arbejdsopgaver?",
    "I hvilken retning udvikles gruppens relationer til borgere/brugere?",
    "Hvordan kan der tilføres nye kompetencer til gruppen, og hvad betyder det for den enkelte medarbejder?",
]
SIX_COLUMNS = [
    "Hvad skal udvikles?",
    "Hvad er målet med udviklingen?",
    "Aktiviteter, der skal igangsættes for at opnå målet",
    "Tidsfrist for de enkelte aktiviteter",
    "Hvem der er ansvarlig for de enkelte aktiviteter",
    "Dato for, hvornår der følges op på udviklingsaftalen/referatet",
]


@pytest.fixture(scope="module")
def materials(hoeje_taastrup):
    return hoeje_taastrup


def squashed(text: str) -> str:
    """Text without hyphenation breaks or spaces, so a heading wrapped in a narrow column still matches."""
    return "".join(text.replace("-", "").replace("\u2010", "").split()).casefold()


def header_cells(pdf, page: int = 0) -> list[str]:
    """The text of each dark table-heading cell, left to right, squashed."""
    with plumbed(pdf) as doc:
        p = doc.pages[page]
        ink = (0.180392, 0.164706, 0.227451)  # the house ink, #2E2A3A: the heading cells' fill
        cells = [r for r in p.rects if r.get("fill") and tuple(r.get("non_stroking_color") or ()) == ink and r["height"] > 3 * 72 / 25.4 and r["width"] < p.width / 2]
        first = p.search("Hvad skal udvikles?")[0]  # the first heading: its row is the heading row
        cells = [r for r in cells if r["top"] <= first["top"] and first["bottom"] <= r["bottom"]]
        cells = list({round(r["x0"]): r for r in cells}.values())
        return [squashed(p.crop((r["x0"], r["top"], r["x1"], r["bottom"])).extract_text() or "") for r in sorted(cells, key=lambda r: r["x0"])]


def halves_text(pdf, page: int) -> str:
    """A two-column page's text, left column first, squashed."""
    with plumbed(pdf) as doc:
        p = doc.pages[page]
        return "".join(squashed(p.crop(box).extract_text() or "") for box in ((0, 0, p.width / 2, p.height), (p.width / 2, 0, p.width, p.height)))


def test_catalogue_validates_and_lists_its_own_products():
    assert run("validate", "--catalogue", str(HT)).returncode == 0
    listed = run("list", "--catalogue", str(HT))
    assert listed.returncode == 0
    assert "Høje-Taastrup Kommune" in listed.stdout and "forberedelse, opsamling, kompetenceplan" in listed.stdout


def test_render_makes_exactly_the_catalogues_products(materials):
    assert sorted(p.name for p in materials.glob("*.pdf")) == [
        "grus-forberedelse.pdf", "grus-kompetenceplan.pdf", "grus-opsamling.pdf"]


def test_preparation_sheet_holds_the_four_questions_and_the_grus_text_on_the_back(materials):
    front = page_texts(materials / "grus-forberedelse.pdf")[0]
    back = halves_text(materials / "grus-forberedelse.pdf", 1)
    for q in QUESTIONS:
        assert q in front
    assert "Gruppens relationer til borgere/brugere" in front
    for phrase in ("GRUS og strategisk kompetenceudvikling", "Opsamling på GRUS",
                   "hvor en MUS alene fokuserer på udviklingen af den enkelte medarbejders kompetencer",
                   *SIX_COLUMNS):
        assert squashed(phrase) in back, phrase


@pytest.mark.parametrize("product", ["opsamling", "kompetenceplan"])
def test_agreement_forms_have_the_six_column_headings_in_order(materials, product):
    headings = [h for h in header_cells(materials / f"grus-{product}.pdf") if h]
    assert headings == [squashed(h) for h in SIX_COLUMNS]
    for w, h in page_sizes_mm(materials / f"grus-{product}.pdf"):
        assert w == pytest.approx(297, abs=0.2) and h == pytest.approx(210, abs=0.2)


def test_individual_plan_form_says_why_and_has_signature_lines(materials):
    (front,) = page_texts(materials / "grus-kompetenceplan.pdf")
    assert "udarbejdes en individuel kompetenceudviklingsplan for hver enkelt medarbejder" in front
    assert "Dato og underskrift – medarbejder" in front and "Dato og underskrift – leder" in front


def test_materials_carry_the_municipalitys_name_and_none_of_albertslunds(materials):
    for pdf in materials.glob("*.pdf"):
        text = " ".join(page_texts(pdf))
        assert "Høje-Taastrup Kommune" in text and "Albertslund" not in text


def test_no_municipality_is_named_in_the_python_code():
    for source in (ROOT / "cli" / "samtale").glob("*.py"):
        text = source.read_text(encoding="utf-8")
        assert "Taastrup" not in text and "taastrup" not in text, source.name


def test_plan_works_with_this_catalogue(tmp_path):
    from samtale.devplan import model, output

    path = tmp_path / "grus.yaml"
    assert run("plan", "new", str(path), "--catalogue", str(HT)).returncode == 0
    text = path.read_text(encoding="utf-8")
    assert "catalogue: hoeje-taastrup" in text and "# Hvem der er ansvarlig for de enkelte aktiviteter" in text
    filled = (
        text.replace("date: ''", "date: 20.04.2026").replace("workplace: ''", "workplace: Borgerservice")
        .replace("  - name: ''\n    role: Medarbejder\n  - name: ''\n    role: Medarbejder",
                 "  - name: Amira Khan\n    role: Medarbejder\n  - name: Jens Åberg\n    role: Medarbejder")
        .replace("  - name: ''\n    role: Leder", "  - name: Lise Holm\n    role: Leder")
        .replace("what: ''", "what: Digital selvbetjening").replace("responsible: ''", "responsible: Lise Holm")
        .replace("follow_up: ''", "follow_up: 01.10.2026")
    )
    path.write_text(filled, encoding="utf-8")
    written, _ = output.render(model.load(path), tmp_path / "out")
    assert sorted(p.name for p in written) == ["grus-amira-khan.pdf", "grus-jens-aaberg.pdf", "grus.ics", "grus.pdf"]
    text = " ".join(page_texts(tmp_path / "out" / "grus.pdf"))
    assert "Aftale om gruppens udviklingspunkter" in text and "Digital selvbetjening" in text
    assert header_cells(tmp_path / "out" / "grus.pdf")[1:] == [squashed(h) for h in ["Hvad skal udvikles?", *SIX_COLUMNS[1:]]]

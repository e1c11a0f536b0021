"""The skema and the note and agreement sheet, as HR staff print them."""

from __future__ import annotations

import shutil

import pytest

from conftest import CATALOGUE, MM, column_text, page_sizes_mm, page_texts, plumbed, render

GRUS_SEED_QUESTIONS = [
    "Hvordan trives I helt grundlæggende med jeres arbejde og opgaver?",
    "Hvornår motiveres I, og hvad skaber arbejdsglæde for jer og jeres kollegaer?",
    "Hvor ser I især, at I lykkes i forhold til vores Medarbejder- og ledelsesgrundlag?",
    "Hvordan bidrager I til at skabe og udvikle interne samarbejdsrelationer?",
    "Er der nogle samarbejdsrelationer, der skal afklares, for at I lykkes i jeres rolle – og vi fælles lykkes med vores opgave?",
    "Hvor ser I behov for at udvikle nye samarbejder?",
    "Kender I Albertslund Kommunes vision – og hvordan giver den mening for vores opgave?",
    "Hvornår bringer I bedst jeres kompetencer i spil, og hvornår oplever I, at I har behov for at udvikle eller tilføje nye kompetencer for at lykkes med vores opgave?",
    "Hvordan bliver vi endnu bedre rustet til at lykkes og skabe værdi for borgerne og Albertslund Kommune?",
]
PROMPTS = ["Hvad, hvornår, hvem?", "Hvem har ansvar, hvornår følges der op?"]


@pytest.fixture(scope="module")
def catalogue():
    from samtale.source.catalogue import load

    return load(CATALOGUE).catalogue


def keywords(catalogue) -> list[str]:
    return [k for p in catalogue.perspectives for k in p.keywords]


def test_skema_is_one_a4_landscape_sheet_printed_on_both_sides(standard):
    for t in ("mus", "grus", "lus"):
        sizes = page_sizes_mm(standard / f"{t}-skema.pdf")
        assert len(sizes) == 2, f"{t}: the skema must be a front and a back"
        for w, h in sizes:
            assert w == pytest.approx(297, abs=0.2) and h == pytest.approx(210, abs=0.2)


def test_note_sheet_is_a4_portrait(standard):
    for t in ("mus", "grus", "lus"):
        for w, h in page_sizes_mm(standard / f"{t}-aftaleark.pdf"):
            assert w == pytest.approx(210, abs=0.2) and h == pytest.approx(297, abs=0.2)


def test_grus_skema_front_holds_the_nine_seed_questions_word_for_word(standard):
    front = column_text(standard / "grus-skema.pdf", 0, "Spørgsmål", "Stikord for samtalen")
    for question in GRUS_SEED_QUESTIONS:
        assert question in front


@pytest.mark.parametrize("type_id", ["mus", "lus"])
def test_mus_and_lus_skemas_hold_their_own_wording(standard, catalogue, type_id):
    front = column_text(standard / f"{type_id}-skema.pdf", 0, "Spørgsmål", "Stikord for samtalen")
    for q in catalogue.questions:
        assert q.wording[type_id] in front
        assert q.wording["grus"] not in front, "a GRUS wording leaked into another type's skema"


@pytest.mark.parametrize("type_id", ["mus", "grus", "lus"])
def test_every_skema_holds_the_33_keywords_and_both_links(standard, catalogue, type_id):
    front = page_texts(standard / f"{type_id}-skema.pdf")[0]
    column = column_text(standard / f"{type_id}-skema.pdf", 0, "Stikord for samtalen", "Noter")
    words = keywords(catalogue)
    assert len(words) == 33
    for keyword in words:
        assert keyword in column
    for link in catalogue.municipality.links:
        assert link.url.replace("-", "") in front.replace("- ", "").replace("-", "").replace(" ", "")


@pytest.mark.parametrize("type_id", ["mus", "grus", "lus"])
def test_skema_front_has_the_table_headings_and_plan_prompts_in_each_row(standard, type_id):
    front = page_texts(standard / f"{type_id}-skema.pdf")[0]
    for heading in ("Perspektiver", "Spørgsmål", "Stikord for samtalen", "Noter", "Aftaler", "UDVIKLINGSPLAN"):
        assert heading in front
    for perspective in ("Adfærd", "Struktur", "Opgaver"):
        assert perspective in front
    for prompt in PROMPTS:
        assert front.count(prompt) == 3


@pytest.mark.parametrize("type_id", ["mus", "grus", "lus"])
def test_skema_back_holds_the_guidance_of_its_type(standard, catalogue, type_id):
    ctype = next(t for t in catalogue.conversation_types if t.id == type_id)
    back = page_texts(standard / f"{type_id}-skema.pdf")[1]
    assert ctype.guidance["skema"].title in back
    for section in ctype.guidance["skema"].sections:
        if section.heading:
            assert section.heading in back


@pytest.mark.parametrize("type_id", ["mus", "grus", "lus"])
def test_note_sheet_front_holds_the_development_plan_with_three_agreement_blocks(standard, catalogue, type_id):
    ctype = next(t for t in catalogue.conversation_types if t.id == type_id)
    pages = page_texts(standard / f"{type_id}-aftaleark.pdf")
    front = pages[0]
    assert ctype.products["aftaleark"].title in front
    assert "Bruges sammen med puslespillet. Mere information findes på bagsiden." in front
    for word in ("UDVIKLINGSPLAN", "Noter", "Aftaler"):
        assert word in front
    for prompt in PROMPTS:
        assert front.count(prompt) == 3
    assert ctype.guidance["aftaleark"].title in " ".join(pages[1:])


def test_note_sheet_stays_a_duplex_pair_when_the_guidance_fits(standard):
    for t in ("mus", "grus", "lus"):
        assert len(page_sizes_mm(standard / f"{t}-aftaleark.pdf")) == 2


def test_skema_rows_have_room_to_write(standard):
    """The Noter and Aftaler columns together are at least half the sheet's width, each row at least 4 cm tall."""
    with plumbed(standard / "mus-skema.pdf") as pdf:
        page = pdf.pages[0]
        noter = page.search("Noter")[0]
        width_mm = (page.width - noter["x0"]) / MM
        assert width_mm > 130
        names = page.crop((0, 0, page.search("Spørgsmål")[0]["x0"] - 1, page.height))
        rows = sorted(names.search(name)[0]["top"] for name in ("Adfærd", "Struktur", "Opgaver"))
        assert min(b - a for a, b in zip(rows, rows[1:])) / MM > 40


def test_pdfs_have_title_author_danish_language_and_tags(standard, catalogue):
    from pypdf import PdfReader

    reader = PdfReader(standard / "mus-skema.pdf")
    assert reader.metadata.title == "MUS-SKEMA – Medarbejderudviklingssamtale i Albertslund Kommune"
    assert reader.metadata.author == catalogue.municipality.name
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "da"
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]


def test_every_letter_is_set_in_the_embedded_typeface(standard):
    """No fallback font: Danish letters, dashes and hyphens all come from Source Sans Pro, embedded."""
    from pypdf import PdfReader

    for name in ("grus-aftaleark.pdf", "mus-skema.pdf"):
        with plumbed(standard / name) as pdf:
            fonts = {c["fontname"] for page in pdf.pages for c in page.chars}
        assert fonts and all("Source-Sans-Pro" in f for f in fonts), fonts
        for page in PdfReader(standard / name).pages:
            for font in page["/Resources"]["/Font"].values():
                font = font.get_object()
                descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
                descriptor = descendant["/FontDescriptor"].get_object()
                assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))


def test_same_input_gives_the_same_bytes(tmp_path, standard):
    again = render(tmp_path, types=["lus"], products=["skema"]) / "standard" / "lus-skema.pdf"
    assert again.read_bytes() == (standard / "lus-skema.pdf").read_bytes()


def test_the_same_catalogue_in_another_folder_prints_the_same_fingerprint(tmp_path):
    """The footer's fingerprint tells which wording a sheet carries: the same files give the same one on any PC."""
    from samtale.material import resolve
    from samtale.source.catalogue import load

    shutil.copytree(CATALOGUE.parent, tmp_path / "elsewhere", ignore=shutil.ignore_patterns("workplaces"))
    here, there = load(CATALOGUE), load(tmp_path / "elsewhere" / CATALOGUE.name)
    for type_id in ("mus", "grus", "lus"):
        assert resolve(here, type_id).fingerprint == resolve(there, type_id).fingerprint
    (tmp_path / "elsewhere" / "images" / "vaekst.svg").write_text(
        (CATALOGUE.parent / "images" / "vaekst.svg").read_text(encoding="utf-8").replace("</svg>", "<!-- ny --></svg>"), encoding="utf-8")
    assert resolve(load(tmp_path / "elsewhere" / CATALOGUE.name), "mus").fingerprint != resolve(here, "mus").fingerprint


def test_a3_skema_is_the_same_sheet_larger(tmp_path):
    from samtale.products import Options

    path = render(tmp_path, types=["mus"], products=["skema"], options=Options(paper="a3")) / "standard" / "mus-skema.pdf"
    sizes = page_sizes_mm(path)
    assert len(sizes) == 2
    assert sizes[0][0] == pytest.approx(420, abs=0.2) and sizes[0][1] == pytest.approx(297, abs=0.2)


def test_a_guidance_longer_than_a_page_flows_on_and_loses_nothing(catalogue_copy, tmp_path):
    """An administrator's long guidance is set smaller first, then continues on a third page: never clipped."""
    import yaml

    data = yaml.safe_load(catalogue_copy.read_text(encoding="utf-8"))
    guidance = data["conversation_types"][0]["guidance"]["aftaleark"]
    extra = [f"Afsnit {n}: Lederen og medarbejderen aftaler, hvordan udviklingsmålene følges op i løbet af året, "
             f"og hvem der tager initiativ til de næste skridt. Slut {n}." for n in range(1, 41)]
    guidance["sections"].append({"heading": "Tillæg fra arbejdspladsen", "paragraphs": extra})
    catalogue_copy.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    pdf = render(tmp_path, catalogue=catalogue_copy, types=["mus"], products=["aftaleark"]) / "standard" / "mus-aftaleark.pdf"
    pages = page_texts(pdf)
    assert len(pages) >= 3, "the note sheet, then its guidance flowing over as many pages as it needs"
    back = " ".join(pages[1:])
    for n in range(1, 41):
        assert f"Slut {n}." in back


def test_perspective_colours_tell_apart_in_greyscale(catalogue):
    """Printed in black and white, the three rows still differ clearly in lightness (CIE L*)."""

    def lightness(colour: str) -> float:
        r, g, b = (int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
        lin = [v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4 for v in (r, g, b)]
        y = 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]
        return 116 * y ** (1 / 3) - 16

    values = sorted(lightness(p.colour) for p in catalogue.perspectives)
    assert all(b - a >= 10 for a, b in zip(values, values[1:])), values
    adfaerd = next(p for p in catalogue.perspectives if p.name == "Adfærd")
    r, g, b = (int(adfaerd.colour[i:i + 2], 16) for i in (1, 3, 5))
    assert b > r > g, "Adfærd is violet, as the guidance says"

"""The materials as a print designer judges them: margins, type sizes, measure, contrast, hyphenation, fit.

Measured in the PDFs samtale writes (pdfplumber gives positions in points; 1 mm = 2.8346 pt).
"""

from __future__ import annotations

import re
import statistics
from pathlib import Path

import pytest

from conftest import CATALOGUE, MM, ROOT, plumbed, reading_order, render, run
from samtale.core.colour import contrast, lightness

HT = ROOT / "catalogue" / "hoeje-taastrup.yaml"
EDGE = 8.0  # mm: nothing printed nearer the paper's edge


@pytest.fixture(scope="module")
def documents(standard, tmp_path_factory) -> list[Path]:
    """Every product of both catalogues, and the A3 set."""
    from samtale.products import Options

    out = tmp_path_factory.mktemp("design")
    ht = render(out / "ht", catalogue=HT)
    a3 = render(out / "a3", products=["skema", "aftaleark", "puslespil"], types=["mus"], options=Options(paper="a3"))
    return sorted(standard.glob("*.pdf")) + sorted((ht / "standard").glob("*.pdf")) + sorted((a3 / "standard").glob("*.pdf"))


def guidance_pages(pdfs: list[Path]):
    """(pdf, page) of every page set in running text: a skema's or note sheet's back, the puzzle's guide."""
    for pdf in pdfs:
        name = pdf.stem
        with plumbed(pdf) as doc:
            for n, page in enumerate(doc.pages):
                guide = (name.endswith("-puslespil") and n == 0) or (n == 1 and not name.endswith("-puslespil"))
                if guide:
                    yield pdf, page


def colour(value) -> str:
    """A pdfplumber colour (grey, RGB or CMYK in 0–1) as #RRGGBB."""
    if value is None:
        return "#000000"
    if isinstance(value, (int, float)):
        value = (value,)
    value = tuple(value)
    if len(value) == 1:
        value = value * 3
    if len(value) == 4:
        c, m, y, k = value
        value = ((1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k))
    return "#" + "".join(f"{round(v * 255):02X}" for v in value[:3])


def test_nothing_is_printed_within_8_mm_of_the_paper_edge(documents):
    for pdf in documents:
        with plumbed(pdf) as doc:
            for n, page in enumerate(doc.pages):
                w, h = page.width, page.height
                things = [*page.chars, *page.images,
                          *(r for r in page.rects if r.get("fill") or r.get("stroke")),
                          *page.lines, *page.curves]
                for thing in things:
                    if thing.get("non_stroking_color") in ((1, 1, 1), [1, 1, 1], (1,), [1]) and not thing.get("stroke"):
                        continue  # paper-white fills are not ink
                    near = min(thing["x0"], thing["top"], w - thing["x1"], h - thing["bottom"]) / MM
                    assert near >= EDGE - 0.05, f"{pdf.name} page {n + 1}: {thing.get('text', thing['object_type'])!r} {near:.1f} mm from the edge"


def test_running_text_is_at_least_9_5_pt_on_a4_and_larger_on_a3(documents):
    for pdf, page in guidance_pages(documents):
        scale = max(page.width, page.height) / (297 * MM)
        footer_top = page.height - 17 * MM * scale
        sizes = [c["size"] for c in page.chars if c["bottom"] < footer_top and c["text"].strip()]
        assert sizes, pdf.name
        assert min(sizes) >= 9.5 * scale - 0.05, f"{pdf.name}: {min(sizes):.2f} pt"


def test_running_text_has_55_to_80_characters_a_line(documents):
    for pdf, page in guidance_pages(documents):
        footer_top = page.height - 17 * MM * max(page.width, page.height) / (297 * MM)
        _, columns = reading_order(page)
        lengths = [len(" ".join(w["text"] for w in line)) for column in columns for line in column
                   if line[0]["bottom"] < footer_top and line[0]["size"] >= 9]
        full = sorted(lengths)[len(lengths) // 3:]  # paragraph ends are short lines: judge the fuller two thirds
        assert 55 <= statistics.median(full) <= 80, f"{pdf.name}: {statistics.median(full)} characters a line"


def test_every_text_reads_against_its_background(documents):
    """WCAG 2: 4.5:1 for text, 3:1 from 18 pt (14 pt bold). The background is read off the printed page: the
    commonest colour in each character's box that is not the character's own."""
    import pypdfium2

    scale = 2.0
    for pdf in documents:
        document = pypdfium2.PdfDocument(pdf)
        with plumbed(pdf) as doc:
            for n, page in enumerate(doc.pages):
                image = document[n].render(scale=scale * 72 / 72).to_pil().convert("RGB")
                for c in page.chars:
                    if not c["text"].strip():
                        continue
                    ink = colour(c["non_stroking_color"])
                    ir, ig, ib = (int(ink[i:i + 2], 16) for i in (1, 3, 5))
                    x0, y0 = max(0, int(c["x0"] * scale)), max(0, int(c["top"] * scale))
                    x1, y1 = min(image.width, int(c["x1"] * scale)), min(image.height, int(c["bottom"] * scale))
                    if x1 <= x0 or y1 <= y0:
                        continue
                    found = image.crop((x0, y0, x1, y1)).getcolors((x1 - x0) * (y1 - y0)) or []  # (count, colour)
                    counts = {p: k for k, p in found
                              if abs(p[0] - ir) + abs(p[1] - ig) + abs(p[2] - ib) > 90}  # not the letter itself
                    if not counts:
                        continue
                    back = "#" + "".join(f"{v:02X}" for v in max(counts, key=counts.get))
                    large = c["size"] >= 18 or (c["size"] >= 14 and "Bold" in c["fontname"])
                    ratio = contrast(ink, back)
                    assert ratio >= (3.0 if large else 4.5) - 0.05, f"{pdf.name} page {n + 1}: {c['text']!r} {ink} on {back}: {ratio:.1f}:1"


def test_perspectives_tell_apart_in_greyscale_and_by_name():
    from samtale.source.catalogue import load

    for path in (CATALOGUE,):
        perspectives = load(path).catalogue.perspectives
        values = sorted(lightness(p.colour) for p in perspectives)
        assert all(b - a >= 10 for a, b in zip(values, values[1:])), values


def test_no_word_breaks_leaving_fewer_than_three_letters(documents):
    written = set(re.findall(r"\b[^\W\d_]+-(?=\s)", CATALOGUE.read_text(encoding="utf-8")))  # "Medarbejder- og"
    for pdf, page in guidance_pages(documents):
        _, columns = reading_order(page)
        for column in columns:
            words = [w for line in column for w in line]
            for here, after in zip(words, words[1:]):
                if (here["text"].endswith("-") and after["top"] > here["top"] + 2 and after["text"][:1].islower()
                        and here["text"].strip("(”\"") not in written):
                    head = re.findall(r"[^\W\d_]+", here["text"])[-1]
                    tail = re.match(r"[^\W\d_]+", after["text"])
                    assert len(head) >= 3 and tail and len(tail.group(0)) >= 3, f"{pdf.name}: {here['text']}{after['text']}"


@pytest.mark.parametrize("word", ["medarbejdere", "udviklingsplanen", "kompetenceudvikling", "leder", "vores"])
def test_danish_words_break_only_where_a_reader_accepts(word):
    from samtale.geometry.hyphenation import MIN_PART, MIN_WORD, breaks
    from samtale.source.catalogue import load

    found = breaks(word, "da", load(CATALOGUE).catalogue.hyphenation)
    if len(word) < MIN_WORD:
        assert found == []
    assert all(MIN_PART <= b <= len(word) - MIN_PART for b in found)
    assert 2 not in found, "not 'me-darbejdere'"


def test_a_longer_perspective_name_is_set_smaller_not_clipped(catalogue_copy, tmp_path):
    text = catalogue_copy.read_text(encoding="utf-8").replace("name: {da: Struktur,", "name: {da: Samarbejde,")
    catalogue_copy.write_text(text, encoding="utf-8")
    skema = render(tmp_path, catalogue=catalogue_copy, types=["mus"], products=["skema"]) / "standard" / "mus-skema.pdf"
    with plumbed(skema) as doc:
        page = doc.pages[0]
        cell = page.crop((10 * MM, 30 * MM, 31.5 * MM, page.height - 30 * MM))
        name = [c for c in cell.chars if "Bold" in c["fontname"] and c["size"] > 8.5]
        assert "Samarbejde" in "".join(c["text"] for c in name)
        assert max(c["x1"] for c in name) <= (10 + 22) * MM, "the name stays inside its 22 mm cell"


def test_a_name_too_long_for_its_cell_is_named_by_validate(catalogue_copy):
    text = catalogue_copy.read_text(encoding="utf-8").replace("name: {da: Struktur,", "name: {da: Samarbejdsrelationerne,")
    catalogue_copy.write_text(text, encoding="utf-8")
    result = run("validate", "--catalogue", str(catalogue_copy))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    line = next(n for n, ln in enumerate(text.splitlines(), 1) if "Samarbejdsrelationerne" in ln)
    assert f"albertslund.yaml:{line}:" in result.stderr and "too long for the skema's first column" in result.stderr


def test_the_footer_says_who_and_which_edition_in_words(standard):
    with plumbed(standard / "grus-skema.pdf") as doc:
        footer = doc.pages[0].crop((0, doc.pages[0].height - 16 * MM, doc.pages[0].width, doc.pages[0].height)).extract_text()
    assert "Albertslund Kommune · GRUS · udgave 2026.1" in footer
    assert "Standard" not in footer and "katalog" not in footer


def test_guide_and_backs_fill_their_page(documents):
    """No third of the page left empty: running text reaches at least the lower third of the page."""
    for pdf, page in guidance_pages(documents):
        lowest = max(c["bottom"] for c in page.chars if c["size"] >= 9)
        assert lowest >= page.height * 0.7, f"{pdf.name}: text ends at {lowest / page.height:.0%} of the page"

"""The puzzle as HR staff print and cut it: pieces, words, pictures, cut lines and duplex backs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import CATALOGUE, MM, normalise, page_sizes_mm, plumbed, reading_text, render, run

INK = (0.180392, 0.164706, 0.227451)


@pytest.fixture(scope="module")
def catalogue():
    from samtale.source.catalogue import load

    return load(CATALOGUE).catalogue


def puzzle(out: Path, type_id: str, options) -> Path:
    return render(out, types=[type_id], products=["puslespil"], options=options) / "standard" / f"{type_id}-puslespil.pdf"


@pytest.fixture(scope="module")
def plain(standard) -> Path:
    return standard / "grus-puslespil.pdf"


@pytest.fixture(scope="module")
def duplex(duplex_puzzle) -> Path:
    """MUS with backs (long-edge flip), a small offset and cut lines, through the real command."""
    return duplex_puzzle


def pages_of(pdf: Path):
    return plumbed(pdf)


def body_text(page) -> str:
    """A sheet's text without its footer line."""
    footer_top = page.height - 14 * MM
    return normalise(page.crop((0, 0, page.width, footer_top)).extract_text() or "")


def piece_texts(page) -> list[str]:
    """The text of each piece on a sheet, read within its cut line's bounding box."""
    return [normalise(page.within_bbox((c["x0"], c["top"], c["x1"], c["bottom"])).extract_text() or "")
            for c in cut_curves(page)]


def cut_curves(page) -> list:
    """The printed cut lines: thin ink strokes without fill."""
    return [c for c in page.curves if not c["fill"] and c["stroke"] and abs(c["linewidth"] - 0.25 * MM) < 0.05]


def test_puzzle_is_the_short_guide_then_sheets_of_questions_pictures_and_keywords(plain, catalogue):
    sizes = page_sizes_mm(plain)
    assert len(sizes) == 1 + 1 + 2 + 2
    assert all(w == pytest.approx(297, abs=0.2) and h == pytest.approx(210, abs=0.2) for w, h in sizes)
    grus = next(t for t in catalogue.conversation_types if t.id == "grus")
    with pages_of(plain) as pdf:
        guide = reading_text(pdf.pages[0])
        assert grus.guidance["puslespil"].title in guide
        assert "Puslespillet består af 9 spørgsmålsbrikker, 10 billedbrikker og 33 stikordsbrikker." in guide


def test_the_nine_questions_are_on_the_question_sheet_in_their_wording(plain, catalogue):
    with pages_of(plain) as pdf:
        pieces = piece_texts(pdf.pages[1])
    assert len(pieces) == 9
    names = {p.id: p.name.upper() for p in catalogue.perspectives}
    for q in catalogue.questions:
        matching = [t for t in pieces if q.wording["grus"] in t]
        assert len(matching) == 1, q.id
        assert matching[0].startswith(names[q.perspective]), "every question piece names its perspective, not only by colour"


def test_question_board_is_three_rows_in_perspective_order(plain, catalogue):
    with pages_of(plain) as pdf:
        page = pdf.pages[1]
        tops = {name: page.search(name)[0]["top"] for name in ("ADFÆRD", "STRUKTUR", "OPGAVER")}
    assert tops["ADFÆRD"] < tops["STRUKTUR"] < tops["OPGAVER"]


def test_every_keyword_is_on_the_keyword_sheets_exactly_once_under_its_perspectives_name(plain, catalogue):
    with pages_of(plain) as pdf:
        pieces = [t for p in pdf.pages[4:6] for t in piece_texts(p)]
    keywords = [f"{p.name.upper()} {k}" for p in catalogue.perspectives for k in p.keywords]
    assert len(pieces) == 33
    assert sorted(pieces) == sorted(keywords), "each piece holds one keyword and names its perspective: colour is never the only cue"


def test_keywords_are_large_and_on_one_line(plain):
    with pages_of(plain) as pdf:
        chars = [c for p in pdf.pages[4:6] for c in p.crop((0, 0, p.width, p.height - 14 * MM)).chars]
        lines = [normalise(line) for p in pdf.pages[4:6] for line in (body_text(p),)]
    words = [c for c in chars if c["size"] > 10]  # the perspective's name above each keyword is set small
    assert words and min(c["size"] for c in words) >= 14
    assert "Beslutningskompetence" in lines[0] + lines[1]


def figures_with_alt_text(pdf: Path) -> list[str]:
    """The alternative texts of the tagged figures, as a screen reader finds them."""
    from pypdf import PdfReader

    found = []

    def walk(node):
        node = node.get_object()
        if "/Alt" in node:
            found.append(str(node["/Alt"]))
        kids = node.get("/K")
        kids = kids.get_object() if kids is not None else []
        for kid in kids if isinstance(kids, list) else [kids]:
            if hasattr(kid, "get_object") and hasattr(kid.get_object(), "keys"):
                walk(kid)

    walk(PdfReader(pdf).trailer["/Root"]["/StructTreeRoot"])
    return found


def test_the_ten_pictures_are_there_with_their_captions_as_alt_text(plain, catalogue):
    with pages_of(plain) as pdf:
        for page in pdf.pages[2:4]:
            for piece in cut_curves(page):
                drawn = page.within_bbox((piece["x0"], piece["top"], piece["x1"], piece["bottom"])).curves
                assert len(drawn) > 5, "a picture piece without its picture"
        assert sum(len(cut_curves(p)) for p in pdf.pages[2:4]) == 10
    assert figures_with_alt_text(plain) == [p.caption for p in catalogue.pictures]


def test_nothing_crosses_the_safe_margin(plain):
    with pages_of(plain) as pdf:
        for page in pdf.pages[1:]:
            margin = 8 * MM - 0.1
            for obj in page.curves + page.chars + page.images:
                assert obj["x0"] >= margin and obj["x1"] <= page.width - margin
                assert obj["top"] >= margin and obj["bottom"] <= page.height - margin


def test_text_stays_inside_its_piece_between_16_and_11_pt(plain):
    """Each question's letters lie within its piece's cut line, set between 11 and 16 pt."""
    with pages_of(plain) as pdf:
        page = pdf.pages[1]
        outlines = cut_curves(page)
        body = page.crop((0, 0, page.width, page.height - 14 * MM))
        for char in body.chars:
            if char["text"].strip():
                inside = [c for c in outlines if c["x0"] <= char["x0"] and char["x1"] <= c["x1"]
                          and c["top"] <= char["top"] and char["bottom"] <= c["bottom"]]
                assert inside, f"{char['text']!r} lies outside every piece"
        sizes = {round(c["size"], 1) for c in body.chars if c["fontname"].endswith("Source-Sans-Pro")}
        assert sizes and min(sizes) >= 11 and max(sizes) <= 16


def svg_paths(svg: Path) -> list[list[tuple[float, float]]]:
    """Each path's on-curve points, in mm."""
    paths = []
    for d in re.findall(r' d="([^"]+)"', svg.read_text()):
        assert d.strip().endswith("Z"), "every cut path is closed"
        numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", d)]
        start = [(numbers[0], numbers[1])]
        rest = numbers[2:]
        ends = [(rest[i + 4], rest[i + 5]) for i in range(0, len(rest), 6)]
        paths.append(start + ends)
    return paths


def test_cut_svg_has_one_closed_path_per_piece_matching_the_printed_outlines(duplex):
    svgs = sorted(duplex.parent.glob("mus-puslespil-cut-*.svg"))
    assert len(svgs) == 5
    all_paths = [svg_paths(s) for s in svgs]
    assert sum(len(p) for p in all_paths) == 9 + 10 + 33
    with pages_of(duplex) as pdf:
        fronts = [p for i, p in enumerate(pdf.pages) if i >= 2 and i % 2 == 0]
        for page, paths in zip(fronts, all_paths):
            printed = [[(x / MM, y / MM) for x, y in c["pts"]] for c in cut_curves(page)]
            assert len(printed) == len(paths)
            for path in paths:
                match = [pts for pts in printed if len(pts) >= len(path) and all(
                    min(abs(px - x) + abs(py - y) for px, py in pts) < 0.05 for x, y in path)]
                assert match, "a cut path does not match any printed outline"


def test_svg_is_in_millimetres(duplex):
    svg = next(duplex.parent.glob("mus-puslespil-cut-1.svg")).read_text()
    assert 'width="297mm" height="210mm" viewBox="0 0 297 210"' in svg


def behind(fronts, backs, mirror_box):
    """Each back's colour covers its front's mirrored outline and reaches at most 2 mm further (its bleed)."""
    assert len(backs) == len(fronts)
    for f in fronts:
        x0, y0, x1, y1 = mirror_box(f)
        match = min(backs, key=lambda b: abs(b[0] - x0) + abs(b[1] - y0) + abs(b[2] - x1) + abs(b[3] - y1))
        assert match[0] <= x0 + 0.15 and match[1] <= y0 + 0.15 and match[2] >= x1 - 0.15 and match[3] >= y1 - 0.15
        assert match[0] >= x0 - 2.15 and match[1] >= y0 - 2.15 and match[2] <= x1 + 2.15 and match[3] <= y1 + 2.15


def boxes_mm(curves):
    return [(c["x0"] / MM, c["top"] / MM, c["x1"] / MM, c["bottom"] / MM) for c in curves]


def test_backs_follow_their_fronts_and_land_exactly_behind_them(duplex):
    """Long-edge duplex of a landscape sheet mirrors y; the offset moves the backs by (0.5, -1) mm."""
    with pages_of(duplex) as pdf:
        assert len(pdf.pages) == 1 + 1 + 2 * 5, "guide, its blank back, five sheets each with a back"
        for front, back in zip(pdf.pages[2::2], pdf.pages[3::2]):
            H = front.height / MM
            behind(boxes_mm(cut_curves(front)), boxes_mm([c for c in back.curves if c["fill"]]),
                   lambda f, H=H: (f[0] + 0.5, H - f[3] - 1, f[2] + 0.5, H - f[1] - 1))


def test_question_backs_show_type_perspective_and_municipality(duplex):
    with pages_of(duplex) as pdf:
        back = body_text(pdf.pages[3])
    assert back.count("MUS") == 9 and back.count("Albertslund Kommune") == 9
    for name in ("ADFÆRD", "STRUKTUR", "OPGAVER"):
        assert back.count(name) == 3


def test_short_edge_flip_mirrors_across_the_sheet(short_flip_puzzle):
    with pages_of(short_flip_puzzle) as doc:
        front, back = doc.pages[2], doc.pages[3]
        W = front.width / MM
        behind(boxes_mm(cut_curves(front)), boxes_mm([c for c in back.curves if c["fill"]]),
               lambda f: (W - f[2], f[1], W - f[0], f[3]))


def test_same_seed_gives_the_same_puzzle_bytes(tmp_path, standard):
    from samtale.products import Options

    assert puzzle(tmp_path, "lus", Options()).read_bytes() == (standard / "lus-puslespil.pdf").read_bytes()


def test_keyword_too_long_for_its_piece_is_reported_by_validate(catalogue_copy):
    text = catalogue_copy.read_text(encoding="utf-8")
    catalogue_copy.write_text(text.replace("      - {da: Nærvær,", "      - {da: Nærværsledelsesudviklingsprogrammer,"), encoding="utf-8")
    result = run("validate", "--catalogue", str(catalogue_copy))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "Nærværsledelsesudviklingsprogrammer" in result.stderr and "too long" in result.stderr
    assert re.search(r"albertslund\.yaml:\d+:\d+: ", result.stderr)

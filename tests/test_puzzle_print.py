"""The puzzle's options as a print designer measures them, in millimetres on the produced PDF.

Sheets per option, the 8 mm margin, the cards' bleed and crop marks, backs that keep to
their own piece, knobs for fingers and scissors, the keyword colours, blank keywords,
pictures at one size, the footer and the calibration sheet. Each option is rendered once
for the module, in this process.
"""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import pytest

from conftest import CATALOGUE, MM, ROOT, inside, normalise, polygon

OPTIONS = {
    "jigsaw": {},
    "cards": dict(style="cards"),
    "a3": dict(paper="a3"),
    "a3 cards": dict(paper="a3", style="cards"),
    "blank 6": dict(blank_keywords=6),
    "cards blank 6": dict(style="cards", blank_keywords=6),
    "backs": dict(backs=True),
    "cards backs": dict(style="cards", backs=True),
}
WHITE = (1.0, 1.0, 1.0)


@pytest.fixture(scope="module")
def loaded():
    from samtale.source.catalogue import load

    return load(CATALOGUE)


def render_puzzle(loaded, folder: Path, name: str, options, workplace=None) -> Path:
    from samtale.batch import render_files
    from samtale.material import resolve

    material = resolve(loaded, "mus", workplace)
    roots = (loaded.folder.resolve(), *(workplace.roots if workplace else ()))
    files = render_files(material, "puslespil", options, roots=roots)
    path = folder / f"{name}.pdf"
    path.write_bytes(files["mus-puslespil.pdf"])
    return path


@pytest.fixture(scope="module")
def rendered(tmp_path_factory, loaded, standard):
    """The MUS puzzle with each option of OPTIONS, rendered when first asked for (the default: the standard set's)."""
    from samtale.products import Options

    folder = tmp_path_factory.mktemp("options")
    done: dict[str, Path] = {"jigsaw": standard / "mus-puslespil.pdf"}

    def get(name: str) -> Path:
        if name not in done:
            done[name] = render_puzzle(loaded, folder, name, Options(**OPTIONS[name]))
        return done[name]

    return get


@pytest.fixture(scope="module")
def opened(rendered):
    """Each option's PDF opened once for the module: pdfplumber reads a page's objects once."""
    import pdfplumber

    docs: dict[str, object] = {}

    def get(name: str):
        if name not in docs:
            docs[name] = pdfplumber.open(rendered(name))
        return docs[name]

    yield get
    for doc in docs.values():
        doc.close()


@pytest.fixture(scope="module")
def layout(loaded):
    """The sheets as samtale lays them out (the geometry the PDF is drawn from), per option."""
    from samtale.material import resolve
    from samtale.products import Options, puslespil

    material = resolve(loaded, "mus")

    def get(name: str):
        return puslespil.sheets(material, Options(**OPTIONS[name]), material.puzzle.sheets)

    return get


def pages(pdf: Path):
    import pdfplumber

    return pdfplumber.open(pdf)


def cut_outlines(page):
    """The printed cut lines (thin ink, no fill), each as its cubics in mm."""
    return [cubics(c) for c in page.curves if not c["fill"] and c["stroke"] and abs(c["linewidth"] - 0.25 * MM) < 0.05]


def cubics(curve):
    """A pdfplumber path (points, y down) as samtale's cubics in mm."""
    from samtale.geometry.shapes import Cubic, Point, line

    out, start, here = [], None, None
    for op, *pts in curve["path"]:
        ps = [Point(x / MM, y / MM) for x, y in pts]
        if op == "m":
            start = here = ps[0]
        elif op == "l":
            out.append(line(here, ps[0]))
            here = ps[0]
        elif op == "c":
            out.append(Cubic(here, *ps))
            here = ps[-1]
        elif op == "h" and here != start and math.dist((here.x, here.y), (start.x, start.y)) > 1e-6:
            out.append(line(here, start))
    return out


def distance_to(p, poly):
    best = math.inf
    for a, b in zip(poly, poly[1:] + poly[:1]):
        dx, dy = b.x - a.x, b.y - a.y
        t = 0.0 if dx == dy == 0 else max(0.0, min(1.0, ((p.x - a.x) * dx + (p.y - a.y) * dy) / (dx * dx + dy * dy)))
        best = min(best, math.hypot(p.x - a.x - t * dx, p.y - a.y - t * dy))
    return best


def contrast(one, other) -> float:
    def lum(rgb):
        r, g, b = ((c / 12.92) if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    a, b = sorted((lum(one), lum(other)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def hex_rgb(colour: str):
    return tuple(int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))


def footer_free(page):
    return page.crop((0, 0, page.width, page.height - 14 * MM))


# --- sheets --------------------------------------------------------------------------------


def test_cards_never_take_more_sheets_than_the_jigsaw(opened):
    """Sheets of pieces (the guide not counted). Before: cards 11 (four questions a sheet, pictures
    three, keywords in two columns), blank 6 six (three blanks alone on a sheet), A3 three."""
    sheets = {name: len(opened(name).pages) - 1 for name in ("jigsaw", "cards", "a3", "a3 cards",
                                                                         "blank 6", "cards blank 6")}
    assert sheets == {"jigsaw": 5, "cards": 5, "a3": 3, "a3 cards": 3, "blank 6": 5, "cards blank 6": 5}
    for jigsaw, cards in (("jigsaw", "cards"), ("a3", "a3 cards"), ("blank 6", "cards blank 6")):
        assert sheets[cards] <= sheets[jigsaw]


def test_a3_puts_questions_and_pictures_together_on_full_sheets(opened):
    pdf = opened("a3")
    first = normalise(footer_free(pdf.pages[1]).extract_text())
    assert "ADFÆRD" in first and len(cut_outlines(pdf.pages[1])) == 9 + 3 + 6, "the board, a column of pictures, keywords below"
    assert sum(len(cut_outlines(p)) for p in pdf.pages[1:]) == 9 + 10 + 33


def test_nine_question_cards_fill_one_sheet_at_11_pt_or_more(opened):
    pdf = opened("cards")
    body = footer_free(pdf.pages[1])
    text = normalise(body.extract_text())
    assert text.count("ADFÆRD") == text.count("STRUKTUR") == text.count("OPGAVER") == 3
    sizes = [c["size"] for c in body.chars if c["size"] > 9]  # the perspective's name is set small on purpose
    assert min(sizes) >= 11


# --- margins, bleed and marks ----------------------------------------------------------------


@pytest.mark.parametrize("name", list(OPTIONS))
def test_every_piece_and_mark_keeps_8_mm_from_the_paper_edge(opened, name):
    pdf = opened(name)
    for page in pdf.pages[1:]:
        margin = 8 * MM - 0.05
        for obj in page.curves + page.rects + page.lines + page.chars + page.images:
            assert obj["x0"] >= margin and obj["x1"] <= page.width - margin, (page.page_number, obj["object_type"])
            assert obj["top"] >= margin and obj["bottom"] <= page.height - margin, (page.page_number, obj["object_type"])


@pytest.mark.parametrize("name", ["cards", "a3 cards", "cards blank 6"])
def test_card_colour_bleeds_2_mm_past_the_block_and_crop_marks_stay_outside_it(opened, name):
    pdf = opened(name)
    for page in pdf.pages[1:]:
        marks = [ln for ln in page.lines if ln["stroking_color"] and abs(ln["linewidth"] - 0.2 * MM) < 0.05]
        across = sorted({round(m["x0"] / MM, 2) for m in marks if abs(m["x0"] - m["x1"]) < 0.01})  # marks of the cuts down
        down = sorted({round(m["top"] / MM, 2) for m in marks if abs(m["top"] - m["bottom"]) < 0.01})  # of the cuts across
        left, right, top, bottom = across[0], across[-1], down[0], down[-1]
        colour = [c for c in page.curves if c["fill"]]
        assert min(c["x0"] for c in colour) / MM == pytest.approx(left - 2.0, abs=0.1)
        assert max(c["x1"] for c in colour) / MM == pytest.approx(right + 2.0, abs=0.1)
        assert min(c["top"] for c in colour) / MM == pytest.approx(top - 2.0, abs=0.1)
        assert max(c["bottom"] for c in colour) / MM == pytest.approx(bottom + 2.0, abs=0.1)
        for m in marks:  # outside the block and its bleed: none on a card
            x0, x1, y0, y1 = m["x0"] / MM, m["x1"] / MM, m["top"] / MM, m["bottom"] / MM
            assert x1 <= left - 2.4 or x0 >= right + 2.4 or y1 <= top - 2.4 or y0 >= bottom + 2.4
        assert len(across) >= 4 and len(down) >= 2, "a mark at every cut"


# --- backs -------------------------------------------------------------------------------------


def pixels(pdf: Path, index: int, dpi: int = 300):
    import pypdfium2

    doc = pypdfium2.PdfDocument(pdf)
    image = doc[index].render(scale=dpi / 72).to_pil().convert("RGB")
    doc.close()
    scale = dpi / 25.4
    return lambda p: tuple(v / 255 for v in image.getpixel((round(p.x * scale), round(p.y * scale))))


def near(one, other, tol=0.06) -> bool:
    return all(abs(a - b) <= tol for a, b in zip(one, other))


@pytest.mark.parametrize("name", ["backs", "cards backs"])
def test_no_back_spills_its_colour_across_an_inner_cut_and_each_bleeds_2_mm_at_the_outer_edge(rendered, layout, name):
    """Sampled 0.4 mm across every cut on each back page: the colour there is the neighbour's own,
    never this piece's; 1.5 mm past an outer edge it is still this piece's, 2.6 mm past it is paper."""
    from samtale.geometry.shapes import Point

    sheets = layout(name)
    checked = bled = 0
    for index, sheet in enumerate(sheets, 2):
        if not sheet.is_back:
            continue
        colour_at = pixels(rendered(name), index)
        shapes = [(polygon(p.outline, 12), polygon(_outline(p.shape), 12), hex_rgb(p.fill)) for p in sheet.pieces]
        boxes = [(min(q.x for q in own), min(q.y for q in own), max(q.x for q in own), max(q.y for q in own))
                 for _, own, _ in shapes]

        def near_box(p, i, d, boxes=boxes):
            x0, y0, x1, y1 = boxes[i]
            return x0 - d <= p.x <= x1 + d and y0 - d <= p.y <= y1 + d

        for k, (_, own, fill) in enumerate(shapes):
            for a, b in zip(own[::2], own[1::2]):
                length = math.hypot(b.x - a.x, b.y - a.y)
                if length < 1e-6:
                    continue
                normal = ((b.y - a.y) / length, -(b.x - a.x) / length)
                for sign in (1, -1):  # whichever way is out of the piece
                    probe = Point(a.x + sign * normal[0] * 0.4, a.y + sign * normal[1] * 0.4)
                    if inside(probe, own):
                        continue
                    close = [i for i in range(len(shapes)) if i != k and near_box(probe, i, 5.0)]
                    others = [i for i in close if inside(probe, shapes[i][1])]
                    if others:
                        theirs = shapes[others[0]]
                        if not near(theirs[2], fill, 0.1) and distance_to(probe, theirs[1]) > 0.3:
                            assert near(colour_at(probe), theirs[2]), (sheet.title, probe, colour_at(probe), theirs[2], fill)
                            checked += 1
                    elif all(distance_to(probe, shapes[i][1]) > 5 for i in close):
                        out = Point(a.x + sign * normal[0] * 1.5, a.y + sign * normal[1] * 1.5)
                        beyond = Point(a.x + sign * normal[0] * 2.6, a.y + sign * normal[1] * 2.6)
                        if distance_to(out, own) > 1.4 and distance_to(beyond, own) > 2.5:
                            assert near(colour_at(out), fill), (sheet.title, out)
                            assert near(colour_at(beyond), WHITE, 0.03), (sheet.title, beyond)
                            bled += 1
    assert checked > 50 and bled > 30, "too few places measured to tell"


def _outline(shape):
    from samtale.products.puslespil import rect_sides

    if hasattr(shape, "w"):
        return [c for side in rect_sides(shape) for c in side]
    return shape


def test_backs_are_light_tints_and_their_text_reads(opened):
    from samtale.geometry.shapes import Point

    pdf = opened("backs")
    for page in pdf.pages[3::2]:
        fills = [c for c in page.curves if c["fill"]]
        assert fills
        for c in fills:
            assert contrast(c["non_stroking_color"], (0, 0, 0)) > 9, "a light tint, not a dark fill (toner, curling card)"
        shapes = [polygon(cubics(c), 8) for c in fills]
        for ch in footer_free(page).chars:
            if not ch["text"].strip():
                continue
            centre = Point((ch["x0"] + ch["x1"]) / 2 / MM, (ch["top"] + ch["bottom"]) / 2 / MM)
            behind = [c for c, shape in zip(fills, shapes) if inside(centre, shape)]
            assert len(behind) == 1
            assert contrast(ch["non_stroking_color"], behind[0]["non_stroking_color"]) >= 4.5, ch["text"]


# --- pieces --------------------------------------------------------------------------------


def test_knobs_are_big_and_round_enough_for_fingers_and_scissors_as_printed(opened):
    """Read back from the PDF's cut lines: every knob at least 8 mm across, no curve tighter than 1.5 mm."""
    from samtale.geometry import jigsaw

    for name in ("jigsaw", "a3"):
        pdf = opened(name)
        outlines = [o for page in pdf.pages[1:] for o in cut_outlines(page)]
        measured = jigsaw.handling(outlines)
        assert measured.head >= jigsaw.MIN_HEAD - 0.01 and measured.radius >= jigsaw.MIN_RADIUS - 0.01, (name, measured)


def test_knobs_on_every_board_samtale_prints_fit_fingers_and_scissors(loaded):
    """Every board of every option and of a workplace that adds a question to each row (narrower pieces)."""
    from dataclasses import replace

    from samtale.geometry import jigsaw
    from samtale.geometry.paper import paper
    from samtale.material import Question, resolve
    from samtale.products import puslespil

    standard = resolve(loaded, "mus")
    wider = replace(standard, perspectives=tuple(
        replace(p, questions=(*p.questions, *(Question(f"x{i}", "Hvordan?", p.id) for i in range(2))))
        for p in standard.perspectives))  # five questions a row
    boards: dict[str, dict[tuple, object]] = {kind: {} for kind in puslespil.KINDS}
    for material in (standard, wider):
        for paper_name in ("a4", "a3"):
            for blanks in (0, 40):
                items = puslespil.contents(material, blanks)
                counts = {kind: len(found) for kind, found in items.items()}
                layout, _ = puslespil.jigsaw_layout(material, counts, paper(paper_name, landscape=True))
                for kind in puslespil.KINDS:
                    for slot in (slot for sheet in layout for slot in sheet[kind]):
                        boards[kind].setdefault(tuple(slot.shape), slot.shape)  # the same piece is measured once
    for kind, outlines in boards.items():
        measured = jigsaw.handling(outlines.values())
        assert measured.head >= jigsaw.MIN_HEAD and measured.radius >= jigsaw.MIN_RADIUS, (kind, measured)


def test_text_keeps_2_mm_from_every_cut(opened, layout):
    from samtale.geometry.shapes import Point

    for name in ("jigsaw", "cards"):
        sheets = layout(name)
        pdf = opened(name)
        for sheet, page in zip(sheets, pdf.pages[1:]):
            outlines = [polygon(_outline(p.shape), 12) for p in sheet.pieces]
            boxes = [(min(q.x for q in o), min(q.y for q in o), max(q.x for q in o), max(q.y for q in o)) for o in outlines]
            for ch in footer_free(page).chars:
                if not ch["text"].strip():
                    continue
                corners = [Point(x / MM, y / MM) for x in (ch["x0"], ch["x1"]) for y in (ch["top"], ch["bottom"])]
                c = corners[0]
                home = [o for o, (x0, y0, x1, y1) in zip(outlines, boxes) if x0 <= c.x <= x1 and y0 <= c.y <= y1 and inside(c, o)]
                assert len(home) == 1, (name, ch["text"])
                for corner in corners:
                    assert inside(corner, home[0]) and distance_to(corner, home[0]) >= 2.0, (name, ch["text"])


def test_keyword_pieces_wear_their_perspectives_colour_and_name(opened, loaded):
    from samtale.core.colour import tint

    colours = {p.name.upper(): p.colour for p in loaded.catalogue.perspectives}
    pdf = opened("jigsaw")
    seen = set()
    for page in pdf.pages[3:]:
        for piece in [c for c in page.curves if c["fill"] and c["stroke"] and c["width"] > 20 * MM and c["height"] > 20 * MM]:
            words = normalise(page.within_bbox((piece["x0"], piece["top"], piece["x1"], piece["bottom"])).extract_text())
            name = next((n for n in colours if words.startswith(n)), None)
            if name is None:
                continue  # a picture piece
            assert near(piece["non_stroking_color"], hex_rgb(tint(colours[name], 0.16)), 0.01)
            assert near(piece["stroking_color"], hex_rgb(colours[name]), 0.01)
            seen.add(name)
    assert seen == set(colours), "keywords of every perspective, each in its own colour"


def test_blank_keywords_fill_the_last_sheet_and_each_has_a_line_to_write_on(opened):
    from samtale.products.puslespil import WRITING_LINE

    pdf = opened("blank 6")
    assert len(pdf.pages) == 1 + 5, "six blanks take no sheet of their own"
    blanks = 0
    for page in pdf.pages[1:]:
        lines = [ln for ln in page.lines if near(ln["stroking_color"], hex_rgb(WRITING_LINE), 0.01)]
        for outline in cut_outlines(page):
            poly = polygon(outline)
            xs, ys = [p.x for p in poly], [p.y for p in poly]
            box = (min(xs) * MM, min(ys) * MM, max(xs) * MM, max(ys) * MM)
            if normalise(page.within_bbox(box).extract_text()):
                continue
            if any(im["x0"] >= box[0] and im["x1"] <= box[2] for im in page.images) or len(page.within_bbox(box).curves) > 3:
                continue  # a picture
            mine = [ln for ln in lines if box[0] <= ln["x0"] and ln["x1"] <= box[2] and box[1] <= ln["top"] <= box[3]]
            assert len(mine) == 1 and (mine[0]["x1"] - mine[0]["x0"]) / MM > 40
            blanks += 1
        if lines:
            assert normalise(footer_free(page).extract_text()), "blanks share their sheet with keywords"
    assert blanks == 6


# --- pictures, footers ---------------------------------------------------------------------------


def test_the_ten_drawings_share_one_box(loaded):
    import re

    for picture in loaded.catalogue.pictures:
        svg = (loaded.folder / picture.image).read_text(encoding="utf-8")
        assert re.search(r'viewBox="0 0 200 200"', svg), picture.image


@pytest.fixture(scope="module")
def workplace_pdf(tmp_path_factory, loaded):
    """A workplace that adds a question and replaces a picture by a photo (JPEG), from a catalogue
    whose puzzle title does not name the municipality."""
    from PIL import Image

    from samtale.products import Options
    from samtale.source import overlay
    from samtale.source.catalogue import load

    folder = tmp_path_factory.mktemp("photo")
    shutil.copytree(ROOT / "catalogue", folder / "catalogue")
    yaml = folder / "catalogue" / "albertslund.yaml"
    text = yaml.read_text(encoding="utf-8")
    yaml.write_text(text.replace("da: MUS-PUSLESPIL – Medarbejderudviklingssamtale i Albertslund Kommune",
                                 "da: MUS-PUSLESPIL"), encoding="utf-8")
    places = folder / "catalogue" / "workplaces"
    (places / "foto").mkdir()
    Image.new("RGB", (1200, 900), (120, 160, 90)).save(places / "foto" / "have.jpg", quality=80)
    (places / "fotohuset.yaml").write_text(
        "name: Fotohuset\nadd_questions:\n  - id: lys\n    perspective: adfaerd\n    wording:\n      all: Hvordan er lyset?\n"
        "pictures:\n  vaekst:\n    image: foto/have.jpg\n", encoding="utf-8")
    again = load(yaml)
    assert "Albertslund" not in again.catalogue.conversation_types[0].products["puslespil"].title
    wp = overlay.load(again, places / "fotohuset.yaml")
    return render_puzzle(again, folder, "fotohuset", Options(), wp)


def test_a_photo_is_inset_like_the_drawings_and_every_picture_is_drawn_one_size(workplace_pdf, layout):
    from samtale.products.puslespil import ARTWORK

    pictures = [p for sheet in layout("jigsaw") for p in sheet.pieces if p.kind == "picture"]
    side = pictures[0].box.w
    assert all(p.box.w == pytest.approx(side) and p.box.h == pytest.approx(side) for p in pictures)
    with pages(workplace_pdf) as pdf:
        photos = [im for page in pdf.pages for im in page.images]
        assert len(photos) == 1
        photo = photos[0]
        assert (photo["x1"] - photo["x0"]) / MM == pytest.approx(ARTWORK * side, abs=0.2)  # 4:3, so full width
        centre = ((photo["x0"] + photo["x1"]) / 2 / MM, (photo["top"] + photo["bottom"]) / 2 / MM)
        page = next(p for p in pdf.pages if p.images)
        piece = next(o for o in cut_outlines(page) if inside(_point(centre), polygon(o)))
        xs = [c.p0.x for c in piece]
        assert min(xs) + 86 / 2 == pytest.approx(centre[0], abs=0.2) or max(xs) - 86 / 2 == pytest.approx(centre[0], abs=0.2)


def _point(xy):
    from samtale.geometry.shapes import Point

    return Point(*xy)


def test_every_sheet_footer_names_the_municipality(workplace_pdf):
    with pages(workplace_pdf) as pdf:
        for page in pdf.pages[1:]:
            footer = normalise(page.crop((0, page.height - 14 * MM, page.width, page.height)).extract_text())
            assert "Albertslund Kommune" in footer and "Fotohuset" in footer

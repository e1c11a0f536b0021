"""The puzzle: its short guide, then sheets of question, picture and keyword pieces, front and back.

Which piece goes where, with what on it, is laid out here in millimetres on top of
the jigsaw and imposition geometry; the template only draws the sheets described
here, and the cut SVG is written from the very same outlines.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from ..core.colour import INK, readable_on, shade_on, tint
from ..geometry import imposition, jigsaw, textfit
from ..geometry.paper import SAFE_MARGIN, Paper, paper
from ..geometry.shapes import Cubic, Point, Rect, rect_path, svg_path
from ..material import Material
from ..source import images, yamlio
from ..source.models import Catalogue, PuzzleSheetNames
from .base import Context, Misfit, Options, Product, columns, common, page

# Piece sizes (mm). A4 landscape holds the 3 x 3 question board inside its safe margin.
QUESTION_CELL = (90.0, 60.0)
PICTURE_CELL = (86.0, 86.0)
KEYWORD_CELL = (90.0, 30.0)
TAB_SIZE = {"question": 0.17, "picture": 0.15, "keyword": 0.2}
CARD_GUTTER = 6.0
CLEARANCE = 3.0  # between the deepest blank and any text or picture: cutting slack
FRAME = 2.0  # the coloured band inside each cut line
BLEED = 1.0  # backs reach this far past the cut line, so a slightly off duplex shows no white
QUESTION_PT = (16.0, 11.0)
KEYWORD_PT = (18.0, 14.0)
LABEL_MM = 5.5  # the perspective's name above the question
FOOTER_MM = 5.0  # the sheet's own footer, inside the safe area
CARD_MARK_ROOM = 5.0  # crop marks need this much room around a block of cards
PAPER_FILL = "#FFFDF8"
PICTURE_FRAME = "#D9D3C7"
KEYWORD_FRAME = "#CDBFE3"

Shape = tuple[Cubic, ...] | Rect  # a jigsaw outline, or a card's rectangle


def path_of(shape: Shape) -> str:
    return rect_path(shape) if isinstance(shape, Rect) else svg_path(shape)


@dataclass(frozen=True)
class Slot:
    """One piece's place on a sheet: its outline and the box free for text or a picture."""

    shape: Shape
    box: Rect


@dataclass(frozen=True)
class PlacedPiece:
    kind: str  # "question", "picture" or "keyword"
    shape: Shape
    path: str  # the outline as SVG path data in mm, for the template and the cut file
    box: Rect  # where text or picture may go
    fill: str
    frame: str
    text: str = ""
    label: str = ""  # the perspective's name on a question piece
    size_pt: float = 0.0
    image: str = ""  # a data: URL
    alt: str = ""
    ink: str = INK  # text colour that reads on this piece

    PLAIN_SKIP = ("shape",)  # templates draw `path`


def placed(kind: str, slot: Slot, fill: str, frame: str, *, text: str = "", label: str = "", size_pt: float = 0.0,
           image: str = "", alt: str = "", ink: str = INK) -> PlacedPiece:
    return PlacedPiece(kind, slot.shape, path_of(slot.shape), slot.box, fill, frame, text, label, size_pt, image, alt, ink)


@dataclass(frozen=True)
class Sheet:
    title: str  # e.g. "Spørgsmålsbrikker 1/1", from the catalogue's sheet names
    width: float
    height: float
    pieces: tuple[PlacedPiece, ...]
    marks: tuple[tuple[float, float, float, float], ...] = ()
    back_of: str = ""  # the title of the front this page is the back of
    footer_y: float = 0.0
    margin: float = SAFE_MARGIN

    PLAIN_EXTRA = ("is_back",)

    @property
    def is_back(self) -> bool:
        return bool(self.back_of)


def safe_area(sheet: Paper) -> Rect:
    """Where pieces go: the printer's safe area less a footer's height at top and bottom.

    Symmetric, so the mirrored backs keep clear of the footer too.
    """
    area = sheet.safe_area()
    return Rect(area.x, area.y + FOOTER_MM, area.w, area.h - 2 * FOOTER_MM)


def _moved(outline: Sequence[Cubic], dx: float, dy: float) -> tuple[Cubic, ...]:
    def m(p: Point) -> Point:
        return Point(p.x + dx, p.y + dy)

    return tuple(Cubic(m(c.p0), m(c.c1), m(c.c2), m(c.p3)) for c in outline)


def board_slots(rows: int, cols: int, cell: tuple[float, float], area: Rect, seed: int, tab: float,
                present: set[tuple[int, int]] | None = None) -> tuple[tuple[int, int, Slot], ...]:
    """A jigsaw board centred at the top of `area`: one slot per present (row, col)."""
    return _board_slots(rows, cols, cell, area, seed, tab, frozenset(present) if present is not None else None)


@lru_cache(maxsize=64)  # every workplace of a batch cuts the same boards
def _board_slots(rows: int, cols: int, cell: tuple[float, float], area: Rect, seed: int, tab: float,
                 present: frozenset[tuple[int, int]] | None) -> tuple[tuple[int, int, Slot], ...]:
    w, h = cell
    b = jigsaw.board(rows, cols, cols * w, rows * h, seed=seed, tab_size=tab)
    ox = area.x + (area.w - b.width) / 2
    oy = area.y + max(0.0, (area.h - b.height) / 2)
    present = present if present is not None else frozenset((p.row, p.col) for p in b.pieces)
    slots = []
    for piece in b.pieces:
        if (piece.row, piece.col) not in present:
            continue
        piece, edges = jigsaw.straightened(piece, rows, cols, present)
        box = jigsaw.inner_box(piece.cell, edges, CLEARANCE).moved(ox, oy)
        slots.append((piece.row, piece.col, Slot(_moved(piece.outline, ox, oy), box)))
    return tuple(slots)


def per_sheet(cell: tuple[float, float], area: Rect, style: str) -> tuple[int, int]:
    """How many columns and rows of pieces one sheet holds."""
    w, h = cell
    if style == "cards":
        return (math.floor((area.w - 2 * CARD_MARK_ROOM + CARD_GUTTER) / (w + CARD_GUTTER)),
                math.floor((area.h - 2 * CARD_MARK_ROOM + CARD_GUTTER) / (h + CARD_GUTTER)))
    return math.floor(area.w / w), math.floor(area.h / h)


Marks = list[tuple[float, float, float, float]]


def layout_pieces(n: int, cell: tuple[float, float], sheet: Paper, style: str,
                  seed: int, tab: float) -> list[tuple[list[Slot], Marks]]:
    """Slots for `n` pieces over as many sheets as needed, with crop marks for cards."""
    area = safe_area(sheet)
    cols, rows = per_sheet(cell, area, style)
    if cols < 1 or rows < 1:
        raise ValueError(f"a piece of {cell[0]:g} x {cell[1]:g} mm does not fit the sheet")
    sheets: list[tuple[list[Slot], Marks]] = []
    for index, start in enumerate(range(0, n, cols * rows)):
        count = min(cols * rows, n - start)
        if style == "cards":
            inner = area.inset(CARD_MARK_ROOM)
            rects = imposition.grid(count, *cell, inner, CARD_GUTTER)[0]
            slots = [Slot(r, r.inset(FRAME + CLEARANCE)) for r in rects]
            marks = [(p.x, p.y, q.x, q.y) for p, q in imposition.crop_marks(rects, length=3.5, offset=1.0)]
            sheets.append((slots, marks))
        else:
            c = min(cols, count) if count < cols else cols
            r = math.ceil(count / c)
            present = {(i // c, i % c) for i in range(count)}
            found = board_slots(r, c, cell, area, seed + 101 * index, tab, present)
            sheets.append(([slot for _, _, slot in found], []))
    return sheets


def question_cell(rows: int, cols: int, area: Rect) -> tuple[float, float]:
    """Question pieces at their full size, or narrower where a workplace adds questions."""
    w, h = QUESTION_CELL
    return min(w, area.w / cols), min(h, area.h / rows)


def question_board(material: Material, sheet: Paper) -> tuple[tuple[int, int, Slot], ...]:
    """The question board of the jigsaw style: one row per perspective, in order."""
    area = safe_area(sheet)
    rows = len(material.perspectives)
    cols = max(len(p.questions) for p in material.perspectives) or 1
    present = {(r, c) for r, p in enumerate(material.perspectives) for c in range(len(p.questions))}
    return board_slots(rows, cols, question_cell(rows, cols, area), area, material.seed, TAB_SIZE["question"], present)


def question_sheets(material: Material, sheet: Paper, style: str) -> list[tuple[list[PlacedPiece], Marks]]:
    """The question pieces: one row per perspective, in order; jigsaw style makes them one board."""
    area = safe_area(sheet)
    rows = len(material.perspectives)
    cols = max(len(p.questions) for p in material.perspectives)
    ordered = [(r, c, p, q) for r, p in enumerate(material.perspectives) for c, q in enumerate(p.questions)]
    if style == "cards":
        groups = layout_pieces(len(ordered), question_cell(rows, cols, area), sheet, style, 0, 0.0)
    else:
        by_place = {(r, c): slot for r, c, slot in question_board(material, sheet)}
        groups = [([by_place[(r, c)] for r, c, _, _ in ordered], [])]
    result, it = [], iter(ordered)
    for slots, marks in groups:
        pieces = []
        placing = list(zip(slots, it))
        # One size for the whole board, so the assembled puzzle reads as one.
        size = min((question_size(q.text, slot.box) or QUESTION_PT[1]) for slot, (_, _, _, q) in placing)
        for slot, (_, _, p, q) in placing:
            fill = tint(p.colour, 0.16)
            pieces.append(placed("question", slot, fill, p.colour, text=q.text, label=p.name, size_pt=size,
                                 ink=shade_on(p.colour, fill)))
        result.append((pieces, marks))
    return result


@lru_cache(maxsize=4096)
def question_size(text: str, box: Rect) -> float | None:
    return textfit.largest_fitting(text, box.w, box.h - LABEL_MM, *QUESTION_PT, step=0.5, weight="Regular")


def keyword_size(keyword: str, box: Rect) -> float | None:
    """Keywords stay on one line: the largest size from 18 pt down to 14 pt at which the word fits."""
    size = KEYWORD_PT[0]
    while size >= KEYWORD_PT[1]:
        if textfit.one_line_width_mm(keyword, size, "Semibold") <= box.w and size / textfit.PT_PER_MM * 1.2 <= box.h:
            return size
        size -= 1
    return None


def sheets(material: Material, options: Options, names: PuzzleSheetNames) -> list[Sheet]:
    """Every sheet of the puzzle, fronts each followed by its back when backs are asked for."""
    sheet = paper(options.paper, landscape=True)
    W, H = sheet.width, sheet.height
    fronts: list[Sheet] = []

    def add(kind_name: str, groups: list[tuple[list[PlacedPiece], Marks]]) -> None:
        for i, (pieces, marks) in enumerate(groups, 1):
            title = f"{kind_name} {i}/{len(groups)}"
            fronts.append(Sheet(title, W, H, tuple(pieces), tuple(marks), footer_y=H - SAFE_MARGIN - FOOTER_MM))

    add(names.questions, question_sheets(material, sheet, options.style))

    pictures = material.pictures
    groups = layout_pieces(len(pictures), PICTURE_CELL, sheet, options.style, material.seed + 7, TAB_SIZE["picture"])
    pics = iter(pictures)
    add(names.pictures, [
        ([placed("picture", s, PAPER_FILL, PICTURE_FRAME, image=images.data_uri(pic.image), alt=pic.caption)
          for s, pic in zip(slots, pics)], marks)
        for slots, marks in groups
    ])

    words = list(material.keywords) + [""] * options.blank_keywords
    groups = layout_pieces(len(words), KEYWORD_CELL, sheet, options.style, material.seed + 13, TAB_SIZE["keyword"])
    each = iter(words)
    add(names.keywords, [
        ([placed("keyword", s, PAPER_FILL, KEYWORD_FRAME, text=w, size_pt=keyword_size(w, s.box) or KEYWORD_PT[1])
          for s, w in zip(slots, each)], marks)
        for slots, marks in groups
    ])

    if not options.backs:
        return fronts
    result = []
    for front in fronts:
        result += [front, back_of(front, material, options, names)]
    return result


def back_of(front: Sheet, material: Material, options: Options, names: PuzzleSheetNames) -> Sheet:
    """The back page: each piece's outline where the duplex printer puts it behind its front."""
    mirror = imposition.back_mirror(front.width, front.height, options.flip, options.back_offset)
    pieces = []
    for piece in front.pieces:
        shape: Shape = mirror.rect(piece.shape) if isinstance(piece.shape, Rect) else mirror.outline(piece.shape)
        slot = Slot(shape, mirror.rect(piece.box))
        if piece.kind == "question":
            fill, frame, label = piece.frame, piece.frame, piece.label
        else:
            fill, frame, label = INK, INK, ""
        pieces.append(placed(piece.kind, slot, fill, frame, text=material.type.code, label=label, ink=readable_on(fill)))
    return Sheet(f"{names.back} – {front.title}", front.width, front.height, tuple(pieces), (),
                 back_of=front.title, footer_y=front.footer_y)


def cut_svg(sheet: Sheet) -> str:
    """One closed path per piece, in millimetres, for a cutting plotter or laser."""
    paths = "\n".join(
        f'  <path id="piece-{i}" d="{p.path}" fill="none" stroke="#FF0000" stroke-width="0.1"/>'
        for i, p in enumerate(sheet.pieces, 1)
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{sheet.width:g}mm" height="{sheet.height:g}mm" '
        f'viewBox="0 0 {sheet.width:g} {sheet.height:g}">\n  <title>{_xml(sheet.title)}</title>\n{paths}\n</svg>\n'
    )


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# --- the product ---------------------------------------------------------------------------


def context(material: Material, options: Options) -> Context:
    names = material.puzzle.sheets
    assert names is not None  # checked by rules() before any render
    guidance = material.guidance("puslespil")
    guide = page(paper(options.paper, landscape=True))  # the guide uses its paper: A3 sets it larger
    return {
        **common(material, "puslespil"),
        "page": guide,
        "guidance": guidance,
        "flow": columns(guidance, guide),
        "sheets": sheets(material, options, names),
        "options": options,
        "ink": INK,
        "frame": FRAME,
        "bleed": BLEED,
        "label_mm": LABEL_MM,
    }


def cut_files(context: Context, options: Options) -> dict[str, bytes]:
    """With --cut-svg: one SVG of cut lines per sheet of pieces (fronts only)."""
    if not options.cut_svg:
        return {}
    fronts = [s for s in context["sheets"] if not s.is_back]
    return {f"-cut-{i}.svg": cut_svg(sheet).encode() for i, sheet in enumerate(fronts, 1)}


def fit(material: Material) -> list[Misfit]:
    """Each question must fit its piece at the smallest size; each keyword its piece on one line."""
    found = []
    board = {(r, c): slot.box for r, c, slot in question_board(material, paper("a4", landscape=True))}
    for r, p in enumerate(material.perspectives):
        for c, q in enumerate(p.questions):
            if question_size(q.text, board[(r, c)]) is None:
                found.append(Misfit(f"question:{q.id}", f"too long for its puzzle piece even at {QUESTION_PT[1]:g} pt; shorten it"))
    inset = keyword_depth() + CLEARANCE  # a keyword piece with blanks on both sides
    keyword_box = Rect(0, 0, KEYWORD_CELL[0] - 2 * inset, KEYWORD_CELL[1] - 2 * inset)
    for p in material.perspectives:
        for j, k in enumerate(p.keywords):
            if keyword_size(k, keyword_box) is None:
                found.append(Misfit(f"keyword:{p.id}:{j}",
                                    f"the keyword '{k}' is too long for its puzzle piece at {KEYWORD_PT[1]:g} pt on one line; shorten it"))
    return found


def keyword_depth() -> float:
    """How deep a keyword piece's blank reaches in, at worst."""
    return jigsaw.tab_limits(TAB_SIZE["keyword"], 0.04).depth * min(KEYWORD_CELL)


def rules(catalogue: Catalogue) -> list[tuple[yamlio.Loc, str]]:
    if catalogue.puzzle.sheets is None:
        return [(("puzzle",), "the puzzle's sheet names are missing; add 'sheets:' with questions, pictures, keywords and back")]
    return []


PRODUCT = Product("puslespil", "puslespil.html.j2", context, fit=fit, extras=cut_files, guidance=True, rules=rules)

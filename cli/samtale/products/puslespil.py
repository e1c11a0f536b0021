"""The puzzle: its short guide, then sheets of question, picture and keyword pieces, front and back.

Which piece goes where, with what on it, is laid out here in millimetres on top of
the jigsaw and imposition geometry; the template only draws the sheets described
here, and the cut files are written from the very same outlines. For a print shop
or a cutting machine (`--for`) the pieces print without their cut line and their
colour reaches past it; a Silhouette or a Cricut gets the pieces moved, never turned,
onto sheets within its cut area, a board split into blocks that still interlock.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from ..core.colour import INK, Cmyk, cmyk, cmyk_tint, darken, device_cmyk, shade_on, tint
from ..core.errors import SamtaleError
from ..core.i18n import _
from ..geometry import cutters, cutting, imposition, jigsaw, textfit
from ..geometry.paper import SAFE_MARGIN, Paper, paper
from ..geometry.shapes import Cubic, Point, Rect, bled, line, rect_path, svg_path, union
from ..material import Material
from ..source import images, yamlio
from ..source.models import Catalogue, PuzzleSheetNames
from . import cutfiles
from .base import MACHINES, TARGETS, Context, Finish, Misfit, Options, Product, columns, common, page

# Piece sizes (mm). A4 landscape holds the 3 x 3 question board inside its safe margin.
QUESTION_CELL = (90.0, 60.0)
PICTURE_CELL = (86.0, 86.0)
KEYWORD_CELL = (90.0, 30.0)
# Each kind's knob: head width in mm (fingers need jigsaw.MIN_HEAD) and jitter as a fraction
# of the head. Keyword pieces are too low for a knob from above and below, so their rows
# are cut apart straight and only the pieces of a row interlock, with calmer knobs.
KNOB = {"question": (10.2, 0.1), "picture": (10.0, 0.1), "keyword": (9.0, 0.05)}
BOARD_GAP = 4.0  # between two boards on one sheet: room for both backs' bleed
CLEARANCE = 3.0  # between the deepest blank and any text or picture: cutting slack
FRAME = 2.0  # the coloured band inside each cut line
BLEED = 2.0  # colour reaches this far past a trim with no neighbour, so a miscut or an off duplex shows no white
QUESTION_PT = (16.0, 11.0)
KEYWORD_PT = (18.0, 14.0)
LABEL_MM = 5.5  # the perspective's name above the question or keyword
FOOTER_MM = 5.0  # the sheet's own footer, inside the safe area
# Cards stand in columns of CARD_WIDTH, in bands CARD_UNITS high (in units of CARD_UNIT): a
# question card is two keyword cards high and a picture card three, so every sheet shares
# the guillotine's cutting positions.
CARD_WIDTH = 90.0
CARD_UNIT = 28.5
CARD_UNITS = {"question": 2, "picture": 3, "keyword": 1}
MARK_START = BLEED + 0.5  # crop marks start clear of the bleed ...
MARK_END = MARK_START + 3.0  # ... and are 3 mm long
ARTWORK = 0.88  # the built-in pictures' ink fills 88 % of their box; a workplace's photo is set as large
PAPER_FILL = "#FFFDF8"
PICTURE_FRAME = "#D9D3C7"
NEUTRAL_BACK = "#ECE8E0"  # the back of a picture or blank piece, which has no perspective
WRITING_LINE = "#8F887C"
BACK_TINT = {"question": 0.35, "keyword": 0.16}
FRONT_TINT = 0.16  # a coloured piece's face: this much of its perspective's colour
# Print-then-cut machines (mm): the Silhouette sheet is A4 landscape with Studio's Type 1 marks, and the
# footer keeps clear of the bottom-left mark; a Cricut image has a small white margin and the footer inside.
SILHOUETTE_MARKS = cutters.SilhouetteMarks()
SILHOUETTE_FOOTER = 8.0  # kept free of pieces at the bottom of the marks' area
SILHOUETTE_FOOTER_LEFT = 40.0  # the footer starts right of the bottom-left mark and its white surround
CRICUT_MARGIN = 3.0
CRICUT_FOOTER = 6.0

Shape = tuple[Cubic, ...] | Rect  # a jigsaw outline, or a card's rectangle
Sides = tuple[tuple[Cubic, ...], ...]  # top, right, bottom, left, clockwise
KINDS = ("question", "picture", "keyword")


def path_of(shape: Shape) -> str:
    return rect_path(shape) if isinstance(shape, Rect) else svg_path(shape)


def rect_sides(r: Rect) -> Sides:
    tl, tr, br, bl = Point(r.x, r.y), Point(r.right, r.y), Point(r.right, r.bottom), Point(r.x, r.bottom)
    return ((line(tl, tr),), (line(tr, br),), (line(br, bl),), (line(bl, tl),))


@dataclass(frozen=True)
class Slot:
    """One piece's place on a sheet: its outline, the box free for text or a picture, its cell,
    its sides and which of them have no neighbour (the trims its colour may bleed past)."""

    shape: Shape
    box: Rect
    cell: Rect
    sides: Sides
    outer: tuple[bool, bool, bool, bool]
    grid: tuple[int, int, int] = (0, 0, 0)  # its board (numbered over the whole puzzle), row and column

    @property
    def bled(self) -> tuple[Cubic, ...]:
        return bled(self.sides, self.outer, BLEED)


@dataclass(frozen=True)
class Item:
    """What one piece carries: a question, a picture or a keyword (a blank keyword has no text)."""

    kind: str
    text: str = ""
    label: str = ""  # the perspective's name
    colour: str = ""  # the perspective's colour; none for pictures and blanks
    image: Path | None = None
    alt: str = ""


@dataclass(frozen=True)
class PlacedPiece:
    kind: str  # "question", "picture" or "keyword"
    shape: Shape
    path: str  # the outline as SVG path data in mm, for the template and the cut file
    box: Rect  # where text or picture may go
    fill: str
    frame: str
    text: str = ""
    label: str = ""  # the perspective's name on a question or keyword piece
    size_pt: float = 0.0
    image: str = ""  # a data: URL
    alt: str = ""
    ink: str = INK  # text colour that reads on this piece
    bleed: str = ""  # where the colour is drawn when it reaches past the outer trims (cards, backs)
    rule: tuple[float, ...] = ()  # a line to write on: x1, y1, x2, y2 (blank keywords)
    outline: tuple[Cubic, ...] = field(default=(), repr=False)  # the colour's outline with its bleed
    grid: tuple[int, int, int] = field(default=(0, 0, 0), repr=False)  # its board, row and column (see Slot)

    PLAIN_SKIP = ("shape", "outline")  # templates draw `path` and `bleed`

    @property
    def cut(self) -> tuple[Cubic, ...]:
        """The outline the knife follows, as cubics (a card's rectangle too)."""
        return cutting.rect_outline(self.shape) if isinstance(self.shape, Rect) else self.shape

    def moved(self, dx: float, dy: float) -> PlacedPiece:
        """The piece, with everything drawn on it, `dx`, `dy` mm further on."""
        shape: Shape = self.shape.moved(dx, dy) if isinstance(self.shape, Rect) else _moved(self.shape, dx, dy)
        outline = _moved(self.outline, dx, dy)
        rule = tuple(v + (dx if i % 2 == 0 else dy) for i, v in enumerate(self.rule))
        return replace(self, shape=shape, path=path_of(shape), box=self.box.moved(dx, dy), outline=outline, rule=rule,
                       bleed=svg_path(outline) if self.bleed else "")


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
    cut_lines: bool = True  # jigsaw pieces are cut along printed lines; cards by their crop marks
    spill: float = 0.0  # how far each front piece's colour reaches past its cut, for a knife that cuts a little off
    solid: tuple[Rect, ...] = ()  # filled black: a cutting machine's registration marks
    crop: tuple[tuple[float, float, float, float], ...] = ()  # crop marks a print shop prints in registration colour

    PLAIN_EXTRA = ("is_back",)

    @property
    def is_back(self) -> bool:
        return bool(self.back_of)


def safe_area(sheet: Paper) -> Rect:
    """Where pieces and their marks go: the printer's safe area less a footer's height at top and bottom.

    Symmetric, so the mirrored backs keep clear of the footer too.
    """
    area = sheet.safe_area()
    return Rect(area.x, area.y + FOOTER_MM, area.w, area.h - 2 * FOOTER_MM)


def board_area(sheet: Paper) -> Rect:
    """Where jigsaw boards go: the safe area less the bleed of their backs."""
    return safe_area(sheet).inset(BLEED)


# --- what goes on the pieces -----------------------------------------------------------------


def contents(material: Material, blank_keywords: int) -> dict[str, list[Item]]:
    """Every piece's content by kind, in print order: questions row by row, pictures, keywords and blanks."""
    return {
        "question": [Item("question", q.text, p.name, p.colour) for p in material.perspectives for q in p.questions],
        "picture": [Item("picture", image=pic.image, alt=pic.caption) for pic in material.pictures],
        "keyword": [Item("keyword", k, p.name, p.colour) for p in material.perspectives for k in p.keywords]
        + [Item("keyword")] * blank_keywords,
    }


def question_grid(material: Material) -> tuple[int, int, frozenset[tuple[int, int]]]:
    """The question board: one row per perspective, as many columns as the longest row, and its cells."""
    rows = len(material.perspectives)
    cols = max(len(p.questions) for p in material.perspectives) or 1
    present = frozenset((r, c) for r, p in enumerate(material.perspectives) for c in range(len(p.questions)))
    return rows, cols, present


def question_cell(rows: int, cols: int, area: Rect) -> tuple[float, float]:
    """Question pieces at their full size, or narrower where a workplace adds questions."""
    w, h = QUESTION_CELL
    return min(w, area.w / cols), min(h, area.h / rows)


# --- jigsaw boards ------------------------------------------------------------------------


def knob(kind: str, cell: tuple[float, float]) -> tuple[float, float]:
    """The tab size (fraction of the cell's short side) and jitter that give this kind its knob."""
    head, jitter = KNOB[kind]
    return head / min(cell), jitter


def board_slots(kind: str, rows: int, cols: int, cell: tuple[float, float], origin: Point, seed: int,
                present: frozenset[tuple[int, int]] | None = None) -> tuple[tuple[int, int, Slot], ...]:
    """A jigsaw board of `kind` with its top-left corner at origin: one slot per present (row, col)."""
    return _board_slots(kind, rows, cols, cell, origin, seed, present)


@lru_cache(maxsize=64)  # every workplace of a batch cuts the same boards
def _board_slots(kind: str, rows: int, cols: int, cell: tuple[float, float], origin: Point, seed: int,
                 present: frozenset[tuple[int, int]] | None) -> tuple[tuple[int, int, Slot], ...]:
    w, h = cell
    tab, jitter = knob(kind, cell)
    b = jigsaw.board(rows, cols, cols * w, rows * h, seed=seed, tab_size=tab, jitter=jitter,
                     straight_rows=kind == "keyword")
    present = present if present is not None else frozenset((p.row, p.col) for p in b.pieces)
    slots = []
    for piece in b.pieces:
        if (piece.row, piece.col) not in present:
            continue
        piece, edges = jigsaw.straightened(piece, rows, cols, present)
        box = jigsaw.inner_box(piece.cell, edges, CLEARANCE).moved(origin.x, origin.y)
        top, right, bottom, left = (n not in present for n in jigsaw.neighbours(piece))
        sides = tuple(_moved(edge, origin.x, origin.y) for edge in edges)
        slots.append((piece.row, piece.col, Slot(_moved(piece.outline, origin.x, origin.y), box,
                                                 piece.cell.moved(origin.x, origin.y), sides, (top, right, bottom, left))))
    return tuple(slots)


def _moved(outline: Sequence[Cubic], dx: float, dy: float) -> tuple[Cubic, ...]:
    def m(p: Point) -> Point:
        return Point(p.x + dx, p.y + dy)

    return tuple(Cubic(m(c.p0), m(c.c1), m(c.c2), m(c.p3)) for c in outline)


def question_board(material: Material, sheet: Paper) -> tuple[tuple[int, int, Slot], ...]:
    """The question board of the jigsaw style, where it lies on its sheet."""
    area = board_area(sheet)
    rows, cols, present = question_grid(material)
    cell = question_cell(rows, cols, area)
    origin = imposition.centre(cols * cell[0], rows * cell[1], area)
    return board_slots("question", rows, cols, cell, origin, material.seed, present)


Layout = list[dict[str, list[Slot]]]  # per sheet, the slots of each kind in print order
Marks = list[tuple[float, float, float, float]]


def jigsaw_layout(material: Material, counts: dict[str, int], sheet: Paper) -> tuple[Layout, list[Marks]]:
    """Every kind's boards, packed so that each sheet is filled before the next is started."""
    area = board_area(sheet)
    rows, cols, present = question_grid(material)
    qcell = question_cell(rows, cols, area)
    groups = [imposition.Group(counts["question"], qcell, (cols, rows)),
              imposition.Group(counts["picture"], PICTURE_CELL, min_pieces=2),
              imposition.Group(counts["keyword"], KEYWORD_CELL, min_cols=2)]  # rows cut straight: a knob needs a neighbour
    seeds = {"question": material.seed, "picture": material.seed + 7, "keyword": material.seed + 13}
    boards = dict.fromkeys(KINDS, 0)
    layout: Layout = []
    for blocks in imposition.pack(groups, area, BOARD_GAP):
        sheet_slots: dict[str, list[Slot]] = {kind: [] for kind in KINDS}
        for block in blocks:
            kind = KINDS[block.group]
            if block.count == 0:
                continue
            if kind == "question":
                found = board_slots(kind, rows, cols, qcell, Point(block.x, block.y), seeds[kind], present)
            else:
                cells = frozenset((i // block.cols, i % block.cols) for i in range(block.count))
                seed = seeds[kind] + 101 * boards[kind]
                found = board_slots(kind, block.rows, block.cols, block.cell, Point(block.x, block.y), seed, cells)
            boards[kind] += 1
            board = sum(boards.values())  # numbered over the whole puzzle
            sheet_slots[kind] += [replace(slot, grid=(board, r, c)) for r, c, slot in found]
        layout.append(sheet_slots)
    return layout, [[] for _ in layout]


# --- cards ------------------------------------------------------------------------------------


def card_block(sheet: Paper) -> tuple[int, int, Rect]:
    """Columns, units and the block of butted cards on a sheet, with room around it for the crop marks."""
    area = safe_area(sheet)
    cols = math.floor((area.w - 2 * MARK_END) / CARD_WIDTH + 1e-9)
    units = math.floor((area.h - 2 * MARK_END) / CARD_UNIT + 1e-9)
    if cols < 1 or units < max(CARD_UNITS.values()):
        raise ValueError(f"no card fits the {sheet.width:g} x {sheet.height:g} mm sheet")
    w, h = cols * CARD_WIDTH, units * CARD_UNIT
    return cols, units, Rect(area.x + (area.w - w) / 2, area.y + (area.h - h) / 2, w, h)


def card_layout(rows: Sequence[int], counts: dict[str, int], sheet: Paper) -> tuple[Layout, list[Marks]]:
    """Every kind's cards, butted in bands on one block per sheet, with crop marks outside the block.

    `rows` is the number of questions of each perspective, in order.
    """
    cols, units, block = card_block(sheet)
    area = safe_area(sheet)
    layout: Layout = []
    all_marks: list[Marks] = []
    # Questions a band per perspective (its row of the jigsaw board), then pictures, then keywords.
    kinds = ["question"] * len(rows) + ["picture", "keyword"]
    groups = [(n, CARD_UNITS["question"]) for n in rows] + [(counts[k], CARD_UNITS[k]) for k in ("picture", "keyword")]
    for cards in imposition.bands(groups, cols, units):
        rects = [Rect(block.x + c.col * CARD_WIDTH, block.y + c.top * CARD_UNIT, CARD_WIDTH, c.units * CARD_UNIT)
                 for c in cards]
        used = union(rects)
        dy = area.y + (area.h - used.h) / 2 - used.y  # a part-filled sheet sits in the middle, columns kept
        rects = [r.moved(0.0, dy) for r in rects]
        used = used.moved(0.0, dy)
        sheet_slots: dict[str, list[Slot]] = {kind: [] for kind in KINDS}
        for card, r in sorted(zip(cards, rects), key=lambda cr: (cr[0].group, cr[0].index)):
            top, right, bottom, left = (not any(_shares(r, other, i) for other in rects if other is not r) for i in range(4))
            # A kind's cards on one sheet are one board of rows and columns (for a cutting machine to split).
            board = len(layout) * len(kinds) + card.group
            row = round((r.y - used.y) / CARD_UNIT) // CARD_UNITS[kinds[card.group]]
            col = round((r.x - block.x) / CARD_WIDTH)
            sheet_slots[kinds[card.group]].append(Slot(r, r.inset(FRAME + CLEARANCE), r, rect_sides(r), (top, right, bottom, left),
                                                       (board, row, col)))
        layout.append(sheet_slots)
        all_marks.append([(p.x, p.y, q.x, q.y) for p, q in imposition.block_marks(rects, used, MARK_START, MARK_END)])
    return layout, all_marks


def _shares(r: Rect, other: Rect, side: int) -> bool:
    """Whether `other` lies against side `side` (top, right, bottom, left) of r over some length."""
    eps = 1e-6
    if side in (0, 2):
        y = r.y if side == 0 else r.bottom
        edge = other.bottom if side == 0 else other.y
        return abs(edge - y) < eps and min(r.right, other.right) - max(r.x, other.x) > eps
    x = r.right if side == 1 else r.x
    edge = other.x if side == 1 else other.right
    return abs(edge - x) < eps and min(r.bottom, other.bottom) - max(r.y, other.y) > eps


# --- the pieces on them ---------------------------------------------------------------------


def sheets(material: Material, options: Options, names: PuzzleSheetNames) -> list[Sheet]:
    """Every sheet of the puzzle, fronts each followed by its back when backs are asked for."""
    sheet = paper(options.paper, landscape=True)
    W, H = sheet.width, sheet.height
    items = contents(material, options.blank_keywords)
    counts = {kind: len(found) for kind, found in items.items()}
    cards = options.style == "cards"
    rows = [len(p.questions) for p in material.perspectives]
    layout, marks = card_layout(rows, counts, sheet) if cards else jigsaw_layout(material, counts, sheet)

    placed: list[dict[str, list[PlacedPiece]]] = []
    queue = {kind: iter(found) for kind, found in items.items()}
    for sheet_slots in layout:
        placed.append({kind: [] for kind in KINDS})
        for kind in KINDS:
            slots = sheet_slots[kind]
            placed[-1][kind] = pieces(kind, slots, [next(queue[kind]) for _ in slots], cards)

    if options.target in MACHINES:
        if options.backs:
            raise SamtaleError(_("a {target} cuts one side only; leave out --backs").format(target=options.target))
        placed, size = machine_layout(placed, options.target)
        W, H = size
        marks = [[] for _ in placed]
    titles = sheet_titles(placed, names)
    office = options.target == "office"
    fronts = []
    footer_y, margin = H - SAFE_MARGIN - FOOTER_MM, SAFE_MARGIN
    if options.target == "silhouette":
        margin = SILHOUETTE_FOOTER_LEFT  # clear of the bottom-left mark
    elif options.target == "cricut":
        footer_y, margin = H - CRICUT_MARGIN - CRICUT_FOOTER + 1.5, CRICUT_MARGIN
    solid = SILHOUETTE_MARKS.rects(W, H) if options.target == "silhouette" else ()
    for title, by_kind, sheet_marks in zip(titles, placed, marks):
        all_pieces = tuple(p for k in KINDS for p in by_kind[k])
        # Off the office printer the knife cuts, not scissors along a printed line: no line, colour past the cut.
        fronts.append(Sheet(title, W, H, all_pieces, tuple(sheet_marks) if office else (), footer_y=footer_y, margin=margin,
                            cut_lines=office and not cards, spill=0.0 if office else BLEED, solid=solid,
                            crop=() if office else tuple(sheet_marks)))
    pages = fronts
    if options.backs:
        backs = [back_of(front, material, options, names) for front in fronts]
        check_offset(fronts, options)
        pages = [page for pair in zip(fronts, backs) for page in pair]
    return [in_cmyk(page, material) for page in pages] if options.target == "print-shop" else pages


def sheet_titles(placed: Sequence[dict[str, list[PlacedPiece]]], names: PuzzleSheetNames) -> list[str]:
    """Each sheet's name in its footer: the kinds it carries, each as 'Stikordsbrikker 2/3'."""
    kind_names = {"question": names.questions, "picture": names.pictures, "keyword": names.keywords}
    carrying = {kind: [i for i, p in enumerate(placed) if p[kind]] for kind in KINDS}
    return [" · ".join(f"{kind_names[k]} {carrying[k].index(i) + 1}/{len(carrying[k])}" for k in KINDS if by_kind[k])
            for i, by_kind in enumerate(placed)]


def machine_layout(placed: Sequence[dict[str, list[PlacedPiece]]], machine: str
                   ) -> tuple[list[dict[str, list[PlacedPiece]]], tuple[float, float]]:
    """The pieces moved onto a print-then-cut machine's sheets, and the sheets' size.

    Each board (of a paper sheet's layout) is split into blocks of whole pieces that fit the
    machine's cut area, colour spill included; every Cricut image has the one size.
    """
    pieces = [p for by_kind in placed for kind in KINDS for p in by_kind[kind]]
    cells = [cutters.Cell(p.grid[0], p.grid[1], p.grid[2], cutting.bounds(p.cut).inset(-BLEED)) for p in pieces]
    if machine == "silhouette":
        W, H = paper("a4", landscape=True).width, paper("a4", landscape=True).height
        region = cutters.silhouette_region(W, H, SILHOUETTE_MARKS, SILHOUETTE_FOOTER)
    else:
        region = cutters.cricut_region(CRICUT_MARGIN, CRICUT_FOOTER)
    try:
        where = cutters.pack(cells, region)
    except ValueError as err:
        raise SamtaleError(_("the puzzle cannot be cut on a {machine}: {reason}").format(machine=machine, reason=err)) from None
    count = max(w.sheet for w in where) + 1
    sheets: list[dict[str, list[PlacedPiece]]] = [{kind: [] for kind in KINDS} for _ in range(count)]
    for piece, w in zip(pieces, where):
        sheets[w.sheet][piece.kind].append(piece.moved(w.dx, w.dy))
    if machine == "cricut":
        W, H = cutters.CRICUT_IMAGE
    return sheets, (W, H)


def pieces(kind: str, slots: list[Slot], items: list[Item], cards: bool) -> list[PlacedPiece]:
    """The pieces of one kind on one sheet: colours, text sizes and pictures for their slots."""
    result = []
    size = 0.0
    if kind == "question" and slots:
        # One size for all question pieces of a sheet, so the assembled puzzle reads as one.
        size = min((question_size(item.text, slot.box) or QUESTION_PT[1]) for slot, item in zip(slots, items))
    for slot, item in zip(slots, items):
        bleed = svg_path(slot.bled) if cards else ""
        if kind == "picture":
            result.append(PlacedPiece(kind, slot.shape, path_of(slot.shape), picture_box(slot, item, cards), PAPER_FILL,
                                      PICTURE_FRAME, image=images.data_uri(item.image) if item.image else "", alt=item.alt,
                                      bleed=bleed, outline=slot.bled, grid=slot.grid))
            continue
        if not item.colour:  # a blank keyword: neutral, with a line to write on
            box = slot.box
            y = box.y + box.h * 0.72
            result.append(PlacedPiece(kind, slot.shape, path_of(slot.shape), box, PAPER_FILL, PICTURE_FRAME, bleed=bleed,
                                      rule=(box.x + 2, y, box.right - 2, y), outline=slot.bled, grid=slot.grid))
            continue
        fill = tint(item.colour, FRONT_TINT)
        ink = shade_on(darken(item.colour), fill)
        if kind == "question":
            pt = size
        else:
            pt = keyword_size(item.text, _below_label(slot.box)) or KEYWORD_PT[1]
        result.append(PlacedPiece(kind, slot.shape, path_of(slot.shape), slot.box, fill, item.colour, text=item.text,
                                  label=item.label, size_pt=pt, ink=ink, bleed=bleed, outline=slot.bled, grid=slot.grid))
    return result


def in_cmyk(sheet: Sheet, material: Material) -> Sheet:
    """The sheet's colours as a print shop prints them (CSS device-cmyk): a perspective's colour as the catalogue
    states it in CMYK or else converted through the CMYK profile, its tints as tints of those inks, the rest converted."""
    inks: dict[str, Cmyk] = {p.name: p.cmyk or cmyk(p.colour) for p in material.perspectives}

    def converted(piece: PlacedPiece) -> PlacedPiece:
        own = inks.get(piece.label) if piece.kind in BACK_TINT else None
        if own is not None and sheet.is_back:
            fill = frame = device_cmyk(cmyk_tint(own, BACK_TINT[piece.kind]))
        elif own is not None:
            fill, frame = device_cmyk(cmyk_tint(own, FRONT_TINT)), device_cmyk(own)
        else:
            fill, frame = device_cmyk(cmyk(piece.fill)), device_cmyk(cmyk(piece.frame))
        return replace(piece, fill=fill, frame=frame, ink=device_cmyk(cmyk(piece.ink)))

    return replace(sheet, pieces=tuple(converted(p) for p in sheet.pieces))


def picture_box(slot: Slot, item: Item, cards: bool) -> Rect:
    """Every picture at one size: the largest square clear of the deepest blank any picture piece can
    have (or of a card's frame), centred on its piece; a photo inset as the built-in drawings are."""
    cell = slot.cell
    if cards:
        side = min(slot.box.w, slot.box.h)
    else:
        tab, jitter = knob("picture", (cell.w, cell.h))
        side = min(cell.w, cell.h) - 2 * (jigsaw.tab_limits(tab, jitter).depth * min(cell.w, cell.h) + CLEARANCE)
    if item.image is not None and item.image.suffix.lower() != ".svg":
        side *= ARTWORK
    return Rect(cell.x + (cell.w - side) / 2, cell.y + (cell.h - side) / 2, side, side)


def _below_label(box: Rect) -> Rect:
    return Rect(box.x, box.y + LABEL_MM, box.w, box.h - LABEL_MM)


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


# --- backs ----------------------------------------------------------------------------------


def back_of(front: Sheet, material: Material, options: Options, names: PuzzleSheetNames) -> Sheet:
    """The back page: behind each piece, where the duplex printer puts it, a light tint in the piece's
    colour with the conversation type, the perspective and the municipality.

    Each back is its own outline, bled past its outer trims only, so no colour crosses an inner
    cut onto a neighbour's back.
    """
    mirror = imposition.back_mirror(front.width, front.height, options.flip, options.back_offset)
    pieces = []
    for piece in front.pieces:
        shape: Shape = mirror.rect(piece.shape) if isinstance(piece.shape, Rect) else mirror.outline(piece.shape)
        outline = mirror.outline(piece.outline)
        if piece.kind in BACK_TINT and piece.label:
            fill = tint(piece.frame, BACK_TINT[piece.kind])
            ink = shade_on(darken(piece.frame), fill)
        else:
            fill, ink = NEUTRAL_BACK, shade_on(INK, NEUTRAL_BACK)
        pieces.append(PlacedPiece(piece.kind, shape, path_of(shape), mirror.rect(piece.box), fill, fill,
                                  text=material.type.code, label=piece.label, ink=ink, bleed=svg_path(outline),
                                  outline=outline))
    return Sheet(f"{names.back} – {front.title}", front.width, front.height, tuple(as_read(pieces)), (),
                 back_of=front.title, footer_y=front.footer_y, cut_lines=False)


def as_read(pieces: list[PlacedPiece]) -> list[PlacedPiece]:
    """Pieces in the order a reader meets them: row by row from the top, left to right (a back's mirror turns
    the front's order round). Pieces whose middles lie within 15 mm of a row's first are in that row."""
    rows: list[list[PlacedPiece]] = []
    for piece in sorted(pieces, key=lambda p: p.box.y + p.box.h / 2):
        middle = piece.box.y + piece.box.h / 2
        if rows and middle - (rows[-1][0].box.y + rows[-1][0].box.h / 2) < 15.0:
            rows[-1].append(piece)
        else:
            rows.append([piece])
    return [p for row in rows for p in sorted(row, key=lambda p: p.box.x)]


def check_offset(fronts: Sequence[Sheet], options: Options) -> None:
    """Refuse a --back-offset that would push the backs into the margin printers leave blank."""
    mirror = imposition.back_mirror(fronts[0].width, fronts[0].height, options.flip)
    W, H = fronts[0].width, fronts[0].height
    extent = union([cutting.bounds(mirror.outline(p.outline)) for front in fronts for p in front.pieces])
    left, right = extent.x - SAFE_MARGIN, W - SAFE_MARGIN - extent.right
    up, down = extent.y - SAFE_MARGIN, H - SAFE_MARGIN - extent.bottom
    dx, dy = options.back_offset
    if -left - 1e-6 <= dx <= right + 1e-6 and -up - 1e-6 <= dy <= down + 1e-6:
        return

    def span(lo: float, hi: float) -> str:
        lo, hi = math.floor(lo * 10) / 10, math.floor(hi * 10) / 10
        low = f"{-lo:+.1f}".replace("+0.0", "0").replace("-0.0", "0")
        return _("{low} to {high} mm").format(low=low, high=f"{hi:+.1f}")

    raise SamtaleError(_(
        "--back-offset {offset} would print the backs into the {margin} mm margin printers leave blank; "
        "on {paper} these sheets take X from {x} and Y from {y}: "
        "print 'samtale calibrate' again and check the printer's duplex setting").format(
        offset=f"{dx:g},{dy:g}", margin=f"{SAFE_MARGIN:g}", paper=options.paper.upper(), x=span(left, right), y=span(up, down)))


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
    shop = options.target == "print-shop"
    return {
        **common(material, "puslespil", options),
        "page": guide,
        "guidance": guidance,
        "flow": columns(guidance, guide),
        "sheets": sheets(material, options, names),
        "options": options,
        "ink": device_cmyk(cmyk(INK)) if shop else INK,
        "frame": FRAME,
        "bleed": BLEED,  # kept for workplaces' own templates
        "label_mm": LABEL_MM,
        "writing_line": device_cmyk(cmyk(WRITING_LINE)) if shop else WRITING_LINE,
    }


def cut_files(context: Context, options: Options) -> dict[str, bytes]:
    """With --cut-svg: one SVG of cut lines per sheet of pieces (fronts only). For a laser, a Silhouette or a
    Cricut: each sheet's cut, every edge once, as SVG (and DXF for a laser and a Silhouette)."""
    fronts = [s for s in context["sheets"] if not s.is_back]
    files = {f"-cut-{i}.svg": cut_svg(sheet).encode() for i, sheet in enumerate(fronts, 1)} if options.cut_svg else {}
    if options.target not in ("laser", *MACHINES):
        return files
    for i, sheet in enumerate(fronts, 1):
        plan = cut_plan(sheet, frame=options.target == "cricut")
        reference = options.target == "silhouette"  # the page's outline, to place the cut on Studio's page
        files[f"-{i}.svg"] = cutfiles.svg(plan, options.hairline, reference=reference).encode()
        if options.target != "cricut":
            files[f"-{i}.dxf"] = cutfiles.dxf(plan, reference=reference)
    return files


def cut_plan(sheet: Sheet, frame: bool = False) -> cutting.CutSheet:
    """The sheet's cut: every edge once (an edge two pieces share, and the outline of each board), chained into
    paths and ordered from the sheet's corner so the head travels little; the edges between pieces before the
    outlines, so no piece comes loose early. With `frame`, the sheet's own outline is cut last (a Cricut image)."""
    outer = (cutting.CutPath(cutting.rect_outline(Rect(0.0, 0.0, sheet.width, sheet.height))),) if frame else ()
    return cutting.cut_sheet(sheet.title, sheet.width, sheet.height, {i: p.cut for i, p in enumerate(sheet.pieces)}, outer)


def finish(context: Context, options: Options) -> list[Finish]:
    """For a print shop, each sheet's cut lines (every edge once) and its cards' crop marks; nothing on a back."""
    return [Finish() if sheet.is_back else Finish(tuple(p.svg() for p in cut_plan(sheet).paths), sheet.crop)
            for sheet in context["sheets"]]


def fit(material: Material) -> list[Misfit]:
    """Each question must fit its jigsaw piece and its card at the smallest size; each keyword its piece on one line."""
    found = []
    board = {(r, c): slot.box for r, c, slot in question_board(material, paper("a4", landscape=True))}
    card = Rect(0, 0, CARD_WIDTH, CARD_UNITS["question"] * CARD_UNIT).inset(FRAME + CLEARANCE)
    for r, p in enumerate(material.perspectives):
        for c, q in enumerate(p.questions):
            if question_size(q.text, board[(r, c)]) is None or question_size(q.text, card) is None:
                found.append(Misfit(f"question:{q.id}", _("too long for its puzzle piece even at {points} pt; shorten it").format(points=f"{QUESTION_PT[1]:g}")))
    box = keyword_box()
    for p in material.perspectives:
        for j, k in enumerate(p.keywords):
            if keyword_size(k, box) is None:
                found.append(Misfit(f"keyword:{p.id}:{j}",
                                    _("the keyword '{keyword}' is too long for its puzzle piece at {points} pt on one line; shorten it").format(keyword=k, points=f"{KEYWORD_PT[1]:g}")))
    return found


def keyword_box() -> Rect:
    """The least room a keyword has beside its perspective's name: on a piece with blanks on both
    sides (its rows are cut straight), or on a card, whichever is smaller."""
    w, h = KEYWORD_CELL
    tab, jitter = knob("keyword", KEYWORD_CELL)
    depth = jigsaw.tab_limits(tab, jitter).depth * min(KEYWORD_CELL)
    card = Rect(0, 0, CARD_WIDTH, CARD_UNITS["keyword"] * CARD_UNIT).inset(FRAME + CLEARANCE)
    return Rect(0, 0, min(w - 2 * (depth + CLEARANCE), card.w), min(h - 2 * CLEARANCE, card.h) - LABEL_MM)


def rules(catalogue: Catalogue) -> list[tuple[yamlio.Loc, str]]:
    if catalogue.puzzle.sheets is None:
        return [(("puzzle",), _("the puzzle's sheet names are missing; add 'sheets:' with questions, pictures, keywords and back"))]
    return []


PRODUCT = Product("puslespil", "puslespil.html.j2", context, fit=fit, extras=cut_files, guidance=True, rules=rules,
                  targets=TARGETS, finish=finish)

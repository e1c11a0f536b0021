"""The puzzle's sheets: which piece goes where, with what on it, front and back, in millimetres.

Pure layout on top of `jigsaw` (piece outlines) and `imposition` (sheets, cards,
duplex): the template only draws the sheets this module describes, and the cut
SVG is written from the very same outlines.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from functools import lru_cache

from . import imposition, jigsaw, textfit
from .jigsaw import Rect
from .models import Catalogue
from .products import Options
from .resolve import Material, tint

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
INK = "#2E2A3A"
PAPER_FILL = "#FFFDF8"


@dataclass(frozen=True)
class PlacedPiece:
    kind: str  # "question", "picture" or "keyword"
    path: str  # the outline on the sheet, SVG path data in mm
    box: Rect  # where text or picture may go
    fill: str
    frame: str
    text: str = ""
    label: str = ""  # the perspective's name on a question piece
    size_pt: float = 0.0
    image: str = ""  # a data: URL
    alt: str = ""
    ink: str = INK  # text colour that reads on this piece


@dataclass(frozen=True)
class Sheet:
    title: str  # e.g. "Spørgsmålsbrikker 1/1", from the catalogue's sheet names
    width: float
    height: float
    pieces: tuple[PlacedPiece, ...]
    marks: tuple[tuple[float, float, float, float], ...] = ()
    back_of: str = ""  # the title of the front this page is the back of
    footer_y: float = 0.0
    margin: float = imposition.SAFE_MARGIN

    @property
    def is_back(self) -> bool:
        return bool(self.back_of)


@dataclass(frozen=True)
class Slot:
    """One piece's place: outline and free box in sheet coordinates, or a card's rectangle."""

    path: str
    box: Rect


def safe_area(sheet_w: float, sheet_h: float) -> Rect:
    """Where pieces go: the printer's safe area less a footer's height at top and bottom.

    Symmetric, so the mirrored backs keep clear of the footer too.
    """
    area = imposition.safe_area(sheet_w, sheet_h)
    return Rect(area.x, area.y + FOOTER_MM, area.w, area.h - 2 * FOOTER_MM)


def sides(piece: jigsaw.Piece, rows: int, cols: int) -> list[tuple[jigsaw.Cubic, ...]]:
    """The outline split into its top, right, bottom and left edges (inner edges are three curves)."""
    counts = [3 if piece.row > 0 else 1, 3 if piece.col < cols - 1 else 1,
              3 if piece.row < rows - 1 else 1, 3 if piece.col > 0 else 1]
    result, start = [], 0
    for n in counts:
        result.append(piece.outline[start:start + n])
        start += n
    return result


def straightened(piece: jigsaw.Piece, rows: int, cols: int, present: set[tuple[int, int]]) -> tuple[jigsaw.Piece, list]:
    """The piece with a straight edge wherever its neighbour is left out (a short last row)."""
    edges = sides(piece, rows, cols)
    neighbours = [(piece.row - 1, piece.col), (piece.row, piece.col + 1), (piece.row + 1, piece.col), (piece.row, piece.col - 1)]
    for i, (r, c) in enumerate(neighbours):
        inside = 0 <= r < rows and 0 <= c < cols
        if inside and (r, c) not in present:
            a, b = edges[i][0].p0, edges[i][-1].p3
            third = lambda t: jigsaw.Point(a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t)  # noqa: E731
            edges[i] = (jigsaw.Cubic(a, third(1 / 3), third(2 / 3), b),)
    return replace(piece, outline=tuple(c for edge in edges for c in edge)), edges


def inner_box(cell: Rect, edges: list, clearance: float = CLEARANCE) -> Rect:
    """The cell less, on each side, how deep that side's blank reaches in, less `clearance`."""
    top, right, bottom, left = ([p for curve in edge for p in curve.points(16)] for edge in edges)
    c = cell
    top_in = max(0.0, max(p.y - c.y for p in top))
    right_in = max(0.0, max(c.right - p.x for p in right))
    bottom_in = max(0.0, max(c.bottom - p.y for p in bottom))
    left_in = max(0.0, max(p.x - c.x for p in left))
    return Rect(c.x + left_in + clearance, c.y + top_in + clearance,
                c.w - left_in - right_in - 2 * clearance, c.h - top_in - bottom_in - 2 * clearance)


def _moved(r: Rect, dx: float, dy: float) -> Rect:
    return Rect(r.x + dx, r.y + dy, r.w, r.h)


def board_slots(rows: int, cols: int, cell: tuple[float, float], area: Rect, seed: int, tab: float,
                present: set[tuple[int, int]] | None = None) -> tuple[tuple[int, int, Slot, jigsaw.Piece, float, float], ...]:
    """A jigsaw board centred at the top of `area`: one slot per present (row, col)."""
    return _board_slots(rows, cols, cell, area, seed, tab, frozenset(present) if present is not None else None)


@lru_cache(maxsize=64)  # every workplace of a batch cuts the same boards
def _board_slots(rows, cols, cell, area, seed, tab, present):
    w, h = cell
    b = jigsaw.board(rows, cols, cols * w, rows * h, seed=seed, tab_size=tab)
    ox = area.x + (area.w - b.width) / 2
    oy = area.y + max(0.0, (area.h - b.height) / 2)
    present = present if present is not None else {(p.row, p.col) for p in b.pieces}
    slots = []
    for piece in b.pieces:
        if (piece.row, piece.col) not in present:
            continue
        piece, edges = straightened(piece, rows, cols, present)
        box = _moved(inner_box(piece.cell, edges), ox, oy)
        slots.append((piece.row, piece.col, Slot(piece.svg_path(ox, oy), box), piece, ox, oy))
    return tuple(slots)


def card_path(r: Rect) -> str:
    return f"M {r.x:.3f} {r.y:.3f} H {r.right:.3f} V {r.bottom:.3f} H {r.x:.3f} Z"


def per_sheet(cell: tuple[float, float], area: Rect, style: str) -> tuple[int, int]:
    """How many columns and rows of pieces one sheet holds."""
    w, h = cell
    if style == "cards":
        return (math.floor((area.w - 2 * CARD_MARK_ROOM + CARD_GUTTER) / (w + CARD_GUTTER)),
                math.floor((area.h - 2 * CARD_MARK_ROOM + CARD_GUTTER) / (h + CARD_GUTTER)))
    return math.floor(area.w / w), math.floor(area.h / h)


def layout_pieces(n: int, cell: tuple[float, float], sheet: tuple[float, float], style: str,
                  seed: int, tab: float) -> list[tuple[list[Slot], list]]:
    """Slots for `n` pieces over as many sheets as needed, with crop marks for cards."""
    area = safe_area(*sheet)
    cols, rows = per_sheet(cell, area, style)
    if cols < 1 or rows < 1:
        raise ValueError(f"a piece of {cell[0]:g} x {cell[1]:g} mm does not fit the sheet")
    sheets = []
    for index, start in enumerate(range(0, n, cols * rows)):
        count = min(cols * rows, n - start)
        if style == "cards":
            inner = Rect(area.x + CARD_MARK_ROOM, area.y + CARD_MARK_ROOM,
                         area.w - 2 * CARD_MARK_ROOM, area.h - 2 * CARD_MARK_ROOM)
            rects = imposition.grid(count, *cell, inner, CARD_GUTTER)[0]
            slots = [Slot(card_path(r), r.inset(FRAME + CLEARANCE)) for r in rects]
            marks = [(p.x, p.y, q.x, q.y) for p, q in imposition.crop_marks(rects, length=3.5, offset=1.0)]
            sheets.append((slots, marks))
        else:
            c = min(cols, count) if count < cols else cols
            r = math.ceil(count / c)
            present = {(i // c, i % c) for i in range(count)}
            found = board_slots(r, c, cell, area, seed + 101 * index, tab, present)
            sheets.append(([slot for _, _, slot, *_ in found], []))
    return sheets


def question_sheets(material: Material, sheet: tuple[float, float], style: str) -> list[tuple[list[PlacedPiece], list]]:
    """The question pieces: one row per perspective, in order; jigsaw style makes them one board."""
    area = safe_area(*sheet)
    rows = len(material.perspectives)
    cols = max(len(p.questions) for p in material.perspectives)
    cell = question_cell(rows, cols, area)
    ordered = [(r, c, p, q) for r, p in enumerate(material.perspectives) for c, q in enumerate(p.questions)]
    if style == "cards":
        groups = [(slots, marks) for slots, marks in layout_pieces(len(ordered), cell, sheet, style, 0, 0.0)]
    else:
        present = {(r, c) for r, c, _, _ in ordered}
        found = board_slots(rows, cols, cell, area, material.seed, TAB_SIZE["question"], present)
        by_place = {(r, c): slot for r, c, slot, *_ in found}
        groups = [([by_place[(r, c)] for r, c, _, _ in ordered], [])]
    result, it = [], iter(ordered)
    for slots, marks in groups:
        pieces = []
        placed = list(zip(slots, it))
        # One size for the whole board, so the assembled puzzle reads as one.
        size = min((question_size(q.text, slot.box) or QUESTION_PT[1]) for slot, (_, _, _, q) in placed)
        for slot, (_, _, p, q) in placed:
            pieces.append(PlacedPiece("question", slot.path, slot.box, tint(p.colour, 0.16), p.colour,
                                      text=q.text, label=p.name, size_pt=size, ink=darken(p.colour)))
        result.append((pieces, marks))
    return result


def question_cell(rows: int, cols: int, area: Rect) -> tuple[float, float]:
    """Question pieces at their full size, or narrower where a workplace adds questions."""
    w, h = QUESTION_CELL
    return min(w, area.w / cols), min(h, area.h / rows)


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


def sheets(material: Material, options: Options, names) -> list[Sheet]:
    """Every sheet of the puzzle, fronts each followed by its back when backs are asked for."""
    W, H = imposition.sheet_size(options.paper, landscape=True)
    fronts: list[Sheet] = []

    def add(kind_name: str, groups: list[tuple[list[PlacedPiece], list]]):
        for i, (pieces, marks) in enumerate(groups, 1):
            title = f"{kind_name} {i}/{len(groups)}"
            fronts.append(Sheet(title, W, H, tuple(pieces), tuple(marks), footer_y=H - imposition.SAFE_MARGIN - FOOTER_MM + 1.5))

    add(names.questions, question_sheets(material, (W, H), options.style))

    pictures = material.pictures
    groups = layout_pieces(len(pictures), PICTURE_CELL, (W, H), options.style, material.seed + 7, TAB_SIZE["picture"])
    it = iter(pictures)
    from .render import data_uri

    add(names.pictures, [
        ([PlacedPiece("picture", s.path, s.box, PAPER_FILL, "#D9D3C7", image=data_uri(pic.image), alt=pic.caption)
          for s, pic in zip(slots, it)], marks)
        for slots, marks in groups
    ])

    words = list(material.keywords) + [""] * options.blank_keywords
    groups = layout_pieces(len(words), KEYWORD_CELL, (W, H), options.style, material.seed + 13, TAB_SIZE["keyword"])
    it = iter(words)
    add(names.keywords, [
        ([PlacedPiece("keyword", s.path, s.box, PAPER_FILL, "#CDBFE3", text=w, size_pt=keyword_size(w, s.box) or KEYWORD_PT[1])
          for s, w in zip(slots, it)], marks)
        for slots, marks in groups
    ])

    if not options.backs:
        return fronts
    result = []
    for front in fronts:
        result += [front, back_of(front, material, options, names)]
    return result


def back_of(front: Sheet, material: Material, options: Options, names) -> Sheet:
    """The back page: each piece's outline where the duplex printer puts it behind its front."""
    W, H = front.width, front.height
    a, *_ = imposition.back_transform(W, H, options.flip, options.back_offset)
    dx, dy = options.back_offset
    pieces = []
    for piece in front.pieces:
        path = mirror_path(piece.path, W, H, mirror_x=(a < 0), dx=dx, dy=dy)
        box = imposition.back_rect(piece.box, W, H, options.flip, options.back_offset)
        if piece.kind == "question":
            fill, frame, label = piece.frame, piece.frame, piece.label
        else:
            fill, frame, label = INK, INK, ""
        pieces.append(PlacedPiece(piece.kind, path, box, fill, frame, text=material.type.code, label=label,
                                  ink=readable_on(fill)))
    return Sheet(f"{names.back} – {front.title}", W, H, tuple(pieces), (), back_of=front.title, footer_y=front.footer_y)


def readable_on(colour: str) -> str:
    """White or ink, whichever reads better on `colour` (by relative luminance)."""
    r, g, b = (int(colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return INK if luminance > 0.45 else "#FFFFFF"


def darken(colour: str, factor: float = 0.78) -> str:
    """A darker shade of `colour`, for its name in small type on a light tint."""
    r, g, b = (round(int(colour.lstrip("#")[i:i + 2], 16) * factor) for i in (0, 2, 4))
    return f"#{r:02X}{g:02X}{b:02X}"


def mirror_path(path: str, W: float, H: float, mirror_x: bool, dx: float, dy: float) -> str:
    """SVG path data (absolute M/C/H/V/Z commands, as we write them) mirrored across the sheet."""
    out, tokens = [], path.split()
    axis = None
    i = 0
    coord = 0  # 0 = next number is x, 1 = y
    while i < len(tokens):
        t = tokens[i]
        if t in ("M", "C", "Z"):
            out.append(t)
            axis, coord = "xy", 0
        elif t in ("H", "V"):
            out.append(t)
            axis = "x" if t == "H" else "y"
        else:
            v = float(t)
            is_x = coord == 0 if axis == "xy" else axis == "x"
            if is_x:
                v = (W - v if mirror_x else v) + dx
            else:
                v = (v if mirror_x else H - v) + dy
            out.append(f"{v:.3f}")
            if axis == "xy":
                coord = 1 - coord
        i += 1
    return " ".join(out)


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


def fit_problems(cat: Catalogue) -> list[tuple[tuple, str]]:
    """Question and keyword texts that cannot fit their piece even at the smallest size."""
    if not any("puslespil" in t.products for t in cat.conversation_types):
        return []
    W, H = imposition.sheet_size("a4", landscape=True)
    area = safe_area(W, H)
    rows = len(cat.perspectives)
    cols = max(sum(q.perspective == p.id for q in cat.questions) for p in cat.perspectives) or 1
    cell = question_cell(rows, cols, area)
    found = board_slots(rows, cols, cell, area, cat.puzzle.seed, TAB_SIZE["question"])
    boxes = {(r, c): slot.box for r, c, slot, *_ in found}
    problems = []
    for r, p in enumerate(cat.perspectives):
        questions = [(i, q) for i, q in enumerate(cat.questions) if q.perspective == p.id]
        for c, (i, q) in enumerate(questions):
            for t in cat.conversation_types:
                if "puslespil" in t.products and t.id in q.wording and question_size(q.wording[t.id], boxes[(r, c)]) is None:
                    problems.append((("questions", i, "wording", t.id),
                                     f"too long for its puzzle piece even at {QUESTION_PT[1]:g} pt; shorten it"))
    inset = keyword_depth() + CLEARANCE  # a keyword piece with blanks on both sides
    keyword_box = Rect(0, 0, KEYWORD_CELL[0] - 2 * inset, KEYWORD_CELL[1] - 2 * inset)
    for i, p in enumerate(cat.perspectives):
        for j, k in enumerate(p.keywords):
            if keyword_size(k, keyword_box) is None:
                problems.append((("perspectives", i, "keywords", j),
                                 f"the keyword '{k}' is too long for its puzzle piece at {KEYWORD_PT[1]:g} pt on one line; shorten it"))
    return problems


def keyword_depth() -> float:
    """How deep a keyword piece's blank reaches in, at worst."""
    return jigsaw.tab_limits(TAB_SIZE["keyword"], 0.04).depth * min(KEYWORD_CELL)

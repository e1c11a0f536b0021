"""Home cutting machines that print then cut: where their marks go, the area they cut, and pieces packed into it.

A Silhouette finds a printed page by three marks its software draws ("Type 1": a filled
square at the top left, corner marks at the top right and bottom left); it cuts only
inside them and must see white around each. Cricut Design Space prints an image of at
most 6.75 x 9.25 in itself, with a frame of sensor marks of its own around it; an image
is all we give it. A board that does not fit is split into rectangular blocks of whole
pieces that still interlock across sheets, cut so as to need the fewest sheets; blocks share
sheets, first fit, each at the highest, then leftmost, place free for it. Pieces only move: no
piece is turned, so its text stays upright. All sizes are millimetres, y down.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..core.i18n import _
from .shapes import Point, Rect, union

GAP = 4.0
"""Between two blocks on one sheet: room for both pieces' bleed and a clean cut."""

CRICUT_MAX = (171.45, 234.95)
"""6.75 x 9.25 in: the largest Print Then Cut image Design Space prints on every machine (width, height)."""
CRICUT_IMAGE = (171.0, 234.0)
"""Every image samtale makes for a Cricut: the largest in whole millimetres, so one size is typed in for all."""


@dataclass(frozen=True)
class SilhouetteMarks:
    """Silhouette Studio's registration marks, style "Type 1" (CAMEO, Portrait, Curio).

    `inset` is from the paper's edge to the marks' outer edges (Studio allows no less than
    10 mm); `padding` keeps print and cut clear of each mark; `clearance` keeps cuts inside
    the lines through the marks. The user enters length, thickness and inset in Studio.
    """

    inset: float = 10.0
    length: float = 20.0
    thickness: float = 0.5
    square: float = 5.0
    padding: float = 5.0
    clearance: float = 1.0

    def rects(self, width: float, height: float) -> tuple[Rect, ...]:
        """The marks as filled rectangles: the square at the top left, then the top-right and the bottom-left corner."""
        i, n, t, s = self.inset, self.length, self.thickness, self.square
        return (
            Rect(i, i, s, s),
            Rect(width - i - n, i, n, t), Rect(width - i - t, i, t, n),
            Rect(i, height - i - t, n, t), Rect(i, height - i - n, t, n),
        )

    def keepouts(self, width: float, height: float) -> tuple[Rect, ...]:
        """Around each mark, what must stay white (print and cut alike)."""
        i, n, s, p = self.inset, self.length, self.square, self.padding
        return (Rect(i - p, i - p, s + 2 * p, s + 2 * p),
                Rect(width - i - n - p, i - p, n + 2 * p, n + 2 * p),
                Rect(i - p, height - i - n - p, n + 2 * p, n + 2 * p))

    def cut_area(self, width: float, height: float) -> Rect:
        """The rectangle the marks span, less the clearance: the knife stays inside it."""
        m = self.inset + self.clearance
        return Rect(m, m, width - 2 * m, height - 2 * m)


@dataclass(frozen=True)
class Region:
    """Where blocks may go on a sheet: an area less some rectangles kept out."""

    area: Rect
    keepouts: tuple[Rect, ...] = ()

    def place(self, w: float, h: float) -> Point | None:
        """The top-left corner for a w x h block: the highest free place, then the leftmost; None if none is free.

        A highest-then-leftmost place has a keep-out (or the area's edge) just above it and just left of it,
        so only those corners are tried.
        """
        a = self.area
        xs = sorted({a.x} | {k.right for k in self.keepouts if a.x < k.right < a.right})
        ys = sorted({a.y} | {k.bottom for k in self.keepouts if a.y < k.bottom < a.bottom})
        for y in ys:
            for x in xs:
                spot = Rect(x, y, w, h)
                if a.contains(spot) and not any(spot.overlaps(k) for k in self.keepouts):
                    return Point(x, y)
        return None

    def taking(self, r: Rect, gap: float) -> Region:
        """This region with `r` (and `gap` around it) taken."""
        return Region(self.area, (*self.keepouts, Rect(r.x - gap, r.y - gap, r.w + 2 * gap, r.h + 2 * gap)))


def silhouette_region(width: float, height: float, marks: SilhouetteMarks, footer: float) -> Region:
    """The cut area of a page with Type 1 marks, less their keep-outs and a band of `footer` mm at the bottom."""
    area = marks.cut_area(width, height)
    return Region(Rect(area.x, area.y, area.w, area.h - footer), marks.keepouts(width, height))


@dataclass(frozen=True)
class Cell:
    """One piece to place: the board it belongs to, its cell on that board and the room it takes (bleed included)."""

    board: int
    row: int
    col: int
    box: Rect


@dataclass(frozen=True)
class Placement:
    """Where a piece went: the sheet, and how far it moved from where its board had it."""

    sheet: int
    dx: float
    dy: float


def _shapes(cells: Sequence[tuple[int, Cell]], region: Region) -> list[tuple[tuple[int, int], list[list[tuple[int, Cell]]]]]:
    """Every way to cut one board into blocks of one shape (rows x columns, tiled from its first cell) whose blocks
    each fit the region, as ((rows, columns), blocks)."""
    r0, c0 = min(c.row for _, c in cells), min(c.col for _, c in cells)
    rows, cols = max(c.row for _, c in cells) - r0 + 1, max(c.col for _, c in cells) - c0 + 1
    found = []
    for nr in range(1, rows + 1):
        for nc in range(1, cols + 1):
            blocks = [[(k, c) for k, c in cells if br <= c.row - r0 < br + nr and bc <= c.col - c0 < bc + nc]
                      for br in range(0, rows, nr) for bc in range(0, cols, nc)]
            blocks = [b for b in blocks if b]
            if all(region.place(*_size(b)) is not None for b in blocks):
                found.append(((nr, nc), blocks))
    if not found:
        w, h = max((_size([kc]) for kc in cells), key=lambda s: s[0] * s[1])
        raise ValueError(_("a piece of {width} x {height} mm does not fit the {area_width} x {area_height} mm cut area").format(
            width=f"{w:.0f}", height=f"{h:.0f}", area_width=f"{region.area.w:.0f}", area_height=f"{region.area.h:.0f}"))
    return found


def _size(block: Sequence[tuple[int, Cell]]) -> tuple[float, float]:
    box = union([c.box for _, c in block])
    return box.w, box.h


def _first_fit(sheets: list[Region], blocks: Sequence[Sequence[tuple[int, Cell]]], region: Region, gap: float
               ) -> tuple[list[Region], dict[int, Placement]]:
    """The blocks put, in order, on the first sheet with room for each (a new sheet when none has)."""
    sheets = list(sheets)
    found: dict[int, Placement] = {}
    for block in blocks:
        box = union([c.box for _, c in block])
        n, corner = next((n, corner) for n, room in enumerate([*sheets, region])
                         if (corner := room.place(box.w, box.h)) is not None)  # an empty sheet holds any block (_shapes)
        if n == len(sheets):
            sheets.append(region)
        sheets[n] = sheets[n].taking(Rect(corner.x, corner.y, box.w, box.h), gap)
        found.update({k: Placement(n, corner.x - box.x, corner.y - box.y) for k, _ in block})
    return sheets, found


def pack(cells: Sequence[Cell], region: Region, gap: float = GAP) -> list[Placement]:
    """Every piece on a sheet whose `region` holds it; returns each cell's placement, in the order given.

    Boards are taken in order. Each is cut into the blocks of one shape and put first fit on the sheets so
    far: of the shapes, the one that needs the fewest sheets wins, then the fewest blocks (pieces kept
    together), then full rows, then wider blocks; so a board that fills the room a board before it left is
    cut to fit there.
    """
    boards: dict[int, list[tuple[int, Cell]]] = {}
    for k, c in enumerate(cells):
        boards.setdefault(c.board, []).append((k, c))
    sheets: list[Region] = []
    found: dict[int, Placement] = {}
    for board in boards.values():
        cols = max(c.col for _, c in board) - min(c.col for _, c in board) + 1
        trials = []
        for (nr, nc), blocks in _shapes(board, region):
            after, where = _first_fit(sheets, blocks, region, gap)
            trials.append(((len(after), len(blocks), nc != cols, -nc, nr), after, where))
        _, sheets, where = min(trials, key=lambda t: t[0])
        found.update(where)
    return [found[k] for k in range(len(cells))]


def cricut_region(margin: float, footer: float) -> Region:
    """Where pieces go in a Print Then Cut image: inside CRICUT_IMAGE, less a margin and a footer band."""
    w, h = CRICUT_IMAGE
    return Region(Rect(margin, margin, w - 2 * margin, h - 2 * margin - footer))

"""Imposition: where pieces go on printed sheets, in millimetres (origin top-left, y down).

Boards packed onto sheets, cards in bands with their crop marks, and the duplex mirror that puts each back exactly behind its front.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal

from .shapes import Cubic, Point, Rect

Flip = Literal["long", "short"]

_EPS = 1e-9


def centre(content_w: float, content_h: float, area: Rect) -> Point:
    """Top-left corner that centres content in area."""
    return Point(area.x + (area.w - content_w) / 2, area.y + (area.h - content_h) / 2)


# --- boards: each kind's pieces as grids in the room the sheet has left ---------------------


@dataclass(frozen=True)
class Group:
    """Pieces of one kind to place: how many, the cell of each, and a fixed (cols, rows) for a
    board that may not be split (the question board, one row per perspective).

    A block of the group takes at least min_cols columns and min_pieces pieces where it has
    that many left: on a board cut into rows, a piece alone in its row has no knob.
    """

    count: int
    cell: tuple[float, float]
    shape: tuple[int, int] | None = None
    min_cols: int = 1
    min_pieces: int = 1


@dataclass(frozen=True)
class Block:
    """Items first .. first + count - 1 of a group, as a grid of cols x rows cells on one sheet."""

    group: int
    first: int
    count: int
    x: float
    y: float
    cols: int
    rows: int
    cell: tuple[float, float]

    @property
    def rect(self) -> Rect:
        return Rect(self.x, self.y, self.cols * self.cell[0], self.rows * self.cell[1])


def pack(groups: Sequence[Group], area: Rect, gap: float) -> list[list[Block]]:
    """Place the groups, in order, on as few sheets as the room allows: every sheet is filled
    before the next is started, so a kind begins in the space the kind before it left.

    Each block goes to the top-left of a free rectangle, which is then cut in two
    (guillotine style, `gap` mm apart); a group that does not fill a rectangle takes the
    narrowest grid with the fewest empty cells, leaving the most room beside it. Blocks
    keep their groups' least columns and pieces, unless giving that up saves a sheet.
    The blocks of each sheet are centred in `area` together.
    """
    strict = _pack(groups, area, gap)
    loose = _pack([replace(g, min_cols=1, min_pieces=1) for g in groups], area, gap)
    return loose if len(loose) < len(strict) else strict


def _pack(groups: Sequence[Group], area: Rect, gap: float) -> list[list[Block]]:
    sheets: list[list[Block]] = []
    free: list[tuple[int, Rect]] = []
    for g, group in enumerate(groups):
        first = 0
        while first < group.count:
            left = group.count - first
            room = [(k, sheet, region, shape) for k, (sheet, region) in enumerate(free)
                    if (shape := _shape(group, left, region)) is not None]
            if not room:
                if not _shape(group, left, area):
                    w, h = group.cell
                    raise ValueError(f"a piece of {w:g} x {h:g} mm does not fit the {area.w:g} x {area.h:g} mm area")
                sheets.append([])
                free.append((len(sheets) - 1, area))
                continue
            k, sheet, region, (cols, rows, n) = room[0]
            sheets[sheet].append(Block(g, first, n, region.x, region.y, cols, rows, group.cell))
            free[k : k + 1] = [(sheet, r) for r in _split(region, cols * group.cell[0], rows * group.cell[1], gap)]
            first += n
    return [_centred(blocks, area) for blocks in sheets]


def _shape(group: Group, left: int, region: Rect) -> tuple[int, int, int] | None:
    """(cols, rows, pieces) of the grid the group's next pieces take in region, or None if none fits."""
    w, h = group.cell
    if group.shape is not None:
        cols, rows = group.shape
        fits = cols * w <= region.w + _EPS and rows * h <= region.h + _EPS
        return (cols, rows, left) if fits else None
    max_cols, max_rows = _fit(region.w, w), _fit(region.h, h)
    n = min(left, max_cols * max_rows)
    least_cols = min(group.min_cols, left)
    if max_cols < least_cols or n < min(group.min_pieces, left) or n == 0:
        return None
    cols = min(range(max(least_cols, math.ceil(n / max_rows)), max_cols + 1), key=lambda c: (c * math.ceil(n / c) - n, c))
    return cols, math.ceil(n / cols), n


def _fit(size: float, item: float) -> int:
    return max(0, math.floor(size / item + _EPS))


def _split(region: Rect, w: float, h: float, gap: float) -> list[Rect]:
    """The free rectangles right of and below a w x h block at region's top-left corner.

    Of the two guillotine cuts (down the block's right side, or across under it), the one
    that leaves the larger single rectangle.
    """
    right_w, below_h = region.w - w - gap, region.h - h - gap
    tall = [Rect(region.x + w + gap, region.y, right_w, region.h), Rect(region.x, region.y + h + gap, w, below_h)]
    wide = [Rect(region.x + w + gap, region.y, right_w, h), Rect(region.x, region.y + h + gap, region.w, below_h)]
    best = max((tall, wide), key=lambda rs: max(r.w * r.h if r.w > 0 and r.h > 0 else 0.0 for r in rs))
    return [r for r in best if r.w > _EPS and r.h > _EPS]


def _centred(blocks: list[Block], area: Rect) -> list[Block]:
    x0, y0 = min(b.x for b in blocks), min(b.y for b in blocks)
    x1, y1 = max(b.rect.right for b in blocks), max(b.rect.bottom for b in blocks)
    dx, dy = area.x + (area.w - (x1 - x0)) / 2 - x0, area.y + (area.h - (y1 - y0)) / 2 - y0
    return [replace(b, x=b.x + dx, y=b.y + dy) for b in blocks]


# --- cards: one butted block per sheet, cut through and through ----------------------------


@dataclass(frozen=True)
class Card:
    """One card on a sheet of cards: its group and index, its column and its top and height in units."""

    group: int
    index: int
    sheet: int
    col: int
    top: int
    units: int


def bands(groups: Sequence[tuple[int, int]], cols: int, units: int) -> list[list[Card]]:
    """Cards (count, height in units) of every group, in bands across a block cols wide and units high.

    A band is a row of cards of one group, so every cut between bands runs across the
    whole block and is marked at both ends; each group starts a band of its own. The empty
    cells at the end of a group's last band take later groups' shorter cards, stacked
    (their cuts reach the block's right side, where they are marked). A sheet is full when
    no band fits.
    """
    if cols < 1 or units < 1:
        raise ValueError(f"a block of {cols} x {units} holds no card")
    sheets: list[list[Card]] = []
    hosts: list[tuple[int, int, int, int]] = []  # empty cells: sheet, col, top, units
    used = units
    for g, (count, height) in enumerate(groups):
        if height > units:
            raise ValueError(f"cards {height} units high do not fit a block {units} units high")
        i = 0
        for host in list(hosts):
            sheet, col, top, room = host
            if i == count or height >= room:
                continue
            for k in range(room // height):
                if i < count:
                    sheets[sheet].append(Card(g, i, sheet, col, top + k * height, height))
                    i += 1
            hosts.remove(host)
        while i < count:
            if used + height > units:
                sheets.append([])
                used = 0
            for col in range(cols):
                if i < count:
                    sheets[-1].append(Card(g, i, len(sheets) - 1, col, used, height))
                    i += 1
                else:
                    hosts.append((len(sheets) - 1, col, used, height))
            used += height
    return sheets


def block_marks(cards: Sequence[Rect], block: Rect, start: float, end: float) -> list[tuple[Point, Point]]:
    """Crop marks outside a block of butted cards, from `start` to `end` mm beyond its edge.

    Every line a card edge lies on is marked where it leaves the block, on each side where
    the first card the line meets from that side has its edge on it (the cut does not
    enter a card): a cut between two bands at both ends, a cut between cards stacked in
    the last columns only at the right.
    """
    marks: list[tuple[Point, Point]] = []
    xs = sorted({round(x, 6) for r in cards for x in (r.x, r.right)})
    ys = sorted({round(y, 6) for r in cards for y in (r.y, r.bottom)})
    for x in xs:
        met = [r for r in cards if r.x - 1e-6 <= x <= r.right + 1e-6]
        first, last = min(met, key=lambda r: r.y), max(met, key=lambda r: r.bottom)
        if _on_edge(x, first.x, first.right):
            marks.append((Point(x, block.y - start), Point(x, block.y - end)))
        if _on_edge(x, last.x, last.right):
            marks.append((Point(x, block.bottom + start), Point(x, block.bottom + end)))
    for y in ys:
        met = [r for r in cards if r.y - 1e-6 <= y <= r.bottom + 1e-6]
        first, last = min(met, key=lambda r: r.x), max(met, key=lambda r: r.right)
        if _on_edge(y, first.y, first.bottom):
            marks.append((Point(block.x - start, y), Point(block.x - end, y)))
        if _on_edge(y, last.y, last.bottom):
            marks.append((Point(block.right + start, y), Point(block.right + end, y)))
    return marks


def _on_edge(v: float, lo: float, hi: float) -> bool:
    return abs(v - lo) < 1e-6 or abs(v - hi) < 1e-6


def _mirrors_x(sheet_w: float, sheet_h: float, flip: Flip) -> bool:
    """Whether turning the sheet over mirrors x (else y).

    The sheet turns about the axis parallel to the named edge: on a landscape sheet the
    long edge is horizontal, so "long" mirrors y; on a portrait sheet it is vertical.
    """
    if flip not in ("long", "short"):
        raise ValueError(f"flip must be 'long' or 'short', not {flip!r}")
    landscape = sheet_w > sheet_h
    return (flip == "short") if landscape else (flip == "long")


@dataclass(frozen=True)
class Mirror:
    """Where the duplex printer puts the back of each point of a front: the one back transform.

    offset (mm, on the back page) corrects the printer's front-to-back misregistration,
    as measured on the calibration sheet.
    """

    sheet_w: float
    sheet_h: float
    mirror_x: bool
    offset: tuple[float, float] = (0.0, 0.0)

    @property
    def matrix(self) -> tuple[float, float, float, float, float, float]:
        """The mapping as an SVG/PDF matrix (a, b, c, d, e, f): x' = a x + c y + e, y' = b x + d y + f."""
        dx, dy = self.offset
        if self.mirror_x:
            return (-1.0, 0.0, 0.0, 1.0, self.sheet_w + dx, dy)
        return (1.0, 0.0, 0.0, -1.0, dx, self.sheet_h + dy)

    def point(self, p: Point) -> Point:
        dx, dy = self.offset
        if self.mirror_x:
            return Point(self.sheet_w - p.x + dx, p.y + dy)
        return Point(p.x + dx, self.sheet_h - p.y + dy)

    def rect(self, r: Rect) -> Rect:
        dx, dy = self.offset
        if self.mirror_x:
            return Rect(self.sheet_w - r.right + dx, r.y + dy, r.w, r.h)
        return Rect(r.x + dx, self.sheet_h - r.bottom + dy, r.w, r.h)

    def outline(self, outline: Sequence[Cubic]) -> tuple[Cubic, ...]:
        """An outline drawn on the back, point for point (its direction turns, which filling ignores)."""
        f = self.point
        return tuple(Cubic(f(c.p0), f(c.c1), f(c.c2), f(c.p3)) for c in outline)


def back_mirror(sheet_w: float, sheet_h: float, flip: Flip, offset: tuple[float, float] = (0.0, 0.0)) -> Mirror:
    """The mirror of a sheet turned over its long or short edge."""
    return Mirror(sheet_w, sheet_h, _mirrors_x(sheet_w, sheet_h, flip), offset)


@dataclass(frozen=True)
class Finish:
    """What a print shop's page carries besides what its template draws, in mm from the trim's top left (y down):
    the cut lines (SVG path data), printed as the CutContour spot colour, and marks in the registration colour."""

    cuts: tuple[str, ...] = ()
    marks: tuple[tuple[float, float, float, float], ...] = ()  # lines: x1, y1, x2, y2

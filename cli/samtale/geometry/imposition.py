"""Imposition: where pieces go on printed sheets, in millimetres (origin top-left, y down).

Card grids, crop marks and the duplex mirror that puts each back exactly behind its front.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from .shapes import Cubic, Point, Rect

Flip = Literal["long", "short"]

_EPS = 1e-9


def centre(content_w: float, content_h: float, area: Rect) -> Point:
    """Top-left corner that centres content in area."""
    return Point(area.x + (area.w - content_w) / 2, area.y + (area.h - content_h) / 2)


def _fit(size: float, item: float, gutter: float) -> int:
    # n items and n - 1 gutters fit if n * (item + gutter) <= size + gutter
    return max(0, math.floor((size + gutter) / (item + gutter) + _EPS))


def grid(n: int, item_w: float, item_h: float, area: Rect, gutter: float) -> list[list[Rect]]:
    """Place n items of item_w x item_h mm on as few pages as possible, row-major.

    Every page uses the same full grid, centred in area, so a part-filled last page
    puts its items where they are on the other pages and one cutting routine fits all.
    """
    if n < 0:
        raise ValueError(f"cannot place {n} items")
    if item_w <= 0 or item_h <= 0:
        raise ValueError(f"item size must be positive, not {item_w} x {item_h} mm")
    if gutter < 0:
        raise ValueError(f"gutter must not be negative, not {gutter} mm")
    cols, rows = _fit(area.w, item_w, gutter), _fit(area.h, item_h, gutter)
    if cols == 0 or rows == 0:
        raise ValueError(
            f"an item of {item_w} x {item_h} mm does not fit in the {area.w:g} x {area.h:g} mm safe area"
        )
    origin = centre(cols * item_w + (cols - 1) * gutter, rows * item_h + (rows - 1) * gutter, area)
    slots = [
        Rect(origin.x + c * (item_w + gutter), origin.y + r * (item_h + gutter), item_w, item_h)
        for r in range(rows)
        for c in range(cols)
    ]
    per_page = len(slots)
    return [slots[: min(per_page, n - start)] for start in range(0, n, per_page)]


def crop_marks(
    rects: Sequence[Rect], length: float = 4.0, offset: float = 1.5
) -> list[tuple[Point, Point]]:
    """Guillotine marks: short lines continuing each card edge beyond its corners.

    A mark stops offset mm short of the corner so a slightly off cut does not show it,
    and a mark that would touch any card is dropped, since it would print on that card.
    """
    marks: list[tuple[Point, Point]] = []
    seen: set[tuple[float, float, float, float]] = set()
    near, far = offset, offset + length
    for r in rects:
        corners = [(r.x, r.y, -1, -1), (r.right, r.y, 1, -1), (r.right, r.bottom, 1, 1), (r.x, r.bottom, -1, 1)]
        for x, y, sx, sy in corners:
            for mark in (
                (Point(x + sx * near, y), Point(x + sx * far, y)),  # along the horizontal edge
                (Point(x, y + sy * near), Point(x, y + sy * far)),  # along the vertical edge
            ):
                key = (mark[0].x, mark[0].y, mark[1].x, mark[1].y)
                if key in seen or any(_touches(mark, other) for other in rects):
                    continue
                seen.add(key)
                marks.append(mark)
    return marks


def _touches(mark: tuple[Point, Point], r: Rect) -> bool:
    """Whether an axis-parallel segment meets the closed rectangle r."""
    (p, q) = mark
    x0, x1 = sorted((p.x, q.x))
    y0, y1 = sorted((p.y, q.y))
    return x0 <= r.right + _EPS and x1 >= r.x - _EPS and y0 <= r.bottom + _EPS and y1 >= r.y - _EPS


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

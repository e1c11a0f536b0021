"""Points, rectangles and cubic Béziers in millimetres (origin top-left, y down), and SVG path data.

Every outline samtale cuts or draws is a closed chain of cubics; a straight edge is a
degenerate cubic, so one kind of segment serves jigsaw pieces and cards alike.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

_EPS = 1e-9
_SAMPLES_PER_CURVE = 48


@dataclass(frozen=True)
class Point:
    x: float
    y: float


@dataclass(frozen=True)
class Cubic:
    """One cubic Bézier segment."""

    p0: Point
    c1: Point
    c2: Point
    p3: Point

    def at(self, s: float) -> Point:
        m = 1.0 - s
        w0, w1, w2, w3 = m * m * m, 3 * m * m * s, 3 * m * s * s, s * s * s
        return Point(
            w0 * self.p0.x + w1 * self.c1.x + w2 * self.c2.x + w3 * self.p3.x,
            w0 * self.p0.y + w1 * self.c1.y + w2 * self.c2.y + w3 * self.p3.y,
        )

    def reversed(self) -> Cubic:
        return Cubic(self.p3, self.c2, self.c1, self.p0)

    def points(self, n: int = _SAMPLES_PER_CURVE) -> list[Point]:
        """n + 1 points along the curve, both ends included (for flattening)."""
        return [self.at(i / n) for i in range(n + 1)]

    def bounds(self) -> Rect:
        """Exact bounding box, from the end points and the zeros of the derivative."""
        xs = [self.p0.x, self.p3.x]
        ys = [self.p0.y, self.p3.y]
        for s in _extrema(self.p0.x, self.c1.x, self.c2.x, self.p3.x):
            xs.append(self.at(s).x)
        for s in _extrema(self.p0.y, self.c1.y, self.c2.y, self.p3.y):
            ys.append(self.at(s).y)
        return Rect(min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys))


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h

    def contains(self, other: Rect, tol: float = _EPS) -> bool:
        return (
            other.x >= self.x - tol
            and other.y >= self.y - tol
            and other.right <= self.right + tol
            and other.bottom <= self.bottom + tol
        )

    def contains_point(self, p: Point, tol: float = _EPS) -> bool:
        return self.x - tol <= p.x <= self.right + tol and self.y - tol <= p.y <= self.bottom + tol

    def overlaps(self, other: Rect, tol: float = _EPS) -> bool:
        """True if the interiors intersect; rectangles that only touch do not overlap."""
        return (
            self.x < other.right - tol
            and other.x < self.right - tol
            and self.y < other.bottom - tol
            and other.y < self.bottom - tol
        )

    def inset(self, d: float) -> Rect:
        return Rect(self.x + d, self.y + d, self.w - 2 * d, self.h - 2 * d)

    def moved(self, dx: float, dy: float) -> Rect:
        return Rect(self.x + dx, self.y + dy, self.w, self.h)


def _extrema(a: float, b: float, c: float, d: float) -> list[float]:
    """Parameters in (0, 1) where one coordinate of a cubic Bézier has zero derivative."""
    # B'(s)/3 = qa s^2 + qb s + qc
    qa = -a + 3 * b - 3 * c + d
    qb = 2 * (a - 2 * b + c)
    qc = b - a
    if abs(qa) < 1e-12:
        roots = [] if abs(qb) < 1e-12 else [-qc / qb]
    else:
        disc = qb * qb - 4 * qa * qc
        if disc < 0:
            return []
        r = math.sqrt(disc)
        roots = [(-qb + r) / (2 * qa), (-qb - r) / (2 * qa)]
    return [s for s in roots if 0.0 < s < 1.0]


def line(p: Point, q: Point) -> Cubic:
    """A straight edge as a degenerate cubic, so every outline is one kind of segment."""
    return Cubic(
        p,
        Point(p.x + (q.x - p.x) / 3, p.y + (q.y - p.y) / 3),
        Point(p.x + 2 * (q.x - p.x) / 3, p.y + 2 * (q.y - p.y) / 3),
        q,
    )


def fmt(v: float) -> str:
    """A coordinate in at most three decimals, as SVG path data writes it."""
    s = f"{round(v, 3):.3f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def svg_path(outline: Sequence[Cubic], dx: float = 0.0, dy: float = 0.0, scale: float = 1.0) -> str:
    """A closed outline as SVG path data; each point is drawn at ((x + dx) * scale, (y + dy) * scale)."""

    def pt(p: Point) -> str:
        return f"{fmt((p.x + dx) * scale)} {fmt((p.y + dy) * scale)}"

    parts = [f"M {pt(outline[0].p0)}"]
    parts += [f"C {pt(c.c1)} {pt(c.c2)} {pt(c.p3)}" for c in outline]
    parts.append("Z")
    return " ".join(parts)


def rect_path(r: Rect) -> str:
    """A rectangle as SVG path data with straight lines (a card's outline)."""
    return f"M {r.x:.3f} {r.y:.3f} H {r.right:.3f} V {r.bottom:.3f} H {r.x:.3f} Z"


def union(rects: Sequence[Rect]) -> Rect:
    """The smallest rectangle holding all of `rects`."""
    x0, y0 = min(r.x for r in rects), min(r.y for r in rects)
    x1, y1 = max(r.right for r in rects), max(r.bottom for r in rects)
    return Rect(x0, y0, x1 - x0, y1 - y0)

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
_RADIUS_SAMPLES = 128  # the tightest turn of a jigsaw curve is found to 0.1 % this way


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

    def velocity(self, s: float) -> Point:
        """The first derivative B'(s)."""
        m = 1.0 - s
        return Point(
            3 * (m * m * (self.c1.x - self.p0.x) + 2 * m * s * (self.c2.x - self.c1.x) + s * s * (self.p3.x - self.c2.x)),
            3 * (m * m * (self.c1.y - self.p0.y) + 2 * m * s * (self.c2.y - self.c1.y) + s * s * (self.p3.y - self.c2.y)),
        )

    def acceleration(self, s: float) -> Point:
        """The second derivative B''(s)."""
        m = 1.0 - s
        return Point(
            6 * (m * (self.c2.x - 2 * self.c1.x + self.p0.x) + s * (self.p3.x - 2 * self.c2.x + self.c1.x)),
            6 * (m * (self.c2.y - 2 * self.c1.y + self.p0.y) + s * (self.p3.y - 2 * self.c2.y + self.c1.y)),
        )

    def radius(self, s: float) -> float:
        """Radius of curvature at s, |B'|^3 / |B' x B''|, from the exact derivatives (inf where straight)."""
        v, a = self.velocity(s), self.acceleration(s)
        cross = abs(v.x * a.y - v.y * a.x)
        speed = math.hypot(v.x, v.y)
        return math.inf if cross <= 1e-12 * max(1.0, speed**3) else speed**3 / cross

    def min_radius(self, samples: int = _RADIUS_SAMPLES) -> float:
        """The tightest radius of curvature along the curve: what a pair of scissors has to turn."""
        return min(self.radius(i / samples) for i in range(samples + 1))

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


def bled(sides: Sequence[Sequence[Cubic]], outer: Sequence[bool], bleed: float) -> tuple[Cubic, ...]:
    """An outline grown by `bleed` mm past each outer side, and not at all past the others.

    `sides` are the top, right, bottom and left edge of a piece, clockwise, each from corner
    to corner; an outer side (no neighbour beyond it) must be one straight, axis-parallel
    line. Where an inner cut meets an outer side it runs on straight into the bleed, so two
    neighbours' bleeds meet on the extension of their shared cut and never overlap.
    """
    corners = [side[0].p0 for side in sides]  # top-left, top-right, bottom-right, bottom-left
    normals = [(0.0, -1.0), (1.0, 0.0), (0.0, 1.0), (-1.0, 0.0)]

    def grown(i: int) -> Point:
        # corner i lies between side i - 1 (arriving) and side i (leaving)
        dx = dy = 0.0
        for side in ((i - 1) % 4, i):
            if outer[side]:
                dx, dy = dx + normals[side][0] * bleed, dy + normals[side][1] * bleed
        return Point(corners[i].x + dx, corners[i].y + dy)

    out: list[Cubic] = []
    for i in range(4):
        start, end = grown(i), grown((i + 1) % 4)
        if outer[i]:
            out.append(line(start, end))
            continue
        if start != corners[i]:
            out.append(line(start, corners[i]))
        out.extend(sides[i])
        if end != corners[(i + 1) % 4]:
            out.append(line(corners[(i + 1) % 4], end))
    return tuple(out)

"""Cut geometry: the unique cut lines of laid-out pieces, their length, and a short order to cut them in.

Pieces come in as closed outlines on a sheet (mm, origin top-left, y down); an edge two
pieces share is in both outlines, once each way. `unique_segments` keeps every curve once
and joins curves into segments (an inner jigsaw edge is one segment of three curves, the
board's frame is split where an inner edge reaches it); `plan` chains segments into paths
the knife follows without lifting and orders them so that the head travels little.
Nothing here reads or writes files.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from .shapes import Cubic, Point, Rect, fmt, line, union

TOLERANCE = 0.01
"""Flattening tolerance (mm): no point of a curve lies farther than this from its polyline."""
SNAP = 1e-6
"""Points closer than this (mm) are one point: a corner computed from two pieces."""
ORIGIN = Point(0.0, 0.0)

Outline = tuple[Cubic, ...]


# --- curves ---------------------------------------------------------------------------------


def _chord_distance(p: Point, a: Point, b: Point) -> float:
    dx, dy = b.x - a.x, b.y - a.y
    n = math.hypot(dx, dy)
    if n < 1e-12:
        return math.hypot(p.x - a.x, p.y - a.y)
    return abs((p.x - a.x) * dy - (p.y - a.y) * dx) / n


def _flat(c: Cubic, tol: float) -> bool:
    # A cubic stays within 3/4 of its control points' distance from its chord.
    return max(_chord_distance(c.c1, c.p0, c.p3), _chord_distance(c.c2, c.p0, c.p3)) * 0.75 <= tol


def is_straight(c: Cubic) -> bool:
    return _flat(c, 1e-9)


def _mid(p: Point, q: Point) -> Point:
    return Point((p.x + q.x) / 2, (p.y + q.y) / 2)


def _halves(c: Cubic) -> tuple[Cubic, Cubic]:
    a, b, d = _mid(c.p0, c.c1), _mid(c.c1, c.c2), _mid(c.c2, c.p3)
    e, f = _mid(a, b), _mid(b, d)
    g = _mid(e, f)
    return Cubic(c.p0, a, e, g), Cubic(g, f, d, c.p3)


def _flat_pieces(c: Cubic, tol: float) -> list[Cubic]:
    """c cut (de Casteljau, adaptively) into pieces each within `tol` of its chord, in order."""
    out: list[Cubic] = []
    stack = [(c, 0)]
    while stack:
        cur, depth = stack.pop()
        if depth >= 24 or _flat(cur, tol):
            out.append(cur)
        else:
            first, second = _halves(cur)
            stack += [(second, depth + 1), (first, depth + 1)]
    return out


def flatten(c: Cubic, tol: float = TOLERANCE) -> list[Point]:
    """The curve as a polyline within `tol` mm of it, both ends included."""
    return [c.p0] + [p.p3 for p in _flat_pieces(c, tol)]


def polyline(curves: Sequence[Cubic], tol: float = TOLERANCE) -> list[Point]:
    """Consecutive curves as one polyline (a shared end point once)."""
    pts: list[Point] = []
    for c in curves:
        flat = flatten(c, tol)
        pts.extend(flat if not pts else flat[1:])
    return pts


_GAUSS = ((0.0, 128 / 225), (-0.5384693101056831, 0.4786286704993665), (0.5384693101056831, 0.4786286704993665),
          (-0.9061798459386640, 0.2369268850561891), (0.9061798459386640, 0.2369268850561891))


def curve_length(c: Cubic, tol: float = TOLERANCE) -> float:
    """Arc length (mm): five-point Gauss-Legendre on each flat piece, exact far below a micrometre."""
    total = 0.0
    for p in _flat_pieces(c, tol):
        for x, w in _GAUSS:
            v = p.velocity((x + 1) / 2)
            total += w * math.hypot(v.x, v.y) / 2
    return total


def length(curves: Iterable[Cubic], tol: float = TOLERANCE) -> float:
    return sum(curve_length(c, tol) for c in curves)


def bounds(curves: Iterable[Cubic]) -> Rect:
    """The exact bounding box of some curves."""
    return union([c.bounds() for c in curves])


def rect_outline(r: Rect) -> Outline:
    """A card's outline, clockwise from its top-left corner."""
    tl, tr, br, bl = Point(r.x, r.y), Point(r.right, r.y), Point(r.right, r.bottom), Point(r.x, r.bottom)
    return (line(tl, tr), line(tr, br), line(br, bl), line(bl, tl))


# --- unique segments ----------------------------------------------------------------------------


class _Snap:
    """Numbers points, taking points within SNAP of each other as one."""

    def __init__(self) -> None:
        self.cells: dict[tuple[int, int], list[int]] = defaultdict(list)
        self.points: list[Point] = []

    def id(self, p: Point) -> int:
        kx, ky = round(p.x / SNAP), round(p.y / SNAP)
        for i in range(kx - 1, kx + 2):
            for j in range(ky - 1, ky + 2):
                for n in self.cells.get((i, j), ()):
                    q = self.points[n]
                    if abs(q.x - p.x) <= SNAP and abs(q.y - p.y) <= SNAP:
                        return n
        self.points.append(p)
        self.cells[(kx, ky)].append(len(self.points) - 1)
        return len(self.points) - 1


def _reverse(curves: Sequence[Cubic]) -> Outline:
    return tuple(c.reversed() for c in reversed(curves))


@dataclass(frozen=True)
class Segment:
    """A run of curves between two meeting points: an edge between two pieces, or a stretch of a frame."""

    curves: Outline
    owners: frozenset[Hashable]  # the pieces whose outline holds it: two for an inner edge

    @property
    def inner(self) -> bool:
        return len(self.owners) > 1


def unique_segments(outlines: Mapping[Hashable, Sequence[Cubic]]) -> list[Segment]:
    """Every curve of every outline once, joined into segments.

    Curves join where exactly two meet and both belong to the same pieces; any other
    meeting point (a corner where an inner edge reaches the frame, a change of owner)
    ends a segment. The segments together are the outlines' union, and no curve is in
    two of them. A curve and its reverse are one curve (their points snapped to SNAP).
    """
    snap = _Snap()
    curves: list[Cubic] = []
    owners: list[set[Hashable]] = []
    index: dict[tuple[int, ...], int] = {}
    for key, outline in outlines.items():
        for c in outline:
            ids = tuple(snap.id(p) for p in (c.p0, c.c1, c.c2, c.p3))
            k, forward = (ids, True) if ids <= ids[::-1] else (ids[::-1], False)
            if k not in index:
                index[k] = len(curves)
                curves.append(c if forward else c.reversed())
                owners.append(set())
            owners[index[k]].add(key)
    ends = [(snap.id(c.p0), snap.id(c.p3)) for c in curves]
    at: dict[int, list[int]] = defaultdict(list)
    for i, (a, b) in enumerate(ends):
        at[a].append(i)
        if b != a:
            at[b].append(i)

    def onward(node: int, i: int) -> int | None:
        """The curve that continues curve i through node, if the segment goes on."""
        here = at[node]
        if len(here) != 2:
            return None
        j = here[0] if here[1] == i else here[1]
        return j if j != i and owners[j] == owners[i] else None

    used = [False] * len(curves)
    segments = []
    for i in range(len(curves)):
        if used[i]:
            continue
        used[i] = True
        run = [curves[i]]
        for forward in (True, False):
            cur, node = i, ends[i][1] if forward else ends[i][0]
            while (j := onward(node, cur)) is not None and not used[j]:
                used[j] = True
                a, b = ends[j]
                if forward:
                    run.append(curves[j] if a == node else curves[j].reversed())
                    node = b if a == node else a
                else:
                    run.insert(0, curves[j] if b == node else curves[j].reversed())
                    node = a if b == node else b
                cur = j
        segments.append(Segment(tuple(run), frozenset(owners[i])))
    return segments


# --- paths and their order ------------------------------------------------------------------


@dataclass(frozen=True)
class CutPath:
    """Curves cut without lifting the knife, in the direction of cutting."""

    curves: Outline

    @property
    def start(self) -> Point:
        return self.curves[0].p0

    @property
    def end(self) -> Point:
        return self.curves[-1].p3

    @property
    def closed(self) -> bool:
        return math.hypot(self.start.x - self.end.x, self.start.y - self.end.y) <= SNAP

    def reversed(self) -> CutPath:
        return CutPath(_reverse(self.curves))

    def length(self, tol: float = TOLERANCE) -> float:
        return length(self.curves, tol)

    def svg(self) -> str:
        """SVG path data in mm: straight curves as lines, the others as cubics."""
        def pt(p: Point) -> str:
            return f"{fmt(p.x)} {fmt(p.y)}"

        parts = [f"M {pt(self.start)}"]
        parts += [f"L {pt(c.p3)}" if is_straight(c) else f"C {pt(c.c1)} {pt(c.c2)} {pt(c.p3)}" for c in self.curves]
        if self.closed:
            parts.append("Z")
        return " ".join(parts)


def _heading(curves: Sequence[Cubic], at_end: bool) -> tuple[float, float]:
    """The unit direction of travel at the start (or the end) of some curves."""
    c = curves[-1] if at_end else curves[0]
    pairs = [(c.p3, c.c2), (c.p3, c.c1), (c.p3, c.p0)] if at_end else [(c.c1, c.p0), (c.c2, c.p0), (c.p3, c.p0)]
    for p, q in pairs:
        dx, dy = p.x - q.x, p.y - q.y
        n = math.hypot(dx, dy)
        if n > 1e-9:
            return dx / n, dy / n
    return 0.0, 0.0


def _distance(p: Point, q: Point) -> float:
    return math.hypot(p.x - q.x, p.y - q.y)


def chain(segments: Sequence[Segment], near: Point = ORIGIN) -> list[CutPath]:
    """Segments that meet end to end joined into continuous paths, each turned as needed.

    A greedy walk: a path starts where an odd number of unused segments meet (a path
    must start or end there anyway), at the one nearest the last path's end, and goes on
    along the unused segment that turns least, until it is stuck.
    """
    snap = _Snap()
    ends = [(snap.id(s.curves[0].p0), snap.id(s.curves[-1].p3)) for s in segments]
    at: dict[int, list[int]] = defaultdict(list)
    for i, (a, b) in enumerate(ends):
        at[a].append(i)
        at[b].append(i)
    used = [False] * len(segments)
    left = len(segments)
    paths: list[CutPath] = []
    pos = near

    def free(node: int) -> list[int]:
        return [i for i in at[node] if not used[i]]

    def leaving(i: int, node: int) -> Outline:
        return segments[i].curves if ends[i][0] == node else _reverse(segments[i].curves)

    while left:
        nodes = [n for n in at if free(n)]
        odd = [n for n in nodes if len(free(n)) % 2]
        node = min(odd or nodes, key=lambda n: (_distance(snap.points[n], pos), n))
        run: list[Cubic] = []
        while options := free(node):
            if run:
                hx, hy = _heading(run, at_end=True)

                def turn(i: int, node: int = node, hx: float = hx, hy: float = hy) -> float:
                    tx, ty = _heading(leaving(i, node), at_end=False)
                    return -(hx * tx + hy * ty)

                options.sort(key=turn)
            i = options[0]
            used[i] = True
            left -= 1
            run.extend(leaving(i, node))
            node = ends[i][1] if ends[i][0] == node else ends[i][0]
        paths.append(CutPath(tuple(run)))
        pos = run[-1].p3
    return paths


def order(paths: Sequence[CutPath], start: Point = ORIGIN) -> list[CutPath]:
    """Nearest neighbour from `start`: the next path is the one whose start is nearest.

    An open path may be cut either way; a closed one may start at any of its joints.
    """
    todo = list(paths)
    out: list[CutPath] = []
    pos = start
    while todo:
        best: tuple[float, int, CutPath] | None = None
        for i, p in enumerate(todo):
            if p.closed:
                joints = [_distance(c.p0, pos) for c in p.curves]
                k = joints.index(min(joints))
                options = [CutPath(p.curves[k:] + p.curves[:k])]
            else:
                options = [p, p.reversed()]
            for o in options:
                d = _distance(o.start, pos)
                if best is None or d < best[0]:
                    best = (d, i, o)
        assert best is not None
        _, i, chosen = best
        todo.pop(i)
        out.append(chosen)
        pos = chosen.end
    return out


def plan(segments: Sequence[Segment], start: Point = ORIGIN) -> list[CutPath]:
    """The segments chained and ordered for cutting: the edges between pieces first, then the frames,
    so no piece comes loose (on a laser's bed, or off a mat) before all its edges are cut."""
    out: list[CutPath] = []
    pos = start
    for group in ([s for s in segments if s.inner], [s for s in segments if not s.inner]):
        if group:
            out += order(chain(group, pos), pos)
            pos = out[-1].end
    return out


def travel(paths: Sequence[CutPath], start: Point = ORIGIN) -> float:
    """How far the head moves with the knife up: to the first path and between paths (mm)."""
    total, pos = 0.0, start
    for p in paths:
        total += _distance(p.start, pos)
        pos = p.end
    return total


@dataclass(frozen=True)
class CutSheet:
    """One sheet's cut: its size and name, the ordered paths, and the unique edge length they must add up to."""

    name: str
    width: float
    height: float
    paths: tuple[CutPath, ...]


def cut_sheet(name: str, width: float, height: float, outlines: Mapping[Hashable, Sequence[Cubic]],
              extra: Sequence[CutPath] = ()) -> CutSheet:
    """The unique edges of the outlines on a sheet, chained and ordered from its corner; `extra` paths are cut last."""
    return CutSheet(name, width, height, (*plan(unique_segments(outlines)), *extra))

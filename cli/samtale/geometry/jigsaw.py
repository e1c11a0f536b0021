"""Jigsaw geometry: the outlines of interlocking pieces on a grid, in millimetres.

Coordinates have their origin at the top-left with y pointing down, as on a page and in
SVG. Nothing here renders or reads files; the render stage turns a `Board` into paths.

Every inner edge is the classic three-curve jigsaw edge of Draradech's generator
(shoulder and neck, round head, neck and shoulder), built once and used reversed by the
neighbour, so the two pieces share exactly one curve and one's tab is the other's blank.
The knob is drawn rounder than Draradech's, so that a knob big enough for fingers has no
turn tighter than a pair of scissors can follow in card (`MIN_HEAD`, `MIN_RADIUS`).
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from .shapes import Cubic, Point, Rect, line, svg_path, union

# Draradech's generator allows tabs of 10-30 % of the edge; outside that they either
# vanish under the scissors or swallow the piece.
TAB_SIZE_RANGE = (0.1, 0.3)
# Scissors cannot turn into a neck much narrower than the head they just went round.
MIN_NECK_RATIO = 0.6
# Free space, as a fraction of the shortest cell side, that must stay between two tabs
# and between a tab and a piece corner in the worst jitter case (3 mm on a 30 mm cell).
MIN_GAP = 0.1
# The least room a cell must keep free beyond its deepest tab, or it holds no text.
TEXT_CLEARANCE = 1.0
# Pieces are cut by hand from 300 g card: a knob narrower than a fingertip cannot be
# held or pushed home, and scissors cannot follow a turn tighter than this (mm).
MIN_HEAD = 8.0
MIN_RADIUS = 1.5

# The knob's shape, in units of t (Draradech's half tab size): the foot of the neck (p2)
# and the top of the neck (p3), both from the tab's middle; the head's control points
# continue the neck by _HEAD_REACH of its length. Chosen for the roundest knob (tightest
# curve about 0.16 of the head width at the largest jitter samtale uses) whose neck is
# still two thirds to four fifths of the head and whose depth stays near 1.25 heads.
_NECK_FOOT = (0.05, -0.25)
_NECK_TOP = (-0.95, 1.5)
_HEAD_REACH = 0.7
_SAMPLES_PER_CURVE = 48


@dataclass(frozen=True)
class Piece:
    row: int
    col: int
    cell: Rect
    """The grid cell, in board coordinates."""
    outline: tuple[Cubic, ...]
    """Closed path, clockwise on the page, starting at the cell's top-left corner."""
    bbox: Rect
    """Bounding box of the outline, tabs included."""
    edges: tuple[tuple[Cubic, ...], ...] = ()
    """The outline split into its top, right, bottom and left edges (each corner to corner)."""

    def svg_path(self, dx: float = 0.0, dy: float = 0.0, scale: float = 1.0) -> str:
        """The outline as SVG path data; each point is drawn at ((x + dx) * scale, (y + dy) * scale)."""
        return svg_path(self.outline, dx, dy, scale)

    def polygon(self, samples: int = _SAMPLES_PER_CURVE) -> list[Point]:
        """The outline flattened into a closed polygon (first point not repeated)."""
        pts: list[Point] = []
        for c in self.outline:
            pts.extend(c.points(samples)[:-1])
        return pts


@dataclass(frozen=True)
class Board:
    rows: int
    cols: int
    width: float
    height: float
    pieces: tuple[Piece, ...]
    """Row-major: piece (r, c) is pieces[r * cols + c]."""

    def piece(self, row: int, col: int) -> Piece:
        return self.pieces[row * self.cols + col]


# --- one edge -------------------------------------------------------------------------


@dataclass(frozen=True)
class _Shape:
    """The random choices for one inner edge, in units of the tab's head width.

    flip: which side the tab bulges to; a, e: shoulder offsets; b: tab shifted along the
    edge; c: tab raised or lowered; d: head skewed. Named after Draradech's generator.
    """

    flip: int
    a: float
    b: float
    c: float
    d: float
    e: float


def _edge(start: Point, end: Point, head: float, sh: _Shape) -> tuple[Cubic, Cubic, Cubic]:
    """Shoulder-and-neck, head, neck-and-shoulder from start to end, with a head `head` mm wide.

    The tab is sized in millimetres, not by this edge, so tabs stay round and shallow
    enough on the long edges of oblong cells, and the jitter is a fraction of the head, so
    a tab keeps its roundness on every size of piece. The joins are smooth (G1) by
    construction: p2, p3, p4 and p5, p6, p7 are collinear, the middle point between.
    """
    length = math.hypot(end.x - start.x, end.y - start.y)
    ex, ey = (end.x - start.x) / length, (end.y - start.y) / length
    nx, ny = -ey * sh.flip, ex * sh.flip  # flip = +1 bulges to the right of travel on the page
    local = _knob(length, head / _head_per_t(), length / 2 + sh.b * head,
                  sh.a * head, sh.c * head, sh.d * head, sh.e * head)
    pts = [Point(start.x + ex * u + nx * v, start.y + ey * u + ny * v) for u, v in local]
    pts[0], pts[9] = start, end  # exact corners, so pieces meet without a crack
    return (Cubic(*pts[0:4]), Cubic(*pts[3:7]), Cubic(*pts[6:10]))


def _knob(length: float, t: float, mid: float, a: float, c: float, d: float, e: float) -> list[tuple[float, float]]:
    """The ten control points of one edge as (along, across) pairs, in mm."""
    (fx, fy), (nx, ny) = _NECK_FOOT, _NECK_TOP
    foot_l, top_l = (mid + d + fx * t, fy * t + c), (mid + nx * t, ny * t + c)
    foot_r, top_r = (mid + d - fx * t, fy * t + c), (mid - nx * t, ny * t + c)

    def beyond(top: tuple[float, float], foot: tuple[float, float]) -> tuple[float, float]:
        return top[0] + _HEAD_REACH * (top[0] - foot[0]), top[1] + _HEAD_REACH * (top[1] - foot[1])

    return [(0.0, 0.0), (0.2 * length, a), foot_l, top_l, beyond(top_l, foot_l), beyond(top_r, foot_r), top_r, foot_r,
            (0.8 * length, e), (length, 0.0)]


@lru_cache(maxsize=1)
def _head_per_t() -> float:
    """How wide the head of the undistorted knob is, in units of t."""
    pts = [Point(u, v) for u, v in _knob(8.0, 1.0, 4.0, 0.0, 0.0, 0.0, 0.0)]
    return _neck_and_head((Cubic(*pts[0:4]), Cubic(*pts[3:7]), Cubic(*pts[6:10])))[1]


# --- worst case, checked once per (tab_size, jitter) -----------------------------------


@dataclass(frozen=True)
class TabLimits:
    """Worst-case tab geometry on a square cell of side 1 (scale by the shortest side)."""

    depth: float
    """How far a tab (or a neighbour's tab into a blank) can reach across the edge."""
    side_gap: float
    """Closest two tabs on adjacent sides of a piece can come."""
    opposite_gap: float
    """Closest two tabs on opposite sides of a piece can come."""
    corner_gap: float
    """Closest a tab can come to a corner of its own edge."""
    neck_ratio: float
    """Narrowest neck divided by the head width, over all jitter."""
    head: float = 0.0
    """Narrowest head over all jitter."""
    radius: float = 0.0
    """Tightest radius of curvature over all jitter (on an edge as short as the cell side)."""


def _local(curves: Sequence[Cubic]) -> list[Point]:
    pts: list[Point] = []
    for c in curves:
        pts.extend(c.points()[:-1])
    pts.append(curves[-1].p3)
    return pts


def _neck_and_head(curves: Sequence[Cubic]) -> tuple[float, float]:
    """Narrowest neck and widest head of a tab bulging to +y from the baseline y = 0.

    Each side is followed from its lowest point (the shoulder) up to the apex, where it
    rises steadily; the head is the widest level above the join of neck and head, the
    neck the narrowest level between the baseline and that widest level.
    """
    pts = _local(curves)
    apex_i = max(range(len(pts)), key=lambda i: pts[i].y)
    left = pts[: apex_i + 1]
    right = pts[apex_i:][::-1]
    left = left[min(range(len(left)), key=lambda i: left[i].y) :]
    right = right[min(range(len(right)), key=lambda i: right[i].y) :]

    def crossing(side: list[Point], y: float) -> float:
        for p, q in zip(side, side[1:]):
            if p.y <= y <= q.y and p.y != q.y:
                return p.x + (y - p.y) / (q.y - p.y) * (q.x - p.x)
        return side[-1].x

    lo, hi = max(0.0, left[0].y, right[0].y), pts[apex_i].y
    levels = [lo + (hi - lo) * i / 200 for i in range(196)]
    widths = [crossing(right, y) - crossing(left, y) for y in levels]
    join = curves[1].p0.y
    widest = max((i for i, y in enumerate(levels) if y >= join), key=lambda i: widths[i])
    return min(widths[: widest + 1]), widths[widest]


@lru_cache(maxsize=64)
def tab_limits(tab_size: float, jitter: float) -> TabLimits:
    """Measure the worst tabs the jitter can produce, on a unit cell.

    Everything about a tab scales with its head and sits at the middle of its edge, so a
    square cell of the shortest side is the tightest place a tab can be (the shoulders
    turn sharpest on the shortest edge); checking it with every jitter pushed to its
    limits bounds every piece on every board.
    """
    j = jitter
    origin, along_x = Point(0.0, 0.0), Point(1.0, 0.0)

    # Tabs bulging into the cell (+y) from the top edge; b = -j pushes them to the corner.
    deep = [
        _edge(origin, along_x, tab_size, _Shape(1, a, -j, j, d, a))
        for a in (-j, j)
        for d in (-j, 0.0, j)
    ]
    depth = max(c.bounds().bottom for curves in deep for c in curves)
    rise = tab_size / _head_per_t() / 2 + j * tab_size

    def body(curves: Sequence[Cubic]) -> list[Point]:
        # the tab proper: everything above the highest a shoulder can rise
        return [p for p in _local(curves) if p.y > rise]

    # A tab on the left edge is a top-edge tab mirrored in the diagonal y = x.
    bodies = [body(cs) for cs in deep]
    side_gap = min(
        _distance(p_pts, [Point(p.y, p.x) for p in q_pts])
        for i, p_pts in enumerate(bodies)
        for q_pts in bodies[i:]
    )
    corner_gap = min(_distance(pts, [origin]) for pts in bodies)

    neck_ratio, narrowest, tightest = 1.0, math.inf, math.inf
    for a in (-j, j):
        for c in (-j, j):
            for d in (-j, 0.0, j):
                for e in (-j, j):
                    curves = _edge(origin, along_x, tab_size, _Shape(1, a, 0.0, c, d, e))
                    neck, head = _neck_and_head(curves)
                    neck_ratio = min(neck_ratio, neck / head)
                    narrowest = min(narrowest, head)
                    tightest = min(tightest, *(cu.min_radius() for cu in curves))
    return TabLimits(depth, side_gap, 1.0 - 2 * depth, corner_gap, neck_ratio, narrowest, tightest)


def _distance(ps: Sequence[Point], qs: Sequence[Point]) -> float:
    return math.sqrt(min((p.x - q.x) ** 2 + (p.y - q.y) ** 2 for p in ps for q in qs))


def check_tabs(tab_size: float, jitter: float, *, side: float | None = None, adjacent: bool = True) -> TabLimits:
    """Raise ValueError unless tabs of this size and jitter stay cuttable and apart.

    tab_size is the head width as a fraction of the shortest cell side, jitter a fraction
    of the head. With `side` (the shortest cell side in mm), the knobs must also be big
    and round enough for hands and scissors. `adjacent` is False where no piece can have
    tabs on two sides that meet (a board cut into rows with straight lines).
    """
    lo, hi = TAB_SIZE_RANGE
    if not lo <= tab_size <= hi:
        raise ValueError(f"tab_size must be between {lo} and {hi}, not {tab_size}")
    if not 0.0 <= jitter <= 0.25:
        raise ValueError(f"jitter must be between 0 and 0.25 of the head, not {jitter}")
    lim = tab_limits(round(tab_size, 6), round(jitter, 6))
    gap = min(lim.side_gap if adjacent else math.inf, lim.opposite_gap, lim.corner_gap)
    if gap < MIN_GAP:
        raise ValueError(
            f"tab_size {tab_size} with jitter {jitter} lets tabs come within {gap:.2f} of the shortest cell side "
            f"of each other or a corner (at least {MIN_GAP} needed); use smaller tabs or less jitter"
        )
    if lim.neck_ratio < MIN_NECK_RATIO:
        raise ValueError(
            f"tab_size {tab_size} with jitter {jitter} gives necks {lim.neck_ratio:.0%} of the head "
            f"width, too narrow to cut with scissors (at least {MIN_NECK_RATIO:.0%}); use less jitter"
        )
    if side is not None and lim.head * side < MIN_HEAD - 1e-9:
        raise ValueError(f"knobs {lim.head * side:.1f} mm wide on a {side:g} mm cell are too small to hold "
                         f"(at least {MIN_HEAD:g} mm); use larger tabs")
    if side is not None and lim.radius * side < MIN_RADIUS - 1e-9:
        raise ValueError(f"knobs on a {side:g} mm cell turn as tight as {lim.radius * side:.2f} mm, too tight for "
                         f"scissors (at least {MIN_RADIUS:g} mm); use larger tabs or less jitter")
    return lim


# --- the board ------------------------------------------------------------------------


def _sizes(name: str, sizes: Sequence[float] | None, n: int, total: float) -> list[float]:
    if sizes is None:
        return [total / n] * n
    sizes = [float(s) for s in sizes]
    if len(sizes) != n:
        raise ValueError(f"cell_sizes: {name} has {len(sizes)} entries, expected {n}")
    if any(s <= 0 for s in sizes):
        raise ValueError(f"cell_sizes: {name} must all be positive, got {sizes}")
    if abs(sum(sizes) - total) > 1e-6:
        raise ValueError(f"cell_sizes: {name} add up to {sum(sizes)} mm, not {total} mm")
    return sizes


def _offsets(sizes: list[float]) -> list[float]:
    out = [0.0]
    for s in sizes:
        out.append(out[-1] + s)
    return out


def board(
    rows: int,
    cols: int,
    width: float,
    height: float,
    *,
    seed: int,
    tab_size: float = 0.2,
    jitter: float = 0.1,
    cell_sizes: tuple[Sequence[float], Sequence[float]] | None = None,
    straight_rows: bool = False,
    hands: bool = True,
) -> Board:
    """Cut a width x height mm board into rows x cols interlocking pieces.

    tab_size is the head width as a fraction of the shortest cell side; jitter varies
    each tab a little (as a fraction of its head) so pieces fit only one way. The same
    seed gives the same pieces, so a reprint matches the first print. cell_sizes, if
    given, is (column widths, row heights) in mm; by default all cells are equal. With
    straight_rows the rows are cut apart with straight lines and only the pieces of a row
    interlock (for pieces too low to take a knob from above and below). With hands (the
    default) the knobs must be big and round enough to cut from card and hold.
    """
    if rows < 1 or cols < 1:
        raise ValueError(f"a board needs at least one row and one column, not {rows} x {cols}")
    if width <= 0 or height <= 0:
        raise ValueError(f"board size must be positive, not {width} x {height} mm")
    col_widths, row_heights = cell_sizes if cell_sizes is not None else (None, None)
    col_widths = _sizes("column widths", col_widths, cols, width)
    row_heights = _sizes("row heights", row_heights, rows, height)
    xs, ys = _offsets(col_widths), _offsets(row_heights)
    xs[-1], ys[-1] = width, height  # no rounding crack at the far border
    u = min(col_widths + row_heights)  # tabs are sized by the shortest cell side anywhere
    lim = check_tabs(tab_size, jitter, adjacent=not straight_rows)
    inset = lim.depth * u + TEXT_CLEARANCE
    if 2 * inset >= u:
        raise ValueError(
            f"cells of {u:g} mm are too small: tabs would leave no room for text (need over {2 * inset:.1f} mm)"
        )
    if hands:
        check_tabs(tab_size, jitter, side=u, adjacent=not straight_rows)
    head = tab_size * u
    rng = random.Random(seed)

    def cut(points: list[Point]) -> list[tuple[Cubic, Cubic, Cubic]]:
        """The edges along one straight cut, drawn in Draradech's order.

        Each shoulder continues the previous edge's shoulder through the grid point, so
        a cut along the line has no kink where pieces meet.
        """
        edges = []
        flip = 0
        e = rng.uniform(-jitter, jitter)
        prev_len = 0.0
        for p, q in zip(points, points[1:]):
            old_flip, flip = flip, (1 if rng.random() < 0.5 else -1)
            length = math.hypot(q.x - p.x, q.y - p.y)
            # keep the slope through the grid point: a / (0.2 L) = -e / (0.2 L_prev) on the page
            a = e if old_flip == 0 else -e * old_flip * flip * length / prev_len
            a = max(-jitter, min(jitter, a))
            b, c, d, e = (rng.uniform(-jitter, jitter) for _ in range(4))
            edges.append(_edge(p, q, head, _Shape(flip, a, b, c, d, e)))
            prev_len = length
        return edges

    # horizontal[r][c]: between rows r-1 and r, left to right; vertical[c][r]: top to bottom.
    horizontal = {r: [(line(Point(x0, ys[r]), Point(x1, ys[r])),) for x0, x1 in zip(xs, xs[1:])] if straight_rows
                  else cut([Point(x, ys[r]) for x in xs]) for r in range(1, rows)}
    vertical = {c: cut([Point(xs[c], y) for y in ys]) for c in range(1, cols)}

    pieces = []
    for r in range(rows):
        for c in range(cols):
            tl, tr = Point(xs[c], ys[r]), Point(xs[c + 1], ys[r])
            br, bl = Point(xs[c + 1], ys[r + 1]), Point(xs[c], ys[r + 1])
            top = horizontal[r][c] if r > 0 else (line(tl, tr),)
            right = vertical[c + 1][r] if c + 1 < cols else (line(tr, br),)
            bottom = _reverse(horizontal[r + 1][c]) if r + 1 < rows else (line(br, bl),)
            left = _reverse(vertical[c][r]) if c > 0 else (line(bl, tl),)
            outline = (*top, *right, *bottom, *left)
            cell = Rect(tl.x, tl.y, br.x - tl.x, br.y - tl.y)
            pieces.append(Piece(r, c, cell, outline, union([cu.bounds() for cu in outline]),
                                (tuple(top), tuple(right), tuple(bottom), tuple(left))))
    return Board(rows, cols, width, height, tuple(pieces))


def _reverse(curves: Sequence[Cubic]) -> tuple[Cubic, ...]:
    return tuple(c.reversed() for c in reversed(curves))


# --- edges of a piece on a board, and the room they leave inside it ---------------------


Edges = list[tuple[Cubic, ...]]
"""A piece's outline split into its top, right, bottom and left edges."""


def sides(piece: Piece) -> Edges:
    """The outline split into its four edges (an inner edge is three curves, an outer or straight one one)."""
    return list(piece.edges)


def straightened(piece: Piece, rows: int, cols: int, present: frozenset[tuple[int, int]]) -> tuple[Piece, Edges]:
    """The piece with a straight edge wherever its neighbour is left out (a short last row)."""
    edges = sides(piece)
    for i, (r, c) in enumerate(neighbours(piece)):
        if 0 <= r < rows and 0 <= c < cols and (r, c) not in present:
            edges[i] = (line(edges[i][0].p0, edges[i][-1].p3),)
    outline = tuple(c for edge in edges for c in edge)
    return replace(piece, outline=outline, edges=tuple(edges), bbox=union([cu.bounds() for cu in outline])), edges


def neighbours(piece: Piece) -> list[tuple[int, int]]:
    """The (row, col) beyond the top, right, bottom and left edge."""
    r, c = piece.row, piece.col
    return [(r - 1, c), (r, c + 1), (r + 1, c), (r, c - 1)]


def inner_box(cell: Rect, edges: Edges, clearance: float) -> Rect:
    """Where text or a picture may go: the cell less, on each side, how deep that side's
    blank reaches in, less `clearance` for cutting slack. The one text-box rule."""
    top, right, bottom, left = ([p for curve in edge for p in curve.points(16)] for edge in edges)
    c = cell
    top_in = max(0.0, max(p.y - c.y for p in top))
    right_in = max(0.0, max(c.right - p.x for p in right))
    bottom_in = max(0.0, max(c.bottom - p.y for p in bottom))
    left_in = max(0.0, max(p.x - c.x for p in left))
    return Rect(c.x + left_in + clearance, c.y + top_in + clearance,
                c.w - left_in - right_in - 2 * clearance, c.h - top_in - bottom_in - 2 * clearance)


# --- what hands and scissors meet -------------------------------------------------------


@dataclass(frozen=True)
class Handling:
    """The smallest knob and the tightest curve on a board, in mm, as cut."""

    head: float
    radius: float


def handling(outlines: Iterable[Sequence[Cubic]]) -> Handling:
    """Measure every knob's head width and every curve's tightest radius on these outlines.

    An outline is split into edges where its direction turns (the piece's corners); an
    edge of three curves is a knob, measured across in the frame of its own edge. The
    radius is sampled on each cubic from its exact derivatives; corners are corners, not
    curves, and straight edges have no curvature, so neither counts. Works on a board's
    pieces and on the paths read back from a PDF alike.
    """
    heads, radii = [math.inf], [math.inf]
    for outline in outlines:
        radii += [c.min_radius() for c in outline]
        heads += [_neck_and_head(_upright(edge))[1] for edge in corners_apart(outline) if len(edge) == 3]
    return Handling(min(heads), min(radii))


def corners_apart(outline: Sequence[Cubic], turn: float = 20.0) -> list[tuple[Cubic, ...]]:
    """A closed outline cut into its edges at the corners, where the direction turns more than `turn` degrees."""
    def direction(x: float, y: float) -> float:
        return math.degrees(math.atan2(y, x))

    def corner(a: Cubic, b: Cubic) -> bool:
        out_, in_ = a.velocity(1.0), b.velocity(0.0)
        if math.hypot(out_.x, out_.y) < 1e-9 or math.hypot(in_.x, in_.y) < 1e-9:
            return True
        d = abs(direction(out_.x, out_.y) - direction(in_.x, in_.y)) % 360
        return min(d, 360 - d) > turn

    n = len(outline)
    starts = [i for i in range(n) if corner(outline[i - 1], outline[i])]
    if not starts:
        return [tuple(outline)]
    edges = []
    for k, i in enumerate(starts):
        j = starts[(k + 1) % len(starts)]
        length = (j - i) % n or n
        edges.append(tuple(outline[(i + m) % n] for m in range(length)))
    return edges


def _upright(edge: Sequence[Cubic]) -> tuple[Cubic, ...]:
    """An edge moved to start at the origin, run along +x and bulge towards +y."""
    start, end = edge[0].p0, edge[-1].p3
    length = math.hypot(end.x - start.x, end.y - start.y)
    ex, ey = (end.x - start.x) / length, (end.y - start.y) / length
    apex = edge[1].at(0.5)
    side = 1.0 if (-ey * (apex.x - start.x) + ex * (apex.y - start.y)) >= 0 else -1.0

    def local(p: Point) -> Point:
        dx, dy = p.x - start.x, p.y - start.y
        return Point(ex * dx + ey * dy, side * (-ey * dx + ex * dy))

    return tuple(Cubic(local(c.p0), local(c.c1), local(c.c2), local(c.p3)) for c in edge)

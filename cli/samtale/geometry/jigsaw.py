"""Jigsaw geometry: the outlines of interlocking pieces on a grid, in millimetres.

Coordinates have their origin at the top-left with y pointing down, as on a page and in
SVG. Nothing here renders or reads files; the render stage turns a `Board` into paths.

Every inner edge is the classic three-curve jigsaw edge of Draradech's generator
(shoulder and neck, round head, neck and shoulder), built once and used reversed by the
neighbour, so the two pieces share exactly one curve and one's tab is the other's blank.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from .shapes import Cubic, Point, Rect, line, svg_path, union

# Draradech's generator allows tabs of 10-30 % of the edge; outside that they either
# vanish under the scissors or swallow the piece.
TAB_SIZE_RANGE = (0.1, 0.3)
# Scissors cannot turn into a neck much narrower than the head they just went round.
MIN_NECK_RATIO = 0.6
# Free space, as a fraction of the shortest cell side, that must stay between two tabs
# and between a tab and a piece corner in the worst jitter case (3 mm on a 28 mm cell).
MIN_GAP = 0.1
# The least room a cell must keep free beyond its deepest tab, or it holds no text.
TEXT_CLEARANCE = 1.0

# Draradech's parameter t is half the "tab size"; the head is then ~1.16 t wide, so this
# scale makes the head about `tab_size` of the shortest cell side wide, as the option says.
_HEAD_WIDTH_PER_T = 2.324
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
    """The random choices for one inner edge, in units of the shortest cell side.

    flip: which side the tab bulges to; a, e: shoulder offsets; b: tab shifted along the
    edge; c: tab raised or lowered; d: head skewed. Named after Draradech's generator.
    """

    flip: int
    a: float
    b: float
    c: float
    d: float
    e: float


def _edge(start: Point, end: Point, u: float, t: float, sh: _Shape) -> tuple[Cubic, Cubic, Cubic]:
    """Shoulder-and-neck, head, neck-and-shoulder from start to end.

    The tab is sized by u (the shortest cell side), not by this edge, so tabs stay round
    and shallow enough on the long edges of oblong cells. The joins are C1 by
    construction: p2, p3, p4 and p5, p6, p7 are collinear and evenly spaced.
    """
    length = math.hypot(end.x - start.x, end.y - start.y)
    ex, ey = (end.x - start.x) / length, (end.y - start.y) / length
    nx, ny = -ey * sh.flip, ex * sh.flip  # flip = +1 bulges to the right of travel on the page

    def p(along: float, across: float) -> Point:
        return Point(start.x + ex * along + nx * across, start.y + ey * along + ny * across)

    mid = length / 2 + sh.b * u
    a, c, d, e, t = sh.a * u, sh.c * u, sh.d * u, sh.e * u, t * u
    pts = [
        p(0.0, 0.0),
        p(0.2 * length, a),
        p(mid + d, -t + c),
        p(mid - t, t + c),
        p(mid - 2 * t - d, 3 * t + c),
        p(mid + 2 * t - d, 3 * t + c),
        p(mid + t, t + c),
        p(mid + d, -t + c),
        p(0.8 * length, e),
        p(length, 0.0),
    ]
    pts[0], pts[9] = start, end  # exact corners, so pieces meet without a crack
    return (Cubic(*pts[0:4]), Cubic(*pts[3:7]), Cubic(*pts[6:10]))


def _t(tab_size: float) -> float:
    return tab_size / _HEAD_WIDTH_PER_T


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

    Everything about a tab scales with the shortest cell side and sits at the middle of
    its edge, so a square cell of that side is the tightest place a tab can be; checking
    it with every jitter pushed to its limits bounds every piece on every board.
    """
    t, j = _t(tab_size), jitter
    origin, along_x = Point(0.0, 0.0), Point(1.0, 0.0)

    # Tabs bulging into the cell (+y) from the top edge; b = -j pushes them to the corner.
    deep = [
        _edge(origin, along_x, 1.0, t, _Shape(1, a, -j, j, d, a))
        for a in (-j, j)
        for d in (-j, 0.0, j)
    ]
    depth = max(c.bounds().bottom for curves in deep for c in curves)

    def body(curves: Sequence[Cubic]) -> list[Point]:
        # the tab proper: everything above the highest a shoulder can rise
        return [p for p in _local(curves) if p.y > t / 2 + j]

    # A tab on the left edge is a top-edge tab mirrored in the diagonal y = x.
    bodies = [body(cs) for cs in deep]
    side_gap = min(
        _distance(p_pts, [Point(p.y, p.x) for p in q_pts])
        for i, p_pts in enumerate(bodies)
        for q_pts in bodies[i:]
    )
    corner_gap = min(_distance(pts, [origin]) for pts in bodies)

    neck_ratio = 1.0
    for a in (-j, j):
        for c in (-j, j):
            for d in (-j, 0.0, j):
                for e in (-j, j):
                    shape = _Shape(1, a, 0.0, c, d, e)
                    neck, head = _neck_and_head(_edge(origin, along_x, 1.0, t, shape))
                    neck_ratio = min(neck_ratio, neck / head)
    return TabLimits(depth, side_gap, 1.0 - 2 * depth, corner_gap, neck_ratio)


def _distance(ps: Sequence[Point], qs: Sequence[Point]) -> float:
    return math.sqrt(min((p.x - q.x) ** 2 + (p.y - q.y) ** 2 for p in ps for q in qs))


def check_tabs(tab_size: float, jitter: float) -> TabLimits:
    """Raise ValueError unless tabs of this size and jitter stay cuttable and apart."""
    lo, hi = TAB_SIZE_RANGE
    if not lo <= tab_size <= hi:
        raise ValueError(f"tab_size must be between {lo} and {hi}, not {tab_size}")
    if not 0.0 <= jitter <= 0.1:
        raise ValueError(f"jitter must be between 0 and 0.1, not {jitter}")
    lim = tab_limits(round(tab_size, 6), round(jitter, 6))
    if min(lim.side_gap, lim.opposite_gap, lim.corner_gap) < MIN_GAP:
        raise ValueError(
            f"tab_size {tab_size} with jitter {jitter} lets tabs come within "
            f"{min(lim.side_gap, lim.opposite_gap, lim.corner_gap):.2f} of the shortest cell side "
            f"of each other or a corner (at least {MIN_GAP} needed); use smaller tabs or less jitter"
        )
    if lim.neck_ratio < MIN_NECK_RATIO:
        raise ValueError(
            f"tab_size {tab_size} with jitter {jitter} gives necks {lim.neck_ratio:.0%} of the head "
            f"width, too narrow to cut with scissors (at least {MIN_NECK_RATIO:.0%}); use less jitter"
        )
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
    jitter: float = 0.04,
    cell_sizes: tuple[Sequence[float], Sequence[float]] | None = None,
) -> Board:
    """Cut a width x height mm board into rows x cols interlocking pieces.

    tab_size is the head width as a fraction of the shortest cell side; jitter (same
    unit) varies each tab a little so pieces fit only one way. The same seed gives the
    same pieces, so a reprint matches the first print. cell_sizes, if given, is
    (column widths, row heights) in mm; by default all cells are equal.
    """
    if rows < 1 or cols < 1:
        raise ValueError(f"a board needs at least one row and one column, not {rows} x {cols}")
    if width <= 0 or height <= 0:
        raise ValueError(f"board size must be positive, not {width} x {height} mm")
    lim = check_tabs(tab_size, jitter)
    col_widths, row_heights = cell_sizes if cell_sizes is not None else (None, None)
    col_widths = _sizes("column widths", col_widths, cols, width)
    row_heights = _sizes("row heights", row_heights, rows, height)
    xs, ys = _offsets(col_widths), _offsets(row_heights)
    xs[-1], ys[-1] = width, height  # no rounding crack at the far border
    u = min(col_widths + row_heights)  # tabs are sized by the shortest cell side anywhere
    inset = lim.depth * u + TEXT_CLEARANCE
    if 2 * inset >= u:
        raise ValueError(
            f"cells of {u:g} mm are too small: tabs would leave no room for text (need over {2 * inset:.1f} mm)"
        )
    t = _t(tab_size)
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
            edges.append(_edge(p, q, u, t, _Shape(flip, a, b, c, d, e)))
            prev_len = length
        return edges

    # horizontal[r][c]: between rows r-1 and r, left to right; vertical[c][r]: top to bottom.
    horizontal = {r: cut([Point(x, ys[r]) for x in xs]) for r in range(1, rows)}
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
            pieces.append(Piece(r, c, cell, outline, union([cu.bounds() for cu in outline])))
    return Board(rows, cols, width, height, tuple(pieces))


def _reverse(curves: Sequence[Cubic]) -> tuple[Cubic, ...]:
    return tuple(c.reversed() for c in reversed(curves))


# --- edges of a piece on a board, and the room they leave inside it ---------------------


Edges = list[tuple[Cubic, ...]]
"""A piece's outline split into its top, right, bottom and left edges."""


def sides(piece: Piece, rows: int, cols: int) -> Edges:
    """The outline split into its four edges (an inner edge is three curves, an outer one)."""
    counts = [3 if piece.row > 0 else 1, 3 if piece.col < cols - 1 else 1,
              3 if piece.row < rows - 1 else 1, 3 if piece.col > 0 else 1]
    result, start = [], 0
    for n in counts:
        result.append(piece.outline[start:start + n])
        start += n
    return result


def straightened(piece: Piece, rows: int, cols: int, present: frozenset[tuple[int, int]]) -> tuple[Piece, Edges]:
    """The piece with a straight edge wherever its neighbour is left out (a short last row)."""
    edges = sides(piece, rows, cols)
    neighbours = [(piece.row - 1, piece.col), (piece.row, piece.col + 1), (piece.row + 1, piece.col), (piece.row, piece.col - 1)]
    for i, (r, c) in enumerate(neighbours):
        if 0 <= r < rows and 0 <= c < cols and (r, c) not in present:
            edges[i] = (line(edges[i][0].p0, edges[i][-1].p3),)
    return replace(piece, outline=tuple(c for edge in edges for c in edge)), edges


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

"""Jigsaw and sheet geometry, checked as numbers in millimetres, without rendering."""

import math

import pytest

from conftest import inside, polygon
from samtale.geometry import imposition, jigsaw
from samtale.geometry.imposition import back_mirror, centre
from samtale.geometry.jigsaw import board, inner_box
from samtale.geometry.paper import PAPERS, Paper, paper
from samtale.geometry.shapes import Cubic, Point, Rect, bled, union


def safe_area(w: float, h: float) -> Rect:
    return Paper("test", w, h).safe_area()

# A board like the question board (3 x 3 pieces of 85 x 60 mm), and one of small oblong
# cells (5 x 4 pieces of 50 x 28 mm) with knobs on every side: the edge geometry at its
# tightest, too small for hands, which only the geometry tests may cut.
BIG = dict(rows=3, cols=3, width=255.0, height=180.0)
KEYWORDS = dict(rows=4, cols=5, width=250.0, height=112.0, kw=dict(hands=False))
BOARDS = [BIG, KEYWORDS]
# The keyword board as printed: rows cut straight, knobs between the pieces of a row.
STRIPS = dict(rows=6, cols=3, width=270.0, height=180.0, kw=dict(tab_size=0.3, jitter=0.05, straight_rows=True))


def make(spec, seed=1, **kw):
    return board(spec["rows"], spec["cols"], spec["width"], spec["height"], seed=seed, **{**spec.get("kw", {}), **kw})


# --- helpers: sides of a piece (outlines as polygons and point in polygon: conftest) -----------------------------


def sides(piece):
    """The outline split at the cell corners: top, right, bottom, left (each clockwise)."""
    c = piece.cell
    corners = [Point(c.right, c.y), Point(c.right, c.bottom), Point(c.x, c.bottom), Point(c.x, c.y)]
    out, current = [], []
    for cubic in piece.outline:
        current.append(cubic)
        if cubic.p3 == corners[len(out)]:
            out.append(current)
            current = []
    assert len(out) == 4 and not current, "outline does not pass through the four cell corners"
    return dict(zip(("top", "right", "bottom", "left"), out))


def reverse(curves):
    return [Cubic(c.p3, c.c2, c.c1, c.p0) for c in reversed(curves)]


def dist(p, q):
    return math.hypot(p.x - q.x, p.y - q.y)


def off_line(p, side, cell):
    """How far p is from the straight cell edge the side replaces."""
    return abs(p.y - cell.y) if side == "top" else abs(p.x - cell.right) if side == "right" else (
        abs(p.y - cell.bottom) if side == "bottom" else abs(p.x - cell.x)
    )


def inner_sides(b, piece):
    return {
        name: curves
        for name, curves in sides(piece).items()
        if (name == "top" and piece.row > 0)
        or (name == "bottom" and piece.row < b.rows - 1)
        or (name == "left" and piece.col > 0)
        or (name == "right" and piece.col < b.cols - 1)
    }


def tab_points(b, piece):
    """Per inner side, the points of the tab itself (more than half its depth off the line)."""
    out = {}
    for name, curves in inner_sides(b, piece).items():
        pts = polygon(curves, 32)
        depth = max(off_line(p, name, piece.cell) for p in pts)
        out[name] = [p for p in pts if off_line(p, name, piece.cell) > depth / 2]
    return out


# --- jigsaw --------------------------------------------------------------------------------


@pytest.mark.parametrize("spec", BOARDS)
def test_neighbouring_pieces_share_exactly_the_same_cut(spec):
    b = make(spec)
    for r in range(b.rows):
        for c in range(b.cols):
            here = sides(b.piece(r, c))
            if c + 1 < b.cols:
                assert here["right"] == reverse(sides(b.piece(r, c + 1))["left"])
            if r + 1 < b.rows:
                assert here["bottom"] == reverse(sides(b.piece(r + 1, c))["top"])


@pytest.mark.parametrize("spec", BOARDS)
def test_one_pieces_tab_is_its_neighbours_blank(spec):
    b = make(spec)
    for piece in b.pieces:
        for name, curves in inner_sides(b, piece).items():
            assert len(curves) == 3
            apex = curves[1].at(0.5)
            r, c = piece.row, piece.col
            dr, dc = {"top": (-1, 0), "bottom": (1, 0), "left": (0, -1), "right": (0, 1)}[name]
            cells = [piece.cell, b.piece(r + dr, c + dc).cell]
            assert sum(cell.contains_point(apex) for cell in cells) == 1


@pytest.mark.parametrize("spec", BOARDS)
def test_outer_border_is_straight(spec):
    b = make(spec)
    for piece in b.pieces:
        for name, curves in sides(piece).items():
            if name in inner_sides(b, piece):
                continue
            assert len(curves) == 1
            for p in polygon(curves, 16) + [curves[0].c1, curves[0].c2]:
                assert off_line(p, name, piece.cell) == pytest.approx(0, abs=1e-9)
                assert p.x in (0.0, b.width) or p.y in (0.0, b.height)


@pytest.mark.parametrize("spec", BOARDS)
def test_pieces_stay_within_the_board(spec):
    b = make(spec)
    whole = Rect(0, 0, b.width, b.height)
    assert all(whole.contains(p.bbox) for p in b.pieces)


@pytest.mark.parametrize("spec", BOARDS)
def test_bbox_includes_the_tabs(spec):
    b = make(spec)
    for piece in b.pieces:
        pts = polygon(piece.outline, 64)
        assert min(p.x for p in pts) == pytest.approx(piece.bbox.x, abs=0.01)
        assert max(p.x for p in pts) == pytest.approx(piece.bbox.right, abs=0.01)
        assert min(p.y for p in pts) == pytest.approx(piece.bbox.y, abs=0.01)
        assert max(p.y for p in pts) == pytest.approx(piece.bbox.bottom, abs=0.01)


@pytest.mark.parametrize("spec", BOARDS)
def test_no_two_pieces_overlap(spec):
    b = make(spec)
    polygons = {(p.row, p.col): polygon(p.outline, 16) for p in b.pieces}
    for piece in b.pieces:
        own = polygons[piece.row, piece.col]
        # just inside the outline, where a tab would overlap a neighbour, and a coarse grid
        probes = []
        for a, q in zip(own, own[1:] + own[:1]):
            length = dist(a, q)
            if length > 0:
                # clockwise on the page (y down): the inside is to the right of travel
                probes.append(Point((a.x + q.x) / 2 - (q.y - a.y) / length * 0.3, (a.y + q.y) / 2 + (q.x - a.x) / length * 0.3))
        probes += [
            Point(piece.bbox.x + i * piece.bbox.w / 12, piece.bbox.y + k * piece.bbox.h / 12)
            for i in range(1, 12)
            for k in range(1, 12)
        ]
        probes = [p for p in probes if inside(p, own)]
        assert len(probes) > 100
        for other in b.pieces:
            if other is piece or not other.bbox.overlaps(piece.bbox):
                continue
            theirs = polygons[other.row, other.col]
            assert not any(inside(p, theirs) for p in probes), (piece.row, piece.col, other.row, other.col)


@pytest.mark.parametrize("spec", BOARDS)
def test_text_box_is_clear_of_every_tab(spec):
    b = make(spec)
    for piece in b.pieces:
        t = inner_box(piece.cell, jigsaw.sides(piece), clearance=1.0)
        assert t.w > 0 and t.h > 0
        outline = polygon(piece.outline, 32)
        corners = [Point(t.x, t.y), Point(t.right, t.y), Point(t.right, t.bottom), Point(t.x, t.bottom)]
        assert all(inside(p, outline) for p in corners)
        assert not any(t.x < p.x < t.right and t.y < p.y < t.bottom for p in outline)


@pytest.mark.parametrize("spec", BOARDS)
@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_tabs_never_touch_each_other_or_a_corner(spec, seed):
    b = make(spec, seed=seed)
    for piece in b.pieces:
        tabs = tab_points(b, piece)
        c = piece.cell
        corners = [Point(c.x, c.y), Point(c.right, c.y), Point(c.right, c.bottom), Point(c.x, c.bottom)]
        names = sorted(tabs)
        for i, one in enumerate(names):
            assert min(dist(p, k) for p in tabs[one] for k in corners) > 3.0
            for two in names[i + 1 :]:
                assert min(dist(p, q) for p in tabs[one] for q in tabs[two]) > 3.0, (piece.row, piece.col, one, two)


@pytest.mark.parametrize("spec", BOARDS)
def test_tabs_are_smooth_enough_to_cut_with_scissors(spec):
    b = make(spec)
    for piece in b.pieces:
        for curves in inner_sides(b, piece).values():
            for one, two in zip(curves, curves[1:]):
                ax, ay = one.p3.x - one.c2.x, one.p3.y - one.c2.y
                bx, by = two.c1.x - two.p0.x, two.c1.y - two.p0.y
                assert abs(ax * by - ay * bx) <= 1e-9 * (math.hypot(ax, ay) * math.hypot(bx, by) + 1)
                assert ax * bx + ay * by > 0


def neck_and_head(curves, cell, name):
    """Narrowest neck and widest head of one tab, measured across the tab."""
    # local frame: u along the edge, v away from the line towards the head
    pts = polygon(curves, 200)
    horizontal = name in ("top", "bottom")
    base = (cell.y if name == "top" else cell.bottom) if horizontal else (cell.x if name == "left" else cell.right)

    def along(p):
        return p.x if horizontal else p.y

    def across(p):
        return (p.y if horizontal else p.x) - base
    apex = max(pts, key=lambda p: abs(across(p)))
    sign = 1 if across(apex) > 0 else -1
    local = [(along(p), sign * across(p)) for p in pts]
    top = max(range(len(local)), key=lambda i: local[i][1])
    height = local[top][1]
    widths = []  # at 1 %, 2 %, ... of the tab's height
    for k in range(1, 96):
        level = height * k / 100
        xs = [
            u0 + (level - v0) / (v1 - v0) * (u1 - u0)
            for (u0, v0), (u1, v1) in zip(local, local[1:])
            if (v0 - level) * (v1 - level) < 0
        ]
        left = max(x for x in xs if x <= local[top][0])
        right = min(x for x in xs if x >= local[top][0])
        widths.append(right - left)
    widest = max(range(49, len(widths)), key=lambda i: widths[i])  # the head is the upper half
    return min(widths[: widest + 1]), widths[widest]


@pytest.mark.parametrize("spec", BOARDS)
def test_tab_necks_are_not_too_narrow_to_cut(spec):
    b = make(spec)
    for piece in b.pieces:
        for name, curves in inner_sides(b, piece).items():
            neck, head = neck_and_head(curves, piece.cell, name)
            assert neck >= 0.6 * head, (piece.row, piece.col, name, neck, head)


def test_tabs_on_oblong_pieces_are_sized_by_the_short_side():
    b = make(BIG)  # 85 x 60 mm cells
    heads = {"top": [], "left": []}
    for piece in b.pieces:
        for name, curves in inner_sides(b, piece).items():
            if name in heads:
                heads[name].append(neck_and_head(curves, piece.cell, name)[1])
    # about 20 % of the 60 mm side on both the long and the short edges
    for name, widths in heads.items():
        assert all(10.0 < w < 14.0 for w in widths), (name, widths)


def test_same_seed_reprints_the_same_pieces():
    one, two = make(BIG, seed=42), make(BIG, seed=42)
    assert [p.svg_path() for p in one.pieces] == [p.svg_path() for p in two.pieces]
    other = make(BIG, seed=43)
    assert [p.svg_path() for p in one.pieces] != [p.svg_path() for p in other.pieces]


def test_svg_path_is_one_closed_path_with_three_decimals():
    piece = make(BIG).piece(1, 1)
    path = piece.svg_path(dx=10, dy=20)
    assert path.startswith("M 95 80 C ") and path.endswith(" Z")
    numbers = [t for t in path.split() if t not in ("M", "C", "Z")]
    assert len(numbers) == 2 + 6 * len(piece.outline)
    assert all(len(n.partition(".")[2]) <= 3 for n in numbers)
    assert piece.svg_path(scale=2).startswith("M 170 120 ")


def test_mirrored_piece_is_the_back_of_the_front():
    b = make(BIG)
    piece = b.piece(0, 0)
    mirror = back_mirror(b.width, b.height, "short")  # a landscape board turned over its short edge mirrors x
    back = mirror.outline(piece.outline)
    assert mirror.rect(piece.cell) == Rect(170, 0, 85, 60)
    assert {back[0].p0, back[-1].p3} == {Point(255, 0)}  # the top-left corner lands top-right
    again = mirror.outline(back)
    assert [c.p0.x for c in again] == pytest.approx([c.p0.x for c in piece.outline])
    assert back_mirror(b.width, b.height, "long").rect(piece.cell) == Rect(0, 120, 85, 60)


def test_whole_board_drawn_on_the_back_lands_behind_its_pieces():
    # a board centred on a landscape A4 sheet, long-edge duplex: the back page mirrors y
    sheet = paper("a4", landscape=True)
    b = make(BIG)
    o = centre(b.width, b.height, sheet.safe_area())
    mirror = back_mirror(sheet.width, sheet.height, "long")
    a, bb, c, d, e, f = mirror.matrix
    for piece in b.pieces:
        moved = [Cubic(*(Point(q.x + o.x, q.y + o.y) for q in (cu.p0, cu.c1, cu.c2, cu.p3))) for cu in piece.outline]
        back = polygon(mirror.outline(moved), 16)
        for p in polygon(piece.outline, 16):
            x, y = p.x + o.x, p.y + o.y  # on the front sheet
            on_back = Point(a * x + c * y + e, bb * x + d * y + f)
            assert min(dist(on_back, q) for q in back) < 1e-6


@pytest.mark.parametrize("tab_size", [0.05, 0.09, 0.31, 0.5])
def test_tab_size_out_of_range_is_refused(tab_size):
    with pytest.raises(ValueError, match="tab_size"):
        make(BIG, tab_size=tab_size)


def test_big_tabs_with_big_jitter_are_refused_before_they_collide():
    with pytest.raises(ValueError, match="within"):
        make(BIG, tab_size=0.3, jitter=0.2)
    make(BIG, tab_size=0.27, jitter=0.0)  # large tabs alone still fit
    make(STRIPS)  # the largest tabs fit where rows are cut straight: no two tabs meet at a corner


def test_cell_sizes_must_add_up_to_the_board():
    b = make(dict(rows=2, cols=2, width=100.0, height=60.0), cell_sizes=([40, 60], [30, 30]), hands=False)
    assert b.piece(0, 1).cell == Rect(40, 0, 60, 30)
    with pytest.raises(ValueError, match="column widths"):
        make(dict(rows=2, cols=2, width=100.0, height=60.0), cell_sizes=([40, 50], [30, 30]), hands=False)


# --- imposition ----------------------------------------------------------------------------


def test_sheet_sizes_and_safe_area():
    assert (paper("a4", landscape=False).width, paper("a4", landscape=False).height) == (210.0, 297.0)
    assert (paper("A3", landscape=True).width, paper("A3", landscape=True).height) == (420.0, 297.0)
    assert paper("a4", landscape=True).safe_area() == Rect(8.0, 8.0, 281.0, 194.0)
    assert paper("a3", landscape=True).scale == pytest.approx(420 / 297)
    with pytest.raises(ValueError, match="a5"):
        paper("a5", landscape=False)
    assert set(PAPERS) == {"a4", "a3"}


@pytest.mark.parametrize(
    ("w", "h", "flip", "expected"),
    [
        (297.0, 210.0, "long", Rect(10, 210 - 20 - 30, 40, 30)),  # landscape, long: rows reversed
        (297.0, 210.0, "short", Rect(297 - 10 - 40, 20, 40, 30)),  # landscape, short: columns reversed
        (210.0, 297.0, "long", Rect(210 - 10 - 40, 20, 40, 30)),  # portrait, long: columns reversed
        (210.0, 297.0, "short", Rect(10, 297 - 20 - 30, 40, 30)),  # portrait, short: rows reversed
    ],
)
def test_back_lands_behind_its_front(w, h, flip, expected):
    front = Rect(10, 20, 40, 30)
    back = back_mirror(w, h, flip).rect(front)
    assert back == expected
    assert back_mirror(w, h, flip).rect(back) == front
    assert back_mirror(w, h, flip, (1.5, -0.5)).rect(front) == Rect(expected.x + 1.5, expected.y - 0.5, 40, 30)
    # the matrix form maps the rectangle's corners onto the same place
    a, b, c, d, e, f = back_mirror(w, h, flip, (1.5, -0.5)).matrix
    xs = [a * x + c * y + e for x in (front.x, front.right) for y in (front.y, front.bottom)]
    ys = [b * x + d * y + f for x in (front.x, front.right) for y in (front.y, front.bottom)]
    assert (min(xs), min(ys)) == pytest.approx((expected.x + 1.5, expected.y - 0.5))


def test_unknown_flip_is_refused():
    with pytest.raises(ValueError, match="flip"):
        back_mirror(210, 297, "diagonal")


def test_sheets_are_filled_before_the_next_is_started():
    """Questions alone fill an A4 sheet; the four last pictures leave room for keywords beside them
    only when that saves a sheet; on A3 questions and pictures share the first sheet."""
    a4, a3 = Rect(10, 15, 277, 180), Rect(10, 15, 400, 267)

    def kinds(sheets):
        return [[(b.group, b.count) for b in sheet] for sheet in sheets]

    def groups(keywords):
        return [imposition.Group(9, (90, 60), (3, 3)), imposition.Group(10, (86, 86), min_pieces=2),
                imposition.Group(keywords, (90, 30), min_cols=2)]

    assert kinds(imposition.pack(groups(33), a4, 4)) == [[(0, 9)], [(1, 6)], [(1, 4)], [(2, 18)], [(2, 15)]]
    assert kinds(imposition.pack(groups(39), a4, 4)) == [[(0, 9)], [(1, 6)], [(1, 4), (2, 6)], [(2, 18)], [(2, 15)]]
    assert kinds(imposition.pack(groups(33), a3, 4)) == [[(0, 9), (1, 3), (2, 6)], [(1, 7), (2, 12)], [(2, 15)]]
    for area, keywords in ((a4, 39), (a3, 33), (a3, 45)):
        for sheet in imposition.pack(groups(keywords), area, 4):
            rects = [b.rect for b in sheet]
            assert all(area.contains(r, tol=1e-6) for r in rects)
            for i, r in enumerate(rects):  # apart by the gap at least, so both backs can bleed
                for q in rects[i + 1:]:
                    assert not r.inset(-1.99).overlaps(q)
            used = union(rects)  # centred together
            assert used.x - area.x == pytest.approx(area.right - used.right)
            assert used.y - area.y == pytest.approx(area.bottom - used.bottom)


def test_a_block_of_one_keyword_column_is_only_made_where_it_saves_a_sheet():
    area = Rect(0, 0, 277, 180)
    strict = imposition.pack([imposition.Group(4, (86, 86)), imposition.Group(18, (90, 30), min_cols=2)], area, 4)
    assert [(b.cols, b.rows) for b in strict[0]] == [(2, 2)] and len(strict) == 2  # no column: it saves nothing
    saving = imposition.pack([imposition.Group(4, (86, 86)), imposition.Group(24, (90, 30), min_cols=2)], area, 4)
    assert len(saving) == 2 and [(b.cols, b.rows) for b in saving[0]] == [(2, 2), (1, 6)]


def test_a_fixed_board_is_never_split_and_too_big_a_piece_is_refused():
    sheets = imposition.pack([imposition.Group(10, (70, 60), (4, 3))], Rect(0, 0, 300, 200), 4)
    assert [(b.count, b.cols, b.rows) for b in sheets[0]] == [(10, 4, 3)]
    with pytest.raises(ValueError, match="does not fit"):
        imposition.pack([imposition.Group(1, (300, 60))], Rect(0, 0, 277, 180), 4)


def test_cards_stand_in_bands_across_the_block_and_shorter_cards_fill_a_short_band():
    sheets = imposition.bands([(9, 2), (10, 3), (33, 1)], cols=3, units=6)
    assert [len(s) for s in sheets] == [9, 6, 10, 18, 9]  # as many sheets as the jigsaw style
    third = sheets[2]
    pictures = [c for c in third if c.group == 1]
    assert [(c.col, c.top) for c in pictures] == [(0, 0), (1, 0), (2, 0), (0, 3)]
    hosted = [(c.col, c.top) for c in third if c.group == 2]
    assert hosted == [(1, 3), (1, 4), (1, 5), (2, 3), (2, 4), (2, 5)]  # stacked in the empty cells beside the last picture
    for sheet in sheets:
        assert max(c.top + c.units for c in sheet) <= 6
    assert len(imposition.bands([(9, 2), (10, 3), (39, 1)], cols=3, units=6)) == 5
    assert len(imposition.bands([(9, 2), (10, 3), (33, 1)], cols=4, units=9)) == 3


def card_rects(cards, x=10.0, y=20.0, w=90.0, unit=28.5):
    return [Rect(x + c.col * w, y + c.top * unit, w, c.units * unit) for c in cards]


def test_crop_marks_lie_outside_the_block_and_mark_every_cut_where_it_reaches_the_edge():
    sheets = imposition.bands([(9, 2), (10, 3), (33, 1)], cols=3, units=6)
    for cards in sheets:
        rects = card_rects(cards)
        block = union(rects)
        marks = imposition.block_marks(rects, block, 2.5, 5.5)
        for p, q in marks:
            assert dist(p, q) == pytest.approx(3.0)
            for pt in (p, q):
                assert not block.inset(-2.4).contains_point(pt), "a crop mark inside the block or its bleed"
        xs = {round(r.x, 6) for r in rects} | {round(r.right, 6) for r in rects}
        assert {round(p.x, 6) for p, q in marks if p.y < block.y} == xs  # every column cut, at the top
    # the stacked keywords' cuts are marked at the right only, not across the picture on the left
    rects = card_rects(sheets[2])
    block = union(rects)
    marks = imposition.block_marks(rects, block, 2.5, 5.5)
    left = sorted(round(p.y - block.y, 3) for p, q in marks if p.x < block.x)
    right = sorted(round(p.y - block.y, 3) for p, q in marks if p.x > block.right)
    assert left == [0, 85.5, 171] and right == [0, 85.5, 114, 142.5, 171]


# --- colour past the trim --------------------------------------------------------------------


def polygon_of(outline):
    return polygon(outline, 24)


@pytest.mark.parametrize("spec", [BIG, STRIPS])
def test_bleed_grows_only_past_outer_sides_and_never_onto_a_neighbour(spec):
    b = make(spec)
    outer_of = {}
    bleeds = {}
    for piece in b.pieces:
        outer = tuple(not (0 <= r < b.rows and 0 <= c < b.cols) for r, c in jigsaw.neighbours(piece))
        outer_of[piece.row, piece.col] = outer
        bleeds[piece.row, piece.col] = polygon_of(bled(piece.edges, outer, 2.0))
    for piece in b.pieces:
        own = bleeds[piece.row, piece.col]
        xs, ys = [p.x for p in own], [p.y for p in own]
        top, right, bottom, left = outer_of[piece.row, piece.col]
        assert min(ys) == pytest.approx(-2.0 if top else min(p.y for p in polygon_of(piece.outline)), abs=1e-6)
        assert max(xs) == pytest.approx(b.width + 2.0 if right else max(p.x for p in polygon_of(piece.outline)), abs=1e-6)
        # points just inside each neighbour's own outline lie outside this piece's bleed
        for other in b.pieces:
            if other is piece:
                continue
            theirs = polygon_of(other.outline)
            probes = [Point(p.x + (q.x - p.x) * 0.5, p.y + (q.y - p.y) * 0.5) for p, q in zip(theirs, theirs[1:])]
            centre_ = Point(other.cell.x + other.cell.w / 2, other.cell.y + other.cell.h / 2)
            probes = [Point(p.x + (centre_.x - p.x) * 0.02, p.y + (centre_.y - p.y) * 0.02) for p in probes]
            assert not any(inside(p, own) for p in probes if inside(p, theirs)), (piece.row, piece.col, other.row, other.col)


def test_a_straight_line_has_no_curvature_and_a_quarter_circle_its_radius():
    assert jigsaw.line(Point(0, 0), Point(10, 0)).min_radius() == math.inf
    k = 0.5522847498  # the cubic closest to a quarter circle of radius 10
    quarter = Cubic(Point(10, 0), Point(10, 10 * k), Point(10 * k, 10), Point(0, 10))
    assert quarter.min_radius() == pytest.approx(10.0, rel=0.01)
    assert quarter.radius(0.5) == pytest.approx(10.0, rel=0.01)


# --- hands ---------------------------------------------------------------------------------


def test_knobs_too_small_or_too_tight_for_hands_are_refused():
    with pytest.raises(ValueError, match="too small to hold"):
        board(3, 3, 150, 90, seed=1, tab_size=0.2)  # 6 mm knobs on 30 mm cells
    with pytest.raises(ValueError, match="too tight for scissors"):
        board(3, 3, 270, 90, seed=1, tab_size=0.3, jitter=0.15, straight_rows=True)  # 9 mm knobs, jittered out of round
    board(3, 3, 150, 90, seed=1, tab_size=0.2, hands=False)  # the geometry alone is sound


@pytest.mark.parametrize("spec", [BIG, STRIPS])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_measured_knobs_are_no_smaller_or_tighter_than_the_worst_case_bound(spec, seed):
    b = make(spec, seed=seed)
    kw = {**dict(tab_size=0.2, jitter=0.1), **{k: v for k, v in spec.get("kw", {}).items() if k in ("tab_size", "jitter")}}
    u = min(b.width / b.cols, b.height / b.rows)
    worst = jigsaw.tab_limits(kw["tab_size"], kw["jitter"])
    measured = jigsaw.handling(p.outline for p in b.pieces)
    assert measured.head >= worst.head * u - 0.01 and measured.head >= jigsaw.MIN_HEAD
    assert measured.radius >= worst.radius * u - 0.01 and measured.radius >= jigsaw.MIN_RADIUS


def test_rows_cut_straight_interlock_only_along_the_row():
    b = make(STRIPS)
    for piece in b.pieces:
        top, right, bottom, left = piece.edges
        assert len(top) == 1 and len(bottom) == 1  # a straight cut between rows
        assert len(right) == (3 if piece.col < b.cols - 1 else 1)
        assert len(left) == (3 if piece.col > 0 else 1)
    assert b.piece(1, 0).edges[0] == tuple(c.reversed() for c in reversed(b.piece(0, 0).edges[2]))


def test_cells_too_small_for_tabs_and_text_are_refused():
    with pytest.raises(ValueError, match="too small"):
        board(2, 2, 8.0, 8.0, seed=1)

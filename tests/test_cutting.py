"""Cut files for a laser and sheets for machines that print then cut, measured in millimetres on what samtale writes.

The knife's length is measured on the files themselves (SVG path data and DXF polylines, sampled
densely) against the unique edge length worked out here from the pieces' outlines (each curve
once, whichever piece it comes from): every edge cut once, and none twice. Nothing is rendered:
the layout and the cut files come from the product's context, as the batch makes them.
"""

from __future__ import annotations

import io
import math
import re

import pytest

from conftest import CATALOGUE

A4 = (297.0, 210.0)
CRICUT_MAX = (171.45, 234.95)  # 6.75 x 9.25 in, Design Space's Print Then Cut image on every machine


@pytest.fixture(scope="module")
def material():
    from samtale.material import resolve
    from samtale.source.catalogue import load

    return resolve(load(CATALOGUE), "mus")


@pytest.fixture(scope="module")
def made(material):
    """The puzzle's context and extra files per (target, style), made when first asked for."""
    from samtale.products import PRODUCTS, Options

    done: dict = {}

    def get(target: str, style: str = "jigsaw", **more):
        key = (target, style, tuple(sorted(more.items())))
        if key not in done:
            options = Options(target=target, style=style, **more)
            context = PRODUCTS["puslespil"].context(material, options)
            done[key] = (context, PRODUCTS["puslespil"].extras(context, options))
        return done[key]

    return get


# --- measuring, independently of samtale's own cut geometry --------------------------------------


def bezier(p0, c1, c2, p3, n: int = 60) -> list[tuple[float, float]]:
    out = []
    for i in range(n + 1):
        t = i / n
        u = 1 - t
        out.append((u ** 3 * p0[0] + 3 * u * u * t * c1[0] + 3 * u * t * t * c2[0] + t ** 3 * p3[0],
                    u ** 3 * p0[1] + 3 * u * u * t * c1[1] + 3 * u * t * t * c2[1] + t ** 3 * p3[1]))
    return out


def polyline_length(points) -> float:
    return sum(math.dist(a, b) for a, b in zip(points, points[1:]))


def svg_paths(svg: str, layer: str = "cut") -> list[list[tuple[float, float]]]:
    """The cut paths of an SVG as point lists (M, L, C and Z, absolute, as samtale writes them)."""
    group = re.search(rf'<g id="{layer}"[^>]*>(.*?)</g>', svg, re.S).group(1)
    found = []
    for d in re.findall(r'<path [^>]*d="([^"]+)"', group):
        tokens = re.findall(r"[MLCZ]|-?\d+(?:\.\d+)?", d)
        points, i = [], 0
        while i < len(tokens):
            op = tokens[i]
            i += 1
            if op == "M":
                points = [(float(tokens[i]), float(tokens[i + 1]))]
                i += 2
            elif op == "L":
                points.append((float(tokens[i]), float(tokens[i + 1])))
                i += 2
            elif op == "C":
                v = [float(t) for t in tokens[i:i + 6]]
                i += 6
                points += bezier(points[-1], v[0:2], v[2:4], v[4:6])[1:]
            else:
                points.append(points[0])
        found.append(points)
    return found


def unique_curves(sheet) -> list[list[tuple[float, float]]]:
    """Every curve of every piece's outline once (the two pieces of a shared edge have it each way round)."""
    seen = {}
    for piece in sheet["pieces_cut"]:
        for c in piece:
            pts = [(round(p.x, 3), round(p.y, 3)) for p in (c.p0, c.c1, c.c2, c.p3)]
            seen.setdefault(min(tuple(pts), tuple(reversed(pts))), bezier(*[(p.x, p.y) for p in (c.p0, c.c1, c.c2, c.p3)]))
    return list(seen.values())


def fronts(context) -> list[dict]:
    return [{"title": s.title, "width": s.width, "height": s.height, "pieces_cut": [p.cut for p in s.pieces], "sheet": s}
            for s in context["sheets"] if not s.is_back]


def on_cut(paths, tol: float = 0.05):
    """A test of whether a point lies within `tol` of one of the polylines (their segments kept in 2 mm cells)."""
    cells: dict[tuple[int, int], list] = {}
    for path in paths:
        for a, b in zip(path, path[1:]):
            for i in range(math.floor(min(a[0], b[0]) / 2), math.floor(max(a[0], b[0]) / 2) + 1):
                for j in range(math.floor(min(a[1], b[1]) / 2), math.floor(max(a[1], b[1]) / 2) + 1):
                    cells.setdefault((i, j), []).append((a, b))

    def gap(point, a, b) -> float:
        (ax, ay), (bx, by) = a, b
        dx, dy = bx - ax, by - ay
        t = 0.0 if dx == dy == 0 else max(0.0, min(1.0, ((point[0] - ax) * dx + (point[1] - ay) * dy) / (dx * dx + dy * dy)))
        return math.dist(point, (ax + t * dx, ay + t * dy))

    def test(point) -> bool:
        return any(gap(point, a, b) <= tol for a, b in cells.get((math.floor(point[0] / 2), math.floor(point[1] / 2)), ()))

    return test


# --- a laser: every edge once ------------------------------------------------------------------


@pytest.mark.parametrize("style", ["jigsaw", "cards"])
def test_a_laser_cuts_every_edge_once_and_nothing_twice(made, style):
    context, files = made("laser", style)
    for n, sheet in enumerate(fronts(context), 1):
        edges = unique_curves(sheet)
        expected = sum(polyline_length(e) for e in edges)
        cut = svg_paths(files[f"-{n}.svg"].decode())
        knife = sum(polyline_length(p) for p in cut)
        assert knife == pytest.approx(expected, rel=1e-3), sheet["title"]
        # Every edge is cut: its middle lies on the cut (with the length equal, none is cut twice).
        cut_at = on_cut(cut)
        for edge in edges:
            assert cut_at(edge[len(edge) // 2]), f"{sheet['title']}: an edge is not cut"


def test_the_laser_dxf_cuts_the_same_length_upright_in_millimetres(made):
    import ezdxf

    context, files = made("laser")
    for n, sheet in enumerate(fronts(context), 1):
        doc = ezdxf.read(io.StringIO(files[f"-{n}.dxf"].decode("cp1252")))
        assert doc.header["$INSUNITS"] == 4  # millimetres
        lines = list(doc.modelspace().query("LWPOLYLINE"))
        assert {e.dxf.layer for e in lines} == {sheet["title"].replace("/", "-")}
        length = 0.0
        for e in lines:
            points = [(x, y) for x, y, *_ in e.get_points()]
            assert all(0 <= x <= sheet["width"] and 0 <= y <= sheet["height"] for x, y in points)
            length += polyline_length(points + points[:1] if e.closed else points)
        expected = sum(polyline_length(p) for p in svg_paths(files[f"-{n}.svg"].decode()))
        assert length == pytest.approx(expected, rel=1e-3)
        # y turned up: the sheet's top edge (y = 0 on the page) is at y = height in the drawing.
        svg_top = min(y for p in svg_paths(files[f"-{n}.svg"].decode()) for _, y in p)
        assert max(y for e in lines for _, y, *_ in e.get_points()) == pytest.approx(sheet["height"] - svg_top, abs=0.01)


def test_the_cut_saves_a_third_of_the_knife_and_most_of_the_travel(made):
    """Against one closed path per piece (the --cut-svg file): shared edges once, paths ordered nearest first."""
    from samtale.geometry import cutting

    context, files = made("laser")
    knife = per_piece = travel = naive = 0.0
    for n, sheet in enumerate(fronts(context), 1):
        cut = svg_paths(files[f"-{n}.svg"].decode())
        knife += sum(polyline_length(p) for p in cut)
        per_piece += sum(cutting.length(piece) for piece in sheet["pieces_cut"])
        travel += polyline_length([(0.0, 0.0)] + [q for p in cut for q in (p[0], p[-1])]) - sum(math.dist(p[0], p[-1]) for p in cut)
        naive += cutting.travel([cutting.CutPath(piece) for piece in sheet["pieces_cut"]])
    assert knife < 0.66 * per_piece
    assert travel < 0.35 * naive


def test_edges_between_pieces_are_cut_before_the_outline_so_no_piece_comes_loose_early(made):
    context, files = made("laser")
    sheet = fronts(context)[0]
    cut = svg_paths(files["-1.svg"].decode())
    w, h = sheet["width"], sheet["height"]
    board = [p for piece in sheet["pieces_cut"] for c in piece for p in (c.p0, c.p3)]
    x0, x1 = min(p.x for p in board), max(p.x for p in board)
    y0, y1 = min(p.y for p in board), max(p.y for p in board)

    def on_frame(path) -> bool:
        return all(min(abs(x - x0), abs(x - x1), abs(y - y0), abs(y - y1)) < 0.01 for x, y in path)

    kinds = [on_frame(p) for p in cut]
    assert kinds[-1] and not kinds[0] and kinds == sorted(kinds), (w, h, kinds)


def test_laser_svg_is_in_millimetres_with_a_hairline_on_a_layer_named_after_its_sheet(made):
    context, files = made("laser", hairline=0.02)
    sheet = fronts(context)[0]
    svg = files["-1.svg"].decode()
    assert 'width="297mm" height="210mm" viewBox="0 0 297 210"' in svg
    assert f'inkscape:label="{sheet["title"]}"' in svg
    strokes = re.findall(r'<path [^>]*stroke-width="([^"]+)"', svg)
    assert strokes and set(strokes) == {"0.02"}
    assert 'fill="none"' in svg and "<text" not in svg and "<image" not in svg  # the print content is the PDF's


def test_cut_files_are_the_same_bytes_every_time(made, material):
    from samtale.products import PRODUCTS, Options

    context, files = made("laser")
    options = Options(target="laser")
    again = PRODUCTS["puslespil"].extras(PRODUCTS["puslespil"].context(material, options), options)
    assert again == files


# --- machines that print then cut ------------------------------------------------------------------


def spilled(sheet_obj, piece):
    from samtale.geometry.cutting import bounds

    return bounds(piece.cut).inset(-sheet_obj.spill)


def test_silhouette_sheets_carry_studios_type_1_marks_10_mm_in(made):
    from samtale.geometry.shapes import Rect

    context, _ = made("silhouette")
    for sheet in context["sheets"]:
        assert (sheet.width, sheet.height) == A4
        square, top_h, top_v, left_h, left_v = sheet.solid
        assert square == Rect(10.0, 10.0, 5.0, 5.0)  # filled square, top left
        assert (top_h.right, top_h.y, top_h.w, top_h.h) == (287.0, 10.0, 20.0, 0.5)  # corner at the top right
        assert (top_v.right, top_v.y, top_v.w, top_v.h) == (287.0, 10.0, 0.5, 20.0)
        assert (left_h.x, left_h.bottom, left_h.w, left_h.h) == (10.0, 200.0, 20.0, 0.5)  # corner at the bottom left
        assert (left_v.x, left_v.bottom, left_v.w, left_v.h) == (10.0, 200.0, 0.5, 20.0)


@pytest.mark.parametrize("style", ["jigsaw", "cards"])
def test_every_piece_and_its_colour_lies_inside_the_silhouettes_cut_area_clear_of_its_marks(made, style):
    from samtale.geometry.shapes import Rect

    context, _ = made("silhouette", style)
    area = Rect(11.0, 11.0, 275.0, 188.0)  # inside the lines through the marks, 1 mm clear
    for sheet in context["sheets"]:
        keep_white = [Rect(m.x - 5, m.y - 5, m.w + 10, m.h + 10) for m in sheet.solid]  # 5 mm around each mark
        for piece in sheet.pieces:
            room = spilled(sheet, piece)
            assert area.contains(room), (sheet.title, room)
            assert not any(room.overlaps(k) for k in keep_white), (sheet.title, room)


@pytest.mark.parametrize("style", ["jigsaw", "cards"])
def test_every_cricut_image_is_within_print_then_cut_and_holds_its_pieces(made, style):
    from samtale.geometry.shapes import Rect

    context, files = made("cricut", style)
    sheets = context["sheets"]
    sizes = {(s.width, s.height) for s in sheets}
    assert len(sizes) == 1  # one size to type into Design Space for every image
    (w, h), = sizes
    assert w <= CRICUT_MAX[0] and h <= CRICUT_MAX[1] and w == int(w) and h == int(h)
    for n, sheet in enumerate(sheets, 1):
        assert sheet.solid == ()  # Design Space prints its own marks around the image
        for piece in sheet.pieces:
            assert Rect(2.9, 2.9, w - 5.8, h - 5.8).contains(spilled(sheet, piece)), (sheet.title, piece.text)
        svg = files[f"-{n}.svg"].decode()
        assert f'width="{w:g}mm" height="{h:g}mm" viewBox="0 0 {w:g} {h:g}"' in svg
        outline = svg_paths(svg)[-1]  # the image's own outline, cut last, so the SVG keeps the image's size
        assert {(round(x, 3), round(y, 3)) for x, y in outline} == {(0, 0), (w, 0), (w, h), (0, h)}


@pytest.mark.parametrize("machine, sheets", [("silhouette", 8), ("cricut", 13)])
def test_split_boards_keep_every_piece_once_and_its_shape_so_they_still_interlock(made, machine, sheets):
    """The machine's pieces are the office sheets' pieces, moved: the same outlines (so a knob on one sheet fits
    its blank on another) and the same words, each once."""
    office, _ = made("office")
    context, _ = made(machine)
    assert len(context["sheets"]) == sheets

    def shapes(ctx):
        found = []
        for sheet in ctx["sheets"]:
            for piece in sheet.pieces:
                x0, y0 = piece.cut[0].p0.x, piece.cut[0].p0.y
                found.append((piece.kind, piece.text, piece.image[-40:], tuple(
                    (round(c.p3.x - x0, 4), round(c.p3.y - y0, 4), round(c.c1.x - x0, 4), round(c.c1.y - y0, 4)) for c in piece.cut)))
        return sorted(found)

    assert shapes(context) == shapes(office)


@pytest.mark.parametrize("machine", ["silhouette", "cricut"])
def test_machine_cut_files_cut_each_sheets_edges_once(made, machine):
    context, files = made(machine)
    for n, sheet in enumerate(fronts(context), 1):
        expected = sum(polyline_length(e) for e in unique_curves(sheet))
        cut = svg_paths(files[f"-{n}.svg"].decode())
        if machine == "cricut":
            cut = cut[:-1]  # the image's outline
        assert sum(polyline_length(p) for p in cut) == pytest.approx(expected, rel=1e-3), sheet["title"]


def test_silhouette_cut_file_carries_the_page_outline_to_place_it_by_not_to_cut(made):
    _, files = made("silhouette")
    svg = files["-1.svg"].decode()
    assert re.search(r'<g id="page"[^>]*>\s*<rect x="0" y="0" width="297" height="210" fill="none" stroke="#0000FF"', svg)
    assert set(re.findall(r'stroke="(#[0-9A-F]{6})"', svg)) == {"#FF0000", "#0000FF"}
    assert "-1.dxf" in files  # Studio's free edition reads DXF only


# --- the geometry underneath --------------------------------------------------------------------


def test_unique_segments_of_a_two_by_two_grid_are_its_twelve_unit_edges():
    from samtale.geometry import cutting
    from samtale.geometry.shapes import Rect

    squares = {(r, c): cutting.rect_outline(Rect(c * 10.0, r * 10.0, 10.0, 10.0)) for r in range(2) for c in range(2)}
    segments = cutting.unique_segments(squares)
    assert sum(cutting.length(s.curves) for s in segments) == pytest.approx(120.0)
    assert sum(s.inner for s in segments) == 4  # the cross in the middle, four half edges
    paths = cutting.plan(segments)
    assert sum(p.length() for p in paths) == pytest.approx(120.0)
    assert len(paths) == 3  # the two lines of the cross straight through, then the frame
    assert paths[-1].closed

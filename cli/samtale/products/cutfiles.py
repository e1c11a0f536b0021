"""Cut files for a laser or a cutting machine: one sheet's cut, every edge once, as SVG and as DXF, in millimetres.

SVG: the page of the sheet (width and height in mm, a viewBox in mm), the cut as red
hairlines without fill in the order they are to be cut, on one layer named after the
sheet (an Inkscape layer, which LightBurn and Inkscape show as such). A reference (the
page's outline, for placing the cut in Silhouette Studio) is a second layer in blue,
never to be cut. One file per sheet: laser software cuts everything it imports, and
hidden layers are not hidden to all of it, so sheets in one file would be cut on top of
each other.

DXF (R2000, $INSUNITS millimetres): the same paths as LWPOLYLINE flattened to 0.01 mm,
which every laser program and Silhouette Studio's free edition read (SPLINE support is
patchy); y turned up, so the sheet stands upright with its corner at (0, 0).
"""

from __future__ import annotations

import io
import re
from xml.sax.saxutils import escape, quoteattr

from ..geometry.cutting import TOLERANCE, CutSheet, polyline
from ..geometry.shapes import fmt

CUT_COLOUR = "#FF0000"
REFERENCE_COLOUR = "#0000FF"
HAIRLINE = 0.01  # mm: laser drivers take strokes of 0.01-0.025 mm as vector cuts
_INKSCAPE = "http://www.inkscape.org/namespaces/inkscape"


def svg(sheet: CutSheet, hairline: float = HAIRLINE, reference: bool = False) -> str:
    """The sheet's cut as SVG: its paths in cutting order, and with `reference` the page's outline on a layer of its own."""
    w, h = fmt(sheet.width), fmt(sheet.height)
    stroke = f'fill="none" stroke="{CUT_COLOUR}" stroke-width="{hairline:g}" stroke-linecap="round" stroke-linejoin="round"'
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:inkscape="{_INKSCAPE}" width="{w}mm" height="{h}mm" viewBox="0 0 {w} {h}">',
        f"  <title>{escape(sheet.name)}</title>",
        f'  <g id="cut" inkscape:groupmode="layer" inkscape:label={quoteattr(sheet.name)}>',
        *(f'    <path id="cut-{i}" d="{p.svg()}" {stroke}/>' for i, p in enumerate(sheet.paths, 1)),
        "  </g>",
    ]
    if reference:
        out += ['  <g id="page" inkscape:groupmode="layer" inkscape:label="page">',
                f'    <rect x="0" y="0" width="{w}" height="{h}" fill="none" stroke="{REFERENCE_COLOUR}" stroke-width="{hairline:g}"/>',
                "  </g>"]
    out.append("</svg>\n")
    return "\n".join(out)


def layer_name(name: str) -> str:
    """A DXF layer name from a sheet's name: the characters DXF forbids become '-'."""
    return re.sub(r'[<>/\\":;?*|=`,·]', "-", name).strip() or "cut"


def dxf(sheet: CutSheet, reference: bool = False) -> bytes:
    """The sheet's cut as DXF: one layer named after the sheet (red), and with `reference` the page's outline on
    the layer 'page' (blue). The same sheet gives the same bytes."""
    import ezdxf  # lazy: it takes half a second to import, and only cut files need it

    layer = layer_name(sheet.name)
    fixed = ezdxf.options.write_fixed_meta_data_for_testing
    ezdxf.options.write_fixed_meta_data_for_testing = True  # no clock time and no random ids in the file
    try:
        doc = ezdxf.new("R2000", setup=False, units=4)  # 4: millimetres
        doc.header["$MEASUREMENT"] = 1
        doc.header["$EXTMIN"] = (0, 0, 0)
        doc.header["$EXTMAX"] = (sheet.width, sheet.height, 0)
        doc.layers.add(layer, color=1)
        msp = doc.modelspace()
        for path in sheet.paths:
            points = [(round(p.x, 4), round(sheet.height - p.y, 4)) for p in polyline(path.curves, TOLERANCE)]
            if path.closed:
                points.pop()
            msp.add_lwpolyline(points, format="xy", close=path.closed, dxfattribs={"layer": layer})
        if reference:
            doc.layers.add("page", color=5)
            corners = [(0, 0), (sheet.width, 0), (sheet.width, sheet.height), (0, sheet.height)]
            msp.add_lwpolyline(corners, format="xy", close=True, dxfattribs={"layer": "page"})
        text = io.StringIO()
        doc.write(text)
    finally:
        ezdxf.options.write_fixed_meta_data_for_testing = fixed
    return text.getvalue().encode(doc.output_encoding)

"""A print shop's PDF (--for print-shop), measured as its preflight would: PDF/X-4 with a CMYK output intent,
page boxes and bleed in millimetres, marks in the registration colour outside the bleed, the cut lines in the
CutContour separation and nothing else on them, colours in CMYK, fonts embedded, and still PDF/UA-1.

The MUS puzzle and a skema (from a catalogue that states one colour in CMYK) are rendered once for the
module, in this process. No preflight tool (callas, Acrobat) is at hand: these are the conditions it checks.
"""

from __future__ import annotations

import io
import math
import xml.etree.ElementTree as ET

import pikepdf
import pytest

from conftest import CATALOGUE, MM, run

A4_LANDSCAPE = (297.0, 210.0)
STATED = (62, 88, 0, 4)  # the test catalogue's own CMYK for Adfærd, in percent


@pytest.fixture(scope="module")
def loaded():
    from samtale.source.catalogue import load

    return load(CATALOGUE)


@pytest.fixture(scope="module")
def puzzle(loaded):
    """The MUS puzzle for a print shop: (its files by name, its context)."""
    from samtale.batch import render_files
    from samtale.material import resolve
    from samtale.products import PRODUCTS, Options

    material = resolve(loaded, "mus")
    options = Options(target="print-shop")
    files = render_files(material, "puslespil", options, roots=(loaded.folder.resolve(),))
    return files, PRODUCTS["puslespil"].context(material, options)


@pytest.fixture(scope="module")
def skema(tmp_path_factory):
    """The MUS skema for a print shop, from a catalogue that gives Adfærd's colour in CMYK."""
    import shutil

    from samtale.batch import render_files
    from samtale.material import resolve
    from samtale.products import Options
    from samtale.source.catalogue import load

    folder = tmp_path_factory.mktemp("cmyk")
    shutil.copytree(CATALOGUE.parent / "images", folder / "images")
    text = CATALOGUE.read_text(encoding="utf-8").replace('colour: "#5B2F91"\n', f'colour: "#5B2F91"\n    cmyk: {list(STATED)}\n', 1)
    (folder / "albertslund.yaml").write_text(text, encoding="utf-8")
    stated = load(folder / "albertslund.yaml")
    files = render_files(resolve(stated, "mus"), "skema", Options(target="print-shop"), roots=(folder,))
    return files["mus-skema-trykkeri.pdf"]


@pytest.fixture(scope="module")
def pdfs(puzzle, skema):
    return {"puzzle": puzzle[0]["mus-puslespil-trykkeri.pdf"], "skema": skema}


def boxes_mm(page) -> dict[str, list[float]]:
    return {name: [float(v) / MM for v in page.obj[f"/{name}"]] for name in ("MediaBox", "BleedBox", "TrimBox")}


def xmp(pdf) -> str:
    return pdf.Root.Metadata.read_bytes().decode("utf-8")


# --- identification and output intent --------------------------------------------------------------


@pytest.mark.parametrize("name", ["puzzle", "skema"])
def test_print_shop_pdf_says_pdf_x4_and_keeps_pdf_ua_1_in_one_xmp(pdfs, name):
    from pdfua import check

    with pikepdf.open(io.BytesIO(pdfs[name])) as pdf:
        assert pdf.pdf_version == "1.6"  # PDF/X-4 is PDF 1.6
        packet = xmp(pdf)
        rdf = ET.fromstring(packet.split("?>", 1)[1].rsplit("<?xpacket", 1)[0])
        values = {el.tag.split("}")[1]: (el.text or "") for el in rdf.iter()}
        assert values["GTS_PDFXVersion"] == "PDF/X-4" and values["part"] == "1" and values["Trapped"] == "False"
        assert values["DocumentID"].startswith("uuid:") and values["RenditionClass"] == "default" and values["VersionID"] == "1"
        assert packet.count("<rdf:RDF") == 1
        assert str(pdf.docinfo["/GTS_PDFXVersion"]) == "PDF/X-4" and str(pdf.docinfo["/Trapped"]) == "/False"
        assert check(pdf) == []  # the repository's PDF/UA-1 checks


@pytest.mark.parametrize("name", ["puzzle", "skema"])
def test_output_intent_is_the_fogra39_cmyk_profile_samtale_ships(pdfs, name):
    from samtale.core.colour import CMYK_PROFILE

    with pikepdf.open(io.BytesIO(pdfs[name])) as pdf:
        (intent,) = pdf.Root.OutputIntents
        assert intent.S == pikepdf.Name.GTS_PDFX
        assert str(intent.OutputConditionIdentifier) == "FOGRA39" and str(intent.RegistryName) == "http://www.color.org"
        profile = intent.DestOutputProfile
        assert int(profile.N) == 4 and profile.read_bytes() == CMYK_PROFILE.read_bytes()
        assert profile.read_bytes()[12:20] == b"prtrCMYK"


@pytest.mark.parametrize("name", ["puzzle", "skema"])
def test_every_page_has_a_trim_box_3_mm_of_bleed_and_room_for_marks(pdfs, name):
    with pikepdf.open(io.BytesIO(pdfs[name])) as pdf:
        for page in pdf.pages:
            b = boxes_mm(page)
            trim = b["TrimBox"]
            assert (trim[2] - trim[0], trim[3] - trim[1]) == pytest.approx(A4_LANDSCAPE, abs=0.01)
            assert [p - q for p, q in zip(b["BleedBox"], trim)] == pytest.approx([-3, -3, 3, 3], abs=0.01)
            assert [p - q for p, q in zip(b["MediaBox"], trim)] == pytest.approx([-10, -10, 10, 10], abs=0.01)
            assert "/CropBox" not in page.obj and "/ArtBox" not in page.obj


def test_fonts_are_embedded_and_link_annotations_stay_off_the_printed_page(pdfs):
    for data in pdfs.values():
        with pikepdf.open(io.BytesIO(data)) as pdf:
            from samtale.press.prepress import unembedded_fonts

            assert unembedded_fonts(pdf) == []
            assert all("/Annots" not in page.obj for page in pdf.pages)
    text = pdfs["skema"].decode("latin-1")
    assert "/Link" not in text


# --- colour ------------------------------------------------------------------------------------


def fills(pdf) -> set[tuple[float, ...]]:
    """Every four-component colour set anywhere: the pages and the form XObjects they draw, however deep."""
    found = set()
    todo = [(page.obj, page.obj.Resources) for page in pdf.pages]
    seen = set()
    while todo:
        stream, resources = todo.pop()
        for operands, op in pikepdf.parse_content_stream(stream):
            if str(op) in ("k", "K") or (str(op) in ("scn", "sc", "SCN", "SC") and len(operands) == 4):
                found.add(tuple(round(float(v), 3) for v in operands))
        for xobject in (resources.get("/XObject") or {}).values():
            if xobject.get("/Subtype") == "/Form" and xobject.objgen not in seen:
                seen.add(xobject.objgen)
                todo.append((xobject, xobject.get("/Resources", resources)))
    return found


def test_catalogue_colours_print_as_the_catalogue_states_them_in_cmyk_or_as_the_profile_converts_them(pdfs, puzzle):
    from samtale.core.colour import cmyk, cmyk_tint

    with pikepdf.open(io.BytesIO(pdfs["skema"])) as pdf:
        colours = fills(pdf)
    stated = tuple(v / 100 for v in STATED)
    assert stated in colours  # Adfærd, as the catalogue states it
    assert cmyk_tint(stated) in colours  # and its tint, a tint of the same inks
    assert cmyk("#1C7A71") in colours  # Struktur, converted through FOGRA39
    with pikepdf.open(io.BytesIO(pdfs["puzzle"])) as pdf:
        colours = fills(pdf)
    assert {cmyk("#5B2F91"), cmyk_tint(cmyk("#5B2F91"), 0.16), (0.0, 0.0, 0.0, 0.9)} <= colours  # the frame, the face, the text


def test_rgb_left_in_the_file_is_defined_by_an_icc_profile(pdfs):
    with pikepdf.open(io.BytesIO(pdfs["puzzle"])) as pdf:
        for page in pdf.pages:
            default = page.obj.Resources.ColorSpace.DefaultRGB
            assert default[0] == pikepdf.Name.ICCBased and int(default[1].N) == 3
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Image":
                assert obj.get("/ColorSpace") != pikepdf.Name.DeviceRGB


# --- marks and the cut contour ---------------------------------------------------------------------


def painted(page) -> list[dict]:
    """The page's own painting operations (not inside form XObjects) with their colour space, width, graphics
    state and marked content; after the page's drawing, the CTM is the page's."""
    resources = page.obj.Resources
    state = {"cs": None, "w": 1.0, "gs": {}}
    stack, marked, path, found = [], [], [], []
    for operands, operator in pikepdf.parse_content_stream(page):
        op = str(operator)
        if op == "q":
            stack.append({**state, "gs": dict(state["gs"])})
        elif op == "Q":
            state = stack.pop()
        elif op == "CS":
            state["cs"] = resources.ColorSpace.get(str(operands[0]), str(operands[0]))
        elif op == "w":
            state["w"] = float(operands[0])
        elif op == "gs":
            state["gs"].update({str(k): v for k, v in resources.ExtGState[str(operands[0])].items()})
        elif op in ("BDC", "BMC"):
            props = operands[1] if len(operands) > 1 else None
            marked.append((str(operands[0]).lstrip("/"), resources.Properties[str(props)] if isinstance(props, pikepdf.Name) else props))
        elif op == "EMC":
            marked.pop()
        elif op in ("m", "l", "c", "h", "re"):
            path.append((op, [float(v) for v in operands]))
        elif op in ("S", "s", "f", "F", "f*", "B", "b", "n", "Do"):
            if op != "n":
                found.append({"op": op, "path": path, "cs": state["cs"], "w": state["w"], "gs": dict(state["gs"]), "marked": list(marked)})
            path = []
    return found


def separation(space, name: str) -> bool:
    return isinstance(space, pikepdf.Array) and space[0] == pikepdf.Name.Separation and str(space[1]) == f"/{name}"


def path_length_pt(path) -> float:
    total, cur, start = 0.0, None, None
    for op, v in path:
        if op == "m":
            cur = start = (v[0], v[1])
        elif op == "l":
            total, cur = total + math.dist(cur, v), (v[0], v[1])
        elif op == "c":
            p0, c1, c2, p3 = cur, v[0:2], v[2:4], v[4:6]
            pts = [tuple((1 - t) ** 3 * p0[i] + 3 * (1 - t) ** 2 * t * c1[i] + 3 * (1 - t) * t * t * c2[i] + t ** 3 * p3[i] for i in (0, 1))
                   for t in (k / 60 for k in range(61))]
            total += sum(math.dist(a, b) for a, b in zip(pts, pts[1:]))
            cur = (v[4], v[5])
        elif op == "h":
            total, cur = total + math.dist(cur, start), start
    return total


def unique_edge_length_mm(sheet) -> float:
    """The sheet's unique edge length, each curve of the pieces' outlines once (samtale's own measure)."""
    from samtale.geometry import cutting

    return sum(cutting.length(s.curves) for s in cutting.unique_segments({i: p.cut for i, p in enumerate(sheet.pieces)}))


def test_cut_lines_are_the_cutcontour_spot_colour_overprinting_at_0_25_pt_on_their_own_layer(pdfs, puzzle):
    _, context = puzzle
    sheets = context["sheets"]
    with pikepdf.open(io.BytesIO(pdfs["puzzle"])) as pdf:
        (layer,) = pdf.Root.OCProperties.OCGs
        assert str(layer.Name) == "CutContour"
        assert list(pdf.Root.OCProperties.D.Order) == [layer] and "/AS" not in pdf.Root.OCProperties.D
        pages = list(pdf.pages)[-len(sheets):]
        assert len(pdf.pages) == len(sheets) + 1  # the guide, then the sheets
        for page, sheet in zip(pages, sheets):
            cuts = [p for p in painted(page) if separation(p["cs"], "CutContour")]
            assert cuts and all(p["op"] == "S" and p["w"] == 0.25 for p in cuts)
            assert all(p["gs"].get("/OP") and p["gs"].get("/op") and p["gs"].get("/OPM") == 1 for p in cuts)
            assert all(m[0] == "OC" and m[1].objgen == layer.objgen for p in cuts for m in p["marked"][1:])
            assert all(p["marked"][0][0] == "Artifact" for p in cuts)  # no content for a screen reader
            knife = sum(path_length_pt(p["path"]) for p in cuts) / MM
            assert knife == pytest.approx(unique_edge_length_mm(sheet), rel=1e-3), sheet.title
        # The guide page has no cut, and no other paint anywhere uses the CutContour ink.
        assert not [p for p in painted(pdf.pages[0]) if separation(p["cs"], "CutContour")]
        spaces = [cs for page in pdf.pages for cs in page.obj.Resources.ColorSpace.values() if separation(cs, "CutContour")]
        assert {cs.objgen for cs in spaces} == {spaces[0].objgen}


def test_nothing_but_the_cut_contour_is_drawn_along_the_cut(pdfs):
    """The office print draws a dark 0.25 mm line where scissors go; the print shop's file draws none: every thin
    stroke on a sheet is the CutContour layer's or a mark outside the bleed."""
    import pdfplumber

    with pdfplumber.open(io.BytesIO(pdfs["puzzle"])) as doc:
        for page in doc.pages[1:]:
            bleed_x0, bleed_top, bleed_x1, bleed_bottom = page.bbox[0] + 7 * MM, page.bbox[1] + 7 * MM, page.bbox[2] - 7 * MM, page.bbox[3] - 7 * MM
            for stroke in page.curves + page.lines + page.rects:
                if not stroke.get("stroke") or stroke.get("linewidth", 1) > 2 or stroke.get("tag") == "OC":
                    continue
                inside = [(x, y) for x, y in stroke["pts"] if bleed_x0 < x < bleed_x1 and bleed_top < y < bleed_bottom]
                assert not inside, f"a {stroke['linewidth']:.2f} pt stroke inside the bleed at {inside[:2]}"


def test_crop_marks_and_registration_targets_are_in_the_registration_colour_outside_the_bleed(pdfs):
    from samtale.press.prepress import PT

    with pikepdf.open(io.BytesIO(pdfs["puzzle"])) as pdf:
        for page in pdf.pages:
            bleed = [float(v) for v in page.obj.BleedBox]
            marks = [p for p in painted(page) if separation(p["cs"], "All")]
            assert marks and all(p["op"] == "S" and p["marked"][0][0] == "Artifact" for p in marks)
            points = [v[i:i + 2] for p in marks for op, v in p["path"] for i in range(0, len(v), 2)]
            assert len(points) > 40  # eight crop marks and four targets
            for x, y in points:
                assert not (bleed[0] + 0.5 * PT < x < bleed[2] - 0.5 * PT and bleed[1] + 0.5 * PT < y < bleed[3] - 0.5 * PT), (x, y)


def test_colour_at_a_trim_edge_reaches_3_mm_into_the_bleed_and_no_further(tmp_path):
    """A page whose colour runs to the trim (WeasyPrint paints an @page background into the bleed): the print
    shop's file keeps it to the bleed edge and clips the rest, so the marks stand on white."""
    import pypdfium2

    from samtale.press import pdf, prepress

    html = """<!DOCTYPE html><html lang="da"><head><meta charset="utf-8"><title>Bleed</title><style>
    @page { size: 100mm 60mm; bleed: 5mm; margin: 10mm; background: device-cmyk(0.6 0.8 0 0.1); }
    </style></head><body><p>Tekst</p></body></html>"""
    data = prepress.print_ready(pdf.pdf(html), [])
    document = pypdfium2.PdfDocument(data)
    dpi = 72 * 4
    image = document[0].render(scale=4).to_pil().convert("L")
    document.close()

    def ink(x_mm: float, y_mm: float) -> bool:  # mm from the MediaBox's top left
        return image.getpixel((round(x_mm / 25.4 * dpi), round(y_mm / 25.4 * dpi))) < 200

    slug = 10.0  # the trim starts 10 mm in; the bleed reaches 3 mm out of it
    assert ink(slug + 50, slug + 0.2) and ink(slug + 50, slug - 2.8) and ink(slug - 2.8, slug + 30)
    assert not ink(slug + 50, slug - 3.4) and not ink(slug - 3.4, slug + 30)  # the render's 5 mm is cut back to 3


# --- what the command line says ---------------------------------------------------------------------


def test_a_target_a_product_cannot_be_made_for_is_one_line_and_exit_2(tmp_path):
    result = run("render", "--type", "mus", "--product", "skema", "--for", "laser", "--out", str(tmp_path))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "the skema cannot be made --for laser; it can be made for: office, print-shop" in result.stderr
    assert not list(tmp_path.rglob("*.pdf"))

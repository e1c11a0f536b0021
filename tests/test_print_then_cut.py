"""Print then cut on a Silhouette or a Cricut, measured on the PDF and the images samtale writes.

The Silhouette's page is A4 landscape with Studio's Type 1 marks printed where Studio looks for
them, white around them, and no cut line printed; the Cricut gets images of one size within
Design Space's Print Then Cut limit, with no marks of ours (Design Space prints its own frame).
The layouts themselves are measured without rendering in test_cutting.py.
"""

from __future__ import annotations

import io

import pytest

from conftest import CATALOGUE, MM

CRICUT_MAX = (171.45, 234.95)


@pytest.fixture(scope="module")
def made():
    """The MUS puzzle for a Silhouette and for a Cricut: (files by name, context), rendered once for the module."""
    from samtale.batch import render_files
    from samtale.material import resolve
    from samtale.products import PRODUCTS, Options
    from samtale.source.catalogue import load

    loaded = load(CATALOGUE)
    material = resolve(loaded, "mus")
    found = {}
    for machine in ("silhouette", "cricut"):
        options = Options(target=machine)
        files = render_files(material, "puslespil", options, roots=(loaded.folder.resolve(),))
        found[machine] = (files, PRODUCTS["puslespil"].context(material, options))
    return found


def test_files_are_named_for_the_machine_beside_the_office_printers(made):
    files, context = made["silhouette"]
    count = len(context["sheets"])
    assert set(files) == {"mus-puslespil-silhouette.pdf", *(f"mus-puslespil-silhouette-{n}.{ext}" for n in range(1, count + 1)
                                                             for ext in ("svg", "dxf"))}
    files, context = made["cricut"]
    count = len(context["sheets"])
    assert set(files) == {"mus-puslespil-cricut.pdf", *(f"mus-puslespil-cricut-{n}.{ext}" for n in range(1, count + 1)
                                                         for ext in ("svg", "png"))}


def test_silhouette_pages_print_the_type_1_marks_in_black_where_studio_looks_for_them(made):
    import pdfplumber

    files, context = made["silhouette"]
    with pdfplumber.open(io.BytesIO(files["mus-puslespil-silhouette.pdf"])) as doc:
        sheets = doc.pages[1:]
        assert len(sheets) == len(context["sheets"])
        for page in sheets:
            assert (page.width / MM, page.height / MM) == pytest.approx((297, 210), abs=0.01)
            solid = sorted((round(r["x0"] / MM, 2), round(r["top"] / MM, 2), round(r["width"] / MM, 2), round(r["height"] / MM, 2))
                           for r in page.rects if r.get("fill") and r.get("non_stroking_color") in ((0, 0, 0), [0, 0, 0], (0.0, 0.0, 0.0)))
            assert solid == sorted([(10.0, 10.0, 5.0, 5.0),  # the square, top left
                                    (267.0, 10.0, 20.0, 0.5), (286.5, 10.0, 0.5, 20.0),  # the corner, top right
                                    (10.0, 199.5, 20.0, 0.5), (10.0, 180.0, 0.5, 20.0)])  # the corner, bottom left


def test_silhouette_pages_leave_the_marks_white_around_and_print_no_cut_line(made):
    import pypdfium2
    from PIL import ImageDraw

    files, context = made["silhouette"]
    document = pypdfium2.PdfDocument(files["mus-puslespil-silhouette.pdf"])
    px = 100 / 25.4  # pixels per mm, at 100 dpi
    try:
        for index, sheet in enumerate(context["sheets"], 1):
            image = document[index].render(scale=100 / 72).to_pil().convert("L")
            draw = ImageDraw.Draw(image)
            for r in sheet.solid:  # the marks themselves (and a pixel around them) may be black
                draw.rectangle([(r.x - 0.3) * px, (r.y - 0.3) * px, (r.right + 0.3) * px, (r.bottom + 0.3) * px], fill=255)
            # 5 mm of white around each mark, less a pixel at the outer edge, where a piece's colour may end
            for x0, y0, x1, y1 in ((5.3, 5.3, 19.7, 19.7), (262.3, 5.3, 291.7, 34.7), (5.3, 175.3, 34.7, 204.7)):
                darkest, _ = image.crop((round(x0 * px), round(y0 * px), round(x1 * px), round(y1 * px))).getextrema()
                assert darkest >= 235, (sheet.title, x0, y0)
            assert sheet.cut_lines is False and sheet.spill == 2.0  # the knife, not scissors: colour runs past the cut
    finally:
        document.close()


def test_cricut_images_are_one_size_within_print_then_cut_at_300_dpi_with_no_marks_of_ours(made):
    from PIL import Image

    files, context = made["cricut"]
    sheets = context["sheets"]
    w, h = sheets[0].width, sheets[0].height
    assert w <= CRICUT_MAX[0] and h <= CRICUT_MAX[1]
    for n in range(1, len(sheets) + 1):
        image = Image.open(io.BytesIO(files[f"mus-puslespil-cricut-{n}.png"]))
        assert image.mode == "RGB"  # opaque: Design Space cuts the image's outline, the whole rectangle
        assert image.size == (round(w / 25.4 * 300), round(h / 25.4 * 300))
        assert image.info["dpi"] == pytest.approx((300, 300), abs=0.01)
        if n in (1, len(sheets)):  # decoding every image takes long; the first and the last are drawn alike
            corners = [image.getpixel((x, y)) for x in (2, image.width - 3) for y in (2, image.height - 3)]
            assert all(min(c) > 240 for c in corners)  # white where Design Space's frame of marks goes around it

"""A rendered document made into the files its target needs (`--for`): the PDF as it is for an office printer,
a laser or a Silhouette; a PDF/X-4 for a print shop; the PDF and one PNG per image for a Cricut.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from ..geometry.imposition import Finish
from . import prepress

CRICUT_DPI = 300  # Design Space prints the image as given: 300 dpi is a laser printer's and an inkjet's own


def files(data: bytes, target: str, finishes: Sequence[Finish] = ()) -> dict[str, bytes]:
    """The document's files by the ending each adds to its name: '.pdf', and for a Cricut '-1.png', '-2.png' …
    `finishes` are the product's cut lines and marks per page (`Product.finish`), which only a print shop's PDF carries."""
    if target == "print-shop":
        return {".pdf": prepress.print_ready(data, list(finishes))}
    if target == "cricut":
        return {".pdf": data, **{f"-{n}.png": image for n, image in enumerate(images(data), 1)}}
    return {".pdf": data}


def images(data: bytes) -> list[bytes]:
    """The Print Then Cut images: every page of the last page's size, as an opaque PNG at CRICUT_DPI (the guide
    before them is a page of another size). Design Space is told the size in mm, so the pixels need only be fine."""
    import pypdfium2

    document = pypdfium2.PdfDocument(data)
    try:
        size = document[len(document) - 1].get_size()
        found = []
        for index in range(len(document)):
            page = document[index]
            if page.get_size() != size:
                continue
            image = page.render(scale=CRICUT_DPI / 72, fill_color=(255, 255, 255, 255)).to_pil().convert("RGB")
            out = io.BytesIO()
            image.save(out, "PNG", dpi=(CRICUT_DPI, CRICUT_DPI))
            found.append(out.getvalue())
        return found
    finally:
        document.close()

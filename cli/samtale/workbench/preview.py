"""The live preview: one page of one product, as a workplace's draft prints it, as a PNG image.

The PDF is made in this process by the same stages a render uses (product context, Jinja,
WeasyPrint) and its page drawn with pypdfium2. Renders run one at a time on one thread
(WeasyPrint shares fonts within a process); a finished image is kept for the same draft.
"""

from __future__ import annotations

import io
import threading
from collections import OrderedDict
from dataclasses import dataclass

from ..material import resolve
from ..press import jinja, pdf
from ..products import PRODUCTS, Options
from ..source.catalogue import Loaded
from ..source.overlay import Workplace

WIDTH_PX = 900  # wide enough to read a question on the skema, small enough to draw quickly


@dataclass(frozen=True)
class Page:
    png: bytes
    pages: int  # how many pages the document has


def render(loaded: Loaded, wp: Workplace | None, type_id: str, product: str, options: Options, page: int = 1) -> Page:
    """Page `page` (1-based; the last if there are fewer) of the product as `wp` prints it."""
    import pypdfium2  # lazy: only the preview draws pages

    spec = PRODUCTS[product]
    material = resolve(loaded, type_id, wp)
    html = jinja.render(spec.template, spec.context(material, options), wp.template_dirs if wp else ())
    data = pdf.pdf(html)  # as the batch makes it: pictures travel as data, the render reads only the typeface
    document = pypdfium2.PdfDocument(data)
    try:
        index = max(0, min(page, len(document)) - 1)
        sheet = document[index]
        scale = WIDTH_PX / sheet.get_width()
        image = sheet.render(scale=scale, may_draw_forms=False).to_pil()
        out = io.BytesIO()
        image.convert("RGB").save(out, format="PNG", optimize=False)
        return Page(out.getvalue(), len(document))
    finally:
        document.close()


class Cache:
    """The last few images by key (the draft's text, type, product, page); one render at a time."""

    def __init__(self, size: int = 24):
        self.size = size
        self.lock = threading.Lock()
        self.images: OrderedDict[str, Page] = OrderedDict()

    def get(self, key: str) -> Page | None:
        with self.lock:
            found = self.images.get(key)
            if found is not None:
                self.images.move_to_end(key)
            return found

    def put(self, key: str, page: Page) -> None:
        with self.lock:
            self.images[key] = page
            while len(self.images) > self.size:
                self.images.popitem(last=False)

"""Laying out HTML with WeasyPrint: the one shared font configuration and a fetcher that keeps a render in its roots.

Pictures, logos and QR codes reach the HTML as `data:` URLs, so a render needs to read
no file but the typeface's: it may read `data:` URLs and files inside the typeface's
folder (and any folder a caller adds); anything else (a file of the catalogue's or a
workplace's, `../`, the network above all) stops it with a clear message.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

from ..core.errors import SamtaleError
from ..core.paths import TEMPLATES, font_folder
from .jinja import EPOCH


@cache
def font_config() -> Any:
    """One FontConfiguration per process, shared by every CSS and write_pdf."""
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


@cache
def fetcher_class() -> tuple[type[Any], type[BaseException]]:
    from weasyprint.urls import FatalURLFetchingError, URLFetcher

    class RefusedURL(FatalURLFetchingError):
        def __init__(self, url: str):
            self.url = url
            super().__init__(url)

    class ContainedFetcher(URLFetcher):
        """Serves data: URLs and files inside the allowed folders; anything else stops the render."""

        def __init__(self, roots: Iterable[Path]):
            super().__init__(allowed_protocols={"data", "file"})
            self.roots = tuple(Path(r).resolve() for r in roots)

        def fetch(self, url: str, headers: Any = None) -> Any:
            scheme = url.split(":", 1)[0].lower()
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme == "file":
                from urllib.request import url2pathname

                path = Path(url2pathname(url.split("?")[0].removeprefix("file:"))).resolve()
                if any(path.is_relative_to(root) for root in self.roots):
                    return super().fetch(url, headers)
            raise RefusedURL(url)

    return ContainedFetcher, RefusedURL


def pdf(html: str, *, roots: Iterable[Path] = (), variant: str | None = None, forms: bool = False,
        attachments: list[Any] | None = None) -> bytes:
    """Lay out `html` and return the PDF; it may read only the typeface and the folders in `roots`."""
    os.environ.setdefault("SOURCE_DATE_EPOCH", str(EPOCH))  # fontTools stamps subset fonts with it
    from weasyprint import HTML  # lazy: WeasyPrint takes a while to import

    Fetcher, RefusedURL = fetcher_class()
    fetcher = Fetcher([*roots, font_folder()])
    try:
        document = HTML(string=html, base_url=TEMPLATES.resolve().as_uri() + "/", url_fetcher=fetcher)
        data: bytes = document.write_pdf(
            font_config=font_config(),
            pdf_tags=True,
            pdf_variant=variant,
            pdf_forms=forms,
            attachments=attachments,
            uncompressed_pdf=False,
        )
        return data
    except RefusedURL as err:
        raise SamtaleError(
            f"the material refers to '{getattr(err, 'url', err)}', which a render may not read; pictures and logos "
            "are named in the catalogue or the workplace file, and templates may not fetch files or web addresses"
        ) from None

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


# PDF/A-2 accepts a property outside the XMP 2005 schemas only when the file describes its schema.
_UA_IN_PDFA = """<rdf:Description rdf:about="" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/" pdfuaid:part="1"/>
<rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"
 xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">
<pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>
<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>
<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">
<pdfaProperty:name>part</pdfaProperty:name><pdfaProperty:valueType>Integer</pdfaProperty:valueType>
<pdfaProperty:category>internal</pdfaProperty:category>
<pdfaProperty:description>Indicates, which part of ISO 14289 standard is followed</pdfaProperty:description>
</rdf:li></rdf:Seq></pdfaSchema:property>
</rdf:li></rdf:Bag></pdfaExtension:schemas>
</rdf:Description>
"""


def _also_accessible(metadata: Any) -> Any:
    """PDF/A-2u metadata that also declares PDF/UA-1, inside the one rdf:RDF a validator reads."""
    base = type(metadata)

    class Both(base):  # type: ignore[misc,valid-type]  # WeasyPrint's metadata class, extended
        def generate_rdf_metadata(self, variant: str, version: int, conformance: str) -> bytes:
            rdf: bytes = super().generate_rdf_metadata(variant, version, conformance)
            return rdf.replace(b"</rdf:RDF>", _UA_IN_PDFA.encode() + b"</rdf:RDF>", 1)

    both = Both.__new__(Both)
    both.__dict__.update(metadata.__dict__)
    return both


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


ACCESSIBLE = "pdf/ua-1"  # every PDF samtale makes is PDF/UA-1; see the README
ARCHIVAL = "pdf/a-2u"  # the development plan: PDF/A-2u, and PDF/UA-1 declared beside it


def pdf(html: str, *, roots: Iterable[Path] = (), variant: str = ACCESSIBLE, forms: bool = False,
        attachments: list[Any] | None = None) -> bytes:
    """Lay out `html` and return the PDF; it may read only the typeface and the folders in `roots`.

    `variant` is PDF/UA-1 (the default) or PDF/A-2u, which then also declares PDF/UA-1.
    """
    os.environ.setdefault("SOURCE_DATE_EPOCH", str(EPOCH))  # fontTools stamps subset fonts with it
    from weasyprint import HTML  # lazy: WeasyPrint takes a while to import

    from .finish import footers_as_artifacts

    Fetcher, RefusedURL = fetcher_class()
    fetcher = Fetcher([*roots, font_folder()])
    options = {"pdf_tags": True, "pdf_variant": variant, "pdf_forms": forms, "uncompressed_pdf": False}
    try:
        document = HTML(string=html, base_url=TEMPLATES.resolve().as_uri() + "/", url_fetcher=fetcher).render(
            font_config=font_config(), **options)
        if variant == ARCHIVAL:
            document.metadata = _also_accessible(document.metadata)
        data: bytes = document.write_pdf(attachments=attachments, **options)
        return footers_as_artifacts(data)
    except RefusedURL as err:
        raise SamtaleError(
            f"the material refers to '{getattr(err, 'url', err)}', which a render may not read; pictures and logos "
            "are named in the catalogue or the workplace file, and templates may not fetch files or web addresses"
        ) from None

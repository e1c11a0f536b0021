"""Laying out HTML with WeasyPrint: the one shared font configuration and a fetcher that keeps a render in its roots.

Pictures, logos and QR codes reach the HTML as `data:` URLs, so a render needs to read
no file but the typeface's: it may read `data:` URLs and files inside the typeface's
folder (and any folder a caller adds); anything else (a file of the catalogue's or a
workplace's, `../`, the network above all) stops it with a clear message.

WeasyPrint subsets the embedded fonts with HarfBuzz when its subsetter library is
installed and with fontTools otherwise, about twice as slowly and with other bytes:
`subsetter()` says which, without importing WeasyPrint, so the batch can put it in
every document's key, and `subsetter_note()` is the one line that tells the user.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import warnings
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path
from typing import Any

from ..core.errors import SamtaleError
from ..core.i18n import _
from ..core.paths import TEMPLATES, font_folder
from . import lines
from .jinja import EPOCH

# The names WeasyPrint tries for HarfBuzz and its subsetter, in its order (weasyprint/text/ffi.py).
_HARFBUZZ = ("libharfbuzz-0", "harfbuzz", "harfbuzz-0.0", "libharfbuzz.so.0", "libharfbuzz.0.dylib", "libharfbuzz-0.dll")
_SUBSET = ("libharfbuzz-subset-0", "harfbuzz-subset", "harfbuzz-subset-0.0", "libharfbuzz-subset.so.0",
           "libharfbuzz-subset.0.dylib", "libharfbuzz-subset-0.dll")
_FONTTOOLS_NOTICE = "Using fontTools instead of HarfBuzz-Subset"  # WeasyPrint's log line, once per font and render
_warned = False


def load_weasyprint() -> Any:
    """Import WeasyPrint, quickly and quietly; an OSError if the Pango libraries cannot be loaded.

    On Linux, `ctypes.util.find_library` runs ldconfig, gcc and ld for each name WeasyPrint
    tries before the one that exists: about 0.2 s of every cold start. Every library it
    loads is also on its list under its Linux file name, which the dynamic loader finds
    itself, so that search is skipped while WeasyPrint imports (and the import repeated
    the ordinary way if that fails). Its warnings about the subsetter are replaced by
    samtale's own line (`subsetter_note`); what it prints when a library is missing goes
    nowhere: the OSError says it.
    """
    if "weasyprint" in sys.modules:
        lines.install()  # line breaks remembered within a render: installed with WeasyPrint, however it was imported
        return sys.modules["weasyprint"]
    import ctypes.util

    logging.getLogger("weasyprint").addFilter(_drop_fonttools_notice)
    original = ctypes.util.find_library
    quick = sys.platform.startswith("linux")
    try:
        with warnings.catch_warnings(), contextlib.redirect_stdout(None):
            warnings.simplefilter("ignore", DeprecationWarning)  # "HarfBuzz-Subset will be required"
            if quick:
                ctypes.util.find_library = lambda name: None
            try:
                import weasyprint
            except OSError:
                if not quick:
                    raise
                for name in [m for m in sys.modules if m == "weasyprint" or m.startswith("weasyprint.")]:
                    del sys.modules[name]
                ctypes.util.find_library = original
                import weasyprint
    finally:
        ctypes.util.find_library = original
    lines.install()
    return weasyprint


def _drop_fonttools_notice(record: logging.LogRecord) -> bool:
    return not str(record.msg).startswith(_FONTTOOLS_NOTICE)


@cache
def subsetter() -> str:
    """Which library subsets the fonts, with its version, decided as WeasyPrint decides it (HarfBuzz >= 4.1 with its
    subsetter, else fontTools), but without importing WeasyPrint: 'HarfBuzz 8.3.0' or 'fontTools 4.47.2'."""
    version = _harfbuzz_subset_version()
    if version is not None:
        return f"HarfBuzz {version}"
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as package_version

    try:
        return f"fontTools {package_version('fonttools')}"
    except PackageNotFoundError:
        return "fontTools"


def _harfbuzz_subset_version() -> str | None:
    if _library(_SUBSET) is None:
        return None
    harfbuzz = _library(_HARFBUZZ)
    if harfbuzz is None or not harfbuzz.hb_version_atleast(4, 1, 0):
        return None
    return harfbuzz_version()


def harfbuzz_version() -> str | None:
    """The version of the HarfBuzz library WeasyPrint would load, or None if there is none."""
    import ctypes

    harfbuzz = _library(_HARFBUZZ)
    if harfbuzz is None:
        return None
    harfbuzz.hb_version_string.restype = ctypes.c_char_p
    return str(harfbuzz.hb_version_string().decode())


@cache
def _library(names: tuple[str, ...]) -> Any:
    """The first of `names` the system can load (as WeasyPrint tries them), or None."""
    import ctypes

    if hasattr(os, "add_dll_directory"):  # Windows: where WeasyPrint looks for the DLLs (MSYS2, GTK runtime)
        folders = os.getenv("WEASYPRINT_DLL_DIRECTORIES", r"C:\msys64\ucrt64\bin;C:\msys64\mingw64\bin;"
                            r"C:\Program Files\GTK3-Runtime Win64\bin")
        for folder in folders.split(";"):
            with contextlib.suppress(OSError):
                os.add_dll_directory(folder)
    for name in names:
        with contextlib.suppress(OSError):
            return ctypes.CDLL(name)
    return None


def subsetter_note() -> str | None:
    """The one line that says fonts are subset the slow way, and how to change that; None with HarfBuzz's subsetter."""
    if subsetter().startswith("HarfBuzz"):
        return None
    return _("samtale: HarfBuzz's font subsetter is not installed, so fonts are subset with fontTools and every document "
             "takes about twice as long (Debian and Ubuntu: sudo apt-get install libharfbuzz-subset0; see 'samtale doctor')")


def warn_once_without_subsetter(note: Callable[[str], None]) -> None:
    """Tell the user once per process, before the first render, if fonts are subset the slow way."""
    global _warned
    line = subsetter_note()
    if line and not _warned:
        _warned = True
        note(line)


@cache
def font_config() -> Any:
    """One FontConfiguration per process, shared by every CSS and write_pdf of samtale's own templates."""
    load_weasyprint()
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
    load_weasyprint()
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
        attachments: list[Any] | None = None, own_fonts: bool = False) -> bytes:
    """Lay out `html` and return the PDF; it may read only the typeface and the folders in `roots`.

    `variant` is PDF/UA-1 (the default) or PDF/A-2u, which then also declares PDF/UA-1.
    `own_fonts` gives the render a font configuration of its own: a workplace's template may
    declare @font-face rules, which must not change the fonts of the next document.
    """
    os.environ.setdefault("SOURCE_DATE_EPOCH", str(EPOCH))  # fontTools stamps subset fonts with it
    load_weasyprint()  # lazy: WeasyPrint takes a while to import
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    from .finish import footers_as_artifacts

    Fetcher, RefusedURL = fetcher_class()
    fetcher = Fetcher([*roots, font_folder()])
    options = {"pdf_tags": True, "pdf_variant": variant, "pdf_forms": forms, "uncompressed_pdf": False}
    try:
        with lines.remembered():
            document = HTML(string=html, base_url=TEMPLATES.resolve().as_uri() + "/", url_fetcher=fetcher).render(
                font_config=FontConfiguration() if own_fonts else font_config(), **options)
        if variant == ARCHIVAL:
            document.metadata = _also_accessible(document.metadata)
        data: bytes = document.write_pdf(attachments=attachments, **options)
        return footers_as_artifacts(data)
    except RefusedURL as err:
        raise SamtaleError(
            _("the material refers to '{address}', which a render may not read; pictures and logos "
            "are named in the catalogue or the workplace file, and templates may not fetch files or web addresses").format(address=getattr(err, "url", err))
        ) from None

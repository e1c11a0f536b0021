"""What a render worker holds before its first document: WeasyPrint, its font configuration, Jinja and pikepdf.

A worker fills in templates with plain data and lays them out; the catalogue is the main
process's, so nothing of it (pydantic, YAML, the products) is loaded here. On Linux the fork
server loads this once (see `preload`) and every worker is a fork of it; elsewhere each spawned
worker loads it as it starts. Nothing here writes a file: the typeface's @font-face files go
to the worker's own temporary folder with its first document.
"""

from __future__ import annotations

FAILURE: str | None = None  # why WeasyPrint could not be loaded, said with the first document
_loaded = False


def load() -> None:
    """Load everything a render needs, once; a failure is kept in FAILURE for the first document to report."""
    global FAILURE, _loaded
    if _loaded:
        return
    _loaded = True
    try:
        # Jinja is loaded, its templates compiled on first use: a first document needs a third of them.
        import jinja2.sandbox  # noqa: F401  (loaded, not used here)
        import pikepdf  # noqa: F401  (every PDF is finished with it: press.finish)

        from ..core.paths import font_folder
        from ..press import finish, pdf, targets  # noqa: F401  (what every document goes through after its layout)

        font_folder()
        pdf.load_weasyprint()
        pdf.font_config()
        pdf.fetcher_class()
    except OSError as err:  # WeasyPrint's libraries (Pango, HarfBuzz) could not be loaded
        from ..core.i18n import _

        FAILURE = _("WeasyPrint cannot load the text libraries it draws with ({reason}); "
                    "run 'samtale doctor' to see what is missing").format(reason=err)
    except Exception as err:  # anything else: said with the first document, never a dead fork server
        from ..core.i18n import _

        FAILURE = _("the render worker could not start ({kind}: {reason}); run 'samtale doctor'").format(kind=type(err).__name__, reason=err)

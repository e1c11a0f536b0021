"""Where samtale finds its built-in templates, catalogues and typeface, installed or in a checkout."""

from __future__ import annotations

from functools import cache
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]
# In a wheel the data travels inside the package; in a checkout it sits at the top.
_DATA = PACKAGE / "_data" if (PACKAGE / "_data").is_dir() else PACKAGE.parents[1]

TEMPLATES = _DATA / "templates"
CATALOGUES = _DATA / "catalogue"
DEFAULT_CATALOGUE = CATALOGUES / "albertslund.yaml"


@cache
def font_folder() -> Path:
    """The folder of the embedded typeface (Source Sans Pro, from its PyPI package)."""
    import font_source_sans_pro  # lazy: only a render or a text measure needs the font

    return Path(font_source_sans_pro.__file__).resolve().parent / "files"

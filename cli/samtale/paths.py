"""Where samtale finds its built-in templates and catalogue, installed or in a checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
# In a wheel the data travels inside the package; in a checkout it sits at the top.
_DATA = _PACKAGE / "_data" if (_PACKAGE / "_data").is_dir() else _PACKAGE.parents[1]

TEMPLATES = _DATA / "templates"
CATALOGUES = _DATA / "catalogue"
DEFAULT_CATALOGUE = CATALOGUES / "albertslund.yaml"


def font_folder() -> Path:
    """The folder of the embedded typeface (Source Sans Pro, from its PyPI package)."""
    import font_source_sans_pro

    return Path(font_source_sans_pro.__file__).resolve().parent / "files"

"""Where samtale finds its built-in templates, catalogues and typeface, installed or in a checkout."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from .errors import SamtaleError

PACKAGE = Path(__file__).resolve().parents[1]
# In a wheel the data travels inside the package; in a checkout it sits at the top.
_DATA = PACKAGE / "_data" if (PACKAGE / "_data").is_dir() else PACKAGE.parents[1]

TEMPLATES = _DATA / "templates"
CATALOGUES = _DATA / "catalogue"
DEFAULT_CATALOGUE = CATALOGUES / "albertslund.yaml"
SETTINGS_FILE = "samtale.toml"  # marks an administrator's working folder (`samtale init`)


def settings_file(start: Path | None = None) -> Path | None:
    """The `samtale.toml` of the working folder `start` (default: the current folder) lies in, looking upwards as git does."""
    folder = Path(start or Path.cwd()).resolve()
    for candidate in (folder, *folder.parents):
        if (candidate / SETTINGS_FILE).is_file():
            return candidate / SETTINGS_FILE
    return None


def built_in(path: Path) -> bool:
    """Whether `path` lies among samtale's own files: the package, its templates or its built-in catalogues."""
    target = Path(path).resolve()
    return any(target.is_relative_to(folder) for folder in (PACKAGE, TEMPLATES.resolve(), CATALOGUES.resolve()))


def refuse_built_in(path: Path) -> None:
    """Stop before anything is written among samtale's own files: an upgrade would lose it, and users may not write there."""
    if built_in(path):
        from .i18n import _

        raise SamtaleError(_(
            "refusing to write {folder}: it lies among samtale's own installed files; run 'samtale init FOLDER' "
            "to make a working folder of your own and run the command inside it").format(folder=path))


@cache
def font_folder() -> Path:
    """The folder of the embedded typeface (Source Sans Pro, from its PyPI package)."""
    import font_source_sans_pro  # lazy: only a render or a text measure needs the font

    return Path(font_source_sans_pro.__file__).resolve().parent / "files"

"""An administrator's working folder: its `samtale.toml`, found as git finds its folder, typed and checked.

`samtale init` makes the folder. Every command looks for the file in the current folder
and then in each parent, and takes the catalogue, the output folder and the print options
from it; an option given on the command line still wins. A catalogue may be named by its
file or by its id: the working folder's catalogues are found first, then the built-in ones.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints, ValidationError

from ..core.errors import Problem, SamtaleError
from ..core.i18n import _
from ..core.paths import CATALOGUES, DEFAULT_CATALOGUE, settings_file
from . import yamlio
from .models import Model, Text

ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")  # a catalogue id, as `models.Id`
_KEY = re.compile(r"^\s*([A-Za-z0-9_-]+)\s*=")
_TABLE = re.compile(r"^\s*\[\s*([A-Za-z0-9_.-]+)\s*\]")
_WHERE = re.compile(r"\(at line (\d+), column (\d+)\)")


class RenderSettings(Model):
    """The print options `samtale render` uses when none are given: the same names as its options."""

    paper: Literal["a4", "a3"] = "a4"
    style: Literal["jigsaw", "cards"] = "jigsaw"
    backs: bool = False
    flip: Literal["long", "short"] = "long"
    back_offset: Annotated[str, StringConstraints(pattern=r"^\s*-?[0-9.]+\s*,\s*-?[0-9.]+\s*$")] = "0,0"
    blank_keywords: int = Field(0, ge=0, le=40)
    cut_svg: bool = False


class SettingsFile(Model):
    """What `samtale.toml` may hold."""

    catalogue: Text = Field(description="The catalogue of this folder: its file (albertslund.yaml) or its id.")
    out: Text = Field("output", description="The folder the PDFs are written into, relative to this file.")
    render: RenderSettings = RenderSettings()


@dataclass(frozen=True)
class Settings:
    """A working folder's settings and where they were read."""

    path: Path
    file: SettingsFile

    @property
    def root(self) -> Path:
        return self.path.parent.resolve()

    @property
    def catalogue(self) -> Path:
        return _catalogue_in(self.root, self.file.catalogue, self.path)

    @property
    def out(self) -> Path:
        return (self.root / self.file.out).resolve()

    def defaults(self) -> dict[str, Any]:
        """Option defaults by option name, for every command that takes them."""
        return {"out": str(self.out), **self.file.render.model_dump()}


def find(start: Path | None = None) -> Settings | None:
    """The settings of the working folder `start` (default: the current folder) lies in, or None outside one."""
    return _find(str(Path(start or os.getcwd()).resolve()))


@cache
def _find(start: str) -> Settings | None:
    path = settings_file(Path(start))
    return read(path) if path else None


def read(path: Path) -> Settings:
    """Read and check a `samtale.toml`; every problem named by its key and line."""
    text = yamlio.read_text(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        where = _WHERE.search(str(err))
        message = _WHERE.sub("", str(err)).strip()
        raise SamtaleError(Problem(
            _('the settings cannot be read ({reason}); write each setting as  key = "value"').format(reason=message), file=path,
            line=int(where.group(1)) if where else None, column=int(where.group(2)) if where else None,
        )) from None
    document = yamlio.Document(path, data, _marks(text))
    try:
        settings = Settings(path, SettingsFile.model_validate(data))
    except ValidationError as err:
        raise SamtaleError(yamlio.problems_from(err, SettingsFile, document)) from None
    settings.catalogue  # noqa: B018  (a missing catalogue is reported now, at the setting's line)
    return settings


def _marks(text: str) -> dict[yamlio.Loc, tuple[int, int]]:
    """Where each key of a TOML file is written (line, column), so a problem names its line."""
    marks: dict[yamlio.Loc, tuple[int, int]] = {}
    table: tuple[str, ...] = ()
    for number, line in enumerate(text.splitlines(), start=1):
        header = _TABLE.match(line)
        if header:
            table = tuple(header.group(1).split("."))
            marks[table] = (number, line.index("[") + 1)
            continue
        key = _KEY.match(line)
        if key:
            marks[(*table, key.group(1))] = (number, line.index(key.group(1)) + 1)
    return marks


def _catalogue_in(root: Path, name: str, settings_path: Path) -> Path:
    path = (root / name).resolve()
    if path.is_file():
        return path
    if ID.match(name) and (root / f"{name}.yaml").is_file():
        return (root / f"{name}.yaml").resolve()
    document = yamlio.Document(settings_path, {}, _marks(yamlio.read_text(settings_path)))
    raise SamtaleError(document.problem(("catalogue",), _("there is no catalogue file '{name}' in {root}; name a catalogue file of this folder").format(name=name, root=root)))


def locate(name: str | Path | None) -> Path:
    """The catalogue file a command means: a file, or a catalogue's id (the working folder's first, then the
    built-in ones); without a name, the working folder's catalogue or else the built-in default."""
    settings = find()
    if name is None:
        return settings.catalogue if settings else DEFAULT_CATALOGUE
    text = str(name)
    if not ID.match(text) or Path(text).is_file():
        return Path(name)  # a file: reading it reports it if it is missing
    folders = ([settings.root] if settings else []) + [CATALOGUES]
    for folder in folders:
        if (folder / f"{text}.yaml").is_file():
            return folder / f"{text}.yaml"
    known = sorted({p.stem for folder in folders for p in folder.glob("*.yaml")})
    raise SamtaleError(_("there is no catalogue '{text}' (known: {known}); give a catalogue's id or its file").format(text=text, known=', '.join(known)))

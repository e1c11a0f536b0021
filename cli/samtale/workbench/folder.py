"""`samtale init`: an administrator's working folder, made whole or not at all.

The folder holds the settings (`samtale.toml`), an editable copy of each chosen catalogue
with its pictures, a `workplaces/<catalogue id>/` folder for each catalogue's workplaces
and a short guide in Danish. The words of the settings file and of the guide are data
files beside this module (`skeleton/`), not Python.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path
from string import Template

from ..core.errors import Problem, SamtaleError
from ..core.i18n import _
from ..core.paths import SETTINGS_FILE, refuse_built_in
from ..press.writer import write_atomic
from ..source import catalogue as catalogues
from ..source.overlay import SCHEMA_FILE, WORKPLACES, json_schema

SKELETON = Path(__file__).resolve().parent / "skeleton"
GUIDE = "LÆS MIG.txt"
DEFAULT = "albertslund"


def files(names: Sequence[str]) -> dict[str, bytes]:
    """Every file of a new working folder, by its path inside the folder ('/'-separated)."""
    loaded = [catalogues.load(name) for name in names or [DEFAULT]]
    out: dict[str, bytes] = {}
    ids: list[str] = []
    for each in loaded:
        cat = each.catalogue
        if cat.id in ids:
            raise SamtaleError(_("the catalogue '{id}' is chosen twice; name each catalogue once").format(id=cat.id))
        ids.append(cat.id)
        wanted = {f"{cat.id}.yaml": each.path.read_bytes()}
        for picture in cat.pictures:  # the catalogue names them relative to itself; keep them so
            rel = Path(picture.image).as_posix()
            wanted[rel] = each.image_path(picture.image).read_bytes()
        wanted[f"{WORKPLACES}/{cat.id}/{SCHEMA_FILE}"] = schema()
        for rel, data in wanted.items():
            if rel in out and out[rel] != data:
                raise SamtaleError(_("two of the chosen catalogues bring different files named {file}; set them up in two folders").format(file=rel))
            out[rel] = data
    names_line = ", ".join(f"{each.catalogue.municipality.name} ({each.catalogue.id})" for each in loaded)
    values = {
        "catalogue": f"{ids[0]}.yaml",
        "catalogues": names_line,
        "catalogue_files": "  ".join(f"{i}.yaml" for i in ids),
        "others": ", ".join(ids[1:]) or "ingen",
        "workplace_folders": "  ".join(f"{WORKPLACES}/{i}/" for i in ids),
    }
    for name in (SETTINGS_FILE, GUIDE):
        text = Template((SKELETON / f"{name}.in").read_text(encoding="utf-8")).substitute(values)
        out[name] = text.encode("utf-8")
    return out


def schema() -> bytes:
    """The overlay JSON Schema, beside the workplaces, where each file's first line points editors."""
    return (json.dumps(json_schema(overlay=True), indent=2, ensure_ascii=False) + "\n").encode()


def create(folder: Path, names: Sequence[str]) -> Path:
    """Make the working folder `folder` (it may exist, if nothing in it would be replaced); returns its settings file."""
    target = Path(folder)
    refuse_built_in(target)
    if (target / SETTINGS_FILE).exists():
        raise SamtaleError(Problem(_("this folder is a working folder already; use it as it is (nothing was changed)"), file=target / SETTINGS_FILE))
    if target.exists() and not target.is_dir():
        raise SamtaleError(Problem(_("this is a file, not a folder; choose a folder's name"), file=target))
    made = files(names)
    existing = sorted(rel for rel in made if (target / rel).exists())
    if existing:
        raise SamtaleError(Problem(_("the folder holds {file} already; choose an empty folder or a new name (nothing was written)").format(file=existing[0]), file=target))
    if not target.exists():
        _create_whole(target, made)
    else:
        _add_files(target, made)
    return target / SETTINGS_FILE


def _create_whole(target: Path, made: dict[str, bytes]) -> None:
    """A new folder appears whole: built beside it under a hidden name, then renamed."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(staging, 0o777 & ~mask)  # mkdtemp makes it private; a working folder is an ordinary folder
        for rel, data in made.items():
            write_atomic(staging / rel, data)
        os.rename(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _add_files(target: Path, made: dict[str, bytes]) -> None:
    """Into an existing folder: each file whole; if one fails, those written before it are taken away again."""
    written: list[Path] = []
    folders = sorted({(target / rel).parent for rel in made} - {target})
    new_folders = [f for f in folders if not f.exists()]
    try:
        for rel, data in made.items():
            write_atomic(target / rel, data)
            written.append(target / rel)
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        for f in sorted(new_folders, key=lambda p: len(p.parts), reverse=True):
            shutil.rmtree(f, ignore_errors=True)
        raise

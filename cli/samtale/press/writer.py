"""The one writer: every file samtale writes goes through here, whole or not at all.

A file is written to a hidden temporary name beside its target, synced, and renamed
onto it, so a reader (or an interrupted run) only ever sees the old file or the whole
new one. Plans hold personal data and are written readable by their owner only.
"""

from __future__ import annotations

import os
import tempfile
from functools import cache
from pathlib import Path

from ..core.errors import SamtaleError
from ..core.paths import refuse_built_in


def write_atomic(path: Path, data: bytes, mode: int | None = None) -> None:
    """Write `data` to `path` so that readers only ever see the old file or the whole new one."""
    tmp = write_temp(path, data, mode)
    try:
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_temp(path: Path, data: bytes, mode: int | None = None) -> Path:
    """`data` whole and synced in a hidden temporary file beside `path`, ready to be renamed onto it."""
    path = Path(path)
    refuse_built_in(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, mode if mode is not None else 0o666 & ~_umask())
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


@cache
def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def inside(out: Path, rel: str) -> Path:
    """The file `rel` in the output folder, or an error if it would land anywhere else."""
    base = Path(out).resolve()
    target = (base / rel).resolve()
    if not target.is_relative_to(base) or target == base:
        raise SamtaleError(f"refusing to write '{rel}': it lies outside the output folder {out}")
    return target


def write_private(path: Path, data: bytes, *, force: bool = False) -> Path:
    """Write a file only its owner can read; never over an existing file unless asked, never through a link."""
    path = Path(path)
    if path.is_symlink():
        raise SamtaleError(f"{path} is a symbolic link; samtale writes plans only to ordinary files")
    if path.exists() and not force:
        raise SamtaleError(f"{path} exists already; choose another name or add --force to replace it")
    if path.exists() and path.is_dir():
        raise SamtaleError(f"{path} is a folder; give a file name")
    make_private_folder(path.parent)
    write_atomic(path, data, mode=0o600)
    return path


def make_private_folder(folder: Path) -> None:
    """Create `folder` (and missing parents) readable by its owner only; existing folders are left as they are."""
    missing = []
    current = Path(folder)
    while not current.exists():
        missing.append(current)
        current = current.parent
    for f in reversed(missing):
        f.mkdir(mode=0o700)
        os.chmod(f, 0o700)  # mkdir's mode is reduced by the umask
    if not Path(folder).is_dir():
        raise SamtaleError(f"{folder} is not a folder; choose a folder for the plan's files")

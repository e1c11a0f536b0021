"""The one writer: every file samtale writes goes through here, whole or not at all.

A file is written to a hidden temporary name beside its target, synced, and renamed
onto it, so a reader (or an interrupted run) only ever sees the old file or the whole
new one. A write that fails (a full or read-only disk, no permission, a file where a
folder should be) is one plain line, never a traceback, and leaves nothing behind.
Plans hold personal data and are written readable by their owner only.
"""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from ..core.errors import Problem, SamtaleError
from ..core.i18n import N_, _
from ..core.paths import refuse_built_in

_REASONS = {
    errno.ENOSPC: N_("the disk is full; free some space or choose another folder with --out"),
    errno.EDQUOT: N_("your disk quota is used up; free some space or choose another folder with --out"),
    errno.EROFS: N_("the disk is read-only; choose another folder with --out"),
    errno.EACCES: N_("you may not write there; choose a folder of your own with --out"),
    errno.EPERM: N_("you may not write there; choose a folder of your own with --out"),
    errno.ENOTDIR: N_("a file is in the way where a folder should be; choose another folder with --out"),
    errno.EEXIST: N_("a file is in the way where a folder should be; choose another folder with --out"),
    errno.EISDIR: N_("a folder is in the way where the file should be; remove it or choose another folder"),
    errno.ENAMETOOLONG: N_("the name is too long for the disk; choose a shorter folder"),
}


@contextmanager
def plain_errors(path: Path) -> Iterator[None]:
    """Turn an operating system's refusal to write `path` into one line that says what to do."""
    try:
        yield
    except OSError as err:
        reason = (_(_REASONS[err.errno]) if err.errno in _REASONS else
                  _("{reason}; check the folder and your rights to it").format(reason=err.strerror or err))
        raise SamtaleError(Problem(_("cannot write the file: {reason}").format(reason=reason), file=Path(path))) from None


def folder(path: Path) -> Path:
    """`path` as a folder that exists (created if missing), or one line saying why it cannot be."""
    path = Path(path)
    with plain_errors(path):
        if path.exists() and not path.is_dir():
            raise OSError(errno.ENOTDIR, _("not a folder"))
        path.mkdir(parents=True, exist_ok=True)
    return path


def write_atomic(path: Path, data: bytes, mode: int | None = None) -> None:
    """Write `data` to `path` so that readers only ever see the old file or the whole new one."""
    tmp = write_temp(path, data, mode)
    try:
        with plain_errors(path):
            os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_new(path: Path, data: bytes, mode: int | None = None) -> None:
    """Write `data` to `path`, whole, only if no file of that name exists; never replaces one, even in a race."""
    tmp = write_temp(path, data, mode)
    try:
        with plain_errors(path):
            try:
                os.link(tmp, path)  # atomic, and fails if the name exists
            except FileExistsError:
                raise SamtaleError(Problem(_("the file exists already; nothing was overwritten"), file=Path(path))) from None
            except OSError as err:
                if err.errno not in (errno.EPERM, errno.ENOTSUP, errno.EXDEV):  # no hard links here (FAT, some shares)
                    raise
                if os.path.lexists(path):
                    raise SamtaleError(Problem(_("the file exists already; nothing was overwritten"), file=Path(path))) from None
                os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_temp(path: Path, data: bytes, mode: int | None = None) -> Path:
    """`data` whole and synced in a hidden temporary file beside `path`, ready to be renamed onto it."""
    path = Path(path)
    refuse_built_in(path)
    folder(path.parent)
    with plain_errors(path):
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with plain_errors(path), os.fdopen(fd, "wb") as out:
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
        raise SamtaleError(_("refusing to write '{file}': it lies outside the output folder {out}").format(file=rel, out=out))
    return target


def write_private(path: Path, data: bytes, *, force: bool = False) -> Path:
    """Write a file only its owner can read; never over an existing file unless asked, never through a link."""
    path = Path(path)
    if path.is_symlink():
        raise SamtaleError(Problem(_("this is a symbolic link; samtale writes plans only to ordinary files, "
                                   "so give the name of an ordinary file"), file=path))
    if path.exists() and path.is_dir():
        raise SamtaleError(Problem(_("this is a folder; give a file name"), file=path))
    if path.exists() and not force:
        raise SamtaleError(Problem(_("the file exists already; choose another name or add --force to replace it"), file=path))
    make_private_folder(path.parent)
    if force:
        write_atomic(path, data, mode=0o600)
    else:
        write_new(path, data, mode=0o600)
    return path


def make_private_folder(path: Path) -> None:
    """Create `path` (and missing parents) readable by its owner only; existing folders are left as they are."""
    missing = []
    current = Path(path)
    while not current.exists() and not current.is_symlink():
        missing.append(current)
        current = current.parent
    with plain_errors(path):
        for f in reversed(missing):
            f.mkdir(mode=0o700)
            os.chmod(f, 0o700)  # mkdir's mode is reduced by the umask
    if not Path(path).is_dir():
        raise SamtaleError(Problem(_("this is not a folder; choose a folder for the plan's files"), file=Path(path)))

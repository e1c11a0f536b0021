"""Reading a file a person hands samtale: refused in one line when it cannot be the file they meant."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from ..core.errors import Problem, SamtaleError
from ..core.i18n import _


def read_bytes(path: Path, limit: int, what: str) -> bytes:
    """The bytes of `path`, if it is an ordinary file of at most `limit` bytes; `what` names the kind of file in messages."""
    path = Path(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise SamtaleError(Problem(_("the file does not exist; check the path"), file=path)) from None
    except OSError as err:
        raise SamtaleError(Problem(_("cannot read the file ({reason}); check the path and your rights to it").format(reason=err.strerror), file=path)) from None
    if stat.S_ISDIR(info.st_mode):
        raise SamtaleError(Problem(_("this is a folder, not a file; give the file inside it ({what})").format(what=what), file=path))
    if not stat.S_ISREG(info.st_mode):  # a pipe or a device would block or never end
        raise SamtaleError(Problem(_("this is not an ordinary file (a device or a pipe); give a file ({what})").format(what=what), file=path))
    if info.st_size > limit:
        raise SamtaleError(Problem(_("the file is {size} MB, far larger than samtale reads here ({what}); "
                                     "check that this is the right file").format(size=f"{info.st_size / 1024 / 1024:.0f}", what=what), file=path))
    try:
        with open(path, "rb") as f:
            data = f.read(limit + 1)
    except OSError as err:
        raise SamtaleError(Problem(_("cannot read the file ({reason}); check your rights to it").format(reason=err.strerror), file=path)) from None
    if len(data) > limit:
        raise SamtaleError(Problem(_("the file grew while it was read; check that this is the right file ({what})").format(what=what), file=path))
    return data

"""Reading a file a person hands samtale: refused in one line when it cannot be the file they meant."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from ..core.errors import Problem, SamtaleError


def read_bytes(path: Path, limit: int, what: str) -> bytes:
    """The bytes of `path`, if it is an ordinary file of at most `limit` bytes; `what` names it in messages."""
    path = Path(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise SamtaleError(Problem("the file does not exist; check the path", file=path)) from None
    except OSError as err:
        raise SamtaleError(Problem(f"cannot read the file ({err.strerror}); check the path and your rights to it", file=path)) from None
    if stat.S_ISDIR(info.st_mode):
        raise SamtaleError(Problem(f"this is a folder, not a file; give the {what} inside it", file=path))
    if not stat.S_ISREG(info.st_mode):  # a pipe or a device would block or never end
        raise SamtaleError(Problem(f"this is not an ordinary file (a device or a pipe); give a {what}", file=path))
    if info.st_size > limit:
        raise SamtaleError(Problem(f"the file is {info.st_size / 1024 / 1024:.0f} MB, far larger than any {what}; "
                                   "check that this is the right file", file=path))
    try:
        with open(path, "rb") as f:
            data = f.read(limit + 1)
    except OSError as err:
        raise SamtaleError(Problem(f"cannot read the file ({err.strerror}); check your rights to it", file=path)) from None
    if len(data) > limit:
        raise SamtaleError(Problem(f"the file grew while it was read; check that this is the right {what}", file=path))
    return data

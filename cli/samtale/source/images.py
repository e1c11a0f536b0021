"""Pictures a catalogue or workplace brings: which files may be used, and their bytes as data: URLs."""

from __future__ import annotations

import base64
from pathlib import Path

# The first bytes of each kind, to tell a real picture from a renamed file (SVG is text).
KINDS = {".png": b"\x89PNG", ".jpg": b"\xff\xd8\xff", ".jpeg": b"\xff\xd8\xff", ".svg": None}
MEDIA_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".svg": "image/svg+xml"}


def problem(folder: Path, image: str) -> str | None:
    """Why `image` (relative to `folder`) is unusable, or None: it must be a PNG, JPEG or SVG file inside `folder`."""
    base = folder.resolve()
    path = (base / image).resolve()
    kind = path.suffix.lower()
    if kind not in KINDS:
        return f"'{image}' is not a PNG, JPEG or SVG file; convert the picture to one of those"
    if not path.is_relative_to(base):
        return f"'{image}' lies outside the folder of the file that names it; copy the picture into that folder"
    if not path.is_file():
        return f"the picture file '{image}' does not exist; check the name or add the file"
    head = path.read_bytes()[:512]
    magic = KINDS[kind]
    if magic is not None and not head.startswith(magic):
        return f"'{image}' is not really a {kind[1:].upper()} file; save it again in that format"
    if magic is None and b"<svg" not in head and b"<?xml" not in head:
        return f"'{image}' is not an SVG file; save it again as SVG"
    return None


def data_uri(path: Path) -> str:
    """A checked picture as a data: URL, so the PDF holds it and the render reads nothing else."""
    kind = MEDIA_TYPES[Path(path).suffix.lower()]
    return f"data:{kind};base64,{base64.b64encode(Path(path).read_bytes()).decode()}"

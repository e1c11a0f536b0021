"""Pictures a catalogue or workplace brings: which files may be used, and their bytes as data: URLs.

A picture is checked as a render would use it: a real PNG, JPEG or SVG inside the
folder of the file that names it, of a sensible size, that decodes; an SVG may not
declare entities, run scripts or point at any other file or web address.
"""

from __future__ import annotations

import base64
import re
from pathlib import Path

from ..core.i18n import _

# The first bytes of each kind, to tell a real picture from a renamed file (SVG is text).
KINDS = {".png": b"\x89PNG", ".jpg": b"\xff\xd8\xff", ".jpeg": b"\xff\xd8\xff", ".svg": None}
MEDIA_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".svg": "image/svg+xml"}
MAX_BYTES = 20 * 1024 * 1024  # a photograph at print resolution is a few MB
MAX_PIXELS = 60_000_000  # 7,000 x 8,500: far beyond 300 dpi on an A4 page
# In an SVG: a reference that is not within the picture itself ('#...') or a data: URL.
_OUTSIDE_REFERENCE = re.compile(rb"""(?:href|src)\s*=\s*["'](?!\s*(?:#|data:))""", re.IGNORECASE)
_URL_IN_STYLE = re.compile(rb"""url\(\s*["']?(?!\s*(?:#|data:))""", re.IGNORECASE)


def problem(folder: Path, image: str) -> str | None:
    """Why `image` (relative to `folder`) is unusable, or None: it must be a PNG, JPEG or SVG file inside `folder`."""
    base = folder.resolve()
    path = (base / image).resolve()
    kind = path.suffix.lower()
    if kind not in KINDS:
        return _("'{image}' is not a PNG, JPEG or SVG file; convert the picture to one of those").format(image=image)
    if not path.is_relative_to(base):
        return _("'{image}' lies outside the folder of the file that names it; copy the picture into that folder").format(image=image)
    if not path.is_file():
        return _("the picture file '{image}' does not exist; check the name or add the file").format(image=image)
    if path.stat().st_size > MAX_BYTES:
        return _("'{image}' is larger than {megabytes} MB; save a smaller copy of the picture").format(image=image, megabytes=MAX_BYTES // 1024 // 1024)
    data = path.read_bytes()
    magic = KINDS[kind]
    if magic is not None:
        if not data.startswith(magic):
            return _("'{image}' is not really a {format} file; save it again in that format").format(image=image, format=kind[1:].upper())
        return _raster_problem(image, path)
    return _svg_problem(image, data)


def _raster_problem(image: str, path: Path) -> str | None:
    from PIL import Image  # lazy: WeasyPrint brings Pillow; only pictures need it

    try:
        with Image.open(path) as picture:
            width, height = picture.size
            if width * height > MAX_PIXELS:
                return _("'{image}' is {width} x {height} pixels, far more than print needs; save a smaller copy").format(image=image, width=width, height=height)
            picture.verify()
    except Exception:  # Pillow raises many kinds of error for a damaged file
        return _("'{image}' is damaged and cannot be read; save it again from the original").format(image=image)
    return None


def _svg_problem(image: str, data: bytes) -> str | None:
    head = data[:1024]
    if b"<svg" not in data[:65536] and b"<?xml" not in head:
        return _("'{image}' is not an SVG file; save it again as SVG").format(image=image)
    if b"<!ENTITY" in data or b"<!DOCTYPE" in data and b"[" in data.split(b"<!DOCTYPE", 1)[1].split(b">", 1)[0]:
        return _("'{image}' declares its own XML entities; save it again as plain SVG").format(image=image)
    if re.search(rb"<script|\bon\w+\s*=", data, re.IGNORECASE):
        return _("'{image}' contains a script; save it again as a plain drawing").format(image=image)
    if _OUTSIDE_REFERENCE.search(data) or _URL_IN_STYLE.search(data):
        return _("'{image}' refers to another file or a web address; save it again with everything embedded").format(image=image)
    return None


def data_uri(path: Path) -> str:
    """A checked picture as a data: URL, so the PDF holds it and the render reads nothing else."""
    kind = MEDIA_TYPES[Path(path).suffix.lower()]
    return f"data:{kind};base64,{base64.b64encode(Path(path).read_bytes()).decode()}"

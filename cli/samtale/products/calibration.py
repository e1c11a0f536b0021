"""The duplex calibration sheet: lines and an off-centre dot on the front; scales and two rings behind them.

Printed double-sided and held against the light, the dot shows in the ring marked for
the flip the printer really makes (a printer that turns over the other edge puts it in
the other ring, far away), and the scale value under each front line is the printer's
front-to-back offset, ready for `--back-offset X,Y`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..core.errors import SamtaleError
from ..core.i18n import _
from ..geometry import imposition
from ..geometry.imposition import Flip
from ..geometry.paper import paper as paper_of
from ..geometry.shapes import Point
from ..source.catalogue import Loaded
from ..source.languages import DANISH
from .base import Context, house_colours, page

REACH = 10.0  # the scales read offsets up to ±10 mm; --back-offset takes no more
LINE = 70.0  # length of the front's lines
SCALE_AT = 14.0  # how far from the centre the scales cross the lines
DOT = 4.0  # radius of the front's dot
RING = 12.0  # radius of the rings on the back: the dot falls inside for any offset the scales read
DOT_AT = (0.3, -0.25)  # where the dot is, from the centre, as a fraction of the sheet's width and height
TEMPLATE = "calibrate.html.j2"
OTHER: dict[Flip, Flip] = {"long": "short", "short": "long"}


@dataclass(frozen=True)
class Mark:
    x1: float
    y1: float
    x2: float
    y2: float
    width: float = 0.2


@dataclass(frozen=True)
class Label:
    x: float
    y: float
    text: str


@dataclass(frozen=True)
class Ring:
    x: float
    y: float
    r: float
    text: str = ""


def front_marks(w: float, h: float) -> list[Mark]:
    cx, cy = w / 2, h / 2
    return [Mark(cx, cy - LINE / 2, cx, cy + LINE / 2, 0.25), Mark(cx - LINE / 2, cy, cx + LINE / 2, cy, 0.25)]


def dot(w: float, h: float) -> Point:
    """The front's off-centre dot: off the centre in both directions, so either flip moves it far."""
    return Point(w / 2 + DOT_AT[0] * w, h / 2 + DOT_AT[1] * h)


def rings(w: float, h: float, flip: Flip) -> tuple[Point, Point]:
    """Where the dot lands on the back page if the printer turns as `flip` says, and if it turns the other way."""
    p = dot(w, h)
    return imposition.back_mirror(w, h, flip).point(p), imposition.back_mirror(w, h, OTHER[flip]).point(p)


def back_scales(w: float, h: float, flip: Flip) -> tuple[list[Mark], list[Label]]:
    """Two scales on the back page, placed (in back coordinates) where the front's lines fall.

    A scale value is written in back-page millimetres, the unit of --back-offset, so the
    value under a front line is the correction to enter.
    """
    cx, cy = w / 2, h / 2
    # where the front's crossing points land on the back page
    mirror = imposition.back_mirror(w, h, flip)
    x_cross = mirror.point(Point(cx, cy + SCALE_AT))  # on the vertical line
    y_cross = mirror.point(Point(cx + SCALE_AT, cy))  # on the horizontal line
    marks, labels = [], []
    steps = int(REACH * 2)
    for i in range(-steps, steps + 1):
        k = i / 2
        whole = i % 2 == 0
        tick = 5.0 if i % 10 == 0 else (3.0 if whole else 1.6)
        marks.append(Mark(x_cross.x + k, x_cross.y - tick / 2, x_cross.x + k, x_cross.y + tick / 2, 0.12))
        marks.append(Mark(y_cross.x - tick / 2, y_cross.y + k, y_cross.x + tick / 2, y_cross.y + k, 0.12))
        if i % 10 == 0:
            text = f"{k:+g}" if k else "0"
            labels.append(Label(x_cross.x + k, x_cross.y + 6.0, text))
            labels.append(Label(y_cross.x + 5.5, y_cross.y + k + 0.9, text))
    marks.append(Mark(x_cross.x - REACH, x_cross.y, x_cross.x + REACH, x_cross.y, 0.12))
    marks.append(Mark(y_cross.x, y_cross.y - REACH, y_cross.x, y_cross.y + REACH, 0.12))
    return marks, labels


def file_name(paper: str, flip: str, lang: str = DANISH) -> str:
    return f"kalibrering-{paper}-{flip}.pdf" if lang == DANISH else f"kalibrering-{paper}-{flip}-{lang}.pdf"


# An option with its value (--flip long) and any word with a hyphen (--back-offset, 0.5,-1) stay on one line.
_KEEP = re.compile(r"(--\S+(?: [^\s-]\S*)?|\S*-\S*)")


def parts(text: str) -> list[dict[str, str | bool]]:
    """A text as runs to set as they come and runs to keep on one line."""
    return [{"text": run, "keep": bool(i % 2)} for i, run in enumerate(_KEEP.split(text)) if run]


def context(loaded: Loaded, paper: str, flip: Flip) -> Context:
    """The calibration sheet's template context for this paper and duplex flip."""
    text = loaded.catalogue.puzzle.calibration
    if text is None:
        raise SamtaleError(_("{name} has no calibration text; add 'puzzle: calibration:' to the catalogue").format(name=loaded.path.name))

    def fill(words: str) -> str:
        return words.replace("{flip}", flip).replace("{other}", OTHER[flip]).replace("{reach}", f"{REACH:g}")

    sheet = paper_of(paper, landscape=True)
    w, h = sheet.width, sheet.height
    back_marks, back_labels = back_scales(w, h, flip)
    right, wrong = rings(w, h, flip)
    spot = dot(w, h)
    return {
        "page": page(sheet),
        "house": house_colours("office"),
        "page_bleed": 0.0,
        "lang": loaded.lang,
        "text": text,
        "steps": [parts(fill(step)) for step in text.steps],
        "municipality": loaded.catalogue.municipality.name,
        "title": text.title,
        "width": w,
        "height": h,
        "front": front_marks(w, h),
        "dot": Ring(spot.x, spot.y, DOT, fill(text.dot)),
        "back": back_marks,
        "labels": back_labels,
        "rings": [Ring(right.x, right.y, RING, fill(text.right_flip)), Ring(wrong.x, wrong.y, RING, fill(text.wrong_flip))],
        "paper": paper,
        "flip": flip,
    }

"""The command-line options several commands share, each defined once."""

from __future__ import annotations

import math
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Optional

import typer

from ..core.i18n import _


class PaperName(StrEnum):
    a4 = "a4"
    a3 = "a3"


class Style(StrEnum):
    jigsaw = "jigsaw"
    cards = "cards"


class Flip(StrEnum):
    long = "long"
    short = "short"


class Target(StrEnum):
    """Whom the files are for: the names are samtale.products.TARGETS."""

    office = "office"
    print_shop = "print-shop"
    laser = "laser"
    silhouette = "silhouette"
    cricut = "cricut"


class Language(StrEnum):
    """The languages samtale prints and speaks: samtale.source.languages.LANGUAGES."""

    da = "da"
    en = "en"


# Every option names what it takes in plain words (metavar): help never shows a Python type.
Catalogue = Annotated[
    Optional[Path],  # noqa: UP045  (Typer reads the annotation; Optional reads as the docs do)
    typer.Option("--catalogue", "-c", metavar=_("CATALOGUE"), show_default=False, help=_(
        "The catalogue: its YAML file, or its id (albertslund, hoeje-taastrup). "
        "Default: the one in samtale.toml of your working folder, or else the built-in Albertslund catalogue."
    )),
]
PlanCatalogue = Annotated[
    Optional[Path],  # noqa: UP045  (as above)
    typer.Option("--catalogue", "-c", metavar=_("CATALOGUE"), show_default=False, help=_(
        "The catalogue: its YAML file or its id. Default: the one the plan names, found in your working folder or built in."
    )),
]
Out = Annotated[Path, typer.Option("--out", "-o", metavar=_("FOLDER"), help=_("The folder to write into."))]
Paper = Annotated[PaperName, typer.Option(metavar="a4|a3", help=_("Paper size of the skema and the puzzle sheets."))]
FlipOption = Annotated[Flip, typer.Option(metavar="long|short", help=_("How your printer turns the sheet for duplex: over the long or the short edge."))]
Lang = Annotated[
    Optional[Language],  # noqa: UP045  (as above)
    typer.Option("--lang", metavar="da|en", show_default=False, help=_(
        "The language of the materials and of samtale's messages: da (Danish, the default) or en (English)."
    )),
]
# The commands that print nothing take --lang too, for their messages alone (samtale.commands.main reads it first).
Speak = Annotated[
    Optional[Language],  # noqa: UP045  (as above)
    typer.Option("--lang", metavar="da|en", show_default=False, help=_(
        "The language of samtale's messages: da (Danish, the default) or en (English)."
    )),
]
Force = Annotated[bool, typer.Option("--force", help=_("Replace the file if it exists."))]


def between(low: float, high: float | None, what: str):
    """A check that a number lies in a range, said in words (Typer's own says 'x>=1')."""
    def check(value: float | None) -> float | None:
        if value is not None and (value < low or (high is not None and value > high)):
            if high is None:
                raise typer.BadParameter(_("{value} is not a possible {what}; give a number of at least {low}").format(
                    value=f"{value:g}", what=what, low=f"{low:g}"))
            raise typer.BadParameter(_("{value} is not a possible {what}; give a number from {low} to {high}").format(
                value=f"{value:g}", what=what, low=f"{low:g}", high=f"{high:g}"))
        return value
    return check


def parse_offset(text: str) -> tuple[float, float]:
    """'X,Y' in millimetres, as printed on the calibration sheet, no further than its scales read."""
    from ..products.calibration import REACH  # lazy: keeps --help instant

    try:
        x, y = (float(part.replace(" ", "")) for part in text.split(","))
        if not (math.isfinite(x) and math.isfinite(y)):
            raise ValueError(text)
    except ValueError:
        raise typer.BadParameter(_("'{text}' is not an offset; write it as X,Y in millimetres, e.g. 0.5,-1").format(text=text)) from None
    if abs(x) > REACH or abs(y) > REACH:
        raise typer.BadParameter(_("'{text}' is more than the {reach} mm the calibration sheet's scales read; "
                                   "print 'samtale calibrate' and measure again").format(text=text, reach=f"{REACH:g}"))
    return (x, y)


Timeout = Annotated[float, typer.Option(metavar=_("SECONDS"), callback=between(0.1, None, _("time limit")),
                                        help=_("Stop a document that takes longer than this many seconds."))]

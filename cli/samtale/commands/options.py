"""The command-line options several commands share, each defined once."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Optional

import typer


class PaperName(StrEnum):
    a4 = "a4"
    a3 = "a3"


class Style(StrEnum):
    jigsaw = "jigsaw"
    cards = "cards"


class Flip(StrEnum):
    long = "long"
    short = "short"


Catalogue = Annotated[
    Optional[Path],  # noqa: UP045  (Typer reads the annotation; Optional reads as the docs do)
    typer.Option("--catalogue", "-c", help="The catalogue YAML file. Default: the built-in Albertslund catalogue.", show_default=False),
]
PlanCatalogue = Annotated[
    Optional[Path],  # noqa: UP045  (as above)
    typer.Option("--catalogue", "-c", help="The catalogue YAML file. Default: the one the plan names, or the built-in Albertslund catalogue.", show_default=False),
]
Out = Annotated[Path, typer.Option("--out", "-o", help="Folder to write into.")]
Paper = Annotated[PaperName, typer.Option(help="Paper size of the skema and the puzzle sheets.")]
FlipOption = Annotated[Flip, typer.Option(help="How your printer turns the sheet for duplex: over the long or the short edge.")]
Force = Annotated[bool, typer.Option("--force", help="Replace the file if it exists.")]
Timeout = Annotated[float, typer.Option(min=0.1, help="Stop a document that takes longer than this many seconds.")]


def parse_offset(text: str) -> tuple[float, float]:
    """'X,Y' in millimetres, as printed on the calibration sheet."""
    try:
        x, y = (float(part.replace(" ", "")) for part in text.split(","))
    except ValueError:
        raise typer.BadParameter(f"'{text}' is not an offset; write it as X,Y in millimetres, e.g. 0.5,-1") from None
    if abs(x) > 20 or abs(y) > 20:
        raise typer.BadParameter(f"'{text}' is more than 20 mm; measure again on the calibration sheet")
    return (x, y)

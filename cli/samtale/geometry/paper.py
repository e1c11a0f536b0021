"""Paper: the sheet sizes samtale prints on, and the part of a sheet a printer can reach."""

from __future__ import annotations

from dataclasses import dataclass

from .shapes import Rect

PAPERS = {"a4": (210.0, 297.0), "a3": (297.0, 420.0)}
"""Portrait width and height in mm."""

SAFE_MARGIN = 8.0
"""Home and office printers do not print to the edge; nothing goes closer than this."""


@dataclass(frozen=True)
class Paper:
    """A sheet as it lies on the page: its name and its width and height in mm."""

    name: str
    width: float
    height: float

    PLAIN_EXTRA = ("css_size", "landscape", "scale")  # what templates see besides the fields

    @property
    def landscape(self) -> bool:
        return self.width > self.height

    @property
    def css_size(self) -> str:
        return f"{self.width:g}mm {self.height:g}mm"

    @property
    def scale(self) -> float:
        """How much larger than A4 this paper is, side for side."""
        return max(self.width, self.height) / 297.0

    def safe_area(self, margin: float = SAFE_MARGIN) -> Rect:
        """The part of the sheet the printer can be trusted to print."""
        if margin < 0 or 2 * margin >= min(self.width, self.height):
            raise ValueError(f"margin {margin} mm leaves nothing of a {self.width} x {self.height} mm sheet")
        return Rect(margin, margin, self.width - 2 * margin, self.height - 2 * margin)


def paper(name: str, landscape: bool) -> Paper:
    """The named paper (a4, a3), turned as asked."""
    try:
        short, long_ = PAPERS[name.lower()]
    except KeyError:
        raise ValueError(f"paper must be one of {', '.join(PAPERS)}, not {name!r}") from None
    return Paper(name.lower(), long_, short) if landscape else Paper(name.lower(), short, long_)

"""How much room a text takes in the embedded typeface, measured before anything is rendered.

Validation uses it to report text that cannot fit its space, and the puzzle uses
it to choose a question's size between the largest and smallest allowed. The
measure is a little pessimistic (no kerning, no hyphenation), so what fits here
fits on paper.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache, lru_cache

from ..core.paths import font_folder

PT_PER_MM = 72 / 25.4
LINE_HEIGHT = 1.2  # the line-height the templates use for fitted text


@dataclass(frozen=True, eq=False)  # hashed by identity: there is one Face per weight
class Face:
    advances: dict[int, int] = field(repr=False)
    units_per_em: int
    fallback: int

    def width_pt(self, text: str, size_pt: float) -> float:
        return _units(self, text) * size_pt / self.units_per_em


@lru_cache(maxsize=1 << 16)
def _units(f: Face, text: str) -> int:
    """A text's advance in font units; the same words are measured again and again across workplaces."""
    return sum(f.advances.get(ord(ch), f.fallback) for ch in text)


@cache
def face(weight: str = "Regular") -> Face:
    from fontTools.ttLib import TTFont  # lazy: only measuring needs fontTools

    font = TTFont(font_folder() / f"SourceSansPro-{weight}.ttf", lazy=True)
    cmap = font.getBestCmap()
    hmtx = font["hmtx"].metrics
    advances = {code: hmtx[glyph][0] for code, glyph in cmap.items()}
    return Face(advances, font["head"].unitsPerEm, advances.get(ord("M"), 600))


def lines(text: str, width_mm: float, size_pt: float, weight: str = "Regular") -> list[str]:
    """Break `text` into lines no wider than `width_mm`, word by word, as a browser would."""
    f = face(weight)
    limit = width_mm * PT_PER_MM
    space = f.width_pt(" ", size_pt)
    result: list[str] = []
    current: list[str] = []
    used = 0.0
    for word in text.split():
        w = f.width_pt(word, size_pt)
        if current and used + space + w > limit:
            result.append(" ".join(current))
            current, used = [], 0.0
        current.append(word)
        used = w if len(current) == 1 else used + space + w
    if current:
        result.append(" ".join(current))
    return result


def fits(text: str, width_mm: float, height_mm: float, size_pt: float, weight: str = "Regular") -> bool:
    """Whether `text` fits a box at `size_pt`, with no word wider than the box."""
    f = face(weight)
    if any(f.width_pt(word, size_pt) > width_mm * PT_PER_MM for word in text.split()):
        return False
    needed = len(lines(text, width_mm, size_pt, weight)) * size_pt * LINE_HEIGHT
    return needed <= height_mm * PT_PER_MM


def largest_fitting(
    text: str, width_mm: float, height_mm: float, largest: float, smallest: float,
    step: float = 0.5, weight: str = "Regular",
) -> float | None:
    """The largest size from `largest` down to `smallest` (in `step`s) at which `text` fits, or None."""
    size = largest
    while size >= smallest - 1e-9:
        if fits(text, width_mm, height_mm, size, weight):
            return size
        size -= step
    return None


def one_line_width_mm(text: str, size_pt: float, weight: str = "Regular") -> float:
    return face(weight).width_pt(text, size_pt) / PT_PER_MM

"""Colour arithmetic on #RRGGBB values: tints, shades, and which ink reads on a colour (WCAG 2 contrast)."""

from __future__ import annotations

INK = "#2E2A3A"
WHITE = "#FFFFFF"
READABLE = 4.5  # WCAG 2 AA for running text; 3.0 is enough from 18 pt (14 pt bold)


def rgb(colour: str) -> tuple[int, int, int]:
    hex_ = colour.lstrip("#")
    if len(hex_) == 3:
        hex_ = "".join(c * 2 for c in hex_)
    return int(hex_[0:2], 16), int(hex_[2:4], 16), int(hex_[4:6], 16)


def hex_of(r: float, g: float, b: float) -> str:
    return "#" + "".join(f"{max(0, min(255, round(c))):02X}" for c in (r, g, b))


def tint(colour: str, strength: float = 0.14) -> str:
    """`colour` mixed with white: `strength` of the colour, the rest paper."""
    return hex_of(*(255 - (255 - c) * strength for c in rgb(colour)))


def darken(colour: str, factor: float = 0.78) -> str:
    """A darker shade of `colour`."""
    return hex_of(*(c * factor for c in rgb(colour)))


def luminance(colour: str) -> float:
    """Relative luminance, as WCAG 2 defines it."""
    def channel(c: int) -> float:
        v = c / 255
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """The WCAG 2 contrast ratio of two colours, from 1 to 21."""
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def lightness(colour: str) -> float:
    """CIE L* (0 black to 100 white): how light a colour prints in greyscale."""
    y = luminance(colour)
    return 116 * y ** (1 / 3) - 16 if y > 216 / 24389 else 24389 / 27 * y


def readable_on(colour: str) -> str:
    """White or ink, whichever reads better on `colour`."""
    return WHITE if contrast(WHITE, colour) >= contrast(INK, colour) else INK


def shade_on(colour: str, background: str, ratio: float = READABLE) -> str:
    """`colour`, darkened just enough to read on `background` (the perspective's name on its own tint)."""
    shade, factor = colour, 1.0
    while contrast(shade, background) < ratio and factor > 0.05:
        factor -= 0.04
        shade = darken(colour, factor)
    return shade

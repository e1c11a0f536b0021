"""Colour arithmetic on #RRGGBB values: tints, shades and which ink reads on a colour."""

from __future__ import annotations

INK = "#2E2A3A"
WHITE = "#FFFFFF"


def rgb(colour: str) -> tuple[int, int, int]:
    hex_ = colour.lstrip("#")
    if len(hex_) == 3:
        hex_ = "".join(c * 2 for c in hex_)
    return int(hex_[0:2], 16), int(hex_[2:4], 16), int(hex_[4:6], 16)


def tint(colour: str, strength: float = 0.14) -> str:
    """`colour` mixed with white: `strength` of the colour, the rest paper."""
    mixed = [round(255 - (255 - c) * strength) for c in rgb(colour)]
    return "#" + "".join(f"{c:02X}" for c in mixed)


def darken(colour: str, factor: float = 0.78) -> str:
    """A darker shade of `colour`, for its name in small type on a light tint."""
    r, g, b = (round(c * factor) for c in rgb(colour))
    return f"#{r:02X}{g:02X}{b:02X}"


def readable_on(colour: str) -> str:
    """White or ink, whichever reads better on `colour` (by relative luminance)."""
    r, g, b = (c / 255 for c in rgb(colour))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return INK if luminance > 0.45 else WHITE


def luminance(colour: str) -> float:
    """Relative luminance (WCAG 2), from the sRGB channels made linear."""

    def linear(c: int) -> float:
        v = c / 255
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(one: str, other: str) -> float:
    """The WCAG contrast ratio of two colours, 1 to 21."""
    a, b = sorted((luminance(one), luminance(other)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def legible(colour: str, background: str, ratio: float = 4.5) -> str:
    """`colour`, darkened just enough to read on `background` at `ratio` (body text: 4.5:1)."""
    shade = colour
    factor = 1.0
    while contrast(shade, background) < ratio and factor > 0.05:
        factor -= 0.05
        shade = darken(colour, factor)
    return shade if contrast(shade, background) >= ratio else INK

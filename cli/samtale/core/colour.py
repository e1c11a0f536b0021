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

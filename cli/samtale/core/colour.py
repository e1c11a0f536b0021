"""Colour arithmetic on #RRGGBB values: tints, shades, which ink reads on a colour (WCAG 2 contrast), and their CMYK.

A print shop prints in CMYK on its own press condition. Colours that the catalogue states in
CMYK print as stated; any other is converted from sRGB through the one CMYK profile samtale
ships (FOGRA39, coated paper), the profile its print-shop PDFs name as their output intent.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

Cmyk = tuple[float, float, float, float]
"""Cyan, magenta, yellow and black, each 0 (none) to 1 (full)."""

CMYK_PROFILE = Path(__file__).resolve().parent / "icc" / "Coated_FOGRA39L_samtale.icc"
"""FOGRA39 (ISO 12647-2, coated paper), built with ArgyllCMS from Fogra's data in Debian's icc-profiles-free (Zlib)."""
CMYK_CONDITION = "FOGRA39"  # the characterisation the profile is made from, as the ICC registry names it

INK = "#2E2A3A"
WHITE = "#FFFFFF"
MUTED = "#625C6E"  # the house's grey text
RULE = "#B9B4C2"  # the house's grey rules
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


# --- CMYK ------------------------------------------------------------------------------------

# Text and rules print in black alone: four inks on small type blur with the least misregister.
GREYS_CMYK: dict[str, Cmyk] = {INK: (0.0, 0.0, 0.0, 0.9), MUTED: (0.0, 0.0, 0.0, 0.7), RULE: (0.0, 0.0, 0.0, 0.3),
                               WHITE: (0.0, 0.0, 0.0, 0.0)}


@cache
def _to_cmyk() -> object:
    from PIL import ImageCms  # lazy: only print-shop output converts colours

    srgb = ImageCms.createProfile("sRGB")
    return ImageCms.buildTransform(srgb, ImageCms.getOpenProfile(str(CMYK_PROFILE)), "RGB", "CMYK",
                                   renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC,
                                   flags=ImageCms.Flags.BLACKPOINTCOMPENSATION)


@cache
def cmyk(colour: str) -> Cmyk:
    """`colour` as the print shop's press prints it: through the CMYK profile, relative colorimetric with black
    point compensation (grey text and rules print in black alone, see GREYS_CMYK)."""
    if colour.upper() in GREYS_CMYK:
        return GREYS_CMYK[colour.upper()]
    from PIL import Image, ImageCms

    pixel = ImageCms.applyTransform(Image.new("RGB", (1, 1), rgb(colour)), _to_cmyk())  # type: ignore[arg-type]
    assert pixel is not None
    values = pixel.getpixel((0, 0))
    assert isinstance(values, tuple)
    c, m, y, k = (round(v / 255, 3) for v in values)
    return (c, m, y, k)


def cmyk_tint(colour: Cmyk, strength: float = 0.14) -> Cmyk:
    """`colour` as a tint: `strength` of each ink, the rest paper (the CMYK twin of `tint`)."""
    c, m, y, k = (round(v * strength, 3) for v in colour)
    return (c, m, y, k)


def device_cmyk(colour: Cmyk) -> str:
    """CSS Color 5 `device-cmyk(c m y k)`, which WeasyPrint writes to the PDF as DeviceCMYK."""
    return "device-cmyk(" + " ".join(f"{v:.3f}".rstrip("0").rstrip(".") or "0" for v in colour) + ")"

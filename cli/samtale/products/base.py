"""What every product is: a name, a template, the context it fills in, and the rules its text must keep.

A product module turns resolved material into the plain values its template draws,
in millimetres and points; the press stage turns template and context into a PDF.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any, Literal, get_args

from ..core.colour import INK, MUTED, RULE, WHITE, Cmyk, cmyk, cmyk_tint, device_cmyk
from ..geometry import textfit
from ..geometry.imposition import Finish, Flip
from ..geometry.paper import Paper
from ..material import Material
from ..source import images, yamlio
from ..source.models import BulletList, Catalogue, Guidance

Context = dict[str, Any]

# Who the files are for: an office printer and scissors, a print shop (PDF/X-4 with bleed and a cut contour),
# a laser cutter (cut files, each edge once), or a home cutter that prints then cuts (Silhouette, Cricut).
Target = Literal["office", "print-shop", "laser", "silhouette", "cricut"]
TARGETS: tuple[Target, ...] = get_args(Target)
MACHINES: tuple[Target, ...] = ("silhouette", "cricut")  # print then cut: the sheets are laid out for the machine
PRINT_SHOP_BLEED = 3.0  # mm past the trim on every page of a print shop's PDF


@dataclass(frozen=True)
class Options:
    """Everything besides the content that shapes a PDF; part of its identity in the manifest."""

    paper: str = "a4"
    style: str = "jigsaw"
    backs: bool = False
    flip: Flip = "long"
    back_offset: tuple[float, float] = (0.0, 0.0)
    blank_keywords: int = 0
    fillable: bool = False
    cut_svg: bool = False
    target: Target = "office"
    hairline: float = 0.01  # mm: the stroke of the cut files' lines (laser drivers cut strokes of 0.01-0.025 mm)


@dataclass(frozen=True)
class Misfit:
    """A text that does not fit its space: the material's key for the text (see `Material.origins`) and why."""

    key: str
    message: str


def _fits(material: Material) -> list[Misfit]:
    return []


def _no_rules(catalogue: Catalogue) -> list[tuple[yamlio.Loc, str]]:
    return []


@dataclass(frozen=True)
class Product:
    """One printed product. Its name is what users type (`--product skema`) and what catalogues list."""

    name: str
    template: str
    context: Callable[[Material, Options], Context]
    fit: Callable[[Material], list[Misfit]] = _fits
    # Files written beside the PDF (the puzzle's cut lines), made from the same context.
    extras: Callable[[Context, Options], dict[str, bytes]] | None = None
    guidance: bool = False  # prints the conversation type's guidance for it, which the catalogue must then give
    agreement_sheet: bool = False  # prints the catalogue's agreement blocks
    fillable: bool = False  # has fields to fill in on screen (--fillable), and then a file name of its own
    rules: Callable[[Catalogue], list[tuple[yamlio.Loc, str]]] = _no_rules  # further rules on the catalogue
    targets: tuple[Target, ...] = ("office", "print-shop")  # whom it can be made for (--for)
    # For a print shop: what the last pages carry besides their drawing (the puzzle's cut lines), one per page.
    finish: Callable[[Context, Options], list[Finish]] | None = None


def print_colours(material: Material) -> Material:
    """The material with every perspective's colours as a print shop prints them: CSS `device-cmyk()`, the
    catalogue's own CMYK where it gives one, else converted through the CMYK profile; tints of it are tints
    of its inks."""
    perspectives = []
    for p in material.perspectives:
        inks: Cmyk = p.cmyk or cmyk(p.colour)
        perspectives.append(replace(p, colour=device_cmyk(inks), tint=device_cmyk(cmyk_tint(inks)), ink=device_cmyk(cmyk(p.ink)),
                                    shade=device_cmyk(cmyk(p.shade))))
    return replace(material, perspectives=tuple(perspectives))


def house_colours(target: Target) -> dict[str, str]:
    """The text ink, the muted grey and the rules' grey: in sRGB, or in black ink alone for a print shop."""
    greys = {"ink": INK, "muted": MUTED, "rule": RULE, "white": WHITE}
    if target != "print-shop":
        return greys
    return {name: device_cmyk(cmyk(value)) for name, value in greys.items()}


def common(material: Material, product: str, options: Options = Options()) -> Context:
    """What every product's template may use: the material, its labels, the title and the logo; for a print
    shop, colours in CMYK and the pages' bleed."""
    shop = options.target == "print-shop"
    return {
        "m": print_colours(material) if shop else material,
        "house": house_colours(options.target),
        "page_bleed": PRINT_SHOP_BLEED if shop else 0.0,
        "labels": material.labels,
        "title": material.title(product),
        "logo": images.data_uri(material.logo) if material.logo else "",
        "hyphenation": material.hyphenation,
        "lang": material.lang,
    }


@lru_cache(maxsize=64)  # every skema of a batch draws the same few links: 16 ms each, most of a skema's context
def qr_data_uri(url: str) -> str:
    import segno  # lazy: only the skema draws QR codes

    return str(segno.make(url, error="m").svg_data_uri(scale=1, border=0, dark="#2E2A3A"))


# --- the house style: one margin, one type scale, one measure -------------------------------
#
# On A4; A3 is the same page scaled by its side (1.41), type and margins alike.
MARGIN = 10.0  # mm, top and sides of every page
FOOTER_ROOM = 16.0  # mm, the bottom margin, which holds the footer
FOOTER_EDGE = 9.0  # mm from the paper's edge to the footer's last line: nothing is printed nearer than 8 mm
TYPE = {  # pt
    "caption": 7.0,  # the footer, small print
    "label": 8.0,  # field names, column headings of forms
    "body": 10.0,  # running text
    "h3": 12.0,  # a guidance section's heading
    "title": 18.0,  # a page's title
}
BODY_SIZES = (9.5, 13.0)  # running text is set within these, as large as its page allows
MEASURE = (55, 80)  # characters a line that a reader follows without losing the line
AIM = (58, 77)  # what the columns are chosen for: the estimate is within a few characters of the page
LINE = 1.32  # line height of running text
TIGHT_LINES = (1.27, 1.22)  # tried, at the smallest size, before a text long for its page flows on
OPEN_LINE = 1.75  # the most a short text's leading opens, to fill its page
PARAGRAPH = 0.4  # space after a paragraph, in lines
HEADING = 1.9  # a guidance heading with its space, in lines of running text


@dataclass(frozen=True)
class Page:
    """A page's paper and margins in mm, and its type scale; the footer sits in the bottom margin."""

    sheet: Paper
    top: float
    side: float
    bottom: float

    PLAIN_EXTRA = ("css_margin", "width", "height", "scale", "footer_edge", "type")  # what templates see besides the fields

    @property
    def scale(self) -> float:
        return self.sheet.scale

    @property
    def footer_edge(self) -> float:
        return FOOTER_EDGE * self.scale

    @property
    def type(self) -> dict[str, float]:
        """The type scale on this paper, in pt."""
        return {name: size * self.scale for name, size in TYPE.items()}

    @property
    def css_margin(self) -> str:
        return f"{self.top:.2f}mm {self.side:.2f}mm {self.bottom:.2f}mm"

    @property
    def width(self) -> float:
        """The width inside the margins."""
        return self.sheet.width - 2 * self.side

    @property
    def height(self) -> float:
        """The height inside the margins."""
        return self.sheet.height - self.top - self.bottom

    def column_width(self, columns: int, gap: float) -> float:
        return (self.width - (columns - 1) * gap) / columns


def page(sheet: Paper) -> Page:
    """The house page on `sheet`: one margin, the footer in the bottom margin."""
    s = sheet.scale
    return Page(sheet, MARGIN * s, MARGIN * s, FOOTER_ROOM * s)


# --- guidance: running text in columns that fill the page --------------------------------------


@dataclass(frozen=True)
class Columns:
    """How a guidance text is set: how many columns, how far apart, at what size and line height."""

    count: int
    gap: float  # mm
    size: float  # pt
    line: float  # line height, in ems
    chars: int  # characters a line, on average
    paragraph: float = PARAGRAPH  # space after a paragraph, in ems


def _paragraphs(guidance: Guidance) -> list[tuple[bool, list[str]]]:
    """Each paragraph as (is a list, its texts)."""
    return [(isinstance(p, BulletList), list(p.items) if isinstance(p, BulletList) else [p])
            for section in guidance.sections for p in section.paragraphs]


def _opened(chosen: Columns, guidance: Guidance, pg: Page, height: float) -> Columns:
    """A text that leaves much of its page empty even at the largest size gets more leading, up to OPEN_LINE."""
    s = pg.scale
    width = pg.column_width(chosen.count, chosen.gap) / s
    size = chosen.size / s
    used = lines_needed(guidance, width, size) * size * chosen.line * 1.04 / (chosen.count * height / s * textfit.PT_PER_MM)
    if used >= 0.85:
        return chosen
    factor = 0.9 / used  # the leading opens first, then the space between paragraphs
    line = min(OPEN_LINE, chosen.line * factor)
    return replace(chosen, line=round(line, 3), paragraph=round(min(1.4, PARAGRAPH * factor * chosen.line / line), 3))


def _sizes() -> list[float]:
    """The sizes running text may take, largest first, in quarter points."""
    count = round((BODY_SIZES[1] - BODY_SIZES[0]) / 0.25)
    return [BODY_SIZES[1] - 0.25 * n for n in range(count + 1)]


def characters_a_line(guidance: Guidance, width_mm: float, size: float) -> int:
    """How many characters of this text a line of `width_mm` holds at `size`, on average."""
    texts = [t for _, ts in _paragraphs(guidance) for t in ts]
    chars = sum(len(t) for t in texts) or 1
    mm = sum(textfit.one_line_width_mm(t, size) for t in texts) or width_mm
    return int(width_mm / (mm / chars))


def lines_needed(guidance: Guidance, width_mm: float, size: float) -> float:
    """The height of a guidance text in lines, set in columns `width_mm` wide (a little pessimistic: no hyphens)."""
    lines = sum(HEADING for section in guidance.sections if section.heading)
    for bullets, texts in _paragraphs(guidance):
        lines += sum(len(textfit.lines(t, width_mm - (4 if bullets else 0), size)) for t in texts) + PARAGRAPH
    return lines


def title_height(guidance: Guidance, pg: Page) -> float:
    """The height (mm) a guidance text's title and subtitle take across its columns."""
    size = TYPE["title"]
    lines = len(textfit.lines(guidance.title, pg.width / pg.scale, size, "Bold"))
    height = lines * size * 1.15 + size * 0.25
    if guidance.subtitle:
        height += len(textfit.lines(guidance.subtitle, pg.width / pg.scale, TYPE["body"] * 1.1)) * TYPE["body"] * 1.1 * 1.3
        height += TYPE["body"] * 0.9
    return height / textfit.PT_PER_MM * pg.scale


def columns(guidance: Guidance, pg: Page, *, above: float | None = None, room: float | None = None) -> Columns:
    """The largest size, between the house's smallest and largest, at which the text fits one page in columns
    whose measure stays within 55–80 characters a line (the nearest to 66 where several do). `above` is the
    height its title takes; `room`, if given, the height there is (else the page's)."""
    s = pg.scale
    height = (room if room is not None else pg.height) - (above if above is not None else title_height(guidance, pg))
    gap = 8.0 * s
    tries = [(size, LINE) for size in _sizes()] + [(BODY_SIZES[0], line) for line in TIGHT_LINES]
    fallback = None
    for size, line in tries:
        candidates = []
        for count in (1, 2, 3, 4):
            width = pg.column_width(count, gap) / s  # measured on A4, where the type scale is defined
            chars = characters_a_line(guidance, width, size)
            if AIM[0] <= chars <= AIM[1]:
                fits = lines_needed(guidance, width, size) * size * line * 1.04 <= count * height / s * textfit.PT_PER_MM
                candidates.append((not fits, abs(chars - 66), Columns(count, gap, size * s, line, chars)))
        if candidates:
            unfit, _, best = min(candidates, key=lambda c: c[:2])
            if not unfit:
                return _opened(best, guidance, pg, height)
            fallback = best
    # Too long for one page even at the smallest size: set at that size, it flows on to the next page.
    return fallback or Columns(2, gap, BODY_SIZES[0] * s, LINE, 0)

"""What every product is: a name, a template, the context it fills in, and the rules its text must keep.

A product module turns resolved material into the plain values its template draws,
in millimetres and points; the press stage turns template and context into a PDF.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..geometry import textfit
from ..geometry.imposition import Flip
from ..geometry.paper import Paper
from ..material import Material
from ..source import images, yamlio
from ..source.models import BulletList, Catalogue, Guidance

Context = dict[str, Any]


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


def common(material: Material, product: str) -> Context:
    """What every product's template may use: the material, its labels, the title and the logo."""
    return {
        "m": material,
        "labels": material.labels,
        "title": material.title(product),
        "logo": images.data_uri(material.logo) if material.logo else "",
    }


def guidance_size(guidance: Guidance, width_mm: float, height_mm: float, columns: int, largest: float, smallest: float) -> float:
    """The largest text size at which a guidance text fills at most one page of `columns` columns."""
    size = largest
    while size > smallest:
        lines = 2.5  # the title
        for section in guidance.sections:
            lines += 1.6 if section.heading else 0
            for para in section.paragraphs:
                bullets = isinstance(para, BulletList)
                texts = para.items if isinstance(para, BulletList) else [para]
                lines += sum(len(textfit.lines(t, width_mm - (4 if bullets else 0), size)) for t in texts)
                lines += 0.45
        # ~1.35 line height in the guidance, and a column never breaks perfectly: allow 4 %.
        if lines * size * 1.35 * 1.04 <= columns * height_mm * textfit.PT_PER_MM:
            return size
        size -= 0.25
    return smallest


def qr_data_uri(url: str) -> str:
    import segno  # lazy: only the skema draws QR codes

    return str(segno.make(url, error="m").svg_data_uri(scale=1, border=0, dark="#2E2A3A"))


@dataclass(frozen=True)
class Page:
    """A page's paper and margins in mm; the footer sits in the bottom margin."""

    sheet: Paper
    top: float
    side: float
    bottom: float

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

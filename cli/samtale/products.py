"""The printed products, and how each one turns resolved material into a PDF.

A product is a template, a sheet and the context the template needs. Which
products a conversation type has, and their titles, come from the catalogue.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import layout, textfit
from .render import EPOCH_ISO, pdf_bytes, render_html
from .resolve import Material


@dataclass(frozen=True)
class Options:
    """Everything besides the content that shapes a PDF; part of its identity in the manifest."""

    paper: str = "a4"
    style: str = "jigsaw"
    backs: bool = False
    flip: str = "long"
    back_offset: tuple[float, float] = (0.0, 0.0)
    blank_keywords: int = 0
    fillable: bool = False
    cut_svg: bool = False


@dataclass(frozen=True)
class Product:
    name: str
    template: str
    build: Callable[[Material, Options], dict[str, Any]]
    # Files written beside the PDF (the puzzle's cut lines), made from the same context.
    extras: Callable[[dict[str, Any], Options], dict[str, bytes]] | None = None


def qr_data_uri(url: str) -> str:
    import segno

    return segno.make(url, error="m").svg_data_uri(scale=1, border=0, dark="#2E2A3A")


def guidance_size(guidance, width_mm: float, height_mm: float, columns: int, largest: float, smallest: float) -> float:
    """The largest text size at which a guidance text fills at most one page of `columns` columns."""
    size = largest
    while size > smallest:
        lines = 2.5  # the title
        for section in guidance.sections:
            lines += 1.6 if section.heading else 0
            for para in section.paragraphs:
                texts = para.items if hasattr(para, "items") else [para]
                lines += sum(len(textfit.lines(t, width_mm - (4 if hasattr(para, "items") else 0), size)) for t in texts)
                lines += 0.45
        # ~1.35 line height in the guidance, and a column never breaks perfectly: allow 4 %.
        if lines * size * 1.35 * 1.04 <= columns * height_mm * textfit.PT_PER_MM:
            return size
        size -= 0.25
    return smallest


def _common(material: Material, product: str) -> dict[str, Any]:
    return {
        "m": material,
        "labels": material.labels,
        "title": material.title(product),
        "created": EPOCH_ISO,
    }


def build_skema(material: Material, options: Options) -> dict[str, Any]:
    sheet = layout.paper(options.paper, landscape=True)
    geometry = layout.schema_layout(sheet, {p.id: [q.text for q in p.questions] for p in material.perspectives})
    guidance = material.guidance("skema")
    inner_w = sheet.width - 2 * geometry.margin
    inner_h = sheet.height - 2 * geometry.margin - 8 * geometry.scale
    column_w = (inner_w - 2 * 8 * geometry.scale) / 3
    return {
        **_common(material, "skema"),
        "sheet": sheet,
        "g": geometry,
        "guidance": guidance,
        "guidance_pt": guidance_size(guidance, column_w / geometry.scale, inner_h / geometry.scale, 3, 10.5, 8.0) * geometry.scale,
        "qr": {link.id: qr_data_uri(link.url) for link in material.links},
        "numbers": {q.id: n for n, q in enumerate(material.questions, 1)},
    }


def build_aftaleark(material: Material, options: Options) -> dict[str, Any]:
    sheet = layout.paper("a4", landscape=False)
    guidance = material.guidance("aftaleark")
    return {
        **_common(material, "aftaleark"),
        "sheet": sheet,
        "guidance": guidance,
        "guidance_pt": guidance_size(guidance, (210 - 24 - 8) / 2, 297 - 24 - 10, 2, 10.5, 8.5),
        "fillable": options.fillable,
    }


def build_puslespil(material: Material, options: Options) -> dict[str, Any]:
    from . import puzzle
    from .puzzle import sheets

    return {
        **_common(material, "puslespil"),
        "guidance": material.guidance("puslespil"),
        "guidance_pt": guidance_size(material.guidance("puslespil"), 126, 168, 2, 11.0, 8.5),
        "sheets": sheets(material, options, material.puzzle.sheets),
        "options": options,
        "ink": puzzle.INK,
        "frame": puzzle.FRAME,
        "bleed": puzzle.BLEED,
        "label_mm": puzzle.LABEL_MM,
    }


def puzzle_cut_files(context: dict[str, Any], options: Options) -> dict[str, bytes]:
    """With --cut-svg: one SVG of cut lines per sheet of pieces (fronts only)."""
    if not options.cut_svg:
        return {}
    from .puzzle import cut_svg

    fronts = [s for s in context["sheets"] if not s.is_back]
    return {f"-cut-{i}.svg": cut_svg(sheet).encode() for i, sheet in enumerate(fronts, 1)}


PRODUCTS: dict[str, Product] = {
    "skema": Product("skema", "skema.html.j2", build_skema),
    "aftaleark": Product("aftaleark", "aftaleark.html.j2", build_aftaleark),
    "puslespil": Product("puslespil", "puslespil.html.j2", build_puslespil, extras=puzzle_cut_files),
}


def render_product(product: Product, material: Material, options: Options, *, roots: list[Path], template_dirs=(),
                   sandboxed=False) -> dict[str, bytes]:
    """The document's files by name: the PDF and whatever the product writes beside it."""
    context = product.build(material, options)
    html = render_html(product.template, context, template_dirs, sandboxed)
    stem = f"{material.type.id}-{product.name}"
    files = {f"{stem}.pdf": pdf_bytes(html, roots=roots, base=roots[0], forms=options.fillable)}
    if product.extras:
        files.update({f"{stem}{suffix}": data for suffix, data in product.extras(context, options).items()})
    return files


def render_pdf(product: Product, material: Material, options: Options, *, roots: list[Path], template_dirs=(), sandboxed=False) -> bytes:
    files = render_product(product, material, options, roots=roots, template_dirs=template_dirs, sandboxed=sandboxed)
    return files[f"{material.type.id}-{product.name}.pdf"]


from .forms import FORM_PRODUCTS  # noqa: E402

PRODUCTS.update(FORM_PRODUCTS)

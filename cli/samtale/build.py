"""The build: for each conversation type and product asked for, resolve, render and write one PDF."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from .catalogue import Loaded
from .errors import SamtaleError
from .products import PRODUCTS, Options, render_pdf, render_product
from .render import write_atomic
from .resolve import Material, conversation_type, resolve


def output_path(out: Path, material: Material, product: str) -> Path:
    return Path(out) / material.catalogue_id / material.workplace_slug / f"{material.type.id}-{product}.pdf"


def plan(loaded: Loaded, types: Sequence[str], products: Sequence[str]) -> list[tuple[str, str]]:
    """The (type, product) pairs to render: all the catalogue has, or those asked for."""
    cat = loaded.catalogue
    for t in types:
        conversation_type(loaded, t)  # an unknown type is an error, whatever else is asked
    for p in products:
        if p not in PRODUCTS:
            raise SamtaleError(f"'{p}' is not a product samtale can print; use one of: {', '.join(PRODUCTS)}")
    pairs = []
    for t in cat.conversation_types:
        if types and t.id not in types:
            continue
        for p in t.products:
            if p in PRODUCTS and (not products or p in products):
                pairs.append((t.id, p))
    if products and not pairs:
        raise SamtaleError(f"none of the chosen conversation types has the product {', '.join(products)} in {loaded.path.name}")
    return pairs


def render_document(loaded: Loaded, type_id: str, product: str, options: Options, out: Path) -> Path:
    material = resolve(loaded, type_id)
    path = output_path(out, material, product)
    data = render_pdf(PRODUCTS[product], material, options, roots=[loaded.folder])
    write_atomic(path, data)
    return path


def render_files(
    material: Material, product: str, options: Options, *, roots: Sequence[Path], template_dirs: Sequence[Path] = (),
) -> dict[str, bytes]:
    """One document's files by name (the PDF, and any files a product writes beside it), not yet written.

    A workplace's own templates are rendered in Jinja's sandbox: they come from outside the project.
    """
    return render_product(PRODUCTS[product], material, options, roots=list(roots), template_dirs=tuple(template_dirs),
                          sandboxed=bool(template_dirs))


def render_all(loaded: Loaded, types: Sequence[str], products: Sequence[str], options: Options, out: Path) -> Iterator[Path]:
    for type_id, product in plan(loaded, types, products):
        yield render_document(loaded, type_id, product, options, out)

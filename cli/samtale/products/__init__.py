"""The printed products: one module each, and this registry, the one place their names are listed.

Each product owns its page geometry, the context its template draws and the rules
its text must keep (`fit`); `check` runs those rules over a catalogue, or over a
catalogue as a workplace's overlay changes it, and places every problem at the
line where the text was written.
"""

from __future__ import annotations

from pathlib import Path

from ..core.errors import Problem, SamtaleError
from ..material import place, resolve
from ..source import overlay, yamlio
from ..source.catalogue import Loaded
from ..source.overlay import Workplace
from . import aftaleark, forms, puslespil, skema
from .base import Misfit, Options, Product

__all__ = ["FILLABLE", "PRODUCTS", "Misfit", "Options", "Product", "check", "file_stem", "get", "load_workplace"]

PRODUCTS: dict[str, Product] = {
    p.name: p for p in (skema.PRODUCT, aftaleark.PRODUCT, puslespil.PRODUCT, *forms.PRODUCTS)
}


# The fillable variant's file name ends so, beside the printable sheet's (a Danish name, as the products' are).
FILLABLE = "udfyldelig"


def file_stem(type_id: str, product: str, options: Options) -> str:
    """A document's file name without its ending: 'mus-aftaleark', or 'mus-aftaleark-udfyldelig' for the
    sheet filled in on screen, so that one never replaces the other."""
    stem = f"{type_id}-{product}"
    return f"{stem}-{FILLABLE}" if options.fillable and PRODUCTS[product].fillable else stem


def get(name: str) -> Product:
    try:
        return PRODUCTS[name]
    except KeyError:
        raise SamtaleError(f"'{name}' is not a product samtale can print; use one of: {', '.join(PRODUCTS)}") from None


def check(loaded: Loaded, workplace: Workplace | None = None) -> list[Problem]:
    """What the products ask of the catalogue, and whether every text fits its space (with `workplace` applied)."""
    if workplace is None:
        problems = [loaded.problem(loc, message) for loc, message in _catalogue_rules(loaded)]
        if problems:
            return problems  # the fit rules need every product known and complete
    else:
        problems = []
    for t in loaded.catalogue.conversation_types:
        material = resolve(loaded, t.id, workplace)
        for name in t.products:
            for misfit in PRODUCTS[name].fit(material):
                problem = place(material, misfit.key, misfit.message, loaded, workplace)
                if problem not in problems:  # the same keyword is too long in every type
                    problems.append(problem)
    return sorted(problems, key=lambda p: (p.line or 0, p.column or 0))


def load_workplace(loaded: Loaded, path: Path) -> Workplace:
    """A workplace's overlay read, checked and with every text fitting its space, or one error listing every problem."""
    wp = overlay.load(loaded, path)
    problems = check(loaded, wp)
    if problems:
        raise SamtaleError(problems)
    return wp


def _catalogue_rules(loaded: Loaded) -> list[tuple[yamlio.Loc, str]]:
    cat = loaded.catalogue
    found: list[tuple[yamlio.Loc, str]] = []
    used: list[Product] = []
    for i, t in enumerate(cat.conversation_types):
        for name in t.products:
            product = PRODUCTS.get(name)
            if product is None:
                found.append((("conversation_types", i, "products", name),
                              f"'{name}' is not a product samtale can print; use one of: {', '.join(PRODUCTS)}"))
                continue
            if product not in used:
                used.append(product)
            if product.guidance and name not in t.guidance:
                found.append((("conversation_types", i, "guidance"), f"no guidance for the product '{name}'; add 'guidance: {name}: ...'"))
            if product.agreement_sheet and cat.agreement_sheet is None:
                found.append((("conversation_types", i, "products", name),
                              f"the product '{name}' prints the agreement blocks; add an 'agreement_sheet:' section to the catalogue"))
    for product in used:
        found += product.rules(cat)
    return found

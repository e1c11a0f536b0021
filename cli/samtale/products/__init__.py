"""The printed products: one module each, and this registry, the one place their names are listed.

Each product owns its page geometry, the context its template draws and the rules
its text must keep (`fit`); `check` runs those rules over a catalogue, or over a
catalogue as a workplace's overlay changes it, and places every problem at the
line where the text was written.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..core.errors import Problem, SamtaleError
from ..core.i18n import _
from ..material import place, resolve
from ..source import overlay, yamlio
from ..source.catalogue import Loaded
from ..source.languages import DANISH
from ..source.overlay import Workplace
from . import aftaleark, forms, puslespil, skema
from .base import MACHINES, TARGETS, Misfit, Options, Product, Target

__all__ = ["FILLABLE", "PRODUCTS", "TARGETS", "Misfit", "Options", "Product", "Target", "check", "file_stem", "get", "load_workplace",
           "options_problem", "supporting"]

PRODUCTS: dict[str, Product] = {
    p.name: p for p in (skema.PRODUCT, aftaleark.PRODUCT, puslespil.PRODUCT, *forms.PRODUCTS)
}


# The fillable variant's file name ends so, beside the printable sheet's (a Danish name, as the products' are).
FILLABLE = "udfyldelig"
# What a file made for a print shop or a cutting machine adds to its name; the office printer's adds nothing.
TARGET_SUFFIX = {"office": "", "print-shop": "trykkeri", "laser": "laser", "silhouette": "silhouette", "cricut": "cricut"}


def file_stem(type_id: str, product: str, options: Options, lang: str = DANISH) -> str:
    """A document's file name without its ending: 'mus-aftaleark', 'mus-aftaleark-udfyldelig' for the sheet filled
    in on screen, 'mus-puslespil-trykkeri' for a print shop, 'mus-skema-en' in English, so that no one replaces
    another."""
    stem = f"{type_id}-{product}"
    if options.fillable and PRODUCTS[product].fillable:
        stem = f"{stem}-{FILLABLE}"
    if TARGET_SUFFIX[options.target]:
        stem = f"{stem}-{TARGET_SUFFIX[options.target]}"
    return stem if lang == DANISH else f"{stem}-{lang}"


def options_problem(names: Sequence[str], options: Options) -> str | None:
    """Why these options cannot make these products (one sentence for the command line), or None."""
    target = options.target
    for name in names:
        if target not in get(name).targets:
            return _("the {product} cannot be made --for {target}; it can be made for: {targets}").format(product=name, target=target, targets=', '.join(get(name).targets))
    if target == "office":
        return None
    if options.fillable:
        return _("a fillable sheet is for the screen, not --for {target}; leave out --fillable").format(target=target)
    if options.cut_svg:
        return _("--for {target} writes its own cut lines; leave out --cut-svg").format(target=target)
    if target in MACHINES and options.backs:
        return _("a {target} cuts one side only; leave out --backs").format(target=target)
    if target in MACHINES and options.paper != "a4":
        return _("--for {target} lays the pieces out for the machine on A4 (or its own image size); leave out --paper").format(target=target)
    return None


def supporting(target: Target) -> list[str]:
    """The products that can be made for `target`."""
    return [name for name, product in PRODUCTS.items() if target in product.targets]


def get(name: str) -> Product:
    try:
        return PRODUCTS[name]
    except KeyError:
        raise SamtaleError(_("'{name}' is not a product samtale can print; use one of: {products}").format(name=name, products=", ".join(PRODUCTS))) from None


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
                              _("'{name}' is not a product samtale can print; use one of: {products}").format(name=name, products=", ".join(PRODUCTS))))
                continue
            if product not in used:
                used.append(product)
            if product.guidance and name not in t.guidance:
                found.append((("conversation_types", i, "guidance"), _("no guidance for the product '{name}'; add 'guidance: {name}: ...'").format(name=name)))
            if product.agreement_sheet and cat.agreement_sheet is None:
                found.append((("conversation_types", i, "products", name),
                              _("the product '{name}' prints the agreement blocks; add an 'agreement_sheet:' section to the catalogue").format(name=name)))
    for product in used:
        found += product.rules(cat)
    return found

"""The form products: a preparation sheet, and agreement forms whose columns the catalogue names.

Which forms a conversation type has, and every heading, column and text on them, come
from the catalogue (`products:` of the conversation type); this module only lays them
out and names their form fields, which `samtale plan import` reads back.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..core.i18n import _
from ..geometry import textfit
from ..geometry.paper import paper
from ..material import Material
from ..source import yamlio
from ..source.models import BulletList, Catalogue, ProductSpec
from ..source.overlay import STANDARD
from .base import TYPE, Context, Options, Page, Product, columns, common, page

# How wide each part of an agreement is, relative to the others: dates are short, activities long.
COLUMN_WEIGHT = {"what": 1.3, "aim": 1.3, "activities": 1.5, "deadline": 0.85, "responsible": 1.0, "follow_up": 0.9}
# Form field names per part of an agreement, in the words of the form's reader; `plan import` reads them back.
FIELD_NAMES = {
    "what": "hvad", "aim": "maal", "activities": "aktiviteter",
    "deadline": "tidsfrist", "responsible": "ansvarlig", "follow_up": "opfoelgning",
}
FRONT_SLACK = 1.0  # the front stops a hair short of the page, so it never spills onto a page of its own
NUMBER_COLUMN = 8.0  # mm, the agreement's number
INTRO_PT = 9.5
HEADING_PT = 8.5  # the agreement table's column headings


def header_fields(material: Material, spec: ProductSpec) -> list[dict[str, str]]:
    """The fields at the top of a form: one per role, then the workplace and the date."""
    roles = spec.participants or material.type.participants
    fields = [{"label": role, "name": f"deltager_{i}", "value": ""} for i, role in enumerate(roles, 1)]
    workplace = "" if material.workplace_slug == STANDARD else material.workplace
    fields.append({"label": material.labels.workplace, "name": "arbejdsplads", "value": workplace})
    fields.append({"label": material.labels.date, "name": "dato", "value": ""})
    return fields


def _form(material: Material, product: str, options: Options, landscape: bool) -> Context:
    spec = material.type.products[product]
    pg = page(paper("a4", landscape=landscape))
    guidance = material.type.guidance.get(product)
    return {
        **common(material, product, options),
        "spec": spec,
        "page": pg,
        "front_height": pg.height - FRONT_SLACK,
        "fields": header_fields(material, spec),
        "fillable": options.fillable,
        "guidance": guidance,
        "flow": columns(guidance, pg) if guidance else None,
    }


def preparation(material: Material, options: Options) -> Context:
    """The preparation sheet: the type's questions, each with room for the reader's own notes."""
    questions = [
        {"number": n, "text": q.text, "field": f"forberedelse_{n}"}
        for n, q in enumerate(material.questions, 1)
    ]
    return {**_form(material, "forberedelse", options, landscape=False), "questions": questions}


def agreement_form(product: str) -> Callable[[Material, Options], Context]:
    """An agreement form: the catalogue's columns over empty rows, and signature lines if it names any."""

    def context(material: Material, options: Options) -> Context:
        form = _form(material, product, options, landscape=True)
        spec = form["spec"]
        width = form["page"].width - NUMBER_COLUMN
        total = sum(COLUMN_WEIGHT[c.holds] for c in spec.columns)
        columns = [
            {"heading": c.heading, "holds": c.holds, "width": width * COLUMN_WEIGHT[c.holds] / total, "field": FIELD_NAMES[c.holds]}
            for c in spec.columns
        ]
        row = _row_height(spec, form["page"], form["front_height"], columns)
        return {**form, "columns": columns, "rows": list(range(1, spec.rows + 1)), "number_width": NUMBER_COLUMN,
                "row_height": row}

    return context


def _row_height(spec: ProductSpec, pg: Page, front: float, columns: list[dict[str, Any]]) -> float:
    """The agreement rows share what the front has left below the title, intro, fields, headings and signatures."""
    def mm(lines: int, size: float, line: float) -> float:
        return lines * size * line / textfit.PT_PER_MM

    used = mm(len(textfit.lines(spec.title, pg.width, TYPE["title"], "Bold")), TYPE["title"], 1.15)
    for para in spec.intro:
        texts = para.items if isinstance(para, BulletList) else [para]
        used += sum(mm(len(textfit.lines(t, min(pg.width, 230.0) - 5, INTRO_PT)), INTRO_PT, 1.3) for t in texts)
    used += 1.5 + 4 + 10 + 5  # the intro's, fields' and table's spacing and the fields' height
    heading = max(len(textfit.lines(c["heading"], c["width"] - 4, HEADING_PT, "Bold")) for c in columns)
    used += mm(heading, HEADING_PT, 1.2) + 3
    if spec.signatures:
        used += 12 + 6
    return max(12.0, (front - used - 4.0) / spec.rows)  # 4 mm for borders and rounding


def needs_columns(product: str) -> Callable[[Catalogue], list[tuple[yamlio.Loc, str]]]:
    """An agreement form without columns has nothing to fill in."""

    def rules(catalogue: Catalogue) -> list[tuple[yamlio.Loc, str]]:
        return [
            (("conversation_types", i, "products", product),
             _("the product '{product}' has no columns; add 'columns:' with a heading and what each holds").format(product=product))
            for i, t in enumerate(catalogue.conversation_types)
            if product in t.products and not t.products[product].columns
        ]

    return rules


PRODUCTS = (
    Product("forberedelse", "forberedelse.html.j2", preparation, fillable=True),
    Product("opsamling", "aftaleform.html.j2", agreement_form("opsamling"), rules=needs_columns("opsamling"), fillable=True),
    Product("kompetenceplan", "aftaleform.html.j2", agreement_form("kompetenceplan"), rules=needs_columns("kompetenceplan"), fillable=True),
)

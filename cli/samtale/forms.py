"""The form products: a preparation sheet, and agreement forms whose columns the catalogue names.

Which forms a conversation type has, and every heading, column and text on them,
come from the catalogue (`products:` of the conversation type); this module only
lays them out and names their form fields. `products.PRODUCTS` includes them.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from . import layout
from .render import EPOCH_ISO

# How wide each part of an agreement is, relative to the others: dates are short, activities long.
COLUMN_WEIGHT = {"what": 1.3, "aim": 1.3, "activities": 1.5, "deadline": 0.85, "responsible": 1.0, "follow_up": 0.9}
# Form field names per part of an agreement, in the words of the form's reader; `plan import` reads them back.
FIELD_NAMES = {
    "what": "hvad", "aim": "maal", "activities": "aktiviteter",
    "deadline": "tidsfrist", "responsible": "ansvarlig", "follow_up": "opfoelgning",
}
MARGIN = 12.0  # mm, all sides but the bottom, which holds the footer
NUMBER_COLUMN = 8.0  # mm, the agreement's number


def header_fields(material, spec) -> list[dict[str, str]]:
    """The fields at the top of a form: one per role, then the workplace and the date."""
    roles = spec.participants or material.type.participants
    fields = [{"label": role, "name": f"deltager_{i}", "value": ""} for i, role in enumerate(roles, 1)]
    workplace = "" if material.workplace_slug == "standard" else material.workplace
    fields.append({"label": material.labels.workplace, "name": "arbejdsplads", "value": workplace})
    fields.append({"label": material.labels.date, "name": "dato", "value": ""})
    return fields


def _common(material, product: str, options, landscape: bool) -> dict[str, Any]:
    from .products import guidance_size

    spec = material.type.products[product]
    sheet = layout.paper("a4", landscape=landscape)
    guidance = material.type.guidance.get(product)
    inner_w, inner_h = sheet.width - 2 * MARGIN, sheet.height - MARGIN - 10 - 10
    columns = 3 if landscape else 2
    return {
        "m": material,
        "labels": material.labels,
        "title": spec.title,
        "created": EPOCH_ISO,
        "spec": spec,
        "sheet": sheet,
        "margin": MARGIN,
        "fields": header_fields(material, spec),
        "fillable": options.fillable,
        "guidance": guidance,
        "guidance_columns": columns,
        "guidance_pt": guidance_size(guidance, (inner_w - (columns - 1) * 8) / columns, inner_h, columns, 10.5, 8.0) if guidance else 0,
    }


def build_preparation(material, options) -> dict[str, Any]:
    """The preparation sheet: the type's questions, each with room for the reader's own notes."""
    context = _common(material, "forberedelse", options, landscape=False)
    questions = [
        {"number": n, "text": q.text, "field": f"forberedelse_{n}"}
        for n, q in enumerate(material.questions, 1)
    ]
    return {**context, "questions": questions}


def build_agreement_form(product: str):
    """An agreement form: the catalogue's columns over empty rows, and signature lines if it names any."""

    def build(material, options) -> dict[str, Any]:
        context = _common(material, product, options, landscape=True)
        spec = context["spec"]
        if not spec.columns:
            from .errors import SamtaleError

            raise SamtaleError(f"the product '{product}' of '{material.type.id}' has no columns; add 'columns:' with a heading and what each holds")
        width = context["sheet"].width - 2 * MARGIN - NUMBER_COLUMN
        total = sum(COLUMN_WEIGHT[c.holds] for c in spec.columns)
        columns = [
            {"heading": c.heading, "holds": c.holds, "width": width * COLUMN_WEIGHT[c.holds] / total, "field": FIELD_NAMES[c.holds]}
            for c in spec.columns
        ]
        return {**context, "columns": columns, "rows": list(range(1, spec.rows + 1)), "number_width": NUMBER_COLUMN}

    return build


def __getattr__(name: str):
    # products.py imports FORM_PRODUCTS at its end, and the Product class lives there: built
    # on first use, so importing either module first works.
    if name == "FORM_PRODUCTS":
        return _form_products()
    raise AttributeError(name)


@cache
def _form_products() -> dict:
    from .products import Product

    return {
        "forberedelse": Product("forberedelse", "forberedelse.html.j2", build_preparation),
        "opsamling": Product("opsamling", "aftaleform.html.j2", build_agreement_form("opsamling")),
        "kompetenceplan": Product("kompetenceplan", "aftaleform.html.j2", build_agreement_form("kompetenceplan")),
    }

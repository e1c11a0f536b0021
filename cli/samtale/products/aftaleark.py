"""The note and agreement sheet: the development plan to fill in by hand (or on screen); guidance on the back."""

from __future__ import annotations

from ..core.i18n import _
from ..geometry import textfit
from ..geometry.paper import paper
from ..material import Material
from .base import TYPE, Context, Misfit, Options, Product, columns, common, page

FRONT_SLACK = 1.0  # the front stops a hair short of the page, so it never spills onto a page of its own
FIELD_GAP = 5.0  # between the fields at the top
LETTER_SPACING = 0.04  # the field labels' tracking, in ems


def fields(material: Material) -> list[dict[str, object]]:
    """The fields at the top: one per role (a group's names get a wide field), then the workplace and the date."""
    found: list[dict[str, object]] = [
        {"label": role, "name": f"deltager_{i}", "wide": role == material.group, "origin": f"participant:{i - 1}"}
        for i, role in enumerate(material.type.participants, 1)
    ]
    found.append({"label": material.labels.workplace, "name": "arbejdsplads", "wide": False, "origin": "label:workplace"})
    found.append({"label": material.labels.date, "name": "dato", "wide": False, "origin": "label:date"})
    return found


def field_widths(found: list[dict[str, object]], width: float) -> list[float]:
    """Each field's width (mm) across `width`: a wide field counts twice."""
    shares = [2 if f["wide"] else 1 for f in found]
    unit = (width - FIELD_GAP * (len(shares) - 1)) / sum(shares)
    return [unit * share + FIELD_GAP * (share - 1) for share in shares]


def context(material: Material, options: Options) -> Context:
    pg = page(paper("a4", landscape=False))
    guidance = material.guidance("aftaleark")
    found = fields(material)
    return {
        **common(material, "aftaleark", options),
        "page": pg,
        "front_height": pg.height - FRONT_SLACK,
        "fields": found,
        "field_columns": " ".join(f"{w:.2f}fr" for w in field_widths(found, pg.width)),
        "guidance": guidance,
        "flow": columns(guidance, pg),
        "fillable": options.fillable,
    }


def fit(material: Material) -> list[Misfit]:
    """The title in two lines, each field's name on its field, the prompts in their block."""
    found = []
    width = page(paper("a4", landscape=False)).width
    if len(textfit.lines(material.title("aftaleark"), width, TYPE["title"], "Bold")) > 2:
        found.append(Misfit("title:aftaleark", _("the note sheet's title takes more than two lines; shorten it")))
    shown = fields(material)
    for field, room in zip(shown, field_widths(shown, width)):
        label = str(field["label"]).upper()
        needed = textfit.one_line_width_mm(label, TYPE["label"]) * (1 + LETTER_SPACING * 1.6)
        if needed > room:
            found.append(Misfit(str(field["origin"]), _("the field name '{label}' is too long for its field on the note sheet; shorten it").format(label=field["label"])))
    return found


PRODUCT = Product("aftaleark", "aftaleark.html.j2", context, fit=fit, guidance=True, agreement_sheet=True, fillable=True)

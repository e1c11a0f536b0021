"""The note and agreement sheet: the development plan to fill in by hand (or on screen); guidance on the back."""

from __future__ import annotations

from ..geometry.paper import paper
from ..material import Material
from .base import Context, Options, Page, Product, common, guidance_size

MARGIN = (12.0, 12.0, 10.0)  # top, sides, bottom
FRONT_SLACK = 3.0  # the front stops a hair short of the page, so it never spills onto a page of its own
GUIDANCE_COLUMNS = 2
GUIDANCE_GAP = 8.0
GUIDANCE_TITLE = 12.0  # the guidance's title and subtitle run across both columns
GUIDANCE_PT = (10.5, 8.5)


def context(material: Material, options: Options) -> Context:
    page = Page(paper("a4", landscape=False), *MARGIN)
    guidance = material.guidance("aftaleark")
    return {
        **common(material, "aftaleark"),
        "page": page,
        "front_height": page.height - FRONT_SLACK,
        "guidance": guidance,
        "guidance_columns": GUIDANCE_COLUMNS,
        "guidance_gap": GUIDANCE_GAP,
        "guidance_pt": guidance_size(guidance, page.column_width(GUIDANCE_COLUMNS, GUIDANCE_GAP),
                                     page.height - GUIDANCE_TITLE, GUIDANCE_COLUMNS, *GUIDANCE_PT),
        "fillable": options.fillable,
    }


PRODUCT = Product("aftaleark", "aftaleark.html.j2", context, guidance=True, agreement_sheet=True, fillable=True)

"""The skema: one sheet with the table of perspectives, questions, keywords, notes and agreements; guidance on the back.

Its geometry is worked out here, in millimetres, and handed to the template as values;
the same numbers decide whether a text fits, so `validate` and the page never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ..geometry import textfit
from ..geometry.paper import Paper, paper
from ..material import Material
from .base import Context, Misfit, Options, Product, common, guidance_size, qr_data_uri

# The skema on A4 landscape; A3 is the same sheet scaled up.
MARGIN = 10.0
HEADER = 11.0
TABLE_HEAD = 8.0
FOOTER = 20.0
GAP = 2.0
COLUMNS = (22.0, 84.0, 34.0, 62.0, 75.0)  # Perspektiver, Spørgsmål, Stikord, Noter, Aftaler
PAD = 2.2
QUESTION_GAP = 2.4
QUESTION_PT = (9.5, 7.5)  # largest and smallest size of the questions
KEYWORD_PT = 8.0
GUIDANCE_COLUMNS = 3
GUIDANCE_GAP = 8.0
GUIDANCE_PT = (10.5, 8.0)


@dataclass(frozen=True)
class SchemaLayout:
    paper: Paper
    margin: float
    header: float
    table_head: float
    row: float
    footer: float
    columns: tuple[float, ...]
    pad: float
    question_gap: float
    keyword_pt: float
    keyword_line: float
    question_pt: dict[str, float]  # per perspective id: the size its questions are set in
    scale: float


def row_height(rows: int = 3) -> float:
    """The height of one perspective's row on A4."""
    inner = 210.0 - 2 * MARGIN
    slack = 1.0  # borders and rounding; a row too tall would push the links onto a page of their own
    return (inner - HEADER - TABLE_HEAD - FOOTER - GAP - slack) / rows


@lru_cache(maxsize=1024)  # every workplace of a batch checks mostly the same rows
def question_size(questions: tuple[str, ...], rows: int) -> float | None:
    """The largest size at which one row's questions fit their cell on A4, or None."""
    width = COLUMNS[1] - 2 * PAD
    height = row_height(rows) - 2 * PAD - QUESTION_GAP * (len(questions) - 1)
    largest, smallest = QUESTION_PT
    size = largest
    while size >= smallest - 1e-9:
        needed = sum(len(textfit.lines(q, width, size)) for q in questions) * size * textfit.LINE_HEIGHT
        if needed <= height * textfit.PT_PER_MM:
            return size
        size -= 0.25
    return None


KEYWORD_LINE = 1.25  # the keyword column's line height, in ems


def keyword_fits(keyword: str) -> bool:
    return textfit.one_line_width_mm(keyword, KEYWORD_PT) <= COLUMNS[2] - 2 * PAD


def keyword_room(rows: int) -> int:
    """How many keywords, one a line, the keyword column holds beside one perspective."""
    return int((row_height(rows) - 2 * PAD) * textfit.PT_PER_MM // (KEYWORD_PT * KEYWORD_LINE))


def layout(sheet: Paper, material: Material) -> SchemaLayout:
    s = sheet.scale
    rows = len(material.perspectives)
    sizes = {p.id: (question_size(tuple(q.text for q in p.questions), rows) or QUESTION_PT[1]) * s
             for p in material.perspectives}
    return SchemaLayout(
        paper=sheet,
        margin=MARGIN * s,
        header=HEADER * s,
        table_head=TABLE_HEAD * s,
        row=row_height(rows) * s,
        footer=FOOTER * s,
        columns=tuple(c * s for c in COLUMNS),
        pad=PAD * s,
        question_gap=QUESTION_GAP * s,
        keyword_pt=KEYWORD_PT * s,
        keyword_line=KEYWORD_LINE,
        question_pt=sizes,
        scale=s,
    )


def context(material: Material, options: Options) -> Context:
    sheet = paper(options.paper, landscape=True)
    g = layout(sheet, material)
    guidance = material.guidance("skema")
    inner_w = sheet.width - 2 * g.margin
    inner_h = sheet.height - 2 * g.margin - 8 * g.scale
    column_w = (inner_w - (GUIDANCE_COLUMNS - 1) * GUIDANCE_GAP * g.scale) / GUIDANCE_COLUMNS
    return {
        **common(material, "skema"),
        "sheet": sheet,
        "g": g,
        "guidance": guidance,
        "guidance_columns": GUIDANCE_COLUMNS,
        "guidance_gap": GUIDANCE_GAP * g.scale,
        "guidance_pt": guidance_size(guidance, column_w / g.scale, inner_h / g.scale, GUIDANCE_COLUMNS, *GUIDANCE_PT) * g.scale,
        "qr": {link.id: qr_data_uri(link.url) for link in material.links},
        "numbers": {q.id: n for n, q in enumerate(material.questions, 1)},
    }


def fit(material: Material) -> list[Misfit]:
    """Keywords must fit their column, one a line; each row's questions their cell at the smallest size."""
    found = []
    rows = len(material.perspectives)
    room = keyword_room(rows)
    for p in material.perspectives:
        for j, keyword in enumerate(p.keywords):
            if not keyword_fits(keyword):
                found.append(Misfit(f"keyword:{p.id}:{j}", f"the keyword '{keyword}' is too long for the skema's keyword column; shorten it"))
        if len(p.keywords) > room:
            found.append(Misfit(f"keyword:{p.id}:{room}",
                                f"the skema has room for {room} keywords beside {p.name}, and this is number {room + 1} of "
                                f"{len(p.keywords)}; leave some out or add fewer"))
        if p.questions and question_size(tuple(q.text for q in p.questions), rows) is None:
            # Blame the workplace's own text when it has any in the row: the catalogue alone fitted.
            own = [q for q in p.questions if material.origins[f"question:{q.id}"].source == "workplace"]
            longest = max(own or p.questions, key=lambda q: len(q.text))
            found.append(Misfit(f"question:{longest.id}",
                                f"the {p.name} questions for {material.type.code} do not fit the skema even at "
                                f"{QUESTION_PT[1]:g} pt; shorten this or another question of the row"))
    return found


PRODUCT = Product("skema", "skema.html.j2", context, fit=fit, guidance=True, agreement_sheet=True)

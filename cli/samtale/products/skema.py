"""The skema: one sheet with the table of perspectives, questions, keywords, notes and agreements; guidance on the back.

Its geometry is worked out here, in millimetres and points on A4 (A3 is the same sheet
scaled), and handed to the template as values; the same numbers decide whether a text
fits, so `validate` and the page never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ..core.i18n import _
from ..geometry import textfit
from ..geometry.paper import Paper, paper
from ..material import Material
from .base import FOOTER_ROOM, MARGIN, Context, Misfit, Options, Page, Product, columns, common, page, qr_data_uri

# The sheet on A4 landscape, inside the house margins: 277 x 184 mm.
HEADER = 12.0  # the title's line
TABLE_HEAD = 8.0
LINKS = 16.0  # the links and their QR codes under the table
GAP = 2.0
COLUMNS = (22.0, 84.0, 34.0, 62.0, 75.0)  # Perspektiver, Spørgsmål, Stikord, Noter, Aftaler
PAD = 2.2
QUESTION_GAP = 2.4
QUESTION_PT = (10.0, 7.5)  # largest and smallest size of the questions
KEYWORD_PT = 8.0
KEYWORD_LINE = 1.25  # the keyword column's line height, in ems
NAME_PT = (11.0, 9.0)  # a perspective's name, as large as its cell allows
TITLE_PT = (16.0, 12.0)
HEADING_PT = (9.0, 7.5)  # the column headings
SEE_BACK_PT = 9.0
PROMPT_PT = 7.5
LINK_PT = 8.5
URL_PT = 7.0
QR = 14.0
NOTE_LINE = 7.0  # the writing lines in the notes column are at least this far apart
TEXT_WIDTH = sum(COLUMNS)


@dataclass(frozen=True)
class SchemaLayout:
    paper: Paper
    margin: float
    header: float
    table_head: float
    row: float
    links: float
    columns: tuple[float, ...]
    pad: float
    question_gap: float
    keyword_pt: float
    keyword_line: float
    note_line: float  # the distance between writing lines, so the last one keeps clear of the row's border
    note_lines: int
    question_pt: dict[str, float]  # per perspective id: the size its questions are set in
    name_pt: dict[str, float]  # per perspective id: the size its name is set in
    title_pt: float
    heading_pt: float
    see_back_pt: float
    prompt_pt: float
    link_pt: float
    url_pt: float
    qr: float
    scale: float


def row_height(rows: int = 3) -> float:
    """The height of one perspective's row on A4."""
    inner = 210.0 - MARGIN - FOOTER_ROOM
    slack = 2.0  # the table's borders and rounding; a row too tall would push the links onto a page of their own
    return (inner - HEADER - TABLE_HEAD - LINKS - GAP - slack) / rows


@lru_cache(maxsize=1024)  # every workplace of a batch checks mostly the same rows
def question_size(questions: tuple[str, ...], rows: int) -> float | None:
    """The largest size at which one row's questions fit their cell on A4, or None."""
    width = COLUMNS[1] - 2 * PAD - 4.0  # less the question's number
    height = row_height(rows) - 2 * PAD - QUESTION_GAP * (len(questions) - 1)
    largest, smallest = QUESTION_PT
    size = largest
    while size >= smallest - 1e-9:
        needed = sum(len(textfit.lines(q, width, size)) for q in questions) * size * textfit.LINE_HEIGHT
        if needed <= height * textfit.PT_PER_MM:
            return size
        size -= 0.25
    return None


def _one_line(text: str, width_mm: float, sizes: tuple[float, float], weight: str = "Bold", step: float = 0.5) -> float | None:
    """The largest size from `sizes` down at which `text` takes one line of `width_mm`, or None."""
    size = sizes[0]
    while size >= sizes[1] - 1e-9:
        if textfit.one_line_width_mm(text, size, weight) <= width_mm:
            return size
        size -= step
    return None


def name_size(name: str) -> float | None:
    """A perspective's name may wrap between words but never within one: the size at which its longest word fits."""
    longest = max(name.split(), key=lambda w: textfit.one_line_width_mm(w, NAME_PT[0], "Bold"))
    return _one_line(longest, COLUMNS[0] - 2 * PAD, NAME_PT)


def title_size(title: str, see_back: str) -> float | None:
    return _one_line(title, TEXT_WIDTH - textfit.one_line_width_mm(see_back, SEE_BACK_PT) - 6.0, TITLE_PT)


def heading_size(material: Material) -> float | None:
    """One size for every column heading, the largest at which each fits its column on one line."""
    labels = material.labels
    headings = [labels.perspectives, labels.questions, labels.keywords, labels.notes]
    sizes = [_one_line(text, width - 2 * PAD, HEADING_PT, step=0.25) for text, width in zip(headings, COLUMNS)]
    plan = f"{labels.agreements}  {labels.development_plan}"
    sizes.append(_one_line(plan, COLUMNS[4] - 2 * PAD - 6.0, HEADING_PT, step=0.25))
    return None if None in sizes else min(s for s in sizes if s is not None)


def keyword_fits(keyword: str) -> bool:
    return textfit.one_line_width_mm(keyword, KEYWORD_PT) <= COLUMNS[2] - 2 * PAD


def keyword_room(rows: int) -> int:
    """How many keywords, one a line, the keyword column holds beside one perspective."""
    return int((row_height(rows) - 2 * PAD) * textfit.PT_PER_MM // (KEYWORD_PT * KEYWORD_LINE))


def link_width(label: str, url: str) -> float:
    """The width a link takes beside its QR code."""
    return QR + 2.5 + max(textfit.one_line_width_mm(label, LINK_PT, "Bold"), textfit.one_line_width_mm(url, URL_PT))


def layout(sheet: Paper, material: Material) -> SchemaLayout:
    s = sheet.scale
    rows = len(material.perspectives)
    row = row_height(rows)
    lines = max(1, int(row // NOTE_LINE) - 1)
    return SchemaLayout(
        paper=sheet,
        margin=MARGIN * s,
        header=HEADER * s,
        table_head=TABLE_HEAD * s,
        row=row * s,
        links=LINKS * s,
        columns=tuple(c * s for c in COLUMNS),
        pad=PAD * s,
        question_gap=QUESTION_GAP * s,
        keyword_pt=KEYWORD_PT * s,
        keyword_line=KEYWORD_LINE,
        note_line=row / (lines + 1) * s,
        note_lines=lines,
        question_pt={p.id: (question_size(tuple(q.text for q in p.questions), rows) or QUESTION_PT[1]) * s
                     for p in material.perspectives},
        name_pt={p.id: (name_size(p.name) or NAME_PT[1]) * s for p in material.perspectives},
        title_pt=(title_size(material.title("skema"), material.labels.see_back) or TITLE_PT[1]) * s,
        heading_pt=(heading_size(material) or HEADING_PT[1]) * s,
        see_back_pt=SEE_BACK_PT * s,
        prompt_pt=PROMPT_PT * s,
        link_pt=LINK_PT * s,
        url_pt=URL_PT * s,
        qr=QR * s,
        scale=s,
    )


def context(material: Material, options: Options) -> Context:
    sheet = paper(options.paper, landscape=True)
    pg: Page = page(sheet)
    guidance = material.guidance("skema")
    return {
        **common(material, "skema", options),
        "clickable": options.target != "print-shop",  # PDF/X allows no link annotation on the printed page
        "page": pg,
        "g": layout(sheet, material),
        "guidance": guidance,
        "flow": columns(guidance, pg),
        "qr": {link.id: qr_data_uri(link.url) for link in material.links},
        "numbers": {q.id: n for n, q in enumerate(material.questions, 1)},
    }


def fit(material: Material) -> list[Misfit]:
    """Every text of the front in its space: names, title, headings, questions, keywords, links."""
    found = []
    rows = len(material.perspectives)
    room = keyword_room(rows)
    labels = material.labels
    if title_size(material.title("skema"), labels.see_back) is None:
        found.append(Misfit("title:skema", _("the skema's title is too long for its line even at {points} pt; shorten it").format(points=f"{TITLE_PT[1]:g}")))
    if heading_size(material) is None:
        found.append(Misfit("labels:", _("a column heading of the skema is too long for its column even at {points} pt; "
                                       "shorten the labels perspectives, questions, keywords, notes, agreements or development_plan").format(points=f"{HEADING_PT[1]:g}")))
    for p in material.perspectives:
        if name_size(p.name) is None:
            found.append(Misfit(f"perspective:{p.id}", _("the name '{name}' is too long for the skema's first column even at "
                                                       "{points} pt; shorten it (a name may wrap between words)").format(name=p.name, points=f"{NAME_PT[1]:g}")))
        for j, keyword in enumerate(p.keywords):
            if not keyword_fits(keyword):
                found.append(Misfit(f"keyword:{p.id}:{j}", _("the keyword '{keyword}' is too long for the skema's keyword column; shorten it").format(keyword=keyword)))
        if len(p.keywords) > room:
            found.append(Misfit(f"keyword:{p.id}:{room}",
                                _("the skema has room for {room} keywords beside {name}, and this is number {number} of "
                                  "{n}; leave some out or add fewer").format(room=room, name=p.name, number=room + 1, n=len(p.keywords))))
        if p.questions and question_size(tuple(q.text for q in p.questions), rows) is None:
            # Blame the workplace's own text when it has any in the row: the catalogue alone fitted.
            own = [q for q in p.questions if material.origins[f"question:{q.id}"].source == "workplace"]
            longest = max(own or p.questions, key=lambda q: len(q.text))
            found.append(Misfit(f"question:{longest.id}",
                                _("the {name} questions for {code} do not fit the skema even at "
                                  "{points} pt; shorten this or another question of the row").format(
                                    name=p.name, code=material.type.code, points=f"{QUESTION_PT[1]:g}")))
    if sum(link_width(link.label, link.url) + 10.0 for link in material.links) > TEXT_WIDTH + 10.0:
        found.append(Misfit("links:", _("the links do not fit side by side under the skema's table; shorten their labels or use fewer")))
    return found


PRODUCT = Product("skema", "skema.html.j2", context, fit=fit, guidance=True, agreement_sheet=True)

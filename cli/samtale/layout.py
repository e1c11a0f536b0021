"""Page geometry of the sheets, in millimetres, and the fitting of text into it.

Templates place things where this module says; the same numbers decide whether
a text fits, so `validate` and the printed page never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from . import textfit
from .models import Catalogue

PAPERS = {"a4": (210.0, 297.0), "a3": (297.0, 420.0)}  # portrait width, height in mm


@dataclass(frozen=True)
class Paper:
    name: str
    width: float
    height: float

    @property
    def css_size(self) -> str:
        return f"{self.width:g}mm {self.height:g}mm"

    @property
    def scale(self) -> float:
        """How much larger than A4 this paper is, side for side."""
        return max(self.width, self.height) / 297.0


def paper(name: str, landscape: bool) -> Paper:
    short, long_ = PAPERS[name]
    return Paper(name, long_, short) if landscape else Paper(name, short, long_)


# The skema on A4 landscape; A3 is the same sheet scaled up.
SCHEMA_MARGIN = 10.0
SCHEMA_HEADER = 11.0
SCHEMA_TABLE_HEAD = 8.0
SCHEMA_FOOTER = 20.0
SCHEMA_GAP = 2.0
SCHEMA_COLUMNS = (22.0, 84.0, 34.0, 62.0, 75.0)  # Perspektiver, Spørgsmål, Stikord, Noter, Aftaler
SCHEMA_PAD = 2.2
SCHEMA_QUESTION_GAP = 2.4
SCHEMA_QUESTION_PT = (9.5, 7.5)  # largest and smallest size of the questions
SCHEMA_KEYWORD_PT = 8.0


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
    question_pt: dict[str, float]  # per perspective id: the size its questions are set in
    scale: float


def schema_row_height() -> float:
    inner = 210.0 - 2 * SCHEMA_MARGIN
    slack = 1.0  # borders and rounding; a row too tall would push the links onto a page of their own
    return (inner - SCHEMA_HEADER - SCHEMA_TABLE_HEAD - SCHEMA_FOOTER - SCHEMA_GAP - slack) / 3


def schema_question_size(questions: list[str], rows: int = 3) -> float | None:
    return _schema_question_size(tuple(questions), rows)


@lru_cache(maxsize=1024)  # every workplace of a batch checks mostly the same rows
def _schema_question_size(questions: tuple[str, ...], rows: int) -> float | None:
    """The largest size at which one row's questions fit their cell on A4, or None."""
    width = SCHEMA_COLUMNS[1] - 2 * SCHEMA_PAD
    height = schema_row_height() * 3 / rows - 2 * SCHEMA_PAD - SCHEMA_QUESTION_GAP * (len(questions) - 1)
    largest, smallest = SCHEMA_QUESTION_PT
    size = largest
    while size >= smallest - 1e-9:
        needed = sum(len(textfit.lines(q, width, size)) for q in questions) * size * textfit.LINE_HEIGHT
        if needed <= height * textfit.PT_PER_MM:
            return size
        size -= 0.25
    return None


def schema_layout(sheet: Paper, questions_by_perspective: dict[str, list[str]]) -> SchemaLayout:
    s = sheet.scale
    sizes = {}
    for pid, texts in questions_by_perspective.items():
        size = schema_question_size(texts, rows=len(questions_by_perspective))
        sizes[pid] = (size or SCHEMA_QUESTION_PT[1]) * s
    return SchemaLayout(
        paper=sheet,
        margin=SCHEMA_MARGIN * s,
        header=SCHEMA_HEADER * s,
        table_head=SCHEMA_TABLE_HEAD * s,
        row=schema_row_height() * s * 3 / len(questions_by_perspective),
        footer=SCHEMA_FOOTER * s,
        columns=tuple(c * s for c in SCHEMA_COLUMNS),
        pad=SCHEMA_PAD * s,
        question_gap=SCHEMA_QUESTION_GAP * s,
        keyword_pt=SCHEMA_KEYWORD_PT * s,
        question_pt=sizes,
        scale=s,
    )


def keyword_fits_schema(keyword: str) -> bool:
    return textfit.one_line_width_mm(keyword, SCHEMA_KEYWORD_PT) <= SCHEMA_COLUMNS[2] - 2 * SCHEMA_PAD


def fit_problems(cat: Catalogue) -> list[tuple[tuple, str]]:
    """Text that cannot fit its space even at the smallest allowed size, placed at the text."""
    found: list[tuple[tuple, str]] = []
    for i, p in enumerate(cat.perspectives):
        for j, keyword in enumerate(p.keywords):
            if not keyword_fits_schema(keyword):
                found.append((("perspectives", i, "keywords", j),
                              f"the keyword '{keyword}' is too long for the skema's keyword column; shorten it"))
        for t in cat.conversation_types:
            indexed = [(k, q) for k, q in enumerate(cat.questions) if q.perspective == p.id and t.id in q.wording]
            texts = [q.wording[t.id] for _, q in indexed]
            if texts and schema_question_size(texts, rows=len(cat.perspectives)) is None:
                longest = max(indexed, key=lambda kq: len(kq[1].wording[t.id]))[0]
                found.append((("questions", longest, "wording", t.id),
                              f"the {p.name} questions for {t.code} do not fit the skema even at "
                              f"{SCHEMA_QUESTION_PT[1]:g} pt; shorten this or another question of the row"))
    from .puzzle import fit_problems as puzzle_fit_problems

    return found + puzzle_fit_problems(cat)

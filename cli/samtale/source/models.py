"""The catalogue's typed shape: what a municipality's YAML file may hold.

Every model forbids unknown keys, so a misspelt key is an error that names it.
Rules that span several parts (unique ids, references, counts, files) live in
`catalogue.check`; what each product needs and whether text fits its space are the
products' own rules (`samtale.products`).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$")]
"""The one id type: of a perspective, question, picture, conversation type, product, workplace or catalogue."""
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Colour = Annotated[str, StringConstraints(pattern=r"^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")]
# The parts of one agreement in a development plan; form columns name the part they hold.
PlanPart = Literal["what", "aim", "activities", "deadline", "responsible", "follow_up"]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Link(Model):
    id: Id
    label: Text
    url: Annotated[str, StringConstraints(pattern=r"^https?://\S+$")]


class Municipality(Model):
    name: Text
    links: list[Link] = []


class Labels(Model):
    """Words printed around the content: column headings, field names, footers."""

    perspectives: Text
    questions: Text
    keywords: Text
    notes: Text
    agreements: Text
    development_plan: Text
    see_back: Text
    workplace: Text
    date: Text
    page: Text
    links: Text
    standard_workplace: Text
    edition: Text  # "udgave": the footer names the catalogue's version with it
    qr_code: Text  # "QR-kode": what a screen reader says of the links' codes


class Perspective(Model):
    id: Id
    name: Text
    colour: Colour
    keywords: list[Text] = []  # "stikord for samtalen"; a municipality without keywords leaves them out


class Question(Model):
    id: Id
    perspective: Id
    wording: dict[Id, Text]


class PicturePiece(Model):
    id: Id
    caption: Text
    image: Text


class AgreementBlock(Model):
    prompts: list[Text] = Field(min_length=1)


class FormColumn(Model):
    """One column of an agreement form: its heading and which part of an agreement it holds."""

    heading: Text
    holds: PlanPart


class AgreementSheet(Model):
    intro: Text
    blocks: list[AgreementBlock] = Field(min_length=1)


class BulletList(Model):
    items: list[Text] = Field(min_length=1)


class GuidanceSection(Model):
    heading: Text | None = None
    level: Literal[2, 3] = 2
    paragraphs: list[Text | BulletList] = []  # empty when the heading only introduces sub-sections


class Guidance(Model):
    title: Text
    subtitle: Text | None = None
    sections: list[GuidanceSection] = Field(min_length=1)


class ProductSpec(Model):
    title: Text
    # The form products (forberedelse, opsamling, kompetenceplan) print these; the others ignore them.
    intro: list[Text | BulletList] = []  # paragraphs under the title
    participants: list[Text] = []  # roles named at the top of the form; default: the conversation type's
    columns: list[FormColumn] = []  # the agreement table, left to right
    rows: int = Field(default=4, ge=1, le=12)  # empty agreement rows to write in
    signatures: list[Text] = []  # a signature line for each of these


class ConversationType(Model):
    id: Id
    code: Text
    name: Text
    participants: list[Text] = Field(min_length=1)
    plan_keeper: Text
    products: dict[Id, ProductSpec] = Field(min_length=1)  # the names samtale.products knows
    guidance: dict[Id, Guidance] = {}


class Rules(Model):
    """A municipality's own rules for its catalogue; absent rules are not checked."""

    questions_per_perspective: int | None = Field(default=None, ge=1)


class PlanLabels(Model):
    """Words printed on the documented development plan and in its calendar file."""

    title: Text
    individual_title: Text
    municipality: Text
    workplace: Text
    conversation_type: Text
    date: Text
    participants: Text
    name: Text
    role: Text
    agreements: Text
    number: Text
    what: Text
    aim: Text
    activities: Text
    deadline: Text
    responsible: Text
    follow_up: Text
    concerns: Text
    notes: Text
    follow_ups: Text
    signatures: Text
    signature: Text
    reminder: Text


class IndividualPlans(Model):
    """After this conversation type, every participant in `role` gets an individual plan.

    `role` is one person's role, in the singular ("Medarbejder"); `group` is how the
    conversation type names them together on its sheets ("Medarbejdere"), read as `role`.
    """

    type: Id
    role: Text
    group: Text | None = None


class PlanSettings(Model):
    labels: PlanLabels
    individual_plans: list[IndividualPlans] = []
    reminder_days: int = Field(default=7, ge=0, le=60)  # the calendar reminds this many days before a follow-up


class PuzzleSheetNames(Model):
    """What each sheet of the puzzle is called in its footer."""

    questions: Text
    pictures: Text
    keywords: Text
    back: Text


class Calibration(Model):
    """The words on the duplex calibration sheet (`samtale calibrate`).

    {flip} stands for the flip the sheet is printed for, {other} for the other one and
    {reach} for how many mm the scales read.
    """

    title: Text
    steps: list[Text] = Field(min_length=1)
    front: Text
    back: Text
    dot: Text = Field(description="Beside the off-centre dot on the front: where it should show on the back.")
    right_flip: Text = Field(description="Beside the ring on the back where the dot shows when the flip is right.")
    wrong_flip: Text = Field(description="Beside the ring where the dot shows when the printer turns the other way.")


class PuzzleSettings(Model):
    """The seed is kept in the catalogue so a reprint cuts the very same pieces."""

    seed: int = 2024
    sheets: PuzzleSheetNames | None = None
    calibration: Calibration | None = None


class Catalogue(Model):
    id: Id
    version: Text
    municipality: Municipality
    labels: Labels
    perspectives: list[Perspective] = Field(min_length=1)
    questions: list[Question] = Field(min_length=1)
    pictures: list[PicturePiece] = []
    agreement_sheet: AgreementSheet | None = None  # needed by the skema and the note sheet only
    conversation_types: list[ConversationType] = Field(min_length=1)
    puzzle: PuzzleSettings = PuzzleSettings()
    rules: Rules = Rules()
    plan: PlanSettings | None = None  # the documented development plan (`samtale plan`)
    # Words of the materials that may break only where written, e.g. med-ar-bej-der; before the dictionary.
    hyphenation: list[Annotated[str, StringConstraints(pattern=r"^[^\W\d_]+(-[^\W\d_]+)+$")]] = []

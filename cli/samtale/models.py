"""The catalogue's typed shape: what a municipality's YAML file may hold.

Every model forbids unknown keys, so a misspelt key is an error that names it.
Rules that span several parts (unique ids, references, counts, files, text
that must fit) live in `catalogue.check`, not here.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$")]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Colour = Annotated[str, StringConstraints(pattern=r"^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")]
ProductName = Literal["skema", "aftaleark", "puslespil"]


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


class Perspective(Model):
    id: Id
    name: Text
    colour: Colour
    keywords: list[Text] = Field(min_length=1)


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


class ConversationType(Model):
    id: Id
    code: Text
    name: Text
    participants: list[Text] = Field(min_length=1)
    plan_keeper: Text
    products: dict[ProductName, ProductSpec] = Field(min_length=1)
    guidance: dict[ProductName, Guidance] = {}


class PuzzleSettings(Model):
    """Kept in the catalogue so a reprint cuts the very same pieces."""

    seed: int = 2024


class Catalogue(Model):
    id: Id
    version: Text
    municipality: Municipality
    labels: Labels
    perspectives: list[Perspective] = Field(min_length=1)
    questions: list[Question] = Field(min_length=1)
    pictures: list[PicturePiece] = []
    agreement_sheet: AgreementSheet
    conversation_types: list[ConversationType] = Field(min_length=1)
    puzzle: PuzzleSettings = PuzzleSettings()

"""One conversation type's material, resolved: the exact words, colours and pictures to print.

Resolving chooses every wording, follows every reference and works out every colour,
for the municipality's standard set or with a workplace's overlay applied. Each text
remembers where it was written (`origins`), so a text that does not fit its space is
reported at the line of the catalogue or overlay that holds it. The fingerprint, a
hash of everything printed, tells which wording a printed sheet carries.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, fields, is_dataclass, replace
from pathlib import Path
from typing import Any, Literal

from .core.colour import WHITE, readable_on, shade_on, tint
from .core.errors import Problem
from .source import yamlio
from .source.catalogue import Loaded
from .source.models import AgreementSheet, ConversationType, Guidance, Labels, Link, PuzzleSettings
from .source.overlay import STANDARD, Workplace


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    perspective: str
    workplace: bool = False  # added by the workplace, not in the municipality's catalogue


@dataclass(frozen=True)
class Perspective:
    id: str
    name: str
    colour: str
    tint: str  # a light shade of the colour, for areas that are written on
    ink: str  # the text colour that reads on the colour itself (white or ink)
    shade: str  # the colour, darkened where needed to read as text on paper
    questions: tuple[Question, ...]
    keywords: tuple[str, ...]
    cmyk: tuple[float, float, float, float] | None = None  # the catalogue's CMYK for the colour (0-1), if it gives one


@dataclass(frozen=True)
class Picture:
    id: str
    caption: str
    image: Path

    PLAIN_SKIP = ("image",)  # templates get pictures as data: URLs, never as files


@dataclass(frozen=True)
class Origin:
    """Where a printed text was written: in the catalogue or the workplace's overlay, and at which key."""

    source: Literal["catalogue", "workplace"]
    loc: yamlio.Loc


@dataclass(frozen=True)
class Material:
    catalogue_id: str
    version: str
    municipality: str
    links: tuple[Link, ...]
    labels: Labels
    type: ConversationType
    perspectives: tuple[Perspective, ...]
    pictures: tuple[Picture, ...]
    agreement_sheet: AgreementSheet | None
    workplace: str  # the workplace's display name, or the label for the standard set
    workplace_slug: str = STANDARD
    group: str | None = None  # the participant that is a group ("Medarbejdere"): their names need room
    logo: Path | None = None
    seed: int = 0
    puzzle: PuzzleSettings = PuzzleSettings()
    hyphenation: tuple[str, ...] = ()  # the catalogue's own word breaks (see geometry.hyphenation)
    lang: str = "da"  # the language the material is printed in
    digest: str = field(default="", compare=False)  # hash of everything printed; see with_fingerprint
    # Where each text came from, by key: "question:<id>", "keyword:<perspective>:<n>", "perspective:<id>",
    # "title:<product>", "label:<name>" (and "labels:" for all), "links:", "workplace:".
    origins: dict[str, Origin] = field(default_factory=dict, compare=False, repr=False)

    PLAIN_EXTRA = ("fingerprint",)  # what templates see besides the fields (see press.plain)
    PLAIN_SKIP = ("logo",)  # given to templates as a data: URL

    @property
    def fingerprint(self) -> str:
        """The short form of the digest printed in every footer."""
        return self.digest[:8]

    @property
    def questions(self) -> tuple[Question, ...]:
        return tuple(q for p in self.perspectives for q in p.questions)

    @property
    def keywords(self) -> tuple[str, ...]:
        return tuple(k for p in self.perspectives for k in p.keywords)

    def guidance(self, product: str) -> Guidance:
        return self.type.guidance[product]

    def title(self, product: str) -> str:
        return self.type.products[product].title


def resolve(loaded: Loaded, type_id: str, workplace: Workplace | None = None) -> Material:
    """The material of one conversation type, as the municipality prints it or as `workplace` changes it."""
    cat = loaded.catalogue
    ctype = loaded.conversation_type(type_id)
    type_index = next(i for i, t in enumerate(cat.conversation_types) if t.id == type_id)
    origins: dict[str, Origin] = {
        "labels:": Origin("catalogue", ("labels",)),
        "links:": Origin("catalogue", ("municipality", "links")),
        "workplace:": Origin("catalogue", ("labels", "standard_workplace")),
        **{f"label:{name}": Origin("catalogue", ("labels", name)) for name in type(cat.labels).model_fields},
        **{f"title:{product}": Origin("catalogue", ("conversation_types", type_index, "products", product, "title"))
           for product in ctype.products},
        **{f"participant:{j}": Origin("catalogue", ("conversation_types", type_index, "participants", j))
           for j in range(len(ctype.participants))},
    }
    perspectives = []
    for i, p in enumerate(cat.perspectives):
        origins[f"perspective:{p.id}"] = Origin("catalogue", ("perspectives", i, "name"))
        questions = []
        for n, q in enumerate(cat.questions):
            if q.perspective == p.id:
                questions.append(Question(q.id, q.wording[type_id], p.id))
                origins[f"question:{q.id}"] = Origin("catalogue", ("questions", n, "wording", type_id))
        for j, _ in enumerate(p.keywords):
            origins[f"keyword:{p.id}:{j}"] = Origin("catalogue", ("perspectives", i, "keywords", j))
        stated = (p.cmyk[0] / 100, p.cmyk[1] / 100, p.cmyk[2] / 100, p.cmyk[3] / 100) if p.cmyk else None
        perspectives.append(Perspective(p.id, p.name, p.colour, tint(p.colour), readable_on(p.colour),
                                        shade_on(p.colour, WHITE), tuple(questions), tuple(p.keywords), stated))
    material = Material(
        catalogue_id=cat.id,
        version=cat.version,
        municipality=cat.municipality.name,
        links=tuple(cat.municipality.links),
        labels=cat.labels,
        type=ctype,
        perspectives=tuple(perspectives),
        pictures=tuple(Picture(p.id, p.caption, loaded.image_path(p.image)) for p in cat.pictures),
        agreement_sheet=cat.agreement_sheet,
        workplace=cat.labels.standard_workplace,
        group=next((r.group for r in cat.plan.individual_plans if r.type == type_id), None) if cat.plan else None,
        seed=cat.puzzle.seed,
        puzzle=cat.puzzle,
        hyphenation=tuple(cat.hyphenation) if loaded.lang == "da" else (),  # the list holds Danish words
        lang=loaded.lang,
        origins=origins,
    )
    if workplace is not None:
        material = apply(material, workplace)
    return with_fingerprint(material)


def apply(material: Material, wp: Workplace) -> Material:
    """The material as this workplace prints it (the fingerprint is stamped afterwards, by resolve)."""
    type_id = material.type.id
    origins = {**material.origins, "workplace:": Origin("workplace", ("name",))}
    left_out = {k.casefold() for k in wp.left_out}
    added_keywords = wp.added_keywords
    perspectives = []
    for p in material.perspectives:
        questions = []
        for q in p.questions:
            wording = wp.reworded.get(q.id, {}).get(type_id)
            if wording is not None:
                q = replace(q, text=wording.text)
                origins[f"question:{q.id}"] = Origin("workplace", wording.loc)
            questions.append(q)
        for added in wp.overlay.add_questions or []:
            wording = wp.added.get(added.id, {}).get(type_id)
            if added.perspective == p.id and wording is not None:
                questions.append(Question(added.id, wording.text, p.id, workplace=True))
                origins[f"question:{added.id}"] = Origin("workplace", wording.loc)
        kept = [(j, k) for j, k in enumerate(p.keywords) if k.casefold() not in left_out]
        keywords = [k for _, k in kept] + list(added_keywords.get(p.id, []))
        for j, _ in enumerate(p.keywords):
            origins.pop(f"keyword:{p.id}:{j}", None)
        for n, (j, _) in enumerate(kept):
            origins[f"keyword:{p.id}:{n}"] = material.origins[f"keyword:{p.id}:{j}"]
        for n, _ in enumerate(added_keywords.get(p.id, []), start=len(kept)):
            origins[f"keyword:{p.id}:{n}"] = Origin("workplace", ("keywords", "add", p.id, n - len(kept)))
        perspectives.append(replace(p, questions=tuple(questions), keywords=tuple(keywords)))
    new_pictures = wp.overlay.pictures or {}
    pictures = tuple(
        Picture(pic.id, new_pictures[pic.id].caption or pic.caption, (wp.folder / new_pictures[pic.id].image).resolve())
        if pic.id in new_pictures else pic
        for pic in material.pictures
    )
    return replace(
        material,
        perspectives=tuple(perspectives),
        pictures=pictures,
        workplace=wp.name,
        workplace_slug=wp.slug,
        logo=(wp.folder / wp.overlay.logo).resolve() if wp.overlay.logo else material.logo,
        origins=origins,
    )


def place(material: Material, key: str, message: str, loaded: Loaded, wp: Workplace | None = None) -> Problem:
    """A problem with the text `key` of `material`, placed where that text was written."""
    origin = material.origins.get(key)
    if origin is None:
        return Problem(message, file=loaded.path)
    document = wp.document if origin.source == "workplace" and wp is not None else loaded.document
    return document.problem(origin.loc, message)


# --- the fingerprint -----------------------------------------------------------------------


def with_fingerprint(material: Material) -> Material:
    """Stamp a hash of everything a template can print, so a sheet tells which wording it carries.

    The full hash also keys the batch's manifest. The slug names the output folder but is
    not printed (only whether this is the standard set), so workplaces with the same
    content share a hash and are rendered once.
    """
    content = {f.name: getattr(material, f.name) for f in fields(material) if f.name not in ("digest", "origins")}
    content["workplace_slug"] = material.workplace_slug == STANDARD
    images = sorted({p.image for p in material.pictures} | ({material.logo} if material.logo else set()), key=lambda i: (i.name, str(i)))
    content["image_bytes"] = [file_digest(i) for i in images]
    blob = json.dumps(content, sort_keys=True, default=_plain, ensure_ascii=False)
    return replace(material, digest=hashlib.sha256(blob.encode()).hexdigest())


_dumped: dict[int, tuple[Any, Any]] = {}


def _plain(value: Any) -> Any:
    """JSON for what json cannot write itself; catalogue models are shared by every material, so dump each once."""
    if is_dataclass(value) and not isinstance(value, type):
        # A field left unset (None) is not hashed: an optional field added later keeps every fingerprint printed so far.
        return {f.name: v for f in fields(value) if f.name != "origins" and (v := getattr(value, f.name)) is not None}
    if hasattr(value, "model_dump"):
        if id(value) not in _dumped:
            _dumped[id(value)] = (value, value.model_dump(mode="json"))  # keep the model, so its id stays unique
        return _dumped[id(value)][1]
    if isinstance(value, Path):  # a picture or logo: its bytes are hashed apart, so the same files print the same
        return value.name        # fingerprint wherever the catalogue lies (another PC, another folder)
    return str(value)


_file_digests: dict[tuple[str, int, int], str] = {}


def file_digest(path: Path) -> str:
    """A file's content hash, remembered while its size and modification time stay the same."""
    st = path.stat()
    mark = (str(path), st.st_size, st.st_mtime_ns)
    if mark not in _file_digests:
        _file_digests[mark] = hashlib.sha256(path.read_bytes()).hexdigest()
    return _file_digests[mark]


# --- what a workplace changes --------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """One line of a diff: a question (or keyword, picture, logo, template) as standard and as the workplace has it.

    Questions change per conversation type; the rest changes every type alike and has no type (`type_id` "").
    """

    type_id: str
    number: int  # the question's number on the skema; 0 for the rest
    perspective: str
    id: str  # the question's, picture's or template file's; empty for a keyword or the logo
    standard: str | None
    workplace: str | None
    kind: Literal["question", "keyword", "picture", "logo", "template"] = "question"


def diff(loaded: Loaded, wp: Workplace) -> list[Change]:
    """Everything the workplace changes: the questions per conversation type, then its keywords, pictures, logo
    and templates, which are the same in every type."""
    changes: list[Change] = []
    first = None
    for t in loaded.catalogue.conversation_types:
        standard = resolve(loaded, t.id)
        mine = resolve(loaded, t.id, wp)
        first = first or (standard, mine)
        before = {q.id: q.text for q in standard.questions}
        names = {p.id: p.name for p in mine.perspectives}
        for number, q in enumerate(mine.questions, start=1):
            if before.get(q.id) != q.text:
                changes.append(Change(t.id, number, names[q.perspective], q.id, before.get(q.id), q.text))
    if first is None:
        return changes
    standard, mine = first
    for p_old, p_new in zip(standard.perspectives, mine.perspectives):
        changes += [Change("", 0, p_old.name, "", k, None, "keyword") for k in p_old.keywords if k not in p_new.keywords]
        changes += [Change("", 0, p_new.name, "", None, k, "keyword") for k in p_new.keywords if k not in p_old.keywords]
    for old, new in zip(standard.pictures, mine.pictures):
        if old != new:
            changes.append(Change("", 0, "", old.id, f"{old.caption} ({old.image.name})", f"{new.caption} ({new.image.name})", "picture"))
    if mine.logo != standard.logo:
        changes.append(Change("", 0, "", "", standard.logo.name if standard.logo else None, mine.logo.name if mine.logo else None, "logo"))
    for folder in wp.template_dirs:
        for file in sorted(folder.iterdir()) if folder.is_dir() else []:
            if not file.name.startswith("."):
                changes.append(Change("", 0, "", file.name, None, f"{folder.name}/{file.name}", "template"))
    return changes

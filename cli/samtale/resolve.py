"""One conversation type's material, resolved: the exact words, colours and pictures to print.

Templates see only this: every wording chosen, every reference followed, every
colour worked out. A workplace overlay changes what is resolved, never the templates.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, fields, is_dataclass, replace
from pathlib import Path
from typing import Any
from typing import TYPE_CHECKING

from .catalogue import Loaded
from .errors import SamtaleError
from .models import AgreementSheet, ConversationType, Guidance, Labels, Link, PuzzleSettings

if TYPE_CHECKING:
    from .overlay import Workplace


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
    questions: tuple[Question, ...]
    keywords: tuple[str, ...]


@dataclass(frozen=True)
class Picture:
    id: str
    caption: str
    image: Path


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
    agreement_sheet: AgreementSheet
    workplace: str  # the workplace's display name, or the label for the standard set
    workplace_slug: str = "standard"
    logo: Path | None = None
    seed: int = 0
    puzzle: PuzzleSettings = PuzzleSettings()
    digest: str = field(default="", compare=False)  # hash of everything printed; see with_fingerprint

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


def conversation_type(loaded: Loaded, type_id: str) -> ConversationType:
    for t in loaded.catalogue.conversation_types:
        if t.id == type_id:
            return t
    known = ", ".join(t.id for t in loaded.catalogue.conversation_types)
    raise SamtaleError(f"'{type_id}' is not a conversation type of the catalogue {loaded.path.name}; use one of: {known}")


def resolve(loaded: Loaded, type_id: str, workplace: Workplace | None = None) -> Material:
    """The material of one conversation type, as the municipality prints it or as `workplace` changes it."""
    cat = loaded.catalogue
    ctype = conversation_type(loaded, type_id)
    perspectives = tuple(
        Perspective(
            id=p.id,
            name=p.name,
            colour=p.colour,
            tint=tint(p.colour),
            questions=tuple(
                Question(q.id, q.wording[type_id], p.id) for q in cat.questions if q.perspective == p.id
            ),
            keywords=tuple(p.keywords),
        )
        for p in cat.perspectives
    )
    material = Material(
        catalogue_id=cat.id,
        version=cat.version,
        municipality=cat.municipality.name,
        links=tuple(cat.municipality.links),
        labels=cat.labels,
        type=ctype,
        perspectives=perspectives,
        pictures=tuple(Picture(p.id, p.caption, loaded.image_path(p.image)) for p in cat.pictures),
        agreement_sheet=cat.agreement_sheet,
        workplace=cat.labels.standard_workplace,
        seed=cat.puzzle.seed,
        puzzle=cat.puzzle,
    )
    if workplace is not None:
        from .overlay import apply

        material = apply(material, workplace)
    return with_fingerprint(material)


def with_fingerprint(material: Material) -> Material:
    """Stamp a hash of everything a template can print, so a sheet tells which wording it carries.

    The full hash also keys the batch's manifest. The slug names the output folder but is
    not printed (only whether this is the standard set), so workplaces with the same
    content share a hash and are rendered once.
    """
    content = {f.name: getattr(material, f.name) for f in fields(material) if f.name != "digest"}
    content["workplace_slug"] = material.workplace_slug == "standard"
    images = sorted({str(p.image) for p in material.pictures} | ({str(material.logo)} if material.logo else set()))
    content["image_bytes"] = [file_digest(Path(i)) for i in images]
    blob = json.dumps(content, sort_keys=True, default=_plain, ensure_ascii=False)
    return replace(material, digest=hashlib.sha256(blob.encode()).hexdigest())


_dumped: dict[int, tuple[Any, Any]] = {}


def _plain(value):
    """JSON for what json cannot write itself; catalogue models are shared by every material, so dump each once."""
    if is_dataclass(value):
        return {f.name: getattr(value, f.name) for f in fields(value)}
    if hasattr(value, "model_dump"):
        if id(value) not in _dumped:
            _dumped[id(value)] = (value, value.model_dump(mode="json"))  # keep the model, so its id stays unique
        return _dumped[id(value)][1]
    return str(value)


_file_digests: dict[tuple[str, int, int], str] = {}


def file_digest(path: Path) -> str:
    """A file's content hash, remembered while its size and modification time stay the same."""
    st = path.stat()
    mark = (str(path), st.st_size, st.st_mtime_ns)
    if mark not in _file_digests:
        _file_digests[mark] = hashlib.sha256(path.read_bytes()).hexdigest()
    return _file_digests[mark]


def tint(colour: str, strength: float = 0.14) -> str:
    """`colour` mixed with white: `strength` of the colour, the rest paper."""
    hex_ = colour.lstrip("#")
    if len(hex_) == 3:
        hex_ = "".join(c * 2 for c in hex_)
    rgb = [int(hex_[i : i + 2], 16) for i in (0, 2, 4)]
    mixed = [round(255 - (255 - c) * strength) for c in rgb]
    return "#" + "".join(f"{c:02X}" for c in mixed)

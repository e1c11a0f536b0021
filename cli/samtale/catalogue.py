"""Loading a catalogue file and checking it whole: types, ids, references, files and fit.

`load` returns the catalogue only when nothing is wrong; otherwise it raises one
SamtaleError that lists every problem at its line and column.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import yamlio
from .errors import Problem, SamtaleError
from .models import Catalogue
from .paths import DEFAULT_CATALOGUE

IMAGE_KINDS = {".png": b"\x89PNG", ".jpg": b"\xff\xd8\xff", ".jpeg": b"\xff\xd8\xff", ".svg": None}


@dataclass(frozen=True)
class Loaded:
    """A valid catalogue, the file it came from and its parsed YAML (for placing later problems)."""

    catalogue: Catalogue
    path: Path
    data: Any

    @property
    def folder(self) -> Path:
        return self.path.parent

    def image_path(self, image: str) -> Path:
        return (self.folder / image).resolve()

    def problem(self, loc: yamlio.Loc, message: str) -> Problem:
        line, col = yamlio.position(self.data, loc)
        return Problem(message, file=self.path, line=line, column=col, where=yamlio.where(self.data, loc))


def load(path: Path | None = None) -> Loaded:
    path = Path(path) if path else DEFAULT_CATALOGUE
    data = yamlio.read(path)
    loaded = Loaded(yamlio.validate(Catalogue, data, path), path, data)
    problems = check(loaded)
    if problems:
        raise SamtaleError(problems)
    return loaded


def check(loaded: Loaded) -> list[Problem]:
    """Every rule that spans more than one value: ids, references, counts, files, fit."""
    from .layout import fit_problems

    cat = loaded.catalogue
    found: list[tuple[yamlio.Loc, str]] = []
    for name, items in (
        ("perspectives", cat.perspectives),
        ("questions", cat.questions),
        ("pictures", cat.pictures),
        ("conversation_types", cat.conversation_types),
    ):
        found += _duplicates(name, [item.id for item in items], "id")
    found += _duplicates("municipality", [link.id for link in cat.municipality.links], "id", ("links",))

    keywords = Counter(k.casefold() for p in cat.perspectives for k in p.keywords)
    for i, p in enumerate(cat.perspectives):
        for j, k in enumerate(p.keywords):
            if keywords[k.casefold()] > 1:
                found.append((("perspectives", i, "keywords", j), f"the keyword '{k}' appears more than once; keep it in one place"))

    perspective_ids = [p.id for p in cat.perspectives]
    type_ids = [t.id for t in cat.conversation_types]
    for i, q in enumerate(cat.questions):
        if q.perspective not in perspective_ids:
            found.append((("questions", i, "perspective"), f"no perspective has the id '{q.perspective}'; use one of {', '.join(perspective_ids)}"))
        for t in type_ids:
            if t not in q.wording:
                found.append((("questions", i, "wording"), f"no wording for the conversation type '{t}'; add '{t}: ...'"))
        for t in q.wording:
            if t not in type_ids:
                found.append((("questions", i, "wording", t), f"'{t}' is not a conversation type of this catalogue; use one of {', '.join(type_ids)}"))
    wanted = cat.rules.questions_per_perspective  # a municipality's own rule, set in its catalogue
    for i, p in enumerate(cat.perspectives):
        count = sum(q.perspective == p.id for q in cat.questions)
        if wanted is not None and count != wanted:
            found.append((("perspectives", i), f"has {count} questions; this catalogue's rules ask for exactly {wanted} per perspective (workplaces add their own in an overlay)"))

    for i, picture in enumerate(cat.pictures):
        problem = image_problem(loaded.folder, picture.image)
        if problem:
            found.append((("pictures", i, "image"), problem))

    # Only these templates print a guidance text on the back; the forms print one when it is given.
    for i, t in enumerate(cat.conversation_types):
        for product in t.products:
            if product in ("skema", "aftaleark", "puslespil") and product not in t.guidance:
                found.append((("conversation_types", i, "guidance"), f"no guidance for the product '{product}'; add 'guidance: {product}: ...'"))
            if product in ("skema", "aftaleark") and cat.agreement_sheet is None:
                found.append((("conversation_types", i, "products", product), f"the product '{product}' prints the agreement blocks; add an 'agreement_sheet:' section to the catalogue"))

    if any("puslespil" in t.products for t in cat.conversation_types) and cat.puzzle.sheets is None:
        found.append((("puzzle",), "the puzzle's sheet names are missing; add 'sheets:' with questions, pictures, keywords and back"))
    found += fit_problems(cat)
    return [loaded.problem(loc, message) for loc, message in found]


def image_problem(folder: Path, image: str) -> str | None:
    """Why an image reference is unusable, or None: it must be a PNG, JPEG or SVG file beside the catalogue."""
    path = (folder / image).resolve()
    kind = path.suffix.lower()
    if kind not in IMAGE_KINDS:
        return f"'{image}' is not a PNG, JPEG or SVG file; convert the picture to one of those"
    if not path.is_relative_to(folder.resolve()):
        return f"'{image}' lies outside the catalogue's folder; copy the picture into it"
    if not path.is_file():
        return f"the picture file '{image}' does not exist; check the name or add the file"
    head = path.read_bytes()[:512]
    magic = IMAGE_KINDS[kind]
    if magic is not None and not head.startswith(magic):
        return f"'{image}' is not really a {kind[1:].upper()} file; save it again in that format"
    if magic is None and b"<svg" not in head and b"<?xml" not in head:
        return f"'{image}' is not an SVG file; save it again as SVG"
    return None


def _duplicates(name: str, ids: list[str], key: str, inner: tuple = ()) -> list[tuple[yamlio.Loc, str]]:
    seen: set[str] = set()
    found = []
    for i, ident in enumerate(ids):
        if ident in seen:
            found.append(((name, *inner, i, key), f"the id '{ident}' is used twice; ids must be unique"))
        seen.add(ident)
    return found

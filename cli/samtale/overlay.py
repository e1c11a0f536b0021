"""Workplace overlays: one workplace's own wording, questions, keywords, pictures, logo and templates.

An overlay is a small YAML file beside the catalogue (catalogue/workplaces/<slug>.yaml).
It is loaded and checked like the catalogue (every problem at FILE:LINE:COL) and
applied to a resolved Material, so templates never know a workplace exists.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import Field

from . import yamlio
from .catalogue import IMAGE_KINDS, Loaded, image_problem
from .errors import Problem, SamtaleError
from .models import Id, Model, Text

if TYPE_CHECKING:
    from .resolve import Material

ALL = "all"  # the key that rewords a question for every conversation type
STANDARD = "standard"  # the slug of the municipality's own set; no overlay may take it
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
SCHEMA_FILE = "overlay.schema.json"

# Keys of a wording map: one conversation type ("mus"), several ("mus, grus") or "all".
Wording = Annotated[
    dict[str, Text],
    Field(
        min_length=1,
        description="The wording per conversation type. A key is one type id (mus), several separated "
        "by commas (mus, grus) or 'all'.",
    ),
]


class AddedQuestion(Model):
    """A question of the workplace's own, printed after the perspective's three."""

    id: Id = Field(description="A short id of your own, not used by the catalogue, e.g. 'legepladsen'.")
    perspective: Id = Field(description="The perspective whose row the question joins, e.g. adfaerd, struktur, opgaver.")
    wording: Wording


class KeywordChanges(Model):
    leave_out: list[Text] | None = Field(None, description="Keywords of the catalogue this workplace does not print.")
    add: dict[Id, list[Text]] | None = Field(None, description="Keywords of the workplace's own, per perspective id.")


class PictureReplacement(Model):
    image: Text = Field(description="A PNG, JPEG or SVG file, relative to this file's folder.")
    caption: Text | None = Field(None, description="The picture's alternative text; default: the catalogue's caption.")


class Overlay(Model):
    """A workplace's changes to the municipality's catalogue."""

    name: Text = Field(description="The workplace's name as printed in the footer of every page.")
    reword: dict[Id, Wording] | None = Field(
        None, description="New wording of catalogue questions: question id → conversation type(s) → text."
    )
    add_questions: list[AddedQuestion] | None = Field(None, description="Questions of the workplace's own.")
    keywords: KeywordChanges | None = None
    pictures: dict[Id, PictureReplacement] | None = Field(
        None, description="Picture pieces replaced by the workplace's own images: picture id → image."
    )
    logo: Text | None = Field(None, description="A PNG, JPEG or SVG logo printed on every product, relative to this file.")
    templates: Text | None = Field(
        None,
        description="A folder (relative to this file) of templates that replace built-in templates of the "
        "same name, e.g. skema.html.j2. They are rendered in Jinja's sandbox.",
    )


@dataclass(frozen=True)
class Workplace:
    """A valid overlay, the file it came from, its parsed YAML and what its keys mean for one catalogue."""

    overlay: Overlay
    path: Path
    data: Any
    slug: str
    reworded: dict[str, dict[str, str]]  # question id → type id → text
    added: dict[str, dict[str, str]]  # added question id → type id → text

    @property
    def name(self) -> str:
        return self.overlay.name

    @property
    def folder(self) -> Path:
        return self.path.parent.resolve()

    @property
    def template_dirs(self) -> tuple[Path, ...]:
        return (self.folder / self.overlay.templates,) if self.overlay.templates else ()

    @property
    def roots(self) -> tuple[Path, ...]:
        """Folders a render of this workplace may read: its own, and its templates'."""
        return (self.folder, *self.template_dirs)

    @property
    def left_out(self) -> tuple[str, ...]:
        k = self.overlay.keywords
        return tuple(k.leave_out or ()) if k else ()

    @property
    def added_keywords(self) -> dict[str, list[str]]:
        k = self.overlay.keywords
        return dict(k.add or {}) if k else {}

    def problem(self, loc: yamlio.Loc, message: str) -> Problem:
        line, col = yamlio.position(self.data, loc)
        return Problem(message, file=self.path, line=line, column=col, where=yamlio.where(self.data, loc) or None)


def slugify(name: str) -> str:
    """The file and folder name of a workplace: 'Børnehuset Æblehaven' → 'boernehuset-aeblehaven'."""
    text = name.strip().lower().replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"[\s_/]+", "-", text)
    text = re.sub(r"[^a-z0-9-]", "", text)
    return re.sub(r"-{2,}", "-", text).strip("-")


def folder(loaded: Loaded) -> Path:
    """Where a catalogue's workplace overlays live."""
    return loaded.folder / "workplaces"


def overlay_paths(loaded: Loaded) -> list[Path]:
    return sorted(p for p in folder(loaded).glob("*.yaml") if not p.name.startswith("."))


def find(loaded: Loaded, slug_or_path: str) -> Path:
    """An overlay file from a slug ('boernehuset-aeblehaven') or a path to a YAML file."""
    text = str(slug_or_path)
    if "/" in text or "\\" in text or text.endswith((".yaml", ".yml")):
        path = Path(text)
        if not path.is_file():
            raise SamtaleError(Problem("there is no workplace file here; check the path", file=path))
        return path
    if not SLUG.match(text):
        raise SamtaleError(
            f"'{text}' is not a workplace slug; a slug is lower-case letters, digits and hyphens "
            f"(see 'samtale workplace list')"
        )
    path = folder(loaded) / f"{text}.yaml"
    if not path.is_file():
        known = [p.stem for p in overlay_paths(loaded)]
        close = difflib.get_close_matches(text, known, n=1)
        hint = f"did you mean '{close[0]}'?" if close else (
            f"known workplaces: {', '.join(known)}" if known else "create one with 'samtale workplace new NAME'"
        )
        raise SamtaleError(f"there is no workplace '{text}' in {folder(loaded)}; {hint}")
    return path


def load(loaded: Loaded, path: Path) -> Workplace:
    """Read and check an overlay against the catalogue; every problem at its line and column."""
    path = Path(path)
    slug = path.stem
    if not SLUG.match(slug) or slug == STANDARD:
        raise SamtaleError(Problem(
            f"the file name '{path.name}' cannot name a workplace folder; name the file after the workplace in "
            f"lower-case letters, digits and hyphens (not '{STANDARD}'), e.g. {slugify('Børnehuset Æblehaven')}.yaml",
            file=path,
        ))
    data = yamlio.read(path)
    overlay = yamlio.validate(Overlay, data, path)
    wp = Workplace(overlay, path, data, slug, {}, {})
    found: list[tuple[yamlio.Loc, str]] = []
    reworded, added = _wordings(loaded, overlay, found)
    wp = replace(wp, reworded=reworded, added=added)
    found += _check_keywords(loaded, wp)
    found += _check_files(wp)
    problems = [wp.problem(loc, message) for loc, message in found]
    if not problems:
        problems = fit_problems(loaded, wp)
    if problems:
        raise SamtaleError(sorted(problems, key=lambda p: (p.line or 0, p.column or 0)))
    return wp


def _types(loaded: Loaded) -> list[str]:
    return [t.id for t in loaded.catalogue.conversation_types]


def _expand(key: str, type_ids: list[str]) -> tuple[list[str], str | None]:
    """The types a wording key names, or why it names none."""
    if key.strip().lower() == ALL:
        return list(type_ids), None
    names = [part for part in re.split(r"[,\s]+", key.strip().lower()) if part]
    unknown = [n for n in names if n not in type_ids]
    if unknown or not names:
        close = difflib.get_close_matches(unknown[0], type_ids, n=1) if unknown else []
        hint = f"did you mean '{close[0]}'? " if close else ""
        return [], (f"'{key}' is not a conversation type of this catalogue; {hint}use one of "
                    f"{', '.join(type_ids)}, several separated by commas, or '{ALL}'")
    return names, None


def _wording(key_loc: yamlio.Loc, wording: dict[str, str], type_ids: list[str], found: list) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, text in wording.items():
        types, problem = _expand(key, type_ids)
        if problem:
            found.append(((*key_loc, key), problem))
        for t in types:
            if t in out:
                found.append(((*key_loc, key), f"the wording for '{t}' is given twice; keep one"))
            out[t] = text
    return out


def _wordings(loaded: Loaded, overlay: Overlay, found: list) -> tuple[dict, dict]:
    cat = loaded.catalogue
    type_ids = _types(loaded)
    question_ids = [q.id for q in cat.questions]
    reworded = {}
    for qid, wording in (overlay.reword or {}).items():
        if qid not in question_ids:
            close = difflib.get_close_matches(qid, question_ids, n=1)
            hint = f"did you mean '{close[0]}'?" if close else f"the questions are: {', '.join(question_ids)}"
            found.append((("reword", qid), f"the catalogue has no question '{qid}'; {hint}"))
            continue
        reworded[qid] = _wording(("reword", qid), wording, type_ids, found)
    perspective_ids = [p.id for p in cat.perspectives]
    added = {}
    for i, q in enumerate(overlay.add_questions or []):
        if q.id in question_ids or q.id in added:
            found.append((("add_questions", i, "id"), f"the id '{q.id}' is already used by another question; choose another"))
        if q.perspective not in perspective_ids:
            found.append((("add_questions", i, "perspective"),
                          f"the catalogue has no perspective '{q.perspective}'; use one of {', '.join(perspective_ids)}"))
        added[q.id] = _wording(("add_questions", i, "wording"), q.wording, type_ids, found)
    return reworded, added


def _check_keywords(loaded: Loaded, wp: Workplace) -> list[tuple[yamlio.Loc, str]]:
    cat = loaded.catalogue
    found = []
    existing = {k.casefold(): k for p in cat.perspectives for k in p.keywords}
    for i, k in enumerate(wp.left_out):
        if k.casefold() not in existing:
            close = difflib.get_close_matches(k, list(existing.values()), n=1)
            hint = f"did you mean '{close[0]}'?" if close else "see the keywords with 'samtale workplace diff' or in the catalogue"
            found.append((("keywords", "leave_out", i), f"the catalogue has no keyword '{k}'; {hint}"))
    kept = {key for key in existing if key not in {k.casefold() for k in wp.left_out}}
    perspective_ids = [p.id for p in cat.perspectives]
    seen: set[str] = set()
    for pid, words in wp.added_keywords.items():
        if pid not in perspective_ids:
            found.append((("keywords", "add", pid), f"the catalogue has no perspective '{pid}'; use one of {', '.join(perspective_ids)}"))
        for j, k in enumerate(words):
            if k.casefold() in kept or k.casefold() in seen:
                found.append((("keywords", "add", pid, j), f"the keyword '{k}' is already printed; add each keyword once"))
            seen.add(k.casefold())
    return found


def _check_files(wp: Workplace) -> list[tuple[yamlio.Loc, str]]:
    found = []
    for pid, picture in (wp.overlay.pictures or {}).items():
        problem = _image_problem(wp.folder, picture.image)
        if problem:
            found.append((("pictures", pid, "image"), problem))
    if wp.overlay.logo:
        problem = _image_problem(wp.folder, wp.overlay.logo)
        if problem:
            found.append((("logo",), problem))
    if wp.overlay.templates:
        found += _check_templates(wp)
    return found


def _image_problem(base: Path, image: str) -> str | None:
    path = (base / image).resolve()
    if path.suffix.lower() in IMAGE_KINDS and not path.is_relative_to(base):
        return f"'{image}' lies outside the folder of the workplace file; copy the picture into that folder"
    return image_problem(base, image)


def _check_templates(wp: Workplace) -> list[tuple[yamlio.Loc, str]]:
    """A file that replaces no built-in template would silently do nothing: say so."""
    from .paths import TEMPLATES

    where = wp.folder / wp.overlay.templates
    if not where.is_dir():
        return [(("templates",), f"the folder '{wp.overlay.templates}' does not exist beside the workplace file; create it or remove the key")]
    builtin = sorted(p.name for p in TEMPLATES.iterdir() if not p.name.startswith("."))
    found = []
    for file in sorted(where.iterdir()):
        if file.name.startswith(".") or file.name in builtin:
            continue
        close = difflib.get_close_matches(file.name, builtin, n=1)
        hint = f"did you mean '{close[0]}'?" if close else f"the built-in templates are: {', '.join(builtin)}"
        found.append((("templates",), f"'{file.name}' in '{wp.overlay.templates}' replaces no built-in template; {hint}"))
    return found


# --- applying an overlay -------------------------------------------------------------------


def apply(material: Material, wp: Workplace) -> Material:
    """The material as this workplace prints it (the fingerprint is stamped afterwards, by resolve)."""
    from .resolve import Picture, Question

    type_id = material.type.id
    left_out = {k.casefold() for k in wp.left_out}
    added_keywords = wp.added_keywords
    perspectives = []
    for p in material.perspectives:
        questions = [replace(q, text=wp.reworded.get(q.id, {}).get(type_id, q.text)) for q in p.questions]
        questions += [
            Question(q.id, wp.added[q.id][type_id], p.id, workplace=True)
            for q in wp.overlay.add_questions or []
            if q.perspective == p.id and type_id in wp.added.get(q.id, {})
        ]
        keywords = [k for k in p.keywords if k.casefold() not in left_out] + list(added_keywords.get(p.id, []))
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
    )


def fit_problems(loaded: Loaded, wp: Workplace) -> list[Problem]:
    """The catalogue's fit rules run over the catalogue as this workplace changes it, placed in the overlay."""
    from . import layout

    cat = loaded.catalogue
    questions, origin = [], []
    for q in cat.questions:
        wording = {t: wp.reworded.get(q.id, {}).get(t, text) for t, text in q.wording.items()}
        questions.append(q.model_copy(update={"wording": wording}))
        origin.append(q.id)
    for q in wp.overlay.add_questions or []:
        questions.append(q.model_copy(update={"wording": wp.added[q.id]}))
        origin.append(q.id)
    left_out = {k.casefold() for k in wp.left_out}
    perspectives = [
        p.model_copy(update={"keywords": [k for k in p.keywords if k.casefold() not in left_out] + wp.added_keywords.get(p.id, [])})
        for p in cat.perspectives
    ]
    changed = cat.model_copy(update={"questions": questions, "perspectives": perspectives})
    problems = []
    for loc, message in layout.fit_problems(changed):
        problems.append(wp.problem(_overlay_loc(wp, changed, loc), message))
    return problems


def _overlay_loc(wp: Workplace, changed, loc: tuple) -> yamlio.Loc:
    """Where in the overlay a fit problem found in the changed catalogue comes from."""
    if len(loc) >= 2 and loc[0] == "questions" and isinstance(loc[1], int):
        q = changed.questions[loc[1]]
        type_id = loc[3] if len(loc) >= 4 else None
        for i, added in enumerate(wp.overlay.add_questions or []):
            if added.id == q.id:
                return ("add_questions", i, "wording", _key_for(added.wording, type_id))
        if q.id in wp.reworded and (type_id is None or type_id in wp.reworded[q.id]):
            return ("reword", q.id, _key_for((wp.overlay.reword or {})[q.id], type_id))
        # An unchanged question overflows because the workplace added to its row.
        for i, added in enumerate(wp.overlay.add_questions or []):
            if added.perspective == q.perspective:
                return ("add_questions", i)
        return ("reword",)
    if len(loc) >= 4 and loc[0] == "perspectives" and loc[2] == "keywords":
        keyword = changed.perspectives[loc[1]].keywords[loc[3]]
        for pid, words in wp.added_keywords.items():
            if keyword in words:
                return ("keywords", "add", pid, words.index(keyword))
    return ("name",)


def _key_for(wording: dict[str, str], type_id: str | None) -> str:
    for key in wording:
        if type_id is None or key.strip().lower() == ALL or type_id in re.split(r"[,\s]+", key.strip().lower()):
            return key
    return next(iter(wording))


# --- describing an overlay -----------------------------------------------------------------


def summary(wp: Workplace) -> str:
    """What an overlay changes, in one line."""
    parts = []
    if wp.reworded:
        types = sorted({t for wording in wp.reworded.values() for t in wording})
        parts.append(f"rewords {_n(len(wp.reworded), 'question')} ({', '.join(types)})")
    if wp.added:
        parts.append(f"adds {_n(len(wp.added), 'question')}")
    if wp.left_out:
        parts.append(f"leaves out {_n(len(wp.left_out), 'keyword')}")
    added = sum(len(v) for v in wp.added_keywords.values())
    if added:
        parts.append(f"adds {_n(added, 'keyword')}")
    if wp.overlay.pictures:
        parts.append(f"replaces {_n(len(wp.overlay.pictures), 'picture')}")
    if wp.overlay.logo:
        parts.append("logo")
    if wp.overlay.templates:
        files = sorted(p.name for p in wp.template_dirs[0].iterdir() if not p.name.startswith("."))
        parts.append(f"own templates ({', '.join(files) or 'none yet'})")
    return ", ".join(parts) or "name only"


def _n(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


@dataclass(frozen=True)
class Change:
    """One line of a diff: a question (or keyword, picture) as standard and as the workplace has it."""

    type_id: str
    number: int  # the question's number on the skema; 0 for keywords and pictures
    perspective: str
    id: str
    standard: str | None
    workplace: str | None


def diff(loaded: Loaded, wp: Workplace) -> list[Change]:
    """Exactly what the workplace changes, question by question and per conversation type."""
    from .resolve import resolve

    changes: list[Change] = []
    for t in loaded.catalogue.conversation_types:
        standard = resolve(loaded, t.id)
        mine = resolve(loaded, t.id, wp)
        before = {q.id: q.text for q in standard.questions}
        for number, q in enumerate(mine.questions, start=1):
            perspective = next(p.name for p in mine.perspectives if p.id == q.perspective)
            if before.get(q.id) != q.text:
                changes.append(Change(t.id, number, perspective, q.id, before.get(q.id), q.text))
        for p_old, p_new in zip(standard.perspectives, mine.perspectives):
            for k in p_old.keywords:
                if k not in p_new.keywords:
                    changes.append(Change(t.id, 0, p_old.name, "keyword", k, None))
            for k in p_new.keywords:
                if k not in p_old.keywords:
                    changes.append(Change(t.id, 0, p_new.name, "keyword", None, k))
        for old, new in zip(standard.pictures, mine.pictures):
            if old != new:
                changes.append(Change(t.id, 0, "", f"picture {old.id}", f"{old.caption} ({old.image.name})",
                                      f"{new.caption} ({new.image.name})"))
    return changes


def new_file_text(loaded: Loaded, name: str, schema: str = SCHEMA_FILE) -> str:
    """A new overlay: the name, and every question's current wording per type, commented out, ready to edit."""
    cat = loaded.catalogue
    types = [t.id for t in cat.conversation_types]
    quote = _yaml_scalar
    lines = [
        f"# yaml-language-server: $schema={schema}",
        f"# Workplace overlay on the catalogue '{cat.id}' ({cat.municipality.name}, version {cat.version}).",
        "# To change a question: remove the '# ' in front of 'reword:', the question's id and the",
        "# lines you reword, keeping the indentation. A key names one conversation type",
        f"# ({', '.join(types)}), several ('{', '.join(types[:2])}: ...') or all of them ('all: ...').",
        "# Check the file with:  samtale workplace validate " + slugify(name),
        "# Compare it with the standard:  samtale workplace diff " + slugify(name),
        "",
        f"name: {quote(name)}",
        "",
        "# reword:",
    ]
    for p in cat.perspectives:
        lines.append(f"#   # {p.name}")
        for q in cat.questions:
            if q.perspective != p.id:
                continue
            lines.append(f"#   {q.id}:")
            for t in types:
                if t in q.wording:
                    lines.append(f"#     {t}: {quote(q.wording[t])}")
    first = cat.perspectives[0].id
    lines += [
        "",
        "# Questions of the workplace's own, printed after the perspective's questions",
        f"# (perspectives: {', '.join(p.id for p in cat.perspectives)}):",
        "# add_questions:",
        "#   - id: my-question",
        f"#     perspective: {first}",
        "#     wording:",
        "#       all: ...",
        "",
        "# Keywords left out, and keywords of the workplace's own per perspective:",
        "# keywords:",
        f"#   leave_out: [{cat.perspectives[0].keywords[-1]}]",
        "#   add:",
        f"#     {first}: [...]",
        "",
        "# Picture pieces replaced by your own PNG, JPEG or SVG files (beside this file)",
        f"# (pictures: {', '.join(p.id for p in cat.pictures)}):",
        "# pictures:",
        f"#   {cat.pictures[0].id if cat.pictures else 'picture-id'}:",
        "#     image: images/my-picture.jpg",
        "#     caption: ...",
        "",
        "# A logo printed on every product, and a folder of templates that replace the",
        "# built-in ones of the same name (e.g. skema.html.j2):",
        "# logo: logo.png",
        f"# templates: {slugify(name)}-templates",
        "",
    ]
    return "\n".join(lines)


def _yaml_scalar(text: str) -> str:
    """A one-line YAML string, quoted only when plain YAML would misread it."""
    import json

    if re.search(r"(^[\s\-?:,\[\]{}#&*!|>'\"%@`])|(: )|( #)|(\s$)", text) or text.lower() in ("yes", "no", "true", "false", "null", "on", "off"):
        return json.dumps(text, ensure_ascii=False)
    return text


def json_schema(overlay: bool = True) -> dict:
    """The JSON Schema of overlay files (or of catalogue files), for editors and `samtale schema`."""
    from .models import Catalogue

    model = Overlay if overlay else Catalogue
    schema = model.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "samtale workplace overlay" if overlay else "samtale catalogue"
    return schema

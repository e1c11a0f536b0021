"""Workplace overlays: one workplace's own wording, questions, keywords, pictures, logo and templates.

An overlay is a small YAML file in its catalogue's folder of workplaces
(workplaces/<catalogue id>/<slug>.yaml beside the catalogue), and says which catalogue
it belongs to (`catalogue: albertslund`). It is loaded and checked like the catalogue
(every problem at FILE:LINE:COL); the material stage applies it, so templates never
know a workplace exists.
"""

from __future__ import annotations

import difflib
import functools
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field

from ..core.errors import Problem, SamtaleError
from ..core.i18n import _, n_
from ..core.paths import TEMPLATES
from ..core.text import slugify
from . import images, languages, yamlio
from .catalogue import Loaded
from .models import Catalogue, Id, Model, Text

ALL = "all"  # the key that rewords a question for every conversation type
STANDARD = "standard"  # the slug of the municipality's own set; no overlay may take it
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")  # what slugify makes
SCHEMA_FILE = "overlay.schema.json"

# Keys of a wording map: one conversation type ("mus"), several ("mus, grus") or "all".
WordingMap = Annotated[
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
    wording: WordingMap


class KeywordChanges(Model):
    leave_out: list[Text] | None = Field(None, description="Keywords of the catalogue this workplace does not print.")
    add: dict[Id, list[Text]] | None = Field(None, description="Keywords of the workplace's own, per perspective id.")


class PictureReplacement(Model):
    image: Text = Field(description="A PNG, JPEG or SVG file, relative to this file's folder.")
    caption: Text | None = Field(None, description="The picture's alternative text; default: the catalogue's caption.")


class Overlay(Model):
    """A workplace's changes to the municipality's catalogue."""

    catalogue: Id | None = Field(
        None, description="The id of the catalogue this workplace belongs to, e.g. albertslund; written by 'samtale workplace new'."
    )
    name: Text = Field(description="The workplace's name as printed in the footer of every page.")
    reword: dict[Id, WordingMap] | None = Field(
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
class Wording:
    """A workplace's text for one question and conversation type, and the key it was given under."""

    text: str
    loc: yamlio.Loc


@dataclass(frozen=True)
class Workplace:
    """A valid overlay, the file it came from and what its keys mean for one catalogue."""

    overlay: Overlay
    document: yamlio.Document
    slug: str
    reworded: dict[str, dict[str, Wording]]  # question id → type id → wording
    added: dict[str, dict[str, Wording]]  # added question id → type id → wording

    @property
    def path(self) -> Path:
        return self.document.path

    @property
    def name(self) -> str:
        return self.overlay.name

    @property
    def folder(self) -> Path:
        return self.path.parent.resolve()

    @property
    def template_dirs(self) -> tuple[Path, ...]:
        return ((self.folder / self.overlay.templates).resolve(),) if self.overlay.templates else ()

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
        return self.document.problem(loc, message)


WORKPLACES = "workplaces"
_CATALOGUE_KEY = re.compile(r"^catalogue:[ \t]*[\"']?([a-z0-9][a-z0-9-]*)[\"']?[ \t]*(?:#.*)?$", re.MULTILINE)


def folder(loaded: Loaded) -> Path:
    """Where a catalogue's workplace overlays live: workplaces/<catalogue id>/ beside the catalogue."""
    return loaded.folder / WORKPLACES / loaded.catalogue.id


def overlay_paths(loaded: Loaded) -> list[Path]:
    """The catalogue's overlays: those in its own folder, and older ones directly in workplaces/ that belong to it."""
    own = [p for p in folder(loaded).glob("*.yaml") if not p.name.startswith(".")]
    alone = functools.cache(lambda: catalogues_beside(loaded) == 1)  # read once, if an older file names no catalogue
    return sorted(own + [p for p in _flat(loaded) if belongs(loaded, p, alone)])


def _flat(loaded: Loaded) -> list[Path]:
    return [p for p in (loaded.folder / WORKPLACES).glob("*.yaml") if not p.name.startswith(".")]


def stated_catalogue(path: Path) -> str | None:
    """The catalogue id a file states (`catalogue: albertslund`), read without parsing it, so a broken file still says."""
    try:
        match = _CATALOGUE_KEY.search(yamlio.read_text(path))
    except SamtaleError:
        return None
    return match.group(1) if match else None


def folder_catalogue(path: Path) -> str | None:
    """The catalogue id a file's folder names (workplaces/<id>/), if it lies in one (where it lies, not where a link points)."""
    parent = Path(os.path.abspath(path)).parent
    return parent.name if parent.parent.name == WORKPLACES else None


_CATALOGUE_FILE = re.compile(r"^conversation_types:", re.MULTILINE)


def catalogues_beside(loaded: Loaded) -> int:
    """How many catalogue files lie in the catalogue's folder (YAML files with conversation types)."""
    count = 0
    for candidate in loaded.folder.glob("*.yaml"):
        try:
            count += bool(_CATALOGUE_FILE.search(yamlio.read_text(candidate)))
        except SamtaleError:
            continue
    return count


def belongs(loaded: Loaded, path: Path, alone: Callable[[], bool]) -> bool:
    """Whether an overlay is the catalogue's: as its data says, else as its folder says. A file directly in
    workplaces/ that states no catalogue (written before overlays named theirs) belongs to the only catalogue beside it
    (`alone()` says whether it is)."""
    stated = stated_catalogue(path) or folder_catalogue(path)
    if stated is not None:
        return stated == loaded.catalogue.id
    return alone()


def unclaimed(loaded: Loaded) -> list[Path]:
    """Files directly in workplaces/ that name no catalogue while several catalogues share the folder: no listing takes them."""
    if catalogues_beside(loaded) == 1:
        return []
    return sorted(p for p in _flat(loaded) if stated_catalogue(p) is None)


def find(loaded: Loaded, name: str) -> Path:
    """An overlay file from its slug ('plejecenter-soeholm-aftenvagt'), its path, or the workplace's name as printed
    ('Plejecenter Søholm – Aftenvagt')."""
    text = str(name).strip()
    if "/" in text or "\\" in text or text.endswith((".yaml", ".yml")):
        path = Path(text)
        if not path.is_file():
            raise SamtaleError(Problem(_("there is no workplace file here; check the path"), file=path))
        return path
    paths = overlay_paths(loaded)
    by_slug = {p.stem: p for p in paths}
    slug = slugify(text)
    if not slug:
        raise SamtaleError(_("'{text}' is not a workplace slug, name or file; see the workplaces with 'samtale workplace list'").format(text=text))
    if text in by_slug or slug in by_slug:
        return by_slug.get(text) or by_slug[slug]
    names = {stated_name(p): p for p in paths}
    wanted = " ".join(text.split()).casefold()
    for workplace_name, path in names.items():
        if workplace_name is not None and " ".join(workplace_name.split()).casefold() == wanted:
            return path
    close = difflib.get_close_matches(slug, list(by_slug), n=1)
    hint = _("did you mean '{suggestion}'?").format(suggestion=close[0]) if close else (
        _("the workplaces are: {names}").format(names=", ".join(by_slug)) if by_slug else _("create one with 'samtale workplace new NAME'")
    )
    raise SamtaleError(_("there is no workplace '{text}' in {folder}; {hint}").format(text=text, folder=folder(loaded), hint=hint))


def stated_name(path: Path) -> str | None:
    """The `name:` of an overlay file, or None when the file cannot be read."""
    try:
        data = yamlio.read(path).data
    except SamtaleError:
        return None
    value = data.get("name") if isinstance(data, dict) else None
    return value if isinstance(value, str) else None


def load(loaded: Loaded, path: Path, text: str | None = None) -> Workplace:
    """Read and check an overlay against the catalogue; every problem at its line and column.

    With `text`, that text is checked as if it were the file (an edit not yet saved).
    """
    path = Path(path)
    slug = path.stem
    if not SLUG.match(slug) or slug == STANDARD:
        raise SamtaleError(Problem(
            _("the file name '{name}' cannot name a workplace folder; name the file after the workplace in "
            "lower-case letters, digits and hyphens (not '{standard}'), e.g. {example}.yaml").format(name=path.name, standard=STANDARD, example=slugify("Børnehuset Æblehaven")),
            file=path,
        ))
    if path.is_symlink():  # a workplace's folder may come from outside: follow no link out of it
        raise SamtaleError(Problem(_("the workplace file is a symbolic link; copy the file itself into the workplaces folder"),
                                   file=path))
    document = _in_language(loaded, yamlio.read(path) if text is None else yamlio.parse(text, path))
    overlay = yamlio.validate(Overlay, document)
    _check_catalogue(loaded, overlay, document)
    found: list[tuple[yamlio.Loc, str]] = []
    reworded, added = _wordings(loaded.catalogue, overlay, found)
    wp = Workplace(overlay, document, slug, reworded, added)
    found += _check_keywords(loaded.catalogue, wp)
    found += _check_files(loaded.catalogue, wp)
    if found:
        problems = [wp.problem(loc, message) for loc, message in found]
        raise SamtaleError(sorted(problems, key=lambda p: (p.line or 0, p.column or 0)))
    return wp


# Places in an overlay that hold a name or a reference to the catalogue, never a text to translate.
_NAMES = frozenset({("name",), ("catalogue",), ("keywords", "leave_out")})


def _in_language(loaded: Loaded, written: yamlio.Document) -> yamlio.Document:
    """The overlay in the language of the catalogue's edition: its texts may be Danish (`text`) or several languages
    (`{da: text, en: text}`), and an edition other than Danish needs every text the workplace changes in its own."""
    lang = loaded.lang
    if lang != languages.DANISH:
        gaps = languages.missing(written.data, lang, _NAMES)
        if gaps:
            raise SamtaleError([written.problem(loc, (
                _("has no {language} text; add '{lang}: ...' beside the Danish, so that the "
                  "{language} edition says what the Danish one does").format(language=languages.name(lang), lang=lang))) for loc in gaps])
    data = languages.localize(written.data, lang)
    keywords = data.get("keywords") if isinstance(data, dict) else None
    if lang != languages.DANISH and isinstance(keywords, dict) and isinstance(keywords.get("leave_out"), list):
        printed = _keywords_printed(loaded)  # the keywords to leave out are named as the Danish edition prints them
        keywords["leave_out"] = [printed.get(k.casefold(), k) if isinstance(k, str) else k for k in keywords["leave_out"]]
    return replace(written, data=data)


def _keywords_printed(loaded: Loaded) -> dict[str, str]:
    """Each of the catalogue's Danish keywords (case-folded) as its edition prints it."""
    printed = {}
    for perspective in (loaded.written or {}).get("perspectives") or []:
        for keyword in perspective.get("keywords") or [] if isinstance(perspective, dict) else []:
            if languages.is_texts(keyword) and loaded.lang in keyword:
                printed[str(keyword[languages.DANISH]).casefold()] = keyword[loaded.lang]
    return printed


def _check_catalogue(loaded: Loaded, overlay: Overlay, document: yamlio.Document) -> None:
    """An overlay is printed only with its own catalogue: its wording was written for that catalogue's questions."""
    mine = loaded.catalogue.id
    if overlay.catalogue is not None and overlay.catalogue != mine:
        raise SamtaleError(document.problem(("catalogue",), (
            _("this workplace belongs to the catalogue '{catalogue}', not to '{mine}' ({name}); "
            "use it with --catalogue {catalogue}").format(catalogue=overlay.catalogue, mine=mine, name=loaded.path.name)
        )))
    where = folder_catalogue(document.path)
    if overlay.catalogue is None and where is not None and where != mine:
        raise SamtaleError(Problem(
            _("this workplace lies in the folder of the catalogue '{where}', not of '{mine}' ({name}); "
            "use it with --catalogue {where}").format(where=where, mine=mine, name=loaded.path.name), file=document.path,
        ))


def _expand(key: str, type_ids: list[str]) -> tuple[list[str], str | None]:
    """The types a wording key names, or why it names none."""
    if key.strip().lower() == ALL:
        return list(type_ids), None
    names = [part for part in re.split(r"[,\s]+", key.strip().lower()) if part]
    unknown = [n for n in names if n not in type_ids]
    if unknown or not names:
        close = difflib.get_close_matches(unknown[0], type_ids, n=1) if unknown else []
        hint = _("did you mean '{suggestion}'? ").format(suggestion=close[0]) if close else ""
        return [], (_("'{key}' is not a conversation type of this catalogue; {hint}use one of "
                      "{ids}, several separated by commas, or '{all}'").format(key=key, hint=hint, ids=", ".join(type_ids), all=ALL))
    return names, None


def _wording(at: yamlio.Loc, wording: dict[str, str], type_ids: list[str],
             found: list[tuple[yamlio.Loc, str]]) -> dict[str, Wording]:
    out: dict[str, Wording] = {}
    for key, text in wording.items():
        types, problem = _expand(key, type_ids)
        if problem:
            found.append(((*at, key), problem))
        for t in types:
            if t in out:
                found.append(((*at, key), _("the wording for '{type}' is given twice; keep one").format(type=t)))
            out[t] = Wording(text, (*at, key))
    return out


def _wordings(cat: Catalogue, overlay: Overlay, found: list[tuple[yamlio.Loc, str]]
              ) -> tuple[dict[str, dict[str, Wording]], dict[str, dict[str, Wording]]]:
    type_ids = [t.id for t in cat.conversation_types]
    question_ids = [q.id for q in cat.questions]
    reworded = {}
    for qid, wording in (overlay.reword or {}).items():
        if qid not in question_ids:
            close = difflib.get_close_matches(qid, question_ids, n=1)
            hint = _("did you mean '{suggestion}'?").format(suggestion=close[0]) if close else _("the questions are: {ids}").format(ids=", ".join(question_ids))
            found.append((("reword", qid), _("the catalogue has no question '{question}'; {hint}").format(question=qid, hint=hint)))
            continue
        reworded[qid] = _wording(("reword", qid), wording, type_ids, found)
    perspective_ids = [p.id for p in cat.perspectives]
    added: dict[str, dict[str, Wording]] = {}
    for i, q in enumerate(overlay.add_questions or []):
        if q.id in question_ids or q.id in added:
            found.append((("add_questions", i, "id"), _("the id '{id}' is already used by another question; choose another").format(id=q.id)))
        if q.perspective not in perspective_ids:
            found.append((("add_questions", i, "perspective"),
                          _("the catalogue has no perspective '{perspective}'; use one of {ids}").format(perspective=q.perspective, ids=", ".join(perspective_ids))))
        added[q.id] = _wording(("add_questions", i, "wording"), q.wording, type_ids, found)
    return reworded, added


def _check_keywords(cat: Catalogue, wp: Workplace) -> list[tuple[yamlio.Loc, str]]:
    found: list[tuple[yamlio.Loc, str]] = []
    existing = {k.casefold(): k for p in cat.perspectives for k in p.keywords}
    for i, k in enumerate(wp.left_out):
        if k.casefold() not in existing:
            close = difflib.get_close_matches(k, list(existing.values()), n=1)
            hint = _("did you mean '{suggestion}'?").format(suggestion=close[0]) if close else _("see the keywords with 'samtale workplace diff' or in the catalogue")
            found.append((("keywords", "leave_out", i), _("the catalogue has no keyword '{keyword}'; {hint}").format(keyword=k, hint=hint)))
    kept = {key for key in existing if key not in {k.casefold() for k in wp.left_out}}
    perspective_ids = [p.id for p in cat.perspectives]
    seen: set[str] = set()
    for pid, words in wp.added_keywords.items():
        if pid not in perspective_ids:
            found.append((("keywords", "add", pid), _("the catalogue has no perspective '{perspective}'; use one of {ids}").format(perspective=pid, ids=", ".join(perspective_ids))))
        for j, k in enumerate(words):
            if k.casefold() in kept or k.casefold() in seen:
                found.append((("keywords", "add", pid, j), _("the keyword '{keyword}' is already printed; add each keyword once").format(keyword=k)))
            seen.add(k.casefold())
    return found


def _check_files(cat: Catalogue, wp: Workplace) -> list[tuple[yamlio.Loc, str]]:
    """Pictures, logo and templates: known ids, real files, all inside the overlay's own folder."""
    found: list[tuple[yamlio.Loc, str]] = []
    picture_ids = [p.id for p in cat.pictures]
    for pid, picture in (wp.overlay.pictures or {}).items():
        if pid not in picture_ids:
            close = difflib.get_close_matches(pid, picture_ids, n=1)
            hint = _("did you mean '{suggestion}'?").format(suggestion=close[0]) if close else _("the pictures are: {ids}").format(ids=", ".join(picture_ids) or _("none"))
            found.append((("pictures", pid), _("the catalogue has no picture '{picture}'; {hint}").format(picture=pid, hint=hint)))
        problem = images.problem(wp.folder, picture.image)
        if problem:
            found.append((("pictures", pid, "image"), problem))
    if wp.overlay.logo:
        problem = images.problem(wp.folder, wp.overlay.logo)
        if problem:
            found.append((("logo",), problem))
    if wp.overlay.templates:
        found += _check_templates(wp)
    return found


def _check_templates(wp: Workplace) -> list[tuple[yamlio.Loc, str]]:
    """The folder must be the overlay's own; a file that replaces no built-in template would silently do nothing."""
    name = wp.overlay.templates or ""
    where = (wp.folder / name).resolve()
    if not where.is_relative_to(wp.folder) or where == wp.folder:
        return [(("templates",), _("'{name}' is not a folder inside the workplace file's folder; put the templates in a folder beside it").format(name=name))]
    if not where.is_dir():
        return [(("templates",), _("the folder '{name}' does not exist beside the workplace file; create it or remove the key").format(name=name))]
    builtin = sorted(p.name for p in TEMPLATES.iterdir() if not p.name.startswith("."))
    found: list[tuple[yamlio.Loc, str]] = []
    for file in sorted(where.iterdir()):
        if file.name.startswith("."):
            continue
        if file.is_symlink() or not file.is_file():
            found.append((("templates",), _("'{file}' in '{folder}' is not an ordinary file (a link or a folder); "
                                            "put the template file itself there").format(file=file.name, folder=name)))
            continue
        if file.name in builtin:
            continue
        close = difflib.get_close_matches(file.name, builtin, n=1)
        hint = _("did you mean '{suggestion}'?").format(suggestion=close[0]) if close else _("the built-in templates are: {names}").format(names=", ".join(builtin))
        found.append((("templates",), _("'{file}' in '{folder}' replaces no built-in template; {hint}").format(file=file.name, folder=name, hint=hint)))
    return found


# --- describing an overlay -----------------------------------------------------------------


@dataclass(frozen=True)
class Changes:
    """What an overlay changes, counted: plain values for a summary line or a web page."""

    reworded: int
    reworded_types: tuple[str, ...]
    added_questions: int
    left_out_keywords: int
    added_keywords: int
    pictures: int
    logo: bool
    templates: tuple[str, ...] | None  # the template files it brings, None without a templates folder


def changes(wp: Workplace) -> Changes:
    templates = None
    if wp.overlay.templates:
        templates = tuple(sorted(p.name for p in wp.template_dirs[0].iterdir() if not p.name.startswith(".")))
    return Changes(
        reworded=len(wp.reworded),
        reworded_types=tuple(sorted({t for wording in wp.reworded.values() for t in wording})),
        added_questions=len(wp.added),
        left_out_keywords=len(wp.left_out),
        added_keywords=sum(len(v) for v in wp.added_keywords.values()),
        pictures=len(wp.overlay.pictures or {}),
        logo=bool(wp.overlay.logo),
        templates=templates,
    )


def summary(wp: Workplace) -> str:
    """What an overlay changes, in one line."""
    c = changes(wp)
    parts = []
    if c.reworded:
        parts.append(n_("rewords {n} question ({types})", "rewords {n} questions ({types})", c.reworded).format(
            n=c.reworded, types=", ".join(c.reworded_types)))
    if c.added_questions:
        parts.append(n_("adds {n} question", "adds {n} questions", c.added_questions).format(n=c.added_questions))
    if c.left_out_keywords:
        parts.append(n_("leaves out {n} keyword", "leaves out {n} keywords", c.left_out_keywords).format(n=c.left_out_keywords))
    if c.added_keywords:
        parts.append(n_("adds {n} keyword", "adds {n} keywords", c.added_keywords).format(n=c.added_keywords))
    if c.pictures:
        parts.append(n_("replaces {n} picture", "replaces {n} pictures", c.pictures).format(n=c.pictures))
    if c.logo:
        parts.append(_("logo"))
    if c.templates is not None:
        parts.append(_("own templates ({names})").format(names=", ".join(c.templates) or _("none yet")))
    return ", ".join(parts) or _("name only")


def comment(text: str) -> list[str]:
    """A paragraph of guidance as YAML comment lines: the translator breaks its lines."""
    return [f"# {line}".rstrip() for line in text.splitlines()]


def _edition_lines(loaded: Loaded) -> list[str]:
    others = [languages.name(lang) for lang in loaded.editions if lang != languages.DANISH]
    if not others:
        return []
    codes = ", ".join(f"{lang}: ..." for lang in loaded.editions)
    return [*comment(_("A text is Danish, or Danish and {languages} for the catalogue's other editions:").format(
        languages=", ".join(others))), f"# mus: {{{codes}}}"]


def header(loaded: Loaded, slug: str, intro: str, schema: str = SCHEMA_FILE) -> list[str]:
    """The top of an overlay file samtale writes: the editor's schema, `intro` (a message with the placeholders {id},
    {municipality}, {version}, {types} and {several}) as comment lines, how texts are given in each language, the
    commands that check it, and the catalogue it belongs to. The name follows."""
    cat = loaded.catalogue
    types = [t.id for t in cat.conversation_types]
    return [
        f"# yaml-language-server: $schema={schema}",
        *comment(intro.format(id=cat.id, municipality=cat.municipality.name, version=cat.version,
                              types=", ".join(types), several=", ".join(types[:2]))),
        *_edition_lines(loaded),
        *comment(_("Check the file with:  samtale workplace validate {slug}\n"
                   "Compare it with the standard:  samtale workplace diff {slug}").format(slug=slug)),
        "",
        f"catalogue: {cat.id}",
    ]


def new_file_text(loaded: Loaded, name: str, schema: str = SCHEMA_FILE) -> str:
    """A new overlay: the name, and every question's current wording per type, commented out, ready to edit."""
    cat = loaded.catalogue
    types = [t.id for t in cat.conversation_types]
    quote = yamlio.scalar
    slug = slugify(name)
    lines = [
        *header(loaded, slug, _(
            "Workplace overlay on the catalogue '{id}' ({municipality}, version {version}).\n"
            "To change a question: remove the '# ' in front of 'reword:', the question's id and the\n"
            "lines you reword, keeping the indentation. A key names one conversation type\n"
            "({types}), several ('{several}: ...') or all of them ('all: ...')."
        ), schema),
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
            lines += [f"#     {t}: {quote(q.wording[t])}" for t in types if t in q.wording]
    first = cat.perspectives[0]
    lines += [
        "",
        *comment(_("Questions of the workplace's own, printed after the perspective's questions\n"
                   "(perspectives: {ids}):").format(ids=", ".join(p.id for p in cat.perspectives))),
        "# add_questions:",
        "#   - id: my-question",
        f"#     perspective: {first.id}",
        "#     wording:",
        "#       all: ...",
        "",
    ]
    if any(p.keywords for p in cat.perspectives):
        example = next(p.keywords[-1] for p in cat.perspectives if p.keywords)
        lines += [
            *comment(_("Keywords left out, and keywords of the workplace's own per perspective:")),
            "# keywords:",
            f"#   leave_out: [{quote(example)}]",
            "#   add:",
            f"#     {first.id}: [...]",
            "",
        ]
    if cat.pictures:
        lines += [
            *comment(_("Picture pieces replaced by your own PNG, JPEG or SVG files (beside this file)\n"
                       "(pictures: {ids}):").format(ids=", ".join(p.id for p in cat.pictures))),
            "# pictures:",
            f"#   {cat.pictures[0].id}:",
            "#     image: images/my-picture.jpg",
            "#     caption: ...",
            "",
        ]
    lines += [
        *comment(_("A logo printed on every product, and a folder of templates that replace the\n"
                   "built-in ones of the same name (e.g. skema.html.j2):")),
        "# logo: logo.png",
        f"# templates: {slug}-templates",
        "",
    ]
    return "\n".join(lines)


def json_schema(overlay: bool = True) -> dict[str, Any]:
    """The JSON Schema of overlay files (or of catalogue files), for editors and `samtale schema`."""
    model = Overlay if overlay else Catalogue
    schema: dict[str, Any] = _texts_in_languages(model.model_json_schema())
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "samtale workplace overlay" if overlay else "samtale catalogue"
    return schema


def _texts_in_languages(node: Any) -> Any:
    """The schema with every free text allowed as Danish alone or as a map of the languages samtale prints."""
    if isinstance(node, dict):
        if node.get("type") == "string" and not {"pattern", "enum", "const"} & node.keys():
            text = {k: v for k, v in node.items() if k not in ("description", "title")}
            texts = {"type": "object", "properties": dict.fromkeys(languages.LANGUAGES, text),
                     "required": [languages.DANISH], "additionalProperties": False}
            return {**{k: v for k, v in node.items() if k in ("description", "title")}, "anyOf": [text, texts]}
        return {k: _texts_in_languages(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_texts_in_languages(v) for v in node]
    return node

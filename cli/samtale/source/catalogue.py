"""Loading a catalogue file and checking its structure whole: types, ids, references, counts and files.

`load` returns the catalogue only when nothing is wrong; otherwise it raises one
SamtaleError that lists every problem at its line and column. What each product
needs, and whether text fits its space, the products check (`samtale.products`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..core.errors import Problem, SamtaleError
from ..core.i18n import _, n_
from . import images, languages, settings, yamlio
from .models import Catalogue, ConversationType


@dataclass(frozen=True)
class Loaded:
    """A valid catalogue and the file it was read from (to place later problems in it)."""

    catalogue: Catalogue
    document: yamlio.Document  # the file's data in `lang`, with every text's place
    lang: str = languages.DANISH
    written: Any = None  # the file's data as written, every language in it (for checks across languages)
    _editions: dict[str, Loaded | SamtaleError] = field(default_factory=dict, repr=False, compare=False)

    @property
    def path(self) -> Path:
        return self.document.path

    @property
    def folder(self) -> Path:
        return self.path.parent.resolve()

    def image_path(self, image: str) -> Path:
        return (self.folder / image).resolve()

    @property
    def editions(self) -> list[str]:
        """The languages the catalogue prints in: Danish, and each language its texts are also given in."""
        present = languages.present(self.written)
        return [lang for lang in languages.LANGUAGES if lang in present]

    def edition(self, lang: str) -> Loaded:
        """The same file in `lang` (this catalogue, in its own), read once however often it is asked for; the
        SamtaleError that edition has, each time it is asked for."""
        if lang == self.lang:
            return self
        if lang not in self._editions:
            try:
                self._editions[lang] = load(self.path, lang)
            except SamtaleError as err:
                self._editions[lang] = err
        found = self._editions[lang]
        if isinstance(found, SamtaleError):
            raise found
        return found

    def problem(self, loc: yamlio.Loc, message: str) -> Problem:
        """A problem at `loc`; at a text given in several languages, at the version this edition prints."""
        return self.document.problem(languages.version_at(self.written, loc, self.lang), message)

    def conversation_type(self, type_id: str) -> ConversationType:
        for t in self.catalogue.conversation_types:
            if t.id == type_id:
                return t
        known = ", ".join(t.id for t in self.catalogue.conversation_types)
        raise SamtaleError(_("'{type_id}' is not a conversation type of the catalogue {name}; use one of: {known}").format(type_id=type_id, name=self.path.name, known=known))


def load(path: Path | str | None = None, lang: str = languages.DANISH) -> Loaded:
    """A catalogue from its file or its id, in `lang`; without either, the working folder's (`samtale.toml`) or the
    built-in default."""
    raw = yamlio.read(settings.locate(path))
    if lang not in languages.LANGUAGES:
        raise SamtaleError(_("'{lang}' is not a language samtale prints; use one of: {languages}").format(lang=lang, languages=", ".join(languages.LANGUAGES)))
    if lang != languages.DANISH:
        if lang not in languages.present(raw.data):
            raise SamtaleError(Problem(_("the catalogue has no {language} texts; print it in Danish, "
                                         "or add '{lang}:' beside the Danish of every text").format(language=languages.name(lang), lang=lang), file=raw.path))
        missing = languages.missing(raw.data, lang)
        if missing:  # an edition is all of one language: never a Danish sentence in the English one
            raise SamtaleError([raw.problem(loc, _("has no {language} text; add '{lang}: ...' beside the Danish").format(language=languages.name(lang), lang=lang))
                                for loc in missing])
    document = replace(raw, data=languages.localize(raw.data, lang))
    loaded = Loaded(yamlio.validate(Catalogue, document), document, lang, raw.data)
    problems = check(loaded)
    if problems:
        raise SamtaleError(problems)
    return loaded


def check(loaded: Loaded) -> list[Problem]:
    """Every structural rule that spans more than one value: ids, references, counts, files."""
    cat = loaded.catalogue
    found: list[tuple[yamlio.Loc, str]] = []
    for name, ids in (
        ("perspectives", [p.id for p in cat.perspectives]),
        ("questions", [q.id for q in cat.questions]),
        ("pictures", [p.id for p in cat.pictures]),
        ("conversation_types", [t.id for t in cat.conversation_types]),
    ):
        found += _duplicates((name,), ids)
    found += _duplicates(("municipality", "links"), [link.id for link in cat.municipality.links])

    keywords = Counter(k.casefold() for p in cat.perspectives for k in p.keywords)
    for i, p in enumerate(cat.perspectives):
        for j, k in enumerate(p.keywords):
            if keywords[k.casefold()] > 1:
                found.append((("perspectives", i, "keywords", j), _("the keyword '{keyword}' appears more than once; keep it in one place").format(keyword=k)))

    perspective_ids = [p.id for p in cat.perspectives]
    type_ids = [t.id for t in cat.conversation_types]
    for i, q in enumerate(cat.questions):
        if q.perspective not in perspective_ids:
            found.append((("questions", i, "perspective"), _("no perspective has the id '{perspective}'; use one of {ids}").format(perspective=q.perspective, ids=", ".join(perspective_ids))))
        for t in type_ids:
            if t not in q.wording:
                found.append((("questions", i, "wording"), _("no wording for the conversation type '{type}'; add '{type}: ...'").format(type=t)))
        for t in q.wording:
            if t not in type_ids:
                found.append((("questions", i, "wording", t), _("'{type}' is not a conversation type of this catalogue; use one of {ids}").format(type=t, ids=", ".join(type_ids))))
    wanted = cat.rules.questions_per_perspective  # a municipality's own rule, set in its catalogue
    for i, p in enumerate(cat.perspectives):
        count = sum(q.perspective == p.id for q in cat.questions)
        if wanted is not None and count != wanted:
            found.append((("perspectives", i), n_("has {count} question; this catalogue's rules ask for exactly {wanted} per perspective (workplaces add their own in an overlay)",
                                               "has {count} questions; this catalogue's rules ask for exactly {wanted} per perspective (workplaces add their own in an overlay)",
                                               count).format(count=count, wanted=wanted)))

    for i, picture in enumerate(cat.pictures):
        problem = images.problem(loaded.folder, picture.image)
        if problem:
            found.append((("pictures", i, "image"), problem))
    return [loaded.problem(loc, message) for loc, message in found]


def _duplicates(at: yamlio.Loc, ids: list[str]) -> list[tuple[yamlio.Loc, str]]:
    seen: set[str] = set()
    found: list[tuple[yamlio.Loc, str]] = []
    for i, ident in enumerate(ids):
        if ident in seen:
            found.append(((*at, i, "id"), _("the id '{id}' is used twice; ids must be unique").format(id=ident)))
        seen.add(ident)
    return found

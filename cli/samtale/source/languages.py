"""Texts in several languages: a catalogue's text may be Danish alone, or `{da: …, en: …}`.

Danish is required and is what a plain string is; English is optional per text, but a
catalogue that translates one text must translate them all, so an English edition
never prints a Danish sentence. `localize` turns a file's data into one language's
plain strings before it is checked, keeping every text at its place in the file.
"""

from __future__ import annotations

from typing import Any

from ..core.i18n import _
from . import yamlio

DANISH = "da"
LANGUAGES = {"da": "dansk", "en": "English"}  # each language in its own words


def name(lang: str) -> str:
    """A language's name in the language samtale speaks: 'Danish', 'English'."""
    return {"da": _("Danish"), "en": _("English")}[lang]


def is_texts(value: Any) -> bool:
    """Whether a YAML value is one text in several languages: a mapping of language codes, Danish among them."""
    return (isinstance(value, dict) and DANISH in value and all(isinstance(k, str) for k in value)
            and set(value) <= set(LANGUAGES))


def localize(data: Any, lang: str) -> Any:
    """`data` with every text in `lang` (Danish where `lang` is Danish); a text not in `lang` keeps its Danish
    (`missing` says where)."""
    if is_texts(data):
        return data.get(lang, data[DANISH])
    if isinstance(data, dict):
        return {k: localize(v, lang) for k, v in data.items()}
    if isinstance(data, list):
        return [localize(v, lang) for v in data]
    return data


def version_at(data: Any, loc: yamlio.Loc, lang: str) -> yamlio.Loc:
    """Where `lang`'s version of the text at `loc` is written: inside its language map, or `loc` itself."""
    value = data
    for key in loc:
        try:
            value = value[key]
        except (KeyError, IndexError, TypeError):
            return loc
    return (*loc, lang) if is_texts(value) and lang in value else loc


def present(data: Any) -> set[str]:
    """Every language any text of the file is given in (Danish always)."""
    found = {DANISH}
    todo = [data]
    while todo:
        value = todo.pop()
        if is_texts(value):
            found.update(value)
        elif isinstance(value, dict):
            todo.extend(value.values())
        elif isinstance(value, list):
            todo.extend(value)
    return found


def missing(data: Any, lang: str, names: frozenset[yamlio.Loc] = frozenset()) -> list[yamlio.Loc]:
    """Where the file has a text a person reads and no `lang` version of it.

    Only the texts a person reads count: a plain string is such a text unless it names a thing (ids, colours, file
    names and web addresses never are; `names` are the places in the file that hold a proper name or a reference)."""
    return [loc for loc, value in _translatable_places(data, names) if not (is_texts(value) and lang in value)]


# Keys whose values are never text for a reader: names of things, colours, files, addresses, numbers.
_NOT_TEXT = {"id", "perspective", "colour", "cmyk", "image", "url", "version", "code", "seed", "type", "holds", "level",
             "rows", "reminder_days", "questions_per_perspective", "catalogue", "logo", "templates", "hyphenation"}


def _translatable_places(data: Any, names: frozenset[yamlio.Loc], loc: yamlio.Loc = ()) -> list[tuple[yamlio.Loc, Any]]:
    """(where, value) of every text a reader reads: language maps and the plain strings among them."""
    if is_texts(data) or isinstance(data, str):
        return [(loc, data)]
    found: list[tuple[yamlio.Loc, Any]] = []
    if isinstance(data, dict):
        for key, value in data.items():
            if key in _NOT_TEXT or (*loc, key) in names or (loc and loc[-1] == "individual_plans" and key == "type"):
                continue
            found += _translatable_places(value, names, (*loc, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            found += _translatable_places(value, names, (*loc, i))
    return found

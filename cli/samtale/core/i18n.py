"""The language samtale speaks: Danish by default, English with `--lang en` or an English LANG.

Every message, prompt, help text and progress line is written in English in the code,
wrapped in `_()` (or `n_()` where it counts something), and translated through gettext
catalogues in `samtale/locale/` (made with Babel: `make messages`). A message with
values names them (`_("the key '{key}' …").format(key=…)`), so a translator can
move them. The materials' own words come from the catalogue, never from here.
"""

from __future__ import annotations

import gettext
import os
from functools import cache
from pathlib import Path

DOMAIN = "samtale"
LOCALES = Path(__file__).resolve().parents[1] / "locale"
DEFAULT = "da"
SPOKEN = ("da", "en")

_chosen: list[str] = []


def choose(lang: str | None = None) -> str:
    """Speak `lang` from now on; without it, English if the environment asks for it (LANGUAGE, LC_ALL, LC_MESSAGES,
    LANG starting with 'en'), else Danish."""
    if lang is None:
        for name in ("SAMTALE_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
            value = os.environ.get(name, "")
            if value and value not in ("C", "POSIX", "C.UTF-8"):
                lang = "en" if value.lower().startswith("en") else DEFAULT
                break
    lang = lang if lang in SPOKEN else DEFAULT
    _chosen[:] = [lang]
    return lang


def language() -> str:
    return _chosen[0] if _chosen else choose()


@cache
def _catalogue(lang: str) -> gettext.NullTranslations:
    if lang == "en":
        return gettext.NullTranslations()  # the code's own words
    return gettext.translation(DOMAIN, LOCALES, languages=[lang], fallback=True)


def _(message: str) -> str:
    """`message` in the language samtale speaks."""
    return _catalogue(language()).gettext(message)


def n_(singular: str, plural: str, count: int) -> str:
    """The singular or plural of a message, as the language counts `count`."""
    return _catalogue(language()).ngettext(singular, plural, count)

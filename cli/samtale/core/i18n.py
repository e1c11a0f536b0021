"""The language samtale speaks: Danish by default, English with `--lang en` or an English LANG.

Every message, prompt, help text and progress line is written in English in the code,
wrapped in `_()` (or `n_()` where it counts something), and translated through gettext
catalogues in `samtale/locale/` (made with Babel: `make messages`). A message with
values names them (`_("the key '{key}' …").format(key=…)`), so a translator can
move them. The materials' own words come from the catalogue, never from here.

Only the standard library's gettext reads the compiled catalogues (.mo) at run time,
so an installed samtale needs no Babel, and `samtale --help` stays quick.
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Sequence
from functools import cache
from pathlib import Path

DOMAIN = "samtale"
LOCALES = Path(__file__).resolve().parents[1] / "locale"
DEFAULT = "da"
SPOKEN = ("da", "en")
ENVIRONMENT = ("SAMTALE_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")  # the first one set decides
UNSET = ("C", "POSIX", "C.UTF-8", "C.utf8")  # a system's "no language chosen": Danish

_chosen: list[str] = []


def choose(lang: str | None = None) -> str:
    """Speak `lang` from now on; without it, English if the environment asks for it (SAMTALE_LANG, LANGUAGE,
    LC_ALL, LC_MESSAGES, LANG starting with 'en'), else Danish."""
    if lang is None:
        for name in ENVIRONMENT:
            value = os.environ.get(name, "")
            if value and value not in UNSET:
                lang = "en" if value.lower().startswith("en") else DEFAULT
                break
    lang = lang if lang in SPOKEN else DEFAULT
    _chosen[:] = [lang]
    return lang


def asked(args: Sequence[str]) -> str | None:
    """The language a command line asks for with `--lang X` or `--lang=X`, wherever it stands; None if it does not."""
    for i, arg in enumerate(args):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(args):
            return args[i + 1]
        if arg.startswith("--lang="):
            return arg.partition("=")[2]
    return None


def speak(lang: str | None = None) -> str:
    """Choose the language of the whole run, before the command line is built (Typer reads help texts on import):
    samtale's own messages, the command line's words (Typer's `gettext` calls, through the standard library's
    default domain, bound here to samtale's catalogue) and the worker processes' (through the environment)."""
    lang = choose(lang)
    os.environ["SAMTALE_LANG"] = lang  # workers, started or spawned later, speak as this process does
    os.environ["LANGUAGE"] = lang  # what gettext's default domain reads
    gettext.bindtextdomain(DOMAIN, str(LOCALES))
    gettext.textdomain(DOMAIN)
    return lang


def language() -> str:
    return _chosen[0] if _chosen else choose()


@cache
def _catalogue(lang: str) -> gettext.NullTranslations:
    if lang == "en":
        return gettext.NullTranslations()  # the code's own words
    return gettext.translation(DOMAIN, LOCALES, languages=[lang], fallback=True)


def decimal(value: float, digits: int = 1) -> str:
    """A measured number as the language writes it: 2.5 in English, 2,5 in Danish."""
    text = f"{value:.{digits}f}"
    return text.replace(".", ",") if language() == "da" else text


def _(message: str) -> str:
    """`message` in the language samtale speaks."""
    return _catalogue(language()).gettext(message)


def N_(message: str) -> str:
    """`message` as it is, marked for the catalogue: said later, with `_(message)`, in the language spoken then."""
    return message


def n_(singular: str, plural: str, count: int) -> str:
    """The singular or plural of a message, as the language counts `count`."""
    return _catalogue(language()).ngettext(singular, plural, count)

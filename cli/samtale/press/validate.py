"""What a render would reject, found before rendering: the products' rules and fit, a workplace's own templates.

`validate`, `workplace validate` and the batch all check through here, so a problem
is found by `validate` exactly when `render` would refuse it.
"""

from __future__ import annotations

from pathlib import Path

from ..core.errors import Problem, SamtaleError
from ..products import check, load_workplace
from ..source import languages, yamlio
from ..source.catalogue import Loaded
from ..source.overlay import Workplace
from . import jinja


def catalogue(loaded: Loaded) -> list[Problem]:
    """Every problem the products find with a catalogue: what they need of it and text that does not fit."""
    return check(loaded)


def editions(loaded: Loaded) -> list[Problem]:
    """`catalogue`'s problems in every language the catalogue prints: each edition must be whole and fit."""
    problems = catalogue(loaded)
    for lang in loaded.editions:
        if lang != loaded.lang:
            try:
                problems += catalogue(loaded.edition(lang))
            except SamtaleError as err:
                problems += err.problems
    return list({str(p): p for p in problems}.values())  # a rule that does not depend on the language is broken once


def workplace(loaded: Loaded, path: Path) -> Workplace:
    """A workplace's overlay read and checked whole (its text fits, its templates compile), or one error listing all."""
    wp = load_workplace(loaded, path)
    problems = jinja.check(wp.template_dirs)
    if problems:
        raise SamtaleError(problems)
    return wp


def workplace_editions(loaded: Loaded, path: Path) -> tuple[Workplace, dict[str, int]]:
    """`workplace` in every edition of the catalogue, and how many of the workplace's texts each other edition lacks.

    An edition the overlay writes in must be whole (its gaps are problems); one it does not write in is reported
    as a count of texts to translate, for the workplace may print in Danish alone."""
    wp = workplace(loaded, path)
    lacking = {}
    written = languages.present(yamlio.read(path).data)
    for lang in loaded.editions:
        if lang == loaded.lang:
            continue
        try:
            workplace(loaded.edition(lang), path)
            lacking[lang] = 0
        except SamtaleError as err:
            if lang in written:
                raise
            lacking[lang] = len(err.problems)
    return wp, lacking

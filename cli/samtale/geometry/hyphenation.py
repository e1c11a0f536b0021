"""Where a word may break at the end of a line, as a Danish reader accepts it.

Breaks are written into the text as soft hyphens (U+00AD), which the page shows as
a hyphen only where the line actually breaks; templates set `hyphens: manual`, so
the browser breaks nowhere else. The rules: no word shorter than seven letters is
broken, no break leaves fewer than three letters on either side, and a catalogue's
own list of exceptions (its compound words, written with hyphens where they may
break: "med-ar-bej-der") is applied before the dictionary, also inside compounds
("medarbejderudviklingssamtale" breaks after "medarbejder" and where its parts may).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

SOFT_HYPHEN = "\u00ad"
MIN_WORD = 7  # letters; shorter words are never broken
MIN_PART = 3  # letters left on either side of a break
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def hyphenate(text: str, lang: str = "da", exceptions: Sequence[str] = ()) -> str:
    """`text` with a soft hyphen wherever a word may break."""
    table = _exceptions(tuple(exceptions))
    return _WORD.sub(lambda m: _word(m.group(0), lang, table), text)


def breaks(word: str, lang: str = "da", exceptions: Sequence[str] = ()) -> list[int]:
    """The positions (letters from the start) at which `word` may break."""
    return _breaks(word, lang, _exceptions(tuple(exceptions)))


@lru_cache(maxsize=64)
def _exceptions(exceptions: tuple[str, ...]) -> tuple[tuple[str, tuple[int, ...]], ...]:
    """The exception words, longest first, each with its break positions."""
    found = []
    for entry in exceptions:
        parts = [p for p in entry.strip().lower().split("-") if p]
        if not parts:
            continue
        positions, at = [], 0
        for part in parts[:-1]:
            at += len(part)
            positions.append(at)
        found.append(("".join(parts), tuple(positions)))
    return tuple(sorted(found, key=lambda e: -len(e[0])))


def _word(word: str, lang: str, table: tuple[tuple[str, tuple[int, ...]], ...]) -> str:
    positions = _breaks(word, lang, table)
    if not positions:
        return word
    pieces, last = [], 0
    for at in positions:
        pieces.append(word[last:at])
        last = at
    pieces.append(word[last:])
    return SOFT_HYPHEN.join(pieces)


@lru_cache(maxsize=1 << 15)  # the same words recur in every guidance text of a batch
def _breaks(word: str, lang: str, table: tuple[tuple[str, tuple[int, ...]], ...]) -> list[int]:
    if len(word) < MIN_WORD:
        return []
    lower = word.lower()
    found: set[int] = set()
    covered = [False] * len(word)
    for stem, positions in table:  # the catalogue's own words first, wherever they occur in a compound
        for match in re.finditer(re.escape(stem), lower):
            start, end = match.start(), match.end()
            if any(covered[start:end]):
                continue
            covered[start:end] = [True] * (end - start)
            found.update(start + p for p in positions)
            found.update(p for p in (start, end) if 0 < p < len(word))  # the compound's seams
    for start, end in _uncovered(covered):  # the dictionary for the rest
        if end - start < MIN_PART:  # a joining letter ("udviklings|samtale"): it stays with the part before it
            found.discard(start)
        elif end - start >= MIN_WORD:
            found.update(start + p for p in _dictionary(lower[start:end], lang))
    return sorted(p for p in found if MIN_PART <= p <= len(word) - MIN_PART)


def _uncovered(covered: list[bool]) -> Iterable[tuple[int, int]]:
    start = None
    for i, c in enumerate([*covered, True]):
        if not c and start is None:
            start = i
        elif c and start is not None:
            yield start, i
            start = None


@lru_cache(maxsize=8)
def _pyphen(lang: str) -> object | None:
    import pyphen  # lazy: only text that flows is hyphenated

    name = {"da": "da_DK", "en": "en_GB"}.get(lang, lang)
    return pyphen.Pyphen(lang=name, left=MIN_PART, right=MIN_PART) if name in pyphen.LANGUAGES else None


def _dictionary(part: str, lang: str) -> list[int]:
    dic = _pyphen(lang)
    return list(dic.positions(part)) if dic is not None else []  # type: ignore[attr-defined]

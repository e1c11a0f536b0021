"""Turning names people write into names files can carry."""

from __future__ import annotations

import re
import unicodedata

# Danish and German letters spelled out as Danes do; everything else loses its accent.
_SPELLED = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "ä": "ae", "ö": "oe", "ü": "ue", "é": "e"})


def slugify(name: str) -> str:
    """A file and folder name from a display name: 'Børnehuset Æblehaven' → 'boernehuset-aeblehaven'.

    Lower-case ASCII letters, digits and single hyphens; never a path. Empty when the
    name holds no letter or digit.
    """
    text = name.casefold().translate(_SPELLED)
    text = re.sub(r"['’]", "", text)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")

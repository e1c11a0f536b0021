"""Plain data for templates: what a template may see, and nothing that reaches the file system or the process.

Jinja's sandbox blocks underscore attributes, not ordinary methods: a `pathlib.Path`
handed to a template can `read_text()`. So every context is turned into strings,
numbers, booleans, lists and mappings before any template sees it; a dataclass
becomes the mapping of its fields (plus the derived values it names in `PLAIN_EXTRA`,
less the ones in `PLAIN_SKIP`), a pydantic model the mapping it dumps to. Anything
else (a path, a function, an open file) is refused: handing it over would be a bug.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields, is_dataclass
from typing import Any

from markupsafe import Markup

_SCALARS = (str, int, float, bool, type(None))


def plain(value: Any) -> Any:
    """`value` as strings, numbers, booleans, None, lists and dicts (and our own escaped markup)."""
    if isinstance(value, _SCALARS):  # Markup is a str: the only markup is samtale's own
        return value
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if is_dataclass(value) and not isinstance(value, type):
        skip = getattr(value, "PLAIN_SKIP", ())
        out = {f.name: plain(getattr(value, f.name)) for f in fields(value) if f.repr and f.name not in skip}
        out.update({name: plain(getattr(value, name)) for name in getattr(value, "PLAIN_EXTRA", ())})
        return out
    if hasattr(value, "model_dump") and callable(value.model_dump):
        return plain(value.model_dump(mode="json"))
    raise TypeError(f"a template may not be handed a {type(value).__name__}: give it plain data")


__all__ = ["Markup", "plain"]

"""The approval document: what a workplace changes beside the standard, as Markdown that HR can read and sign off.

`samtale workplace diff --format markdown` prints it and `samtale serve` offers it for download.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..material import Change
from ..source.catalogue import Loaded
from ..source.overlay import Workplace


def by_type(loaded: Loaded, changes: list[Change]) -> Iterator[tuple[str, list[Change]]]:
    """(heading, changes): what every type shares first, then each conversation type's questions."""
    shared = [c for c in changes if not c.type_id]
    if shared:
        yield "All conversation types: keywords, pictures, logo and templates", shared
    for t in loaded.catalogue.conversation_types:
        yield f"{t.code} – {t.name}", [c for c in changes if c.type_id == t.id]


def what(c: Change) -> str:
    """The first column: the question's number, perspective and id, or what else changed."""
    if c.number:
        return f"{c.number}. {c.perspective} ({c.id})"
    return f"{c.perspective} {c.id}".strip()


def markdown(loaded: Loaded, wp: Workplace, changes: list[Change]) -> str:
    """The whole document: a heading, where it comes from, and a table per part that changed."""
    cat = loaded.catalogue
    labels = cat.labels
    lines = [
        f"# {wp.name}",
        "",
        f"{cat.municipality.name} · katalog {cat.id} {cat.version} · {wp.path.name}",
        "",
    ]
    if not changes:
        lines += ["No differences from the standard wording.", ""]
    for heading, rows in by_type(loaded, changes):
        if not rows:
            continue
        lines += [f"## {heading}", "", f"| {labels.questions} | {labels.standard_workplace} | {wp.name} |", "| --- | --- | --- |"]
        for c in rows:
            cells = [what(c), c.standard or "—", c.workplace or "—"]
            lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
        lines.append("")
    return "\n".join(lines)

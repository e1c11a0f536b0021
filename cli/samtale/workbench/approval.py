"""The approval document: what a workplace changes beside the standard, as Markdown that HR can read and sign off.

`samtale workplace diff --format markdown` prints it and `samtale serve` offers it for download.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..core.i18n import _
from ..material import Change
from ..source.catalogue import Loaded
from ..source.models import ConversationType
from ..source.overlay import Workplace


def by_type(loaded: Loaded, changes: list[Change]) -> Iterator[tuple[ConversationType | None, list[Change]]]:
    """(conversation type, its changes): first what every type shares (None), then each type's questions."""
    shared = [c for c in changes if not c.type_id]
    if shared:
        yield None, shared
    for t in loaded.catalogue.conversation_types:
        yield t, [c for c in changes if c.type_id == t.id]


def heading(ctype: ConversationType | None) -> str:
    return f"{ctype.code} – {ctype.name}" if ctype else _("All conversation types: keywords, pictures, logo and templates")


def what(c: Change) -> str:
    """The first column: the question's number, perspective and id, or what else changed."""
    return {
        "question": f"{c.number}. {c.perspective} ({c.id})",
        "keyword": _("{perspective} keyword").format(perspective=c.perspective),
        "picture": _("picture {id}").format(id=c.id),
        "logo": _("logo"),
        "template": _("template {id}").format(id=c.id),
    }[c.kind]


def standard(c: Change) -> str:
    return _("built-in {id}").format(id=c.id) if c.kind == "template" else (c.standard or "—")


def markdown(loaded: Loaded, wp: Workplace, changes: list[Change], edition: str | None = None) -> str:
    """The whole document: a heading, where it comes from, and a table per part that changed (of one `edition`)."""
    cat = loaded.catalogue
    labels = cat.labels
    lines = [
        f"# {wp.name}" + (f" – {edition}" if edition else ""),
        "",
        _("{municipality} · catalogue {id} {version} · {file}").format(municipality=cat.municipality.name, id=cat.id, version=cat.version, file=wp.path.name),
        "",
    ]
    if not changes:
        lines += [_("No differences from the standard wording."), ""]
    for ctype, rows in by_type(loaded, changes):
        if not rows:
            continue
        lines += [f"## {heading(ctype)}", "", f"| {labels.questions} | {labels.standard_workplace} | {wp.name} |", "| --- | --- | --- |"]
        for c in rows:
            cells = [what(c), standard(c), c.workplace or "—"]
            lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
        lines.append("")
    return "\n".join(lines)

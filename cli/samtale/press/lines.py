"""Line breaks remembered within one render: WeasyPrint lays the same text out again and again.

Balancing columns (the guidance on every back), flex and grid boxes make WeasyPrint lay
the same paragraphs out many times at the same width: every pass breaks every line anew,
and a line with soft hyphens tries each of them in turn. How a text breaks depends only
on the text, its style, the width and two flags, so within one render the answer can be
remembered: the nine standard documents then lay out in about two thirds of the time
(3.0 s against 4.8 s, one after another in one process), and the PDFs are the same, byte
for byte (tests/test_engine.py holds it to that).

What is remembered is keyed by the style's identity, so each style is held while its
answers are: no other style can take its place (and its id) during the render. The
memory lives for one render on one thread (`remembered()`) and is dropped after it.
The text layout WeasyPrint hands back is a small record once it has been measured (its
Pango objects are released then), and each caller gets a copy of its own, so a layout
changed while drawing (an ellipsis) changes no other line.

Only WeasyPrint's own callers in its layout are routed here (`install`), and only in the
WeasyPrint versions this was checked against (`CHECKED`): with any other, nothing is
routed, every render breaks its lines itself, and `samtale doctor` says so.
"""

from __future__ import annotations

import contextlib
import copy
import threading
from collections.abc import Iterator
from typing import Any

# The text a render's memory may hold, in characters: a document of samtale's holds 20,000 to 40,000 (each line's
# text from where it starts to its paragraph's end). Past it (a workplace's template with one enormous paragraph,
# whose every line would keep the rest of it) lines are still broken, just no longer remembered.
LIMIT = 2_000_000
CHECKED = ("70",)  # WeasyPrint's major versions whose line breaking this was checked against, PDF byte for PDF byte
_here = threading.local()  # .memory: the current render's answers, on this thread; absent outside a render
_installed = False
_routed = False  # whether WeasyPrint's layout breaks its lines through the memory


class _Memory(dict):  # (text, style id, ...) -> (answer, style, context), and how much text it holds
    chars = 0


def install() -> None:
    """Route the line breaking of WeasyPrint's layout through the render's memory, once per process."""
    global _installed
    if _installed:
        return
    _installed = True
    import weasyprint

    if weasyprint.__version__.split(".")[0] not in CHECKED:
        return
    from weasyprint.layout import inline, preferred
    from weasyprint.text.line_break import split_first_line as original

    def split_first_line(text: str, style: Any, context: Any, max_width: Any, justification_spacing: Any,
                         is_line_start: bool = True, minimum: bool = False) -> Any:
        memory = getattr(_here, "memory", None)
        if memory is None:
            return original(text, style, context, max_width, justification_spacing, is_line_start, minimum)
        key = (text, id(style), id(context), max_width, justification_spacing, is_line_start, minimum)
        known = memory.get(key)
        if known is None:
            answer = original(text, style, context, max_width, justification_spacing, is_line_start, minimum)
            known = (answer, style, context)  # style and context held: their ids stay theirs
            if memory.chars + len(text) <= LIMIT:
                memory[key] = known
                memory.chars += len(text)
        layout, *rest = known[0]
        return (copy.copy(layout), *rest)

    global _routed
    for module in (inline, preferred):  # both import it by name; anything else (SVG text) is left as it is
        if getattr(module, "split_first_line", None) is original:
            module.split_first_line = split_first_line
            _routed = True


def routed() -> bool:
    """Whether WeasyPrint's layout asks the memory (after `install`): what `samtale doctor` reports."""
    return _routed


@contextlib.contextmanager
def remembered() -> Iterator[None]:
    """Remember line breaks for the render inside this block (on this thread), and forget them after it."""
    outer = getattr(_here, "memory", None)
    _here.memory = _Memory()
    try:
        yield
    finally:
        _here.memory = outer

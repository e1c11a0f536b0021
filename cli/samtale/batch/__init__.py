"""The batch: the only render path. Which documents to make, the manifest, warm workers, atomic commits.

`plan` knows what to render and each document's key, `manifest` what the output folder
holds (SQLite), `start` and `workers` the warm worker processes every render runs in
(with a time limit), and `engine` the run that ties them together; `doctor` says what
a render depends on.

The names below are loaded on first use (PEP 562): the command line imports `start` to
launch the fork server before anything heavy is loaded, and importing a submodule loads
this package first.
"""

from __future__ import annotations

from importlib import import_module

TYPE_CHECKING = False  # as typing's, without importing typing: this package sets the pace of every cold start
if TYPE_CHECKING:
    from .engine import Summary, report, run
    from .manifest import NAME as MANIFEST
    from .manifest import read as read_manifest
    from .plan import pairs, render_files
    from .workers import Layout, render_each, render_isolated

_WHERE = {
    "run": ("engine", "run"),
    "report": ("engine", "report"),
    "Summary": ("engine", "Summary"),
    "MANIFEST": ("manifest", "NAME"),
    "read_manifest": ("manifest", "read"),
    "render_isolated": ("workers", "render_isolated"),
    "render_each": ("workers", "render_each"),
    "pairs": ("plan", "pairs"),
    "render_files": ("plan", "render_files"),
    "Layout": ("workers", "Layout"),
}

__all__ = ["MANIFEST", "Layout", "Summary", "pairs", "read_manifest", "render_each", "render_files", "render_isolated", "report", "run"]


def __getattr__(name: str) -> object:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module, attribute = _WHERE[name]
    return getattr(import_module(f".{module}", __name__), attribute)

"""`samtale render --watch`: render again whenever a file the materials are made from changes.

The batch is incremental, so running it again after any change renders exactly what the
change affects; this module only decides which files to watch and when to run.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from ..core.errors import SamtaleError
from ..core.i18n import _
from ..source.catalogue import Loaded


def watched(loaded: Loaded, out: Path) -> tuple[Path, Callable[[object, str], bool]]:
    """The folder to watch (the catalogue's, with its pictures and workplaces) and a filter that skips the
    output folder and hidden files (temporary files, the manifest)."""
    root = loaded.folder
    skip = Path(out).resolve()

    def wanted(_change: object, path: str) -> bool:
        p = Path(path)
        return not p.name.startswith(".") and "__pycache__" not in p.parts and not p.resolve().is_relative_to(skip)

    return root, wanted


def render_on_change(loaded: Loaded, out: Path, once: Callable[[], bool], say: Callable[[str], None],
                     stop: threading.Event | None = None) -> None:
    """Render now, then again after every change, until Ctrl-C (or `stop`, a threading.Event, is set).
    A file with mistakes is reported and the watch goes on: it is usually fixed in the next save."""
    import watchfiles  # lazy: only --watch needs it

    def attempt() -> None:
        try:
            once()
        except SamtaleError as err:
            for problem in err.problems:
                say(str(problem))

    attempt()
    root, wanted = watched(loaded, out)
    say(_("Watching {folder} for changes; press Ctrl-C to stop.").format(folder=root))
    for changes in watchfiles.watch(root, watch_filter=wanted, debounce=400, stop_event=stop, raise_interrupt=True):
        names = sorted({Path(path).name for _, path in changes})
        say(_("Changed: {names}").format(names=', '.join(names)))
        attempt()

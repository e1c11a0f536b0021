"""The `samtale` command: thin commands that parse, call one library function and report.

`main` is all this module holds, so the command line starts quickly: it chooses the
language first (Typer reads every help text as the commands are imported), a command
that renders starts loading WeasyPrint in another process (`batch.start.warm_up`)
before even Typer is imported, and the commands themselves are in `cli`.
"""

from __future__ import annotations

import sys

RENDERING = (["render"], ["calibrate"], ["plan", "render"])  # the commands that render in a worker


def main() -> None:
    """Entry point: see `cli.run` for exit codes."""
    from ..core import i18n  # the standard library's gettext only

    args = sys.argv[1:]
    i18n.speak(i18n.asked(args))
    command = args[2:] if args[:1] == ["--lang"] else args[1:] if args[:1] and args[0].startswith("--lang=") else args
    if any(command[: len(words)] == words for words in RENDERING) and not {"--help", "-h"} & set(args):
        from ..batch.start import warm_up  # os and sys only: WeasyPrint loads in the fork server

        warm_up()
    from .cli import run

    run()


def __getattr__(name: str) -> object:
    """The Typer app on first use (PEP 562), so importing this module stays light."""
    if name != "app":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from .cli import app

    return app

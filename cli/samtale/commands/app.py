"""The `samtale` Typer application and its top-level options; the commands register themselves on it."""

from __future__ import annotations

from typing import Annotated

import typer

from .. import __version__

app = typer.Typer(
    help="Print-ready materials for development conversations (MUS, GRUS, LUS) from one YAML catalogue.",
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"samtale {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")] = False,
) -> None:
    """Print-ready materials for development conversations (MUS, GRUS, LUS) from one YAML catalogue."""

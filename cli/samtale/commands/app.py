"""The `samtale` Typer application and its top-level options; the commands register themselves on it."""

from __future__ import annotations

from typing import Annotated, Any

import typer
import typer.core
import typer.main

from .. import __version__


class PlainArgument(typer.core.TyperArgument):
    """An argument shown in help by its name alone ("NAME..."), as click shows it: Typer adds the Python type
    ("NAME <list[str]>") and braces ("{NAME}"), which mean nothing to the people who use samtale."""

    def display_type_rich(self, ctx: Any) -> str | None:  # Any: Typer passes its own click Context
        return None

    def _usage_display_name(self) -> str:
        name = self.display_name_raw + ("..." if self.nargs != 1 else "")
        return name if self.required else f"[{name}]"


typer.main.TyperArgument = PlainArgument  # type: ignore[misc]  # the class typer.main builds arguments with

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

"""The `samtale` Typer application and its top-level options; the commands register themselves on it."""

from __future__ import annotations

from typing import Annotated, Any

import typer
import typer.core
import typer.main

from .. import __version__
from ..core.i18n import _
from . import words
from .options import Speak


class PlainArgument(typer.core.TyperArgument):
    """An argument shown in help by its name alone ("NAME..."), as click shows it: Typer adds the Python type
    ("NAME <list[str]>") and braces ("{NAME}"), which mean nothing to the people who use samtale."""

    def display_type_rich(self, ctx: Any) -> str | None:  # Any: Typer passes its own click Context
        return None

    def _usage_display_name(self) -> str:
        name = self.display_name_raw + ("..." if self.nargs != 1 else "")
        return name if self.required else f"[{name}]"


typer.main.TyperArgument = PlainArgument  # type: ignore[misc]  # the class typer.main builds arguments with
words.install()  # "Usage:", "Show this message and exit." … in samtale's language

ABOUT = _("Print-ready materials for development conversations (MUS, GRUS, LUS) from one YAML catalogue.")

app = typer.Typer(
    help=ABOUT,
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"samtale {__version__}")
        raise typer.Exit()


@app.callback(help=ABOUT)
def main_options(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help=_("Show the version and exit."))] = False,
    lang: Speak = None,  # samtale.commands.main has chosen it already, before the help texts were read
) -> None:
    """The options that come before a command (its help is ABOUT, in samtale's language)."""

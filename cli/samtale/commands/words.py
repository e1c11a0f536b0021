"""The command line's own words ("Usage:", "Options", "Show this message and exit.", its errors) in samtale's language.

Typer says some of them through the standard library's `gettext` (its default domain,
which `i18n.speak` binds to samtale's catalogue): they are listed in `TYPER` so that
extraction puts them in the catalogue. The rest are written into Typer's copy of click
as plain English: `install` gives the help screen samtale's words for them, and `usage`
says a wrong command line in samtale's words.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import typer
import typer.core
import typer.main
from typer import _click

from ..core.i18n import N_, _

# What typer.core translates through gettext when it writes help and errors.
TYPER = (
    N_("Options"), N_("Arguments"), N_("Commands"), N_("required"), N_("default: {default}"), N_("env var: {var}"),
    N_("(dynamic)"), N_("Aborted!"), N_("Missing command."), N_("No such command {name!r}."),
)


class Formatter(_click.formatting.HelpFormatter):
    """Help as click writes it, its "Usage:" line in samtale's language."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        args = args.replace("[OPTIONS]", _("[OPTIONS]")).replace("COMMAND [ARGS]...", _("COMMAND [ARGS]..."))
        super().write_usage(prog, args, _("Usage: ") if prefix is None else prefix)


def _help_option(self: Any, ctx: Any) -> Any:
    option = _plain_help_option(self, ctx)
    if option is not None:
        option.help = _("Show this message and exit.")
    return option


def _completion_options() -> tuple[Any, Any]:
    install, show = _plain_completion_options()
    install.help = _("Install completion for the current shell.")
    show.help = _("Show completion for the current shell, to copy it or customize the installation.")
    return install, show


_plain_help_option = _click.core.Command.get_help_option
_plain_completion_options: Callable[[], tuple[Any, Any]] = typer.main.get_install_completion_arguments  # Typer's options


def install() -> None:
    """Give Typer's help screens samtale's words (Typer has no setting for them)."""
    _click.core.Context.formatter_class = Formatter
    _click.core.Command.get_help_option = _help_option  # type: ignore[method-assign]
    typer.main.get_install_completion_arguments = _completion_options


def usage(err: Any) -> str:
    """What is wrong with a command line (a Typer usage error), in samtale's words."""
    message = str(getattr(err, "message", "") or err)
    if isinstance(err, _click.exceptions.NoSuchOption):
        said = _("there is no option {option}").format(option=err.option_name)
        if err.possibilities:
            said += _("; did you mean {options}?").format(options=_or(sorted(err.possibilities)))
        return said
    if isinstance(err, _click.exceptions.MissingParameter):
        what = _hint(err) or (err.param.name if err.param else "")
        return _("{what} is missing").format(what=what)
    if isinstance(err, _click.exceptions.BadParameter):
        what = _hint(err)
        return _("{what}: {problem}").format(what=what, problem=_value(message)) if what else _value(message)
    if isinstance(err, _click.exceptions.BadOptionUsage):
        if "does not take a value" in message:
            return _("{option} takes no value").format(option=err.option_name)
        return _("{option} needs a value after it").format(option=err.option_name)
    if extra := re.fullmatch(r"Got unexpected extra argument\(s\) \((.*)\)", message):
        return _("'{words}' is more than the command takes").format(words=extra[1])
    return message  # Typer's own, through gettext, or samtale's


def _hint(err: Any) -> str:
    hint = err.param_hint if err.param_hint is not None else (err.param.get_error_hint() if err.param else None)
    if hint is None:
        return ""
    return hint if isinstance(hint, str) else " / ".join(hint)


def _value(message: str) -> str:
    """A value Typer could not read (pydantic's words), said plainly; samtale's own checks are said as they are."""
    message = message.removeprefix("Value error, ")
    if choice := re.fullmatch(r"(.*) is not one of (.*)\.", message):
        return _("{value} is not possible; choose {choices}").format(value=choice[1], choices=_or(choice[2].split(", ")))
    if message.startswith("Input should be a valid integer"):
        return _("give a whole number")
    if message.startswith("Input should be a valid number"):
        return _("give a number, e.g. 2.5")
    return message


def _or(names: list[str]) -> str:
    return names[0] if len(names) == 1 else _("{names} or {last}").format(names=", ".join(names[:-1]), last=names[-1])

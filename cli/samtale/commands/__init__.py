"""The `samtale` command: thin commands that parse, call one library function and report.

Heavy libraries (WeasyPrint, pydantic, PyYAML) are imported inside the commands, so
`samtale --help` answers at once. A user error is one line per problem on standard
error and exit status 1.
"""

from __future__ import annotations

import sys

import typer

from ..core.errors import SamtaleError
from ..core.paths import settings_file
from . import materials, plan, workbench, workplace  # noqa: F401  (each registers its commands on the app)
from .app import app

app.add_typer(workplace.app, name="workplace")
app.command("schema")(workplace.schema)
app.add_typer(plan.plan_app, name="plan", help="The documented development plan: new (YAML to fill in), import (from a filled sheet), render (PDF/A + .ics).")


def defaults() -> dict | None:
    """The working folder's settings (samtale.toml) as the defaults of the commands that print (click's
    default_map): the output folder and the print options. Plans keep their own folder."""
    if settings_file() is None:
        return None  # outside a working folder: nothing to read, and --help stays instant
    from ..source.settings import find

    settings = find()
    flat = settings.defaults() if settings else {}
    return dict.fromkeys(("render", "calibrate"), flat)


def main() -> None:
    """Entry point: user errors become one line each on standard error and exit status 1."""
    try:
        # Without standalone mode, Typer returns (not raises) the code of Ctrl-C and typer.Exit.
        code = app(standalone_mode=False, default_map=defaults())
    except SamtaleError as err:
        for problem in err.problems:
            typer.echo(str(problem), err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        typer.echo("Stopped.", err=True)
        sys.exit(130)
    except typer.Exit as exit_:
        sys.exit(exit_.exit_code)
    except typer.Abort:
        typer.echo("Aborted.", err=True)
        sys.exit(1)
    except typer.TyperException as err:  # usage errors: a wrong option or value (status 2, as Click gives them)
        ctx = getattr(err, "ctx", None)
        command = ctx.command_path if ctx else "samtale"
        typer.echo(f"{command}: {err.format_message()} (see '{command} --help')", err=True)
        sys.exit(2)
    sys.exit(code if isinstance(code, int) else 0)

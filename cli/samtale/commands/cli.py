"""The Typer application with every command, and the exit codes by convention.

Heavy libraries (WeasyPrint, pydantic, PyYAML) are imported inside the commands, so
`samtale --help` answers at once. A user error is one line per problem on standard
error. Exit status: 0 success, 1 a problem in the user's files (or what they asked of
them), 2 a wrong command line (as Click has it), 130 after Ctrl-C.
"""

from __future__ import annotations

import signal
import sys

import typer

from ..core.errors import SamtaleError
from ..core.i18n import _
from ..core.paths import settings_file
from . import doctor, materials, plan, words, workbench, workplace  # noqa: F401  (each registers its commands on the app)
from .app import app

# `from samtale.commands import app` is the Typer app, as it always was (importing the submodule `app` rebinds the name).
sys.modules[__package__].app = app  # type: ignore[attr-defined]

app.add_typer(workplace.app, name="workplace")
app.command("schema", help=_("Print the JSON Schema of catalogue files (or, with --overlay, of workplace files) for editors."))(
    workplace.schema)
app.add_typer(plan.plan_app, name="plan", help=_(
    "The documented development plan: new (YAML to fill in), import (from a filled sheet), render (PDF/A + .ics)."))

STOPPED = 130  # Ctrl-C, as shells report a process ended by SIGINT
TERMINATED = 143  # likewise for SIGTERM


def _terminated(signum: int, frame: object) -> None:
    raise SystemExit(TERMINATED)


def defaults() -> dict | None:
    """The working folder's settings (samtale.toml) as the defaults of the commands that print (click's
    default_map): the output folder and the print options. Plans keep their own folder."""
    if settings_file() is None:
        return None  # outside a working folder: nothing to read, and --help stays instant
    from ..source.settings import find

    settings = find()
    flat = settings.defaults() if settings else {}
    return dict.fromkeys(("render", "calibrate"), flat)


def run() -> None:
    """Run the command line: problems become one line each on standard error, and the exit status says what kind."""
    # A polite kill stops samtale as Ctrl-C does: workers stopped, temporary folders removed, nothing half-written.
    signal.signal(signal.SIGTERM, _terminated)
    try:
        # Without standalone mode, Typer returns (not raises) the codes of typer.Exit and of Ctrl-C.
        code = app(standalone_mode=False, default_map=defaults())
    except SamtaleError as err:
        for problem in err.problems:
            typer.echo(str(problem), err=True)
        code = 1
    except KeyboardInterrupt:
        code = STOPPED
    except typer.Exit as exit_:
        code = exit_.exit_code
    except typer.Abort:  # end of input at a prompt
        typer.echo(_("Stopped: no answer was given."), err=True)
        code = 1
    except typer.TyperException as err:  # usage errors (exit code 2): a wrong option or value
        ctx = getattr(err, "ctx", None)
        command = ctx.command_path if ctx else "samtale"
        typer.echo(_("{command}: {problem} (see '{command} --help')").format(command=command, problem=words.usage(err)), err=True)
        code = getattr(err, "exit_code", 2)
    finally:
        if "multiprocessing" in sys.modules:  # workers were started: wait for the last of them
            from ..batch.start import shutdown

            shutdown()
    if code == STOPPED:
        typer.echo(_("Stopped."), err=True)
    sys.exit(code if isinstance(code, int) else 0)

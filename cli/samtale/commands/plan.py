"""The `samtale plan` commands: write a plan to fill in, read a filled sheet, render the plan.

Only typer is imported here at module level, so `samtale --help` stays instant;
the work happens in `samtale.devplan`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..core.i18n import _
from .options import Force, PlanCatalogue, Speak, Timeout

plan_app = typer.Typer(
    help=_("The documented development plan: write it as YAML, read a filled sheet, render it as PDF/A with a calendar file."),
    no_args_is_help=True,
    rich_markup_mode=None,
)

@plan_app.callback()
def plan_options(lang: Speak = None) -> None:  # read by samtale.commands.main, before the help texts
    pass


@plan_app.command("new", help=_("Write a development plan to fill in (YAML, readable only by you)."))
def new(
    file: Annotated[Path, typer.Argument(metavar=_("FILE"), help=_("The plan file to write, e.g. anna-mus-2026.yaml."), show_default=False)],
    type: Annotated[str | None, typer.Option("--type", "-t", metavar=_("TYPE"), help=_("Conversation type, e.g. mus, grus, lus. Default: the catalogue's first."), show_default=False)] = None,
    catalogue: PlanCatalogue = None,
    force: Force = False,
    lang: Speak = None,
) -> None:
    from ..devplan.sheet import new as new_plan  # lazy: keeps --help instant
    from ..source.catalogue import load

    type_id = type or load(catalogue).catalogue.conversation_types[0].id
    path = new_plan(file, type_id, catalogue, force=force)
    typer.echo(_("{file}: fill it in, then run: samtale plan render {file}").format(file=path))


@plan_app.command("import", help=_("Read a filled fillable sheet into a development plan YAML file."))
def import_(
    filled: Annotated[Path, typer.Argument(metavar="PDF", help=_("A filled sheet made with 'samtale render --fillable'."), show_default=False)],
    out: Annotated[Path | None, typer.Option("--out", "-o", metavar=_("FILE"), help=_("The plan file to write. Default: beside the PDF, ending in .yaml."), show_default=False)] = None,
    catalogue: PlanCatalogue = None,
    force: Force = False,
    lang: Speak = None,
) -> None:
    from ..devplan.sheet import import_filled  # lazy: keeps --help instant

    made = import_filled(filled, out, catalogue, force=force)
    typer.echo(str(made.path))
    if made.people:
        typer.echo(_("{file}: read the participants {names}").format(file=made.path, names=", ".join(made.people)), err=True)
    for item in made.todo:
        typer.echo(_("{file}: complete {item}").format(file=made.path, item=item), err=True)


@plan_app.command("render", help=_("Write the plan as PDF/A-2u for the personnel file, and an .ics with a follow-up event per agreement."))
def render(
    file: Annotated[Path, typer.Argument(metavar=_("FILE"), help=_("The filled-in plan (YAML)."), show_default=False)],
    out: Annotated[Path | None, typer.Option("--out", "-o", metavar=_("FOLDER"), help=_("Folder to write into. Default: the plan file's folder."), show_default=False)] = None,
    catalogue: PlanCatalogue = None,
    force: Annotated[bool, typer.Option("--force", help=_("Replace the plan's PDF and calendar file if they exist."))] = False,
    timeout: Timeout = 60.0,
    lang: Speak = None,
) -> None:
    from ..devplan.model import load  # lazy: keeps --help instant
    from ..devplan.output import render as render_plan

    written, warnings = render_plan(load(file, catalogue), out, force=force, timeout=timeout)
    for path in written:
        typer.echo(str(path))
    for line in warnings:
        typer.echo(line, err=True)

"""The `samtale workplace` commands (new, list, validate, diff) and `samtale schema`.

Only typer is imported here at module level, so `samtale --help` stays instant.
"""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated

import typer

from ..core.errors import SamtaleError
from .options import Catalogue

app = typer.Typer(
    help="Workplace overlays: a workplace's own wording, questions, keywords, pictures, logo and templates.",
    no_args_is_help=True,
    rich_markup_mode=None,
)

class Format(StrEnum):
    text = "text"
    markdown = "markdown"


@app.command()
def new(
    words: Annotated[list[str], typer.Argument(help="The workplace's name, as printed, e.g. \"Børnehuset Æblehaven\" (quotes optional).", metavar="NAME", show_default=False)],
    catalogue: Catalogue = None,
) -> None:
    """Create a workplace's file in the catalogue's workplaces folder, with every question's wording commented out, ready to edit."""
    from ..source.catalogue import load  # lazy: keeps --help instant
    from ..workbench.editing import create

    target = create(load(catalogue), " ".join(words))  # people type names without quotes
    slug = target.stem
    typer.echo(str(target))
    typer.echo(f"Edit it, then check it with 'samtale workplace validate {slug}' and print with 'samtale render --workplace {slug}' "
               "(or edit it in the browser with 'samtale serve').", err=True)


@app.command("list")
def list_(catalogue: Catalogue = None) -> None:
    """List the workplaces with their name and what each changes."""
    from ..press.validate import workplace as load_workplace  # lazy: keeps --help instant
    from ..source.catalogue import load
    from ..source.overlay import folder, overlay_paths, summary, unclaimed

    loaded = load(catalogue)
    paths = overlay_paths(loaded)
    for stray in unclaimed(loaded):
        typer.echo(f"{stray}: names no catalogue, so no catalogue lists it; add 'catalogue: {loaded.catalogue.id}' "
                   f"or move it into {folder(loaded)}", err=True)
    if not paths:
        typer.echo(f"No workplaces in {folder(loaded)}; create one with: samtale workplace new \"NAME\"")
        return
    broken = 0
    for path in paths:
        try:
            wp = load_workplace(loaded, path)
            typer.echo(f"{wp.slug:<28} {wp.name} – {summary(wp)}")
        except SamtaleError as err:
            broken += 1
            typer.echo(f"{path.stem:<28} has {len(err.problems)} problem(s): {err.problems[0]}")
    if broken:
        typer.echo(f"{broken} workplace file(s) have problems; see them with: samtale workplace validate", err=True)
        raise SystemExit(1)


@app.command()
def validate(
    workplace: Annotated[list[str] | None, typer.Argument(metavar="WORKPLACE", help="Workplaces: their names as printed, short names (slugs) or files. Default: all of the catalogue's.", show_default=False)] = None,
    catalogue: Catalogue = None,
) -> None:
    """Check workplace files: keys, question and keyword references, pictures, templates and whether the text fits."""
    from ..press.validate import workplace as load_workplace  # lazy: keeps --help instant
    from ..source.catalogue import load
    from ..source.overlay import find, overlay_paths, summary

    loaded = load(catalogue)
    paths = [find(loaded, w) for w in workplace] if workplace else overlay_paths(loaded)
    problems = []
    for path in paths:
        try:
            wp = load_workplace(loaded, path)
            typer.echo(f"{path.name}: OK – {wp.name}: {summary(wp)}")
        except SamtaleError as err:
            problems += err.problems
    if problems:
        raise SamtaleError(problems)


@app.command()
def diff(
    workplace: Annotated[str, typer.Argument(metavar="WORKPLACE", help="The workplace: its name as printed, its short name (slug) or its file.", show_default=False)],
    format: Annotated[Format, typer.Option("--format", "-f", metavar="text|markdown", help="text for the terminal, markdown for a document HR can approve.")] = Format.text,
    catalogue: Catalogue = None,
) -> None:
    """Show, question by question and per conversation type, the standard wording beside the workplace's."""
    from ..material import diff as diff_  # lazy: keeps --help instant
    from ..source.catalogue import load
    from ..source.overlay import find
    from ..source.overlay import load as load_overlay
    from ..workbench.approval import markdown

    loaded = load(catalogue)
    wp = load_overlay(loaded, find(loaded, workplace))
    changes = diff_(loaded, wp)
    if format is Format.markdown:
        typer.echo(markdown(loaded, wp, changes))
    else:
        terminal(loaded, wp, changes)


def terminal(loaded, wp, changes) -> None:
    from rich.console import Console
    from rich.table import Table

    from ..workbench.approval import by_type, heading, standard, what

    labels = loaded.catalogue.labels
    console = Console()
    console.print(f"{wp.name} ({wp.path}) against the catalogue {loaded.catalogue.id} {loaded.catalogue.version}")
    if not changes:
        console.print("No differences: the workplace prints the standard wording.")
    for ctype, rows in by_type(loaded, changes):
        if not rows:
            continue
        table = Table(title=heading(ctype), show_lines=True, title_justify="left", expand=True)
        table.add_column(labels.questions, ratio=1)
        table.add_column(labels.standard_workplace, ratio=3)
        table.add_column(wp.name, ratio=3)
        for c in rows:
            table.add_row(what(c), standard(c), c.workplace or "—")
        console.print(table)


def schema(
    overlay: Annotated[bool, typer.Option("--overlay", help="The schema of workplace overlay files instead of catalogue files.")] = False,
) -> None:
    """Print the JSON Schema of catalogue files (or, with --overlay, of workplace files) for editors."""
    from ..source.overlay import json_schema  # lazy: keeps --help instant

    typer.echo(json.dumps(json_schema(overlay=overlay), indent=2, ensure_ascii=False))

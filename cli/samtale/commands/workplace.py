"""The `samtale workplace` commands (new, list, validate, diff) and `samtale schema`.

Only typer is imported here at module level, so `samtale --help` stays instant.
"""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated

import typer

from ..core.errors import SamtaleError
from ..core.i18n import _, n_
from .options import Catalogue, Speak

app = typer.Typer(
    help=_("Workplace overlays: a workplace's own wording, questions, keywords, pictures, logo and templates."),
    no_args_is_help=True,
    rich_markup_mode=None,
)

@app.callback()
def workplace_options(lang: Speak = None) -> None:  # read by samtale.commands.main, before the help texts
    pass


class Format(StrEnum):
    text = "text"
    markdown = "markdown"


@app.command(help=_("Create a workplace's file in the catalogue's workplaces folder, with every question's wording commented out, ready to edit."))
def new(
    words: Annotated[list[str], typer.Argument(help=_("The workplace's name, as printed, e.g. \"Børnehuset Æblehaven\" (quotes optional)."), metavar=_("NAME"), show_default=False)],
    catalogue: Catalogue = None,
    lang: Speak = None,
) -> None:
    from ..source.catalogue import load  # lazy: keeps --help instant
    from ..workbench.editing import create

    target = create(load(catalogue), " ".join(words))  # people type names without quotes
    slug = target.stem
    typer.echo(str(target))
    typer.echo(_("Edit it, then check it with 'samtale workplace validate {slug}' and print with 'samtale render --workplace {slug}' "
                 "(or edit it in the browser with 'samtale serve').").format(slug=slug), err=True)


@app.command("list", help=_("List the workplaces with their name and what each changes."))
def list_(catalogue: Catalogue = None, lang: Speak = None) -> None:
    from ..press.validate import workplace as load_workplace  # lazy: keeps --help instant
    from ..source.catalogue import load
    from ..source.overlay import folder, overlay_paths, summary, unclaimed

    loaded = load(catalogue)
    paths = overlay_paths(loaded)
    for stray in unclaimed(loaded):
        typer.echo(_("{file}: names no catalogue, so no catalogue lists it; add 'catalogue: {id}' or move it into {folder}").format(
            file=stray, id=loaded.catalogue.id, folder=folder(loaded)), err=True)
    if not paths:
        typer.echo(_("No workplaces in {folder}; create one with: samtale workplace new \"NAME\"").format(folder=folder(loaded)))
        return
    broken = 0
    for path in paths:
        try:
            wp = load_workplace(loaded, path)
            typer.echo(f"{wp.slug:<28} {wp.name} – {summary(wp)}")
        except SamtaleError as err:
            broken += 1
            typer.echo(f"{path.stem:<28} " + n_("has {n} problem: {first}", "has {n} problems, the first: {first}", len(err.problems)).format(
                n=len(err.problems), first=err.problems[0]))
    if broken:
        typer.echo(n_("{n} workplace file has problems; see them with: samtale workplace validate",
                      "{n} workplace files have problems; see them with: samtale workplace validate", broken).format(n=broken), err=True)
        raise SystemExit(1)


@app.command(help=_("Check workplace files: keys, question and keyword references, pictures, templates and whether the text fits."))
def validate(
    workplace: Annotated[list[str] | None, typer.Argument(metavar=_("WORKPLACE"), help=_("Workplaces: their names as printed, short names (slugs) or files. Default: all of the catalogue's."), show_default=False)] = None,
    catalogue: Catalogue = None,
    lang: Speak = None,
) -> None:
    from ..press.validate import workplace_editions as load_workplace  # lazy: keeps --help instant
    from ..source.catalogue import load
    from ..source.overlay import find, overlay_paths, summary

    loaded = load(catalogue)
    paths = [find(loaded, w) for w in workplace] if workplace else overlay_paths(loaded)
    problems = []
    for path in paths:
        try:
            wp, lacking = load_workplace(loaded, path)
            typer.echo(_("{file}: OK – {name}: {summary}").format(file=path.name, name=wp.name, summary=summary(wp)) + editions(lacking))
        except SamtaleError as err:
            problems += err.problems
    if problems:
        raise SamtaleError(problems)


def editions(lacking: dict[str, int]) -> str:
    """The catalogue's other editions as the workplace prints in them: whole, or with texts still to translate."""
    from ..source.languages import name

    said = [name(lang) if not n else n_("{language} once {n} text is translated", "{language} once {n} texts are translated", n).format(
        language=name(lang), n=n) for lang, n in lacking.items()]
    return _("; also prints in {languages}").format(languages=", ".join(said)) if said else ""


@app.command(help=_("Show, question by question and per conversation type, the standard wording beside the workplace's (in each "
                    "language the catalogue prints)."))
def diff(
    workplace: Annotated[str, typer.Argument(metavar=_("WORKPLACE"), help=_("The workplace: its name as printed, its short name (slug) or its file."), show_default=False)],
    format: Annotated[Format, typer.Option("--format", "-f", metavar="text|markdown", help=_("text for the terminal, markdown for a document HR can approve."))] = Format.text,
    catalogue: Catalogue = None,
    lang: Speak = None,
) -> None:
    from ..material import diff as diff_  # lazy: keeps --help instant
    from ..source.catalogue import load
    from ..source.languages import LANGUAGES, name
    from ..source.overlay import find
    from ..source.overlay import load as load_overlay
    from ..workbench.approval import markdown

    loaded = load(catalogue)
    path = find(loaded, workplace)
    editions = [(loaded, load_overlay(loaded, path))]
    notes = []
    for edition in loaded.editions[1:]:
        other = loaded.edition(edition)
        try:
            editions.append((other, load_overlay(other, path)))
        except SamtaleError as err:
            notes.append(n_("{language}: {n} text of the workplace has no {language} yet; 'samtale workplace validate {slug}' names it",
                            "{language}: {n} texts of the workplace have no {language} yet; 'samtale workplace validate {slug}' names them",
                            len(err.problems)).format(language=name(edition), n=len(err.problems), slug=path.stem))
    if format is Format.markdown:
        parts = [markdown(cat, wp, diff_(cat, wp), edition=LANGUAGES[cat.lang] if len(editions) > 1 else None)
                 for cat, wp in editions]
        typer.echo("\n".join([*parts, *(f"*{note}*\n" for note in notes)]))
    else:
        for cat, wp in editions:
            terminal(cat, wp, diff_(cat, wp), edition=LANGUAGES[cat.lang] if len(editions) > 1 else None)
        for note in notes:
            typer.echo(note)


def terminal(loaded, wp, changes, edition: str | None = None) -> None:
    from rich.console import Console
    from rich.table import Table

    from ..workbench.approval import by_type, heading, standard, what

    labels = loaded.catalogue.labels
    console = Console()
    console.print(_("{name} ({file}) against the catalogue {id} {version}").format(
        name=wp.name, file=wp.path, id=loaded.catalogue.id, version=loaded.catalogue.version) + (f" – {edition}" if edition else ""))
    if not changes:
        console.print(_("No differences: the workplace prints the standard wording."))
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
    overlay: Annotated[bool, typer.Option("--overlay", help=_("The schema of workplace overlay files instead of catalogue files."))] = False,
    lang: Speak = None,
) -> None:
    from ..source.overlay import json_schema  # lazy: keeps --help instant

    typer.echo(json.dumps(json_schema(overlay=overlay), indent=2, ensure_ascii=False))

"""The `samtale` command: thin commands that parse, call one library function and report.

Heavy libraries (WeasyPrint, pydantic, ruamel) are imported inside the commands,
so `samtale --help` answers at once.
"""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from . import __version__

app = typer.Typer(
    help="Print-ready materials for development conversations (MUS, GRUS, LUS) from one YAML catalogue.",
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


class PaperName(str, Enum):
    a4 = "a4"
    a3 = "a3"


class Style(str, Enum):
    jigsaw = "jigsaw"
    cards = "cards"


class Flip(str, Enum):
    long = "long"
    short = "short"


def parse_offset(text: str) -> tuple[float, float]:
    """'X,Y' in millimetres, as printed on the calibration sheet."""
    try:
        x, y = (float(part.replace(" ", "")) for part in text.split(","))
    except ValueError:
        raise typer.BadParameter(f"'{text}' is not an offset; write it as X,Y in millimetres, e.g. 0.5,-1") from None
    if abs(x) > 20 or abs(y) > 20:
        raise typer.BadParameter(f"'{text}' is more than 20 mm; measure again on the calibration sheet")
    return (x, y)


CatalogueOption = Annotated[
    Optional[Path],
    typer.Option("--catalogue", "-c", help="The catalogue YAML file. Default: the built-in Albertslund catalogue.", show_default=False),
]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"samtale {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")] = False,
) -> None:
    """Print-ready materials for development conversations (MUS, GRUS, LUS) from one YAML catalogue."""


@app.command()
def render(
    type: Annotated[list[str], typer.Option("--type", "-t", help="Conversation type, e.g. mus, grus, lus. Repeat for several. Default: all.", show_default=False)] = [],
    product: Annotated[list[str], typer.Option("--product", "-p", help="Product: skema, aftaleark, puslespil. Repeat for several. Default: all.", show_default=False)] = [],
    catalogue: CatalogueOption = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder to write into.")] = Path("output"),
    paper: Annotated[PaperName, typer.Option(help="Paper size of the skema and the puzzle sheets.")] = PaperName.a4,
    style: Annotated[Style, typer.Option(help="Puzzle pieces as interlocking jigsaw pieces, or as rectangular cards with crop marks.")] = Style.jigsaw,
    cut_svg: Annotated[bool, typer.Option("--cut-svg", help="Also write one SVG of cut lines per puzzle sheet, for cutting plotters.")] = False,
    backs: Annotated[bool, typer.Option("--backs", help="Add the back of each puzzle sheet, for duplex printing.")] = False,
    flip: Annotated[Flip, typer.Option(help="How your printer turns the sheet for duplex: over the long or the short edge.")] = Flip.long,
    back_offset: Annotated[str, typer.Option(help="Move the backs by X,Y mm to correct your printer (read it off `samtale calibrate`).")] = "0,0",
    blank_keywords: Annotated[int, typer.Option(min=0, max=40, help="Add this many blank keyword pieces for your own keywords.")] = 0,
    fillable: Annotated[bool, typer.Option("--fillable", help="Make the note and agreement sheet fillable on screen (PDF form fields).")] = False,
    workplace: Annotated[list[str], typer.Option("--workplace", "-w", help="A workplace's slug or the path of its overlay file. Repeat for several. Default: the standard set.", show_default=False)] = [],
    all_workplaces: Annotated[bool, typer.Option("--all-workplaces", help="The standard set and every workplace in the catalogue's workplaces/ folder.")] = False,
    jobs: Annotated[Optional[int], typer.Option("--jobs", "-j", min=1, help="Render in this many worker processes. Default: the number of cores.", show_default=False)] = None,
    force: Annotated[bool, typer.Option("--force", help="Render every document again, even those that have not changed.")] = False,
    timeout: Annotated[float, typer.Option(min=0.1, help="Stop a document that takes longer than this many seconds.")] = 60.0,
) -> None:
    """Render the materials as PDF into OUT/<catalogue>/<workplace>/<type>-<product>.pdf.

    Only documents whose content, templates, pictures or options changed since the last run are rendered.
    """
    from .batch import report, run
    from .catalogue import load
    from .products import Options

    loaded = load(catalogue)
    options = Options(
        paper=paper.value, style=style.value, cut_svg=cut_svg, backs=backs, flip=flip.value,
        back_offset=parse_offset(back_offset), blank_keywords=blank_keywords, fillable=fillable,
    )
    try:
        summary = run(
            loaded, workplaces=workplace, all_workplaces=all_workplaces, types=type, products=product, options=options,
            out=out, jobs=jobs, force=force, timeout=timeout, written=lambda path: typer.echo(str(path)),
        )
    except KeyboardInterrupt:  # typer would turn it into a returned 130 that main() does not pass on
        typer.echo("Stopped. The documents written so far are whole and recorded; run again to finish.", err=True)
        raise SystemExit(130) from None
    for line in report(summary, out):
        typer.echo(line, err=True)
    if not summary.ok:
        raise SystemExit(1)  # click returns, not raises, typer.Exit when not standalone


@app.command()
def validate(catalogue: CatalogueOption = None) -> None:
    """Check a catalogue: keys, ids, references, pictures, colours and whether every text fits."""
    from .catalogue import load

    loaded = load(catalogue)
    cat = loaded.catalogue
    typer.echo(
        f"{loaded.path.name}: OK – {cat.municipality.name}, {len(cat.conversation_types)} conversation types, "
        f"{len(cat.perspectives)} perspectives, {len(cat.questions)} questions, "
        f"{sum(len(p.keywords) for p in cat.perspectives)} keywords, {len(cat.pictures)} pictures"
    )


@app.command("list")
def list_(catalogue: CatalogueOption = None) -> None:
    """Show the catalogue's conversation types, products, perspectives and counts."""
    from .catalogue import load

    loaded = load(catalogue)
    cat = loaded.catalogue
    typer.echo(f"{cat.municipality.name} – catalogue '{cat.id}', version {cat.version} ({loaded.path})")
    typer.echo("\nConversation types:")
    for t in cat.conversation_types:
        typer.echo(f"  {t.id:<6} {t.name} ({t.code}) – products: {', '.join(t.products)}")
    typer.echo("\nPerspectives:")
    for p in cat.perspectives:
        count = sum(q.perspective == p.id for q in cat.questions)
        typer.echo(f"  {p.id:<10} {p.name:<10} {p.colour}  {count} questions, {len(p.keywords)} keywords")
    typer.echo(
        f"\n{len(cat.questions)} questions, {sum(len(p.keywords) for p in cat.perspectives)} keywords, "
        f"{len(cat.pictures)} picture pieces"
    )


from . import workplace_cli  # noqa: E402  (sub-commands; imports only typer)

app.add_typer(workplace_cli.app, name="workplace")
app.command("schema")(workplace_cli.schema)


@app.command()
def calibrate(
    paper: Annotated[PaperName, typer.Option(help="The paper you print the pieces on.")] = PaperName.a4,
    flip: Annotated[Flip, typer.Option(help="How your printer turns the sheet for duplex: over the long or the short edge.")] = Flip.long,
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder to write into.")] = Path("output"),
    catalogue: CatalogueOption = None,
) -> None:
    """Write a two-sided calibration sheet: print it duplex and read your printer's --back-offset off it."""
    from .calibrate import calibration_sheet
    from .catalogue import load

    typer.echo(str(calibration_sheet(load(catalogue), paper.value, flip.value, out)))


from .plan_cli import plan_app  # noqa: E402  (only typer at module level: --help stays instant)

app.add_typer(plan_app, name="plan", help="The documented development plan: new (YAML to fill in), import (from a filled sheet), render (PDF/A + .ics).")


def main() -> None:
    """Entry point: user errors become one line each on standard error and exit status 1."""
    from .errors import SamtaleError

    try:
        # Without standalone mode, Typer returns (not raises) the code of Ctrl-C and typer.Exit.
        code = app(standalone_mode=False)
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
    except typer.TyperException as err:  # usage errors: a wrong option or value
        ctx = getattr(err, "ctx", None)
        command = ctx.command_path if ctx else "samtale"
        typer.echo(f"{command}: {err.format_message()} (see '{command} --help')", err=True)
        sys.exit(1)
    sys.exit(code if isinstance(code, int) else 0)

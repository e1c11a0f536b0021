"""The commands that print the materials: render, validate, list and calibrate.

Only typer is imported at module level; each command imports what it needs when it
runs (lazy, so `samtale --help` answers at once).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from .app import app
from .options import Catalogue, Flip, FlipOption, Out, Paper, PaperName, Style, Timeout, parse_offset


@app.command()
def render(
    type: Annotated[list[str], typer.Option("--type", "-t", help="Conversation type, e.g. mus, grus, lus. Repeat for several. Default: all.", show_default=False)] = [],  # noqa: B006  (Typer's way to say "repeatable")
    product: Annotated[list[str], typer.Option("--product", "-p", help="Product: skema, aftaleark, puslespil. Repeat for several. Default: all.", show_default=False)] = [],  # noqa: B006  (as above)
    catalogue: Catalogue = None,
    out: Out = Path("output"),
    paper: Paper = PaperName.a4,
    style: Annotated[Style, typer.Option(help="Puzzle pieces as interlocking jigsaw pieces, or as rectangular cards with crop marks.")] = Style.jigsaw,
    cut_svg: Annotated[bool, typer.Option("--cut-svg", help="Also write one SVG of cut lines per puzzle sheet, for cutting plotters.")] = False,
    backs: Annotated[bool, typer.Option("--backs", help="Add the back of each puzzle sheet, for duplex printing.")] = False,
    flip: FlipOption = Flip.long,
    back_offset: Annotated[str, typer.Option(help="Move the backs by X,Y mm to correct your printer (read it off `samtale calibrate`).")] = "0,0",
    blank_keywords: Annotated[int, typer.Option(min=0, max=40, help="Add this many blank keyword pieces for your own keywords.")] = 0,
    fillable: Annotated[bool, typer.Option("--fillable", help="Make the note and agreement sheet fillable on screen (PDF form fields).")] = False,
    workplace: Annotated[list[str], typer.Option("--workplace", "-w", help="A workplace's slug or the path of its overlay file. Repeat for several. Default: the standard set.", show_default=False)] = [],  # noqa: B006  (as above)
    all_workplaces: Annotated[bool, typer.Option("--all-workplaces", help="The standard set and every workplace in the catalogue's workplaces/ folder.")] = False,
    jobs: Annotated[Optional[int], typer.Option("--jobs", "-j", min=1, help="Render in this many worker processes. Default: the number of cores.", show_default=False)] = None,  # noqa: UP045  (Typer reads Optional as its docs do)
    force: Annotated[bool, typer.Option("--force", help="Render every document again, even those that have not changed.")] = False,
    timeout: Timeout = 60.0,
) -> None:
    """Render the materials as PDF into OUT/<catalogue>/<workplace>/<type>-<product>.pdf.

    Only documents whose content, templates, pictures or options changed since the last run are rendered.
    """
    from ..batch import report, run  # lazy: keeps --help instant
    from ..products import Options
    from ..source.catalogue import load

    loaded = load(catalogue)
    options = Options(
        paper=paper.value, style=style.value, cut_svg=cut_svg, backs=backs, flip=flip.value,
        back_offset=parse_offset(back_offset), blank_keywords=blank_keywords, fillable=fillable,
    )
    try:
        summary = run(
            loaded, workplaces=workplace, all_workplaces=all_workplaces, types=type, wanted=product, options=options,
            out=out, jobs=jobs, force=force, timeout=timeout, written=lambda path: typer.echo(str(path)),
            note=lambda line: typer.echo(line, err=True),
        )
    except KeyboardInterrupt:  # typer would turn it into a returned 130 that main() does not pass on
        typer.echo("Stopped. The documents written so far are whole and recorded; run again to finish.", err=True)
        raise SystemExit(130) from None
    for line in report(summary, out):
        typer.echo(line, err=True)
    if not summary.ok:
        raise SystemExit(1)  # click returns, not raises, typer.Exit when not standalone


@app.command()
def validate(catalogue: Catalogue = None) -> None:
    """Check a catalogue: keys, ids, references, pictures, colours and whether every text fits."""
    from ..core.errors import SamtaleError  # lazy: keeps --help instant
    from ..press import validate as checks
    from ..source.catalogue import load

    loaded = load(catalogue)
    problems = checks.catalogue(loaded)
    if problems:
        raise SamtaleError(problems)
    cat = loaded.catalogue
    typer.echo(
        f"{loaded.path.name}: OK – {cat.municipality.name}, {len(cat.conversation_types)} conversation types, "
        f"{len(cat.perspectives)} perspectives, {len(cat.questions)} questions, "
        f"{sum(len(p.keywords) for p in cat.perspectives)} keywords, {len(cat.pictures)} pictures"
    )


@app.command("list")
def list_(catalogue: Catalogue = None) -> None:
    """Show the catalogue's conversation types, products, perspectives and counts."""
    from ..source.catalogue import load  # lazy: keeps --help instant

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


@app.command()
def calibrate(
    paper: Annotated[PaperName, typer.Option(help="The paper you print the pieces on.")] = PaperName.a4,
    flip: FlipOption = Flip.long,
    out: Out = Path("output"),
    catalogue: Catalogue = None,
    timeout: Timeout = 60.0,
) -> None:
    """Write a two-sided calibration sheet: print it duplex and read your printer's --back-offset off it."""
    from ..batch import Layout, render_isolated  # lazy: keeps --help instant
    from ..press import jinja
    from ..press.writer import write_atomic
    from ..products import calibration
    from ..source.catalogue import load

    loaded = load(catalogue)
    html = jinja.render(calibration.TEMPLATE, calibration.context(loaded, paper.value, flip.value))
    path = Path(out) / calibration.file_name(paper.value, flip.value)
    write_atomic(path, render_isolated(Layout(html, path.name), timeout, path.name)[path.name])
    typer.echo(str(path))

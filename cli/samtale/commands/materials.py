"""The commands that print the materials: render, validate, list and calibrate.

Only typer is imported at module level; each command imports what it needs when it
runs (lazy, so `samtale --help` answers at once).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from ..core.i18n import _, n_
from .app import app
from .options import (
    Catalogue,
    Flip,
    FlipOption,
    Lang,
    Language,
    Out,
    Paper,
    PaperName,
    Speak,
    Style,
    Target,
    Timeout,
    between,
    parse_offset,
)


@app.command(help=_(
    "Render the materials as PDF files: one folder per catalogue and workplace, one file per conversation type and product."
    "\n\nOnly documents whose content, templates, pictures or options changed since the last run are rendered."))
def render(
    type: Annotated[list[str], typer.Option("--type", "-t", metavar=_("TYPE"), help=_("Conversation type, e.g. mus, grus, lus. Repeat for several. Default: all."), show_default=False)] = [],  # noqa: B006  (Typer's way to say "repeatable")
    product: Annotated[list[str], typer.Option("--product", "-p", metavar=_("PRODUCT"), help=_("Product: skema, aftaleark, puslespil. Repeat for several. Default: all."), show_default=False)] = [],  # noqa: B006  (as above)
    catalogue: Catalogue = None,
    out: Out = Path("output"),
    paper: Paper = PaperName.a4,
    style: Annotated[Style, typer.Option(metavar="jigsaw|cards", help=_("Puzzle pieces as interlocking jigsaw pieces, or as rectangular cards with crop marks."))] = Style.jigsaw,
    cut_svg: Annotated[bool, typer.Option("--cut-svg", help=_("Also write one SVG of cut lines per puzzle sheet, for cutting plotters."))] = False,
    target: Annotated[Target, typer.Option("--for", metavar="office|print-shop|laser|silhouette|cricut", help=_(
        "Who prints and cuts: an office printer and scissors; a print shop (PDF/X-4 with 3 mm bleed, marks and a "
        "CutContour); a laser cutter (the puzzle's cut files, every edge once, SVG and DXF); a Silhouette or a Cricut "
        "(the puzzle laid out to print then cut, with a matching cut SVG)."))] = Target.office,
    hairline: Annotated[float, typer.Option(metavar="MM", callback=between(0.001, 0.1, _("line width in mm")), help=_("The stroke of the cut files' lines, in mm (laser drivers cut strokes of 0.01 to 0.025 mm)."))] = 0.01,
    backs: Annotated[bool, typer.Option("--backs", help=_("Add the back of each puzzle sheet, for duplex printing."))] = False,
    flip: FlipOption = Flip.long,
    back_offset: Annotated[str, typer.Option(metavar="X,Y", help=_("Move the backs by X,Y mm to correct your printer (read it off 'samtale calibrate')."))] = "0,0",
    blank_keywords: Annotated[int, typer.Option(metavar="N", callback=between(0, 40, _("number of blank keyword pieces")), help=_("Add this many blank keyword pieces (0 to 40) for your own keywords."))] = 0,
    fillable: Annotated[bool, typer.Option("--fillable", help=_("Make the note and agreement sheet fillable on screen (PDF form fields), in a file of its own."))] = False,
    workplace: Annotated[list[str], typer.Option("--workplace", "-w", metavar=_("WORKPLACE"), help=_("A workplace: its name as printed, its short name (slug) or its file. Repeat for several. Default: the standard set."), show_default=False)] = [],  # noqa: B006  (as above)
    all_workplaces: Annotated[bool, typer.Option("--all-workplaces", help=_("The standard set and every workplace of the catalogue."))] = False,
    jobs: Annotated[Optional[int], typer.Option("--jobs", "-j", metavar="N", callback=between(1, None, _("number of worker processes")), help=_("Render in this many worker processes. Default: the number of cores."), show_default=False)] = None,  # noqa: UP045  (Typer reads Optional as its docs do)
    force: Annotated[bool, typer.Option("--force", help=_("Render every document again, even those that have not changed."))] = False,
    timeout: Timeout = 60.0,
    watch: Annotated[bool, typer.Option("--watch", help=_("Keep running, and render again what a change to the catalogue, a workplace, a picture or a template affects."))] = False,
    lang: Lang = None,
) -> None:
    from ..batch import report, run  # lazy: keeps --help instant
    from ..core.paths import refuse_built_in
    from ..products import Options, options_problem, supporting
    from ..source.catalogue import load

    refuse_built_in(out)
    edition = (lang or Language.da).value
    options = Options(
        paper=paper.value, style=style.value, cut_svg=cut_svg, backs=backs, flip=flip.value,
        back_offset=parse_offset(back_offset), blank_keywords=blank_keywords, fillable=fillable,
        target=target.value, hairline=hairline,
    )
    if not product and target != Target.office:
        product = supporting(options.target)  # a cutting machine cuts the puzzle only
    if (problem := options_problem(product, options)) is not None:
        raise typer.BadParameter(problem, param_hint="'--for'")

    def once() -> bool:
        summary = run(
            load(catalogue, edition), workplaces=workplace, all_workplaces=all_workplaces, types=type, wanted=product, options=options,
            out=out, jobs=jobs, force=force, timeout=timeout, written=lambda path: typer.echo(str(path)),
            note=lambda line: typer.echo(line, err=True),
        )
        for line in dict.fromkeys(str(problem) for problem in summary.problems):  # one line each, said once
            typer.echo(line, err=True)
        typer.echo(report(summary, out))
        return summary.ok

    try:
        if watch:
            from ..workbench.watch import render_on_change

            render_on_change(load(catalogue, edition), out, once, say=lambda line: typer.echo(line, err=True))
            return
        ok = once()
    except KeyboardInterrupt:  # typer would turn it into a returned 130 that main() does not pass on
        typer.echo(_("Stopped. The documents written so far are whole and recorded; run again to finish."), err=True)
        raise SystemExit(130) from None
    if not ok:
        raise SystemExit(1)  # click returns, not raises, typer.Exit when not standalone


@app.command(help=_("Check a catalogue: keys, ids, references, pictures, colours and whether every text fits."))
def validate(catalogue: Catalogue = None, lang: Speak = None) -> None:
    from ..core.errors import SamtaleError  # lazy: keeps --help instant
    from ..press import validate as checks
    from ..source import languages
    from ..source.catalogue import load

    loaded = load(catalogue)
    problems = checks.editions(loaded)
    if problems:
        raise SamtaleError(problems)
    cat = loaded.catalogue
    counts = [
        n_("{n} conversation type", "{n} conversation types", len(cat.conversation_types)).format(n=len(cat.conversation_types)),
        n_("{n} perspective", "{n} perspectives", len(cat.perspectives)).format(n=len(cat.perspectives)),
        n_("{n} question", "{n} questions", len(cat.questions)).format(n=len(cat.questions)),
        keywords(cat),
        n_("{n} picture", "{n} pictures", len(cat.pictures)).format(n=len(cat.pictures)),
    ]
    typer.echo(_("{file}: OK – {municipality}, {counts}; editions: {editions}").format(
        file=loaded.path.name, municipality=cat.municipality.name, counts=", ".join(counts),
        editions=", ".join(languages.name(edition) for edition in loaded.editions)))


def keywords(cat) -> str:
    count = sum(len(p.keywords) for p in cat.perspectives)
    return n_("{n} keyword", "{n} keywords", count).format(n=count)


@app.command("list", help=_("Show the catalogue's conversation types, products, perspectives and counts."))
def list_(catalogue: Catalogue = None, lang: Speak = None) -> None:
    from ..source.catalogue import load  # lazy: keeps --help instant

    loaded = load(catalogue)
    cat = loaded.catalogue
    typer.echo(_("{municipality} – catalogue '{id}', version {version} ({file})").format(
        municipality=cat.municipality.name, id=cat.id, version=cat.version, file=loaded.path))
    typer.echo("\n" + _("Conversation types:"))
    for t in cat.conversation_types:
        typer.echo(f"  {t.id:<6} " + _("{name} ({code}) – products: {products}").format(
            name=t.name, code=t.code, products=", ".join(t.products)))
    typer.echo("\n" + _("Perspectives:"))
    for p in cat.perspectives:
        count = sum(q.perspective == p.id for q in cat.questions)
        typer.echo(f"  {p.id:<10} {p.name:<10} {p.colour}  " + n_("{n} question", "{n} questions", count).format(n=count)
                   + ", " + n_("{n} keyword", "{n} keywords", len(p.keywords)).format(n=len(p.keywords)))
    typer.echo("\n" + ", ".join([
        n_("{n} question", "{n} questions", len(cat.questions)).format(n=len(cat.questions)), keywords(cat),
        n_("{n} picture piece", "{n} picture pieces", len(cat.pictures)).format(n=len(cat.pictures)),
    ]))


@app.command(help=_("Write a two-sided calibration sheet: print it duplex and read your printer's --back-offset off it."))
def calibrate(
    paper: Annotated[PaperName, typer.Option(metavar="a4|a3", help=_("The paper you print the pieces on."))] = PaperName.a4,
    flip: FlipOption = Flip.long,
    out: Out = Path("output"),
    catalogue: Catalogue = None,
    timeout: Timeout = 60.0,
    lang: Lang = None,
) -> None:
    from ..batch import Layout, render_isolated  # lazy: keeps --help instant
    from ..core.paths import refuse_built_in
    from ..press import jinja
    from ..press.writer import write_atomic
    from ..products import calibration
    from ..source.catalogue import load

    refuse_built_in(out)
    loaded = load(catalogue, (lang or Language.da).value)
    html = jinja.render(calibration.TEMPLATE, calibration.context(loaded, paper.value, flip.value))
    path = Path(out) / calibration.file_name(paper.value, flip.value, loaded.lang)
    write_atomic(path, render_isolated(Layout(html, path.name), timeout, path.name)[path.name])
    typer.echo(str(path))

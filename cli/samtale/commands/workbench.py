"""The administrator's commands: `samtale init` (a working folder of one's own) and `samtale serve` (the browser workbench).

Only typer is imported here at module level, so `samtale --help` stays instant.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..core.i18n import _
from .app import app
from .options import Catalogue, Speak, between


@app.command(help=_("Make a working folder of your own: settings (samtale.toml), an editable copy of the catalogue with its pictures, "
                    "a folder for its workplaces, and a short guide in Danish (LÆS MIG.txt)."))
def init(
    folder: Annotated[Path, typer.Argument(metavar=_("FOLDER"), show_default=False, help=_("The folder to make. Default: the current folder."))] = Path("."),
    catalogue: Annotated[list[str], typer.Option("--catalogue", "-c", metavar=_("CATALOGUE"), show_default=False, help=_(
        "A built-in catalogue's id (albertslund, hoeje-taastrup) or a catalogue file to copy. "
        "Repeat for several; the first is the folder's default. Default: albertslund."
    ))] = [],  # noqa: B006  (Typer's way to say "repeatable")
    lang: Speak = None,
) -> None:
    from ..workbench.folder import create  # lazy: keeps --help instant

    settings = create(folder, catalogue)
    typer.echo(str(settings))
    typer.echo(_("Your working folder is ready. Go there ('cd {folder}') and run 'samtale serve', or read 'LÆS MIG.txt'.").format(
        folder=folder), err=True)


@app.command(help=_("Open the workbench in your web browser: create workplaces, edit their wording with a live preview of the page, "
                    "approve the changes and make the PDFs. Only you, on this computer, can open it."))
def serve(
    catalogue: Catalogue = None,
    port: Annotated[int, typer.Option(metavar=_("PORT"), callback=between(0, 65535, _("port")), help=_("The port on this computer to serve on. Default: a free one."), show_default=False)] = 0,
    browser: Annotated[bool, typer.Option("--browser/--no-browser", help=_("Open the page in your web browser."))] = True,
    lang: Speak = None,
) -> None:
    from ..workbench.server import serve as run  # lazy: web libraries load only here

    run(catalogue, port=port, open_browser=browser, say=lambda line: typer.echo(line, err=True), show=typer.echo)

"""`samtale doctor`: what a render depends on, one plain line each."""

from __future__ import annotations

import typer

from ..core.i18n import _
from .app import app
from .options import Catalogue, Speak


@app.command(help=_("Show what rendering depends on (Python, WeasyPrint, Pango, HarfBuzz, the typeface, the catalogue, the temporary "
                    "folder, how workers start) and whether each is there. Exit status 1 if something needed is missing."))
def doctor(catalogue: Catalogue = None, lang: Speak = None) -> None:
    from ..batch.doctor import findings  # lazy: keeps --help instant

    found = findings(catalogue)
    width = max(len(f.what) for f in found)
    for f in found:
        mark = {"ok": _("ok"), "slow": _("slow"), "missing": _("MISSING")}[f.state]
        typer.echo(f"{f.what:<{width}}  {mark:<8} {f.found}")
    if any(f.state == "missing" for f in found):
        raise typer.Exit(1)

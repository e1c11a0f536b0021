"""`samtale doctor`: what a render depends on, one plain line each."""

from __future__ import annotations

import typer

from .app import app
from .options import Catalogue


@app.command()
def doctor(catalogue: Catalogue = None) -> None:
    """Show what rendering depends on (Python, WeasyPrint, Pango, HarfBuzz, the typeface, the catalogue, the temporary
    folder, how workers start) and whether each is there. Exit status 1 if something needed is missing."""
    from ..batch.doctor import findings  # lazy: keeps --help instant

    found = findings(catalogue)
    width = max(len(f.what) for f in found)
    for f in found:
        mark = {"ok": "ok  ", "slow": "slow", "missing": "MISSING"}[f.state]
        typer.echo(f"{f.what:<{width}}  {mark:<7} {f.found}")
    if any(f.state == "missing" for f in found):
        raise typer.Exit(1)

"""What a render depends on, one finding each, as `samtale doctor` prints them for whoever installs samtale."""

from __future__ import annotations

import contextlib
import os
import platform
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from ..core.errors import SamtaleError
from ..core.i18n import _, decimal, n_

APT = "sudo apt-get install -y libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0"


@dataclass(frozen=True)
class Finding:
    """One thing a render needs, what was found, and whether it is fine, slower than it could be, or missing."""

    what: str
    found: str
    state: Literal["ok", "slow", "missing"] = "ok"


def findings(catalogue: Path | None = None) -> list[Finding]:
    """Python, WeasyPrint, Pango, HarfBuzz and its subsetter, whether line breaks are remembered, the typeface, the
    catalogue, the temporary folder, and how workers start."""
    found = [Finding("Python", f"{platform.python_version()} ({sys.executable})")]
    found += _weasyprint()
    found.append(_typeface())
    found.append(_catalogue(catalogue))
    found.append(_temp_folder())
    found.append(_workers())
    return found


def _weasyprint() -> list[Finding]:
    from ..press import pdf

    try:
        weasyprint = pdf.load_weasyprint()
        from weasyprint.text import ffi
    except OSError as err:
        return [Finding("WeasyPrint", _("cannot load the Pango text libraries it draws with ({reason}); on Debian or Ubuntu: {command}").format(reason=err, command=APT),
                        "missing")]
    except ImportError as err:
        return [Finding("WeasyPrint", _("is not installed ({reason}); install samtale again with pip").format(reason=err), "missing")]
    number = ffi.pango.pango_version()  # major * 10000 + minor * 100 + micro
    pango = f"{number // 10000}.{number // 100 % 100}.{number % 100}"
    harfbuzz = pdf.harfbuzz_version() or "?"
    subsets = ffi.harfbuzz_subset is not None and bool(ffi.harfbuzz.hb_version_atleast(4, 1, 0))
    expected = pdf.subsetter()
    if subsets:
        subsetting = Finding(_("Font subsetting"), _("HarfBuzz's subsetter ({expected}): the fonts in each PDF are made quickly").format(expected=expected))
    else:
        subsetting = Finding(_("Font subsetting"), _("fontTools ({expected}), because HarfBuzz's subsetter is not installed: every "
                             "document takes about twice as long. On Debian or Ubuntu: sudo apt-get install libharfbuzz-subset0").format(expected=expected),
                             "slow")
    if subsets != expected.startswith("HarfBuzz"):  # samtale's own look-up must agree, or document keys would be wrong
        subsetting = Finding(_("Font subsetting"), _("WeasyPrint and samtale disagree on the subsetter ({expected}); please report this").format(expected=expected),
                             "missing")
    return [
        Finding("WeasyPrint", _("{version} (lays out the pages)").format(version=weasyprint.__version__)),
        Finding("Pango", _("{version} (draws the text)").format(version=pango)),
        Finding("HarfBuzz", _("{version} (shapes the text)").format(version=harfbuzz)),
        subsetting,
        _line_breaks(weasyprint.__version__),
    ]


def _line_breaks(version: str) -> Finding:
    from ..press import lines

    if lines.routed():
        return Finding(_("Line breaks"), _("remembered within each render: columns and flex boxes lay out about a third faster"))
    return Finding(_("Line breaks"), _("not remembered: samtale has not been checked with WeasyPrint {version}, so documents take "
                                       "about half as long again to lay out; please report this").format(version=version), "slow")


def _typeface() -> Finding:
    from ..core.paths import font_folder

    try:
        folder = font_folder()
    except ImportError:
        return Finding(_("Typeface"), _("Source Sans Pro is not installed; install samtale again with pip"), "missing")
    styles = sorted(folder.glob("SourceSansPro-*.ttf"))
    if not styles:
        return Finding(_("Typeface"), _("no Source Sans Pro files in {folder}; install samtale again with pip").format(folder=folder), "missing")
    return Finding(_("Typeface"), n_("Source Sans Pro, {n} style, embedded in every PDF ({folder})", "Source Sans Pro, {n} styles, embedded in every PDF ({folder})",
                                     len(styles)).format(n=len(styles), folder=folder))


def _catalogue(path: Path | None) -> Finding:
    from ..source.catalogue import load

    try:
        loaded = load(path)
    except SamtaleError as err:
        first = str(err.problems[0]) if err.problems else _("it cannot be read")
        return Finding(_("Catalogue"), _("has problems ({first}); run 'samtale validate' to see them all").format(first=first), "missing")
    cat = loaded.catalogue
    return Finding(_("Catalogue"), n_("{file} ({name}, version {version}, {n} conversation type)", "{file} ({name}, version {version}, {n} conversation types)",
                                      len(cat.conversation_types)).format(
        file=loaded.path, name=cat.municipality.name, version=cat.version, n=len(cat.conversation_types)))


def _temp_folder() -> Finding:
    folder = tempfile.gettempdir()
    try:
        with tempfile.TemporaryDirectory(prefix="samtale-doctor-"):
            pass
    except OSError as err:
        return Finding(_("Temporary folder"), _("{folder} cannot be written ({reason}); set TMPDIR (TEMP on Windows) to a folder you own").format(folder=folder, reason=err.strerror),
                       "missing")
    free = ""
    with contextlib.suppress(OSError):
        free = _(", {gigabytes} GB free").format(gigabytes=decimal(shutil.disk_usage(folder).free / 1024 ** 3))
    return Finding(_("Temporary folder"), _("{folder} (writable{free}; each worker keeps its files in a folder of its own, removed when it stops)").format(folder=folder, free=free))


def _workers() -> Finding:
    from .start import START_METHOD, start_method

    try:
        method = start_method()
    except ValueError as err:
        return Finding(_("Workers"), str(err), "missing")
    asked = _(" (asked for by {variable})").format(variable=START_METHOD) if os.environ.get(START_METHOD) else ""
    socket = os.path.join(tempfile.gettempdir(), "pymp-xxxxxxxx", "listener-xxxxxxxx")
    if method == "forkserver" and len(os.fsencode(socket)) > 107:  # Python 3.11 puts the fork server's socket there
        return Finding(_("Workers"), _("spawn: the temporary folder's name is too long for the fork server's socket, so each "
                                  "worker loads WeasyPrint itself (about a second each); a shorter TMPDIR, e.g. /tmp, is faster"),
                       "slow")
    if method == "forkserver":
        how = _("forkserver: WeasyPrint is loaded once, and each worker starts as a copy of that process")
    else:
        how = _("spawn: each worker starts Python and loads WeasyPrint itself (about a second each)")
    return Finding(_("Workers"), _("{how}{asked}; {n} cores").format(how=how, asked=asked, n=os.cpu_count() or 1))

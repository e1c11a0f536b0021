"""How render workers start, and starting them early: the first thing `samtale render` does.

On Linux, multiprocessing's fork server loads WeasyPrint once (`preload`) and every worker
is a fork of it; `warm_up()` launches that server before the command line has even
imported Typer, so WeasyPrint loads while the catalogue is read. Elsewhere (Windows,
macOS) workers are spawned and load it as they start; `warm_up()` then starts one worker
early. SAMTALE_START_METHOD=spawn does that on Linux too, as CI does to run what Windows runs.

This module imports nothing but `os` and `sys` until it is used: it sets the pace of every cold start.
"""

from __future__ import annotations

import os
import sys

START_METHOD = "SAMTALE_START_METHOD"  # forkserver (Linux's default) or spawn (everywhere else's)
METHODS = ("forkserver", "spawn")
PRELOAD = f"{__package__}.preload"
refused: str | None = None  # why the fork server could not start here, if it could not: then workers are spawned


def start_method() -> str:
    """forkserver on Linux, spawn elsewhere, or what SAMTALE_START_METHOD asks for (ValueError if it cannot be had)."""
    import multiprocessing

    wanted = os.environ.get(START_METHOD, "").strip().lower()
    if not wanted:
        return "forkserver" if sys.platform.startswith("linux") and refused is None else "spawn"
    usable = [m for m in METHODS if m in multiprocessing.get_all_start_methods()]
    if wanted not in usable:
        from ..core.i18n import _

        raise ValueError(_("{variable}={wanted} is not a way samtale can start its workers here; use {methods}").format(
            variable=START_METHOD, wanted=wanted, methods=" / ".join(usable)))
    return wanted


def context(method: str) -> object:
    """multiprocessing's context for `method`, the fork server told what to load first."""
    import multiprocessing

    ctx = multiprocessing.get_context(method)
    if method == "forkserver":
        ctx.set_forkserver_preload([PRELOAD])
    return ctx


def warm_up() -> None:
    """Start loading WeasyPrint now, in another process, while this one goes on. A wrong SAMTALE_START_METHOD is
    left for the render to report."""
    try:
        method = start_method()
    except ValueError:
        return
    if method == "forkserver":
        try:
            start_forkserver()
            return
        except OSError:
            method = "spawn"
    from .workers import start_spare

    start_spare(method)


def start_forkserver() -> None:
    """Launch the fork server (it loads WeasyPrint, and returns at once); OSError if it cannot be, and then workers are
    spawned from here on. Python 3.11 puts its socket in the temporary folder, and a long TMPDIR is too long for one."""
    global refused
    from multiprocessing import forkserver

    context("forkserver")
    try:
        forkserver.ensure_running()
    except OSError as err:
        if os.environ.get(START_METHOD, "").strip().lower() != "forkserver":
            refused = str(err)
        raise


def shutdown() -> None:
    """Stop what warm_up() started and nobody used, and the fork server, and wait for them: nothing is left running,
    and their time is counted as this process's."""
    if "samtale.batch.workers" in sys.modules:
        from .workers import stop_spares

        stop_spares()
    import contextlib
    import signal

    # CPython's own way to stop these helpers (its tests use it): close their pipe and reap them.
    forkserver = sys.modules.get("multiprocessing.forkserver")
    server = getattr(forkserver, "_forkserver", None)
    pid, stop = getattr(server, "_forkserver_pid", None), getattr(server, "_stop", None)
    if pid is not None and stop is not None:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGTERM)  # it may still be loading WeasyPrint (nothing needed rendering): do not wait
        with contextlib.suppress(OSError):
            stop()
    tracker = getattr(sys.modules.get("multiprocessing.resource_tracker"), "_resource_tracker", None)
    stop = getattr(tracker, "_stop", None)
    if stop is not None:
        with contextlib.suppress(OSError):
            stop()

"""Imported by the fork server only (multiprocessing's forkserver preload, on Linux): every worker forked
from it starts with WeasyPrint loaded and ignores Ctrl-C (the main process decides when workers stop;
the fork server hands its workers the handlers it had when this module was imported)."""

import signal

from . import warm, workers  # noqa: F401  (workers: the worker's own code, so a fork need not import it)

signal.signal(signal.SIGINT, signal.SIG_IGN)
warm.load()

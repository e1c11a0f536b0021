"""Warm worker processes: every render runs in one, within a time limit, with a temporary folder of its own.

Workers start warm (see `start`): forked from a fork server that has WeasyPrint loaded, or
spawned and loading it as they start. A worker fills in a template and lays it out; it is
sent a task, any picklable object with a `files() -> dict[str, bytes]` method (`Page` for
the batch's documents, `Layout` for HTML made elsewhere), and one that takes longer than
its time limit, or dies, is killed and replaced. Each worker keeps its temporary files
(WeasyPrint writes the typeface there) in a folder of its own, removed when the worker
stops, however it stops; the folders of a samtale that was itself killed are removed by
the next one. `render_isolated` runs one task this way, `render_each` several in one worker.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol

from ..core.errors import Problem, SamtaleError
from ..core.i18n import _
from ..geometry.imposition import Finish
from . import start

_FOLDER = re.compile(r"samtale-(\d+)-[A-Za-z0-9_]+")  # a worker's temporary folder: samtale-<main pid>-<random>
# A worker is replaced by a fresh one after this many documents. WeasyPrint's memory grows by about 1 MB with every
# document a process lays out (caches of text and styles it never empties), so a long batch would otherwise take
# ever more; a fresh fork of the warm fork server costs a few hundredths of a second.
DOCUMENTS_PER_WORKER = 50
_spares: list[_Worker] = []  # workers started by warm_up() before anyone asked for them


class Task(Protocol):
    """Something a worker can render: picklable, and giving its files by name."""

    def files(self) -> dict[str, bytes]: ...


@dataclass(frozen=True)
class Page:
    """A template filled in with plain data (see `press.plain`) and laid out as the PDF `<stem>.pdf`, made into the
    files its target needs (`press.targets`), with the files made beside it (`extras`): the task of every document a
    batch renders. A workplace's own template is filled in in the worker, so it is held to the time limit as much as
    its layout is; samtale's own templates come filled in (`html`), which spares a cold worker compiling them."""

    template: str
    context: dict[str, Any]
    stem: str
    template_dirs: tuple[Path, ...] = ()
    forms: bool = False
    extras: dict[str, bytes] = field(default_factory=dict)
    target: str = "office"
    finishes: tuple[Finish, ...] = ()  # a print shop's cut lines and marks per page
    html: str | None = None  # samtale's own template, already filled in (see batch.plan.page)

    def files(self) -> dict[str, bytes]:
        from ..press import jinja, pdf, targets  # lazy: only a worker lays out

        html = self.html if self.html is not None else jinja.render(self.template, self.context, self.template_dirs)
        # A workplace's template may declare @font-face rules: they must not change the next document's fonts.
        data = pdf.pdf(html, forms=self.forms, own_fonts=bool(self.template_dirs))
        made = {f"{self.stem}{suffix}": made for suffix, made in targets.files(data, self.target, self.finishes).items()}
        return {**made, **self.extras}


@dataclass(frozen=True)
class Layout:
    """HTML made from samtale's own templates, laid out as one PDF named `name`: a task for `render_isolated`."""

    html: str
    name: str = "document.pdf"
    variant: str | None = None
    forms: bool = False

    def files(self) -> dict[str, bytes]:
        from ..press import pdf  # lazy: only a worker lays out

        return {self.name: pdf.pdf(self.html, variant=self.variant or pdf.ACCESSIBLE, forms=self.forms)}


@dataclass
class Outcome:
    """What became of one task: its files, or why there are none."""

    index: int
    kind: Literal["ok", "problem", "timeout", "crash", "bug"]
    files: dict[str, bytes] | None = None
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what WeasyPrint said about the document


# --- one worker ----------------------------------------------------------------------------


def _serve(conn: Any, folder: str) -> None:
    """A worker: load what renders need (unless forked warm), then render each task it is sent until told to stop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the main process's to handle
    tempfile.tempdir = folder  # WeasyPrint's font files, and anything else temporary, go here
    import logging

    from . import warm

    warm.load()
    said: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            said.append(record.getMessage().replace("\n", " "))

    logging.getLogger("weasyprint").addHandler(Collect(logging.WARNING))
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        index, task = message
        said.clear()
        result: tuple[str, Any]
        try:
            if warm.FAILURE:
                raise SamtaleError(warm.FAILURE)
            result = ("ok", task.files())
        except SamtaleError as err:
            result = ("problem", err.problems)
        except RecursionError:
            result = ("problem", [Problem(_("the document is nested too deeply to lay out; check its templates"))])
        except MemoryError:
            result = ("problem", [Problem(_("the document needs more memory than this computer has; check its templates and pictures"))])
        except Exception as err:  # a bug: one line naming it, and the batch goes on
            result = ("bug", _bug(err))
        conn.send((index, *result, list(dict.fromkeys(said))))


def _bug(err: BaseException) -> str:
    import traceback

    frames = traceback.extract_tb(err.__traceback__)
    where = f" {Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else ""
    text = f"{type(err).__name__}: {err}{where}".replace("\n", " ")
    return _("samtale failed ({reason}); this is a bug, please report it").format(reason=text)


class _Worker:
    """A worker process, its pipe and its temporary folder (created here, removed when it stops)."""

    def __init__(self, method: str):
        self.method = method
        self.folder = tempfile.mkdtemp(prefix=f"samtale-{os.getpid()}-")
        try:
            ctx: Any = start.context(method)
            self.conn, child = ctx.Pipe()
            self.process = ctx.Process(target=_serve, args=(child, self.folder), daemon=True, name="samtale-render")
            self.process.start()
        except BaseException:
            shutil.rmtree(self.folder, ignore_errors=True)
            raise
        child.close()
        self.index: int | None = None
        self.started = 0.0
        self.done = 0  # documents rendered

    def send(self, index: int, task: Task) -> None:
        self.index, self.started = index, time.monotonic()
        self.conn.send((index, task))

    def peak_bytes(self) -> int:
        """The most memory the worker has held (its peak resident size), or 0 if that cannot be read."""
        pid = self.process.pid
        with contextlib.suppress(OSError, ValueError), open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:  # Linux: the high-water mark itself
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
        try:
            import psutil

            info = psutil.Process(pid).memory_info()
        except Exception:  # psutil's errors for a process that just ended, or no access
            return 0
        return int(getattr(info, "peak_wset", info.rss))  # Windows knows the peak; elsewhere the size now

    def stop(self, kill: bool = False) -> None:
        if not kill:
            try:
                self.conn.send(None)
            except OSError:
                kill = True
        if kill:
            self.process.kill()
        self.process.join(5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.conn.close()
        shutil.rmtree(self.folder, ignore_errors=True)


def start_spare(method: str) -> None:
    """Start one worker before anyone asks for it (spawn: loading WeasyPrint takes it a while)."""
    if not _spares:
        _spares.append(_Worker(method))


def stop_spares() -> None:
    while _spares:
        _spares.pop().stop(kill=True)


def sweep() -> None:
    """Remove the temporary folders of samtale processes that no longer exist (killed before they could)."""
    mine = getattr(os, "getuid", lambda: None)()
    found: list[tuple[os.DirEntry[str], int]] = []
    with contextlib.suppress(OSError), os.scandir(tempfile.gettempdir()) as entries:
        found = [(entry, int(match[1])) for entry in entries if (match := _FOLDER.fullmatch(entry.name))]
    found = [(entry, pid) for entry, pid in found if pid != os.getpid()]
    if not found:
        return
    import psutil  # lazy: only when there is something to look at

    for entry, pid in found:
        if psutil.pid_exists(pid):
            continue
        with contextlib.suppress(OSError):
            if entry.is_dir(follow_symlinks=False) and (mine is None or entry.stat(follow_symlinks=False).st_uid == mine):
                shutil.rmtree(entry.path, ignore_errors=True)


# --- many workers --------------------------------------------------------------------------


class Pool:
    """`size` warm workers that render tasks, each within `timeout` seconds; stopped and cleaned up on leaving `with`."""

    def __init__(self, size: int, timeout: float):
        try:
            self.method = start.start_method()
        except ValueError as err:
            raise SamtaleError(str(err)) from None
        self.timeout = timeout
        self.peak_bytes = 0  # the most memory any worker held
        self.workers: list[_Worker] = []
        if self.method == "forkserver":
            try:
                start.start_forkserver()
            except OSError as err:
                if start.refused is None:  # asked for by SAMTALE_START_METHOD: nothing else will do
                    raise SamtaleError(_("the workers' fork server cannot start here ({reason}); set {variable}=spawn").format(
                        reason=err, variable=start.START_METHOD)) from None
                self.method = "spawn"
        try:
            while len(self.workers) < size:
                spare = _spares.pop() if _spares else None
                if spare is not None and spare.method != self.method:
                    spare.stop(kill=True)
                    spare = None
                self.workers.append(spare or _Worker(self.method))
        except BaseException:
            self.__exit__(*sys.exc_info())
            raise

    def __enter__(self) -> Pool:
        return self

    def __exit__(self, *exc: object) -> None:
        for w in self.workers:
            w.stop(kill=w.index is not None or exc[0] is not None)
        self.workers = []
        if exc[0] is None:
            sweep()  # after the work, not before it: the folders of samtales killed earlier

    def run(self, count: int, make: Callable[[int], Task], starting: Callable[[int], None] = lambda index: None,
            fed: Callable[[], None] = lambda: None) -> Iterator[Outcome]:
        """The outcomes of tasks 0 … count-1, as workers finish them. Task `i` is made (`make(i)`) when a worker is
        free for it, and a worker is given its next task before the last outcome is handed on. `fed` is called once,
        when the first tasks are under way: what the caller does there costs no time."""
        from multiprocessing.connection import wait

        pending = deque(range(count))
        early: list[Outcome] = []

        def feed() -> None:
            for w in self.workers:
                while w.index is None and pending:
                    index = pending.popleft()
                    try:
                        task = make(index)
                    except SamtaleError as err:
                        early.append(Outcome(index, "problem", problems=err.problems))
                        continue
                    except Exception as err:  # a bug in making the task: said with its document, the rest go on
                        early.append(Outcome(index, "bug", problems=[Problem(_bug(err))]))
                        continue
                    starting(index)
                    w.send(index, task)

        feed()
        fed()
        while early or any(w.index is not None for w in self.workers):
            finished, early[:] = list(early), []
            busy = [w for w in self.workers if w.index is not None]
            if busy and not finished:
                now = time.monotonic()
                wait_for = max(0.0, min(w.started + self.timeout - now for w in busy))
                ready = wait([w.conn for w in busy], timeout=min(wait_for, 1.0) + 0.01)
                for w in busy:
                    if w.conn in ready:
                        finished.append(self._receive(w))
                    elif time.monotonic() - w.started > self.timeout:
                        index = w.index
                        self._replace(w)
                        finished.append(Outcome(index if index is not None else -1, "timeout"))
            for w in list(self.workers):
                if w.index is None and w.done >= DOCUMENTS_PER_WORKER and pending:
                    self._replace(w, kill=False)
            feed()
            yield from finished

    def _receive(self, w: _Worker) -> Outcome:
        index = w.index if w.index is not None else -1
        try:
            _, kind, payload, notes = w.conn.recv()
        except (EOFError, OSError):
            self._replace(w)
            return Outcome(index, "crash")
        w.index = None
        w.done += 1
        self.peak_bytes = max(self.peak_bytes, w.peak_bytes())
        if kind == "ok":
            return Outcome(index, "ok", files=payload, notes=notes)
        if kind == "problem":
            return Outcome(index, "problem", problems=payload, notes=notes)
        return Outcome(index, "bug", problems=[Problem(payload)], notes=notes)

    def _replace(self, w: _Worker, kill: bool = True) -> None:
        w.index = None
        w.stop(kill=kill)
        self.workers[self.workers.index(w)] = _Worker(self.method)


def render_isolated(task: Task, timeout: float = 60.0, name: str = "the document",
                    note: Callable[[str], None] | None = None) -> dict[str, bytes]:
    """Render one task in a warm worker within `timeout` seconds: its files, or one SamtaleError naming `name`.

    `note` hears the line about a missing font subsetter, once per process (default: standard error).
    """
    return render_each([(task, name)], timeout, note)[0]


def render_each(tasks: Sequence[tuple[Task, str]], timeout: float = 60.0,
                note: Callable[[str], None] | None = None) -> list[dict[str, bytes]]:
    """Render (task, name) pairs one after another in one warm worker, each within `timeout` seconds: their files in
    order, or one SamtaleError naming the first that failed (the rest are not rendered)."""
    from ..press import pdf

    pdf.warn_once_without_subsetter(note or _to_stderr)
    made: dict[int, dict[str, bytes]] = {}
    with Pool(1, timeout) as pool:
        for outcome in pool.run(len(tasks), lambda index: tasks[index][0]):
            if outcome.kind != "ok" or outcome.files is None:
                raise SamtaleError([named(p, tasks[outcome.index][1]) for p in explain(outcome, timeout)])
            made[outcome.index] = outcome.files
    return [made[index] for index in range(len(tasks))]


def _to_stderr(line: str) -> None:
    sys.stderr.write(line + "\n")


def explain(outcome: Outcome, timeout: float) -> list[Problem]:
    """Why a task gave no files, as problems (which the caller names the document in)."""
    if outcome.kind == "timeout":
        return [Problem(_("stopped after {seconds} s without finishing; check its templates, pictures and texts, "
                          "or allow more time with --timeout").format(seconds=f"{timeout:g}"))]
    if outcome.kind == "crash":
        return [Problem(_("the render worker ended without finishing (out of memory, or killed); try again, "
                          "and check its pictures and templates if it happens again"))]
    return outcome.problems


def named(problem: Problem, name: str) -> Problem:
    """The problem as one line that says which document it is about (after the file and line it names, if any)."""
    where = f"{name} › {problem.where}" if problem.where else name
    return Problem(problem.message.replace("\n", " "), problem.file, problem.line, problem.column, where)


# --- Ctrl-C while files are put in place ---------------------------------------------------


@contextlib.contextmanager
def interrupts_deferred() -> Iterator[None]:
    """Ctrl-C (or a polite kill) waits until the block is done (renaming files and recording them), then stops the
    run as usual.

    Portable: handlers that note the signal, instead of blocking it (pthread_sigmask is Unix-only).
    """
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread receives signals
        return
    caught: list[signal.Signals] = []
    signals = (signal.SIGINT, signal.SIGTERM)
    previous = {sig: signal.signal(sig, lambda signum, frame: caught.append(signal.Signals(signum))) for sig in signals}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        for sig in dict.fromkeys(caught):
            handler = previous[sig]
            if callable(handler):
                handler(sig, None)
            elif handler == signal.SIG_DFL and sig == signal.SIGINT:
                raise KeyboardInterrupt
            elif handler == signal.SIG_DFL:
                signal.raise_signal(sig)

"""The run: which documents are missing or out of date, rendering them in warm workers, putting them in place.

Read the catalogue's checks, the workplaces (remembered or read), the documents and their
keys (`plan`); compare them with the manifest; copy a document identical to one already in
the folder; render the rest in workers (`workers`), and commit each whole (`manifest`).
Every line a run prints about a document names the document and its workplace.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core.errors import Problem, SamtaleError
from ..core.i18n import _, decimal, n_
from ..press import pdf, validate, writer
from ..products import Options
from ..source.catalogue import Loaded
from . import plan
from .manifest import Manifest
from .workers import Page, Pool, explain, named

Note = Callable[[str], None]


@dataclass
class Summary:
    total: int = 0
    rendered: list[str] = field(default_factory=list)
    copied: list[str] = field(default_factory=list)
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what the user should know, but is no problem
    broken_workplaces: int = 0
    failed_documents: int = 0
    workers: int = 0
    peak_worker_bytes: int = 0  # the most memory any worker held (its peak resident size)
    manifest_seconds: float = 0.0  # time spent in the manifest's transactions
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.problems


def run(
    loaded: Loaded, *, workplaces: Sequence[str] = (), all_workplaces: bool = False, types: Sequence[str] = (),
    wanted: Sequence[str] = (), options: Options = Options(), out: Path = Path("output"), jobs: int | None = None,
    force: bool = False, timeout: float = 60.0, progress: bool | None = None,
    written: Callable[[Path], None] = lambda path: None, note: Note | None = None,
) -> Summary:
    """Render the standard set (unless only workplaces are named) and the workplaces asked for, into `out`.

    `note` hears each note as it arises (all are also in the summary); `written` each file put in place.
    """
    started = time.perf_counter()
    out = writer.folder(Path(out))  # a file in the way, or no rights, is one line before any work
    summary = Summary()
    say: Note = _sayer(summary, note)
    todo = plan.pairs(loaded, types, wanted)
    files = plan.workplace_files(loaded, workplaces, all_workplaces)  # a mistyped workplace: one line, before the manifest
    manifest = Manifest(out, say)
    try:
        standard = plan.standard(loaded)
        sources = [] if workplaces and not all_workplaces else [standard]
        if files:
            found, summary.broken_workplaces = plan.workplaces(
                loaded, files, all_workplaces, manifest, plan.world(loaded, standard), summary.problems)
            sources += found
        job_list = plan.jobs(loaded, sources, todo, options, out)
        summary.total = len(job_list)
        _make(loaded, job_list, manifest, options, force, jobs, timeout, progress, written, summary, say)
    finally:
        summary.manifest_seconds = manifest.seconds
        manifest.close()
        summary.seconds = time.perf_counter() - started
    return summary


def _check(loaded: Loaded) -> None:
    """What the products ask of the catalogue, and whether its texts fit: nothing is written unless they do."""
    problems = validate.catalogue(loaded)
    if problems:
        raise SamtaleError(problems)


def _make(loaded: Loaded, job_list: list[plan.Job], manifest: Manifest, options: Options, force: bool, jobs: int | None,
          timeout: float, progress: bool | None, written: Callable[[Path], None], summary: Summary, say: Note) -> None:
    """Everything not up to date: copied when the same document is already in the folder, else rendered.

    The catalogue is checked only when something is to be written (a document is up to date only if the
    catalogue it came from passed), and before anything is: while the first documents render.
    """
    by_key: dict[str, list[plan.Job]] = {}
    for job in job_list:
        if not force and manifest.up_to_date(job.rel, job.key):
            summary.unchanged += 1
        else:
            by_key.setdefault(job.key, []).append(job)
    if not by_key:
        return
    copies = {} if force else {key: files for key in by_key if (files := manifest.copy_of(key)) is not None}
    todo = [group[0] for key, group in by_key.items() if key not in copies]

    with _progress(progress, summary.total) as bar:
        bar.advance(summary.unchanged)
        if bar.live:
            say = _sayer(summary, bar.print)  # printed above the live bar, which owns the terminal

        def finish(job: plan.Job, files: dict[str, bytes] | None, problems: list[Problem]) -> None:
            group = by_key[job.key]
            if files is None:
                summary.problems += [_placed(p, job) for p in problems]
                summary.failed_documents += len(group)
                bar.advance(len(group))
                return
            for i, each in enumerate(group):
                try:
                    manifest.commit(each.rel, each.key, each.workplace, each.fingerprint, files)
                except SamtaleError as err:
                    summary.problems += [_placed(p, each) for p in err.problems]
                    summary.failed_documents += 1
                else:
                    (summary.copied if (i or job.key in copies) else summary.rendered).append(each.rel)
                    written(manifest.out / each.rel)
                bar.advance(1)

        def check_and_copy() -> None:
            _check(loaded)
            for key, files in copies.items():
                finish(by_key[key][0], files, [])

        if not todo:
            check_and_copy()
            return
        # The first documents are made ready while the workers load WeasyPrint, and the catalogue is checked
        # while they render: nothing is written before it passes.
        size = min(jobs or os.cpu_count() or 1, len(todo))
        ready: dict[int, Page] = {}
        for index in range(size):
            try:
                ready[index] = todo[index].task(loaded, options)
            except Exception:  # the pool makes it again, and reports it with its document
                break
        pdf.warn_once_without_subsetter(say)

        def make(index: int) -> Page:
            return ready.pop(index) if index in ready else todo[index].task(loaded, options)

        with Pool(size, timeout) as pool:
            summary.workers = len(pool.workers)
            outcomes = pool.run(len(todo), make, starting=lambda index: bar.describe(todo[index].workplace), fed=check_and_copy)
            for outcome in outcomes:
                job = todo[outcome.index]
                for line in outcome.notes:
                    say(f"{job.where}: WeasyPrint: {line}")
                finish(job, outcome.files, explain(outcome, timeout))
            summary.peak_worker_bytes = pool.peak_bytes


def _placed(problem: Problem, job: plan.Job) -> Problem:
    """A problem with a document, naming the document and its workplace."""
    return named(problem, job.where)


def _sayer(summary: Summary, note: Note | None) -> Note:
    def say(line: str) -> None:
        summary.notes.append(line)
        if note is not None:
            note(line)

    return say


class _Quiet:
    live = False

    def advance(self, n: int) -> None: ...

    def describe(self, text: str) -> None: ...

    def print(self, text: str) -> None: ...


@contextmanager
def _progress(show: bool | None, total: int) -> Iterator[Any]:
    """A progress bar on standard error when it is a terminal (or when asked); otherwise nothing."""
    if show is None:
        show = sys.stderr.isatty()
    if not show or total == 0:
        yield _Quiet()
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    columns = (BarColumn(), MofNCompleteColumn(), TextColumn("{task.description}"), TextColumn(_("elapsed")),
               TimeElapsedColumn(), TextColumn(_("remaining")), TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True), transient=False) as progress:
        task = progress.add_task("", total=total)

        class Bar:
            live = True

            def advance(self, n: int) -> None:
                progress.advance(task, n)

            def describe(self, text: str) -> None:
                progress.update(task, description=text)

            def print(self, text: str) -> None:
                progress.console.print(text, markup=False, highlight=False, soft_wrap=True)

        yield Bar()


def report(summary: Summary, out: Path) -> str:
    """The one line that ends a run: what was done (the problems are said one a line before it)."""
    parts = [_("{n} rendered").format(n=len(summary.rendered)), _("{n} copied").format(n=len(summary.copied)),
             _("{n} unchanged").format(n=summary.unchanged)]
    if summary.failed_documents:
        parts.append(_("{n} not written").format(n=summary.failed_documents))
    if summary.broken_workplaces:
        parts.append(n_("{n} workplace file left out", "{n} workplace files left out", summary.broken_workplaces).format(
            n=summary.broken_workplaces))
    seconds = _("{seconds} s").format(seconds=decimal(summary.seconds))
    if summary.workers:
        seconds += ", " + n_("{n} worker", "{n} workers", summary.workers).format(n=summary.workers)
    return n_("{n} document: {done} ({time}) in {folder}", "{n} documents: {done} ({time}) in {folder}", summary.total).format(
        n=summary.total, done=", ".join(parts), time=seconds, folder=out)

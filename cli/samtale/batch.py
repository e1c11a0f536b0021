"""The batch: every document of the standard set and of many workplaces, incremental and in parallel.

A manifest in the output folder records, for each document, a hash of everything
that shapes it (the resolved content, templates, images, fonts, options and
samtale itself). A document whose hash and file are unchanged is not rendered
again; documents with the same hash are rendered once and copied. Renders run in
worker processes that import WeasyPrint once; the main process alone writes
files and the manifest, each file whole (temporary file, then rename) and the
manifest under a lock, so an interrupted or concurrent run never leaves half a PDF.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from . import __version__, products
from .core.errors import Problem, SamtaleError
from .core.paths import PACKAGE, TEMPLATES, font_folder
from .material import Material, file_digest, resolve
from .press import jinja, pdf, targets, validate, writer
from .press.writer import inside, write_atomic, write_temp
from .products import PRODUCTS, Options
from .source import overlay
from .source.catalogue import Loaded
from .source.overlay import Workplace

MANIFEST = ".samtale-manifest.json"
LOCK = ".samtale-manifest.lock"
FORMAT = 1


@dataclass(frozen=True)
class Job:
    """One document to have: where it goes, what it holds and the hash of everything that shapes it."""

    rel: str  # the PDF's path inside the output folder, with '/'
    workplace: str
    product: str
    material: Material
    roots: tuple[Path, ...]
    template_dirs: tuple[Path, ...]
    key: str

    @property
    def folder(self) -> str:
        return self.rel.rsplit("/", 1)[0]


@dataclass
class Summary:
    total: int = 0
    rendered: list[str] = field(default_factory=list)
    copied: list[str] = field(default_factory=list)
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)
    broken_workplaces: int = 0
    failed_documents: int = 0
    workers: int = 0
    peak_worker_kb: int = 0  # the largest resident size any worker reached
    render_seconds: list[float] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.problems


# --- what to render ------------------------------------------------------------------------


def pairs(loaded: Loaded, types: Sequence[str], wanted: Sequence[str]) -> list[tuple[str, str]]:
    """The (type, product) pairs to render: all the catalogue has, or those asked for."""
    cat = loaded.catalogue
    for t in types:
        loaded.conversation_type(t)  # an unknown type is an error, whatever else is asked
    for p in wanted:
        products.get(p)
    found = [(t.id, p) for t in cat.conversation_types if not types or t.id in types
             for p in t.products if not wanted or p in wanted]
    if wanted and not found:
        raise SamtaleError(f"none of the chosen conversation types has the product {', '.join(wanted)} in {loaded.path.name}")
    return found


def render_files(material: Material, product_name: str, options: Options, *, roots: Sequence[Path],
                 template_dirs: Sequence[Path] = ()) -> dict[str, bytes]:
    """One document's files by name (the PDF, and any files its product writes beside it), not yet written.

    A workplace's own templates are rendered in Jinja's sandbox: they come from outside the project.
    """
    product = PRODUCTS[product_name]
    context = product.context(material, options)
    html = jinja.render(product.template, context, template_dirs)
    stem = products.file_stem(material.type.id, product.name, options, material.lang)
    rendered = pdf.pdf(html, forms=options.fillable)
    files = {f"{stem}{suffix}": data for suffix, data in targets.files(rendered, product, context, options).items()}
    if product.extras:
        files.update({f"{stem}{suffix}": data for suffix, data in product.extras(context, options).items()})
    return files


def plan_jobs(loaded: Loaded, workplaces: Sequence[Workplace | None], types: Sequence[str], wanted: Sequence[str],
              options: Options, out: Path) -> list[Job]:
    """The documents of each workplace (None: the standard set), with their hashes."""
    todo = pairs(loaded, types, wanted)
    jobs = []
    for wp in workplaces:
        template_dirs = wp.template_dirs if wp else ()
        roots = (loaded.folder.resolve(), *(wp.roots if wp else ()))
        shared = _shared_digest(tuple(template_dirs), options)
        materials: dict[str, tuple[Material, str]] = {}
        for type_id, product in todo:
            if type_id not in materials:
                material = resolve(loaded, type_id, wp)
                materials[type_id] = (material, material.digest)
            material, content = materials[type_id]
            rel = f"{material.catalogue_id}/{material.workplace_slug}/{products.file_stem(type_id, product, options, material.lang)}.pdf"
            inside(out, rel)
            key = hashlib.sha256(f"{content}\0{shared}\0{product}".encode()).hexdigest()
            jobs.append(Job(rel, material.workplace, product, material, roots, tuple(template_dirs), key))
    return jobs


def _shared_digest(template_dirs: tuple[Path, ...], options: Options) -> str:
    parts = {
        "templates": [folder_digest(Path(d)) for d in (*template_dirs, TEMPLATES)],
        "fonts": folder_digest(font_folder()),
        "options": asdict(options),
        "samtale": code_digest(),
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def folder_digest(folder: Path) -> str:
    """Every file in a folder, names and contents: what a template folder or the font folder holds."""
    h = hashlib.sha256()
    if folder.is_dir():
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            h.update(path.relative_to(folder).as_posix().encode() + b"\0" + file_digest(path).encode())
    return h.hexdigest()


@cache
def code_digest() -> str:
    """samtale's version, its code and WeasyPrint's version: a new release renders everything again."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        weasy = version("weasyprint")
    except PackageNotFoundError:
        weasy = "?"
    return f"{__version__}/{weasy}/{folder_digest(PACKAGE)[:16]}"


# --- the manifest --------------------------------------------------------------------------


@contextmanager
def locked(out: Path) -> Iterator[None]:
    """Hold the output folder's manifest lock: one process at a time replaces files and the manifest."""
    import fcntl

    out.mkdir(parents=True, exist_ok=True)
    with open(out / LOCK, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def read_manifest(out: Path) -> dict[str, dict]:
    try:
        data = json.loads((Path(out) / MANIFEST).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return {}
    return data.get("documents", {})


def _write_manifest(out: Path, documents: dict[str, dict]) -> None:
    blob = json.dumps({"format": FORMAT, "samtale": __version__, "documents": documents}, indent=1, sort_keys=True)
    write_atomic(out / MANIFEST, blob.encode())


def _stat(path: Path) -> list[int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns]


def up_to_date(out: Path, entry: dict | None, key: str) -> bool:
    """The manifest's record matches the hash, and every file it names is still the file it wrote."""
    if not entry or entry.get("key") != key or not entry.get("files"):
        return False
    return all(_stat(Path(out) / name) == mark for name, mark in entry["files"].items())


def commit(out: Path, job: Job, files: dict[str, bytes]) -> None:
    """Put a document's files in place and record them, so the manifest always describes the files."""
    folder = inside(out, job.folder)
    folder.mkdir(parents=True, exist_ok=True)
    temps = []
    try:
        for name, data in files.items():
            temps.append((write_temp(folder / name, data), folder / name))
        blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})  # Ctrl-C waits for the rename and record
        try:
            with locked(out):
                for tmp, final in temps:
                    os.replace(tmp, final)
                documents = read_manifest(out)
                documents[job.rel] = {
                    "key": job.key,
                    "workplace": job.workplace,
                    "fingerprint": job.material.fingerprint,
                    "files": {f"{job.folder}/{final.name}": _stat(final) for _, final in temps},
                }
                _write_manifest(out, documents)
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
    finally:
        for tmp, _ in temps:
            Path(tmp).unlink(missing_ok=True)


# --- the workers ---------------------------------------------------------------------------


def _worker(conn) -> None:
    """A worker process: import WeasyPrint once, then render what it is sent until told to stop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the main process decides when to stop
    import resource
    import traceback

    import weasyprint  # noqa: F401  (once per worker, before the first document)

    pdf.font_config()
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        index, job = task
        started = time.perf_counter()
        result: tuple[str, Any]
        try:
            result = ("ok", render_files(job.material, job.product, Options(**job.options), roots=job.roots,
                                         template_dirs=job.template_dirs))
        except SamtaleError as err:
            result = ("problem", err.problems)
        except Exception:  # a bug: report it with the document, keep the batch going
            result = ("bug", traceback.format_exc())
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        conn.send((index, *result, time.perf_counter() - started, rss))


@dataclass(frozen=True)
class _Task:
    """What a worker needs to render one document (options as a dict: plain data travels best)."""

    material: Material
    product: str
    options: dict
    roots: tuple[Path, ...]
    template_dirs: tuple[Path, ...]


class _Worker:
    def __init__(self, ctx):
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_worker, args=(child,), daemon=True, name="samtale-render")
        self.process.start()
        child.close()
        self.index: int | None = None
        self.started = 0.0

    def stop(self, kill: bool = False) -> None:
        if kill:
            self.process.kill()
        else:
            try:
                self.conn.send(None)
            except OSError:
                self.process.kill()
        self.process.join(5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.conn.close()


def _render_in_workers(
    jobs: list[Job], options: Options, count: int, timeout: float,
    done: Callable[[Job, dict | None, list[Problem], float], None], starting: Callable[[Job], None],
    summary: Summary,
) -> None:
    """Render `jobs` on `count` worker processes; `done` gets each document's files or its problems."""
    import multiprocessing
    from collections import deque
    from multiprocessing.connection import wait

    ctx = multiprocessing.get_context("fork")
    pending = deque(range(len(jobs)))
    workers = [_Worker(ctx) for _ in range(min(count, len(jobs)))]
    summary.workers = len(workers)
    option_dict = asdict(options)
    try:
        while pending or any(w.index is not None for w in workers):
            for w in workers:
                if w.index is None and pending:
                    index = w.index = pending.popleft()
                    job = jobs[index]
                    starting(job)
                    w.started = time.monotonic()
                    w.conn.send((w.index, _Task(job.material, job.product, option_dict, job.roots, job.template_dirs)))
            busy = [w for w in workers if w.index is not None]
            now = time.monotonic()
            wait_for = max(0.0, min(w.started + timeout - now for w in busy))
            ready = wait([w.conn for w in busy], timeout=min(wait_for, 1.0) + 0.01)
            for w in busy:
                assert w.index is not None
                if w.conn in ready:
                    job = jobs[w.index]
                    try:
                        index, kind, payload, seconds, rss = w.conn.recv()
                    except (EOFError, OSError):
                        kind, payload, seconds, rss = "bug", "the worker process ended unexpectedly", 0.0, 0
                        workers[workers.index(w)] = _replace(w, ctx)
                    summary.peak_worker_kb = max(summary.peak_worker_kb, rss)
                    w.index = None
                    if kind == "ok":
                        summary.render_seconds.append(seconds)
                        done(job, payload, [], seconds)
                    elif kind == "problem":
                        done(job, None, payload, seconds)
                    else:
                        done(job, None, [Problem(f"{job.rel}: samtale failed (a bug; please report it):\n{payload}")], seconds)
                elif time.monotonic() - w.started > timeout:
                    job = jobs[w.index]
                    workers[workers.index(w)] = _replace(w, ctx)
                    done(job, None, [Problem(
                        f"{job.rel}: stopped after {timeout:g} s without finishing; check the workplace's templates "
                        "and pictures, or allow more time with --timeout"
                    )], timeout)
    finally:
        for w in workers:
            w.stop(kill=w.index is not None)


def _replace(worker: _Worker, ctx) -> _Worker:
    worker.index = None
    worker.stop(kill=True)
    return _Worker(ctx)


# --- the run -------------------------------------------------------------------------------


def load_workplaces(loaded: Loaded, names: Sequence[str], every: bool, summary: Summary) -> list[Workplace]:
    """The overlays asked for, checked as `workplace validate` checks them; a broken one is reported
    in `summary` and left out, the others go on."""
    paths = overlay.overlay_paths(loaded) if every else [overlay.find(loaded, n) for n in names]
    seen, found = set(), []
    for path in paths:
        if path.resolve() in seen:
            continue
        seen.add(path.resolve())
        try:
            found.append(validate.workplace(loaded, path))
        except SamtaleError as err:
            summary.problems += err.problems
            summary.broken_workplaces += 1
    slugs: dict[str, Path] = {}
    for wp in found:
        if wp.slug in slugs:
            raise SamtaleError(Problem(f"two workplace files have the slug '{wp.slug}' (also {slugs[wp.slug]}); rename one", file=wp.path))
        slugs[wp.slug] = wp.path
    return found


def run(
    loaded: Loaded, *, workplaces: Sequence[str] = (), all_workplaces: bool = False, types: Sequence[str] = (),
    wanted: Sequence[str] = (), options: Options = Options(), out: Path = Path("output"), jobs: int | None = None,
    force: bool = False, timeout: float = 60.0, progress: bool | None = None,
    written: Callable[[Path], None] = lambda path: None,
) -> Summary:
    """Render the standard set (unless only workplaces are named) and the workplaces asked for, into `out`."""
    started = time.perf_counter()
    out = writer.folder(Path(out))  # a file in the way, or no rights, is one line before any work
    summary = Summary()
    problems = products.check(loaded)
    if problems:
        raise SamtaleError(problems)
    sources: list[Workplace | None] = [] if workplaces and not all_workplaces else [None]
    sources += load_workplaces(loaded, workplaces, all_workplaces, summary)
    job_list = plan_jobs(loaded, sources, types, wanted, options, out)
    summary.total = len(job_list)

    manifest = {} if force else read_manifest(out)
    by_key: dict[str, list[Job]] = {}
    for job in job_list:
        if not force and up_to_date(out, manifest.get(job.rel), job.key):
            summary.unchanged += 1
        else:
            by_key.setdefault(job.key, []).append(job)

    # A document already on disk with the same content is copied, not rendered.
    existing = {}
    for entry in manifest.values():
        if entry.get("key") in by_key and up_to_date(out, entry, entry["key"]):
            existing[entry["key"]] = entry
    to_render = [group[0] for key, group in by_key.items() if key not in existing]

    with _progress(progress, summary.total) as bar:
        bar.advance(summary.unchanged)

        def finish(job: Job, files: dict | None, problems: list[Problem], seconds: float) -> None:
            group = by_key[job.key]
            if files is None:
                summary.problems += problems
                summary.failed_documents += len(group)
                bar.advance(len(group))
                return
            for i, each in enumerate(group):
                commit(out, each, files)
                (summary.copied if (i or job.key in existing) else summary.rendered).append(each.rel)
                written(out / each.rel)
                bar.advance(1)

        for key, entry in existing.items():
            files = {Path(name).name: (out / name).read_bytes() for name in entry["files"]}
            finish(by_key[key][0], files, [], 0.0)
        if to_render:
            _render_in_workers(to_render, options, jobs or os.cpu_count() or 1, timeout, finish,
                               lambda job: bar.describe(job.workplace), summary)
    summary.seconds = time.perf_counter() - started
    return summary


class _Quiet:
    def advance(self, n: int) -> None: ...

    def describe(self, text: str) -> None: ...


@contextmanager
def _progress(show: bool | None, total: int):
    """A progress bar on standard error when it is a terminal (or when asked); otherwise nothing."""
    if show is None:
        show = sys.stderr.isatty()
    if not show or total == 0:
        yield _Quiet()
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    columns = (BarColumn(), MofNCompleteColumn(), TextColumn("{task.description}"), TextColumn("elapsed"),
               TimeElapsedColumn(), TextColumn("remaining"), TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True), transient=False) as progress:
        task = progress.add_task("", total=total)

        class Bar:
            def advance(self, n: int) -> None:
                progress.advance(task, n)

            def describe(self, text: str) -> None:
                progress.update(task, description=text)

        yield Bar()


def report(summary: Summary, out: Path) -> str:
    """The one line that ends a run: what was done (the problems are said one a line before it)."""
    done = (f"{summary.total} documents: {len(summary.rendered)} rendered, {len(summary.copied)} copied, "
            f"{summary.unchanged} unchanged")
    if summary.failed_documents:
        done += f", {summary.failed_documents} not written"
    if summary.broken_workplaces:
        done += f", {summary.broken_workplaces} workplace file(s) left out"
    done += f" ({summary.seconds:.1f} s"
    done += f", {summary.workers} worker{'s' if summary.workers != 1 else ''})" if summary.workers else ")"
    return f"{done} in {out}"

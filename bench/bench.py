"""The benchmark behind `make bench`: samtale against bare WeasyPrint, and batches as HR renders a municipality.

Whole processes are timed from outside, as a user waits for them: a cold `samtale render` in a
fresh process against a fresh Python process that imports WeasyPrint and writes the same HTML
with the same PDF/UA-1 options (samtale then finishes each PDF with pikepdf), run in turn
(A B A B …) so a machine that speeds up or slows down moves both; the table gives medians and the median of
the pairwise ratios. CPU is user + system of the process and every process it waited for
(os.wait4). Then batches of synthetic workplaces (each rewording one to three questions,
every fifth adding one), all nine documents each, and the re-runs.

It reports and never fails. `python bench/bench.py --help` for smaller runs.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from samtale.batch import run
from samtale.core.paths import DEFAULT_CATALOGUE, TEMPLATES
from samtale.source.catalogue import load

SAMTALE = str(Path(sys.executable).with_name("samtale"))
ENDINGS = ["i vores hus", "i hverdagen", "sammen med kollegaerne", "over for borgerne", "i teamet"]
EPOCH = "1767225600"  # samtale's fixed SOURCE_DATE_EPOCH, so bare WeasyPrint writes the same bytes
# WeasyPrint's part of a samtale render, as bare as it gets: the same HTML, the same PDF/UA-1 options. samtale
# then finishes each PDF (its footers marked as artifacts, with pikepdf): that is part of what it adds.
BARE = """\
import sys
from pathlib import Path
from weasyprint import HTML
base = sys.argv[1]
for name in sys.argv[2:]:
    HTML(string=Path(name).read_text(encoding="utf-8"), base_url=base).write_pdf(
        name[:-5] + ".pdf", pdf_tags=True, pdf_variant="pdf/ua-1")
"""


# --- the workplaces -------------------------------------------------------------------------


def make_workplaces(folder: Path, loaded, count: int) -> None:
    """Each rewords one to three questions for one to three types; every fifth adds a question."""
    rng = random.Random(4)
    cat = loaded.catalogue
    types = [t.id for t in cat.conversation_types]
    (folder / "workplaces").mkdir(exist_ok=True)
    for n in range(1, count + 1):
        lines = [f"name: Arbejdsplads {n:03d}", "reword:"]
        for q in rng.sample(cat.questions, rng.randint(1, 3)):
            lines.append(f"  {q.id}:")
            for t in rng.sample(types, rng.randint(1, len(types))):
                lines.append(f"    {t}: {q.wording[t].rstrip('?')} {rng.choice(ENDINGS)} (nr. {n})?")
        if n % 5 == 0:
            lines += ["add_questions:", f"  - id: egen-{n}", f"    perspective: {rng.choice(cat.perspectives).id}",
                      "    wording:", f"      all: Hvad er vigtigst for arbejdsplads {n:03d} det kommende år?"]
        (folder / "workplaces" / f"arbejdsplads-{n:03d}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def copy_catalogue(into: Path) -> Path:
    shutil.copy(DEFAULT_CATALOGUE, into / DEFAULT_CATALOGUE.name)
    shutil.copytree(DEFAULT_CATALOGUE.parent / "images", into / "images")
    return into / DEFAULT_CATALOGUE.name


# --- whole processes --------------------------------------------------------------------------


def whole(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float, float]:
    """One process from start to exit: wall seconds, CPU seconds (its own and all it waited for), peak MB of the
    largest process (ru_maxrss)."""
    started = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, **(env or {})})
    if hasattr(os, "wait4"):
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        cpu, peak = usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024
    else:  # Windows: wall time only
        proc.wait()
        cpu, peak = float("nan"), float("nan")
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"benchmark: {' '.join(command)} failed with exit status {proc.returncode}")
    return wall, cpu, peak


def paired(a, b, repeats: int) -> dict[str, float]:
    """A and B in turn, after one warm-up of each: medians of each and of the pairwise ratios."""
    a(), b()
    runs = [(a(), b()) for _ in range(repeats)]
    med = statistics.median
    return {
        "a_wall": med(x[0] for x, _ in runs), "b_wall": med(y[0] for _, y in runs),
        "a_cpu": med(x[1] for x, _ in runs), "b_cpu": med(y[1] for _, y in runs),
        "wall": med(x[0] / y[0] for x, y in runs), "cpu": med(x[1] / y[1] for x, y in runs),
        "a_peak": max(x[2] for x, _ in runs), "b_peak": max(y[2] for _, y in runs),
    }


def against_bare(folder: Path, catalogue: Path, which: list[tuple[str, str]], repeats: int) -> tuple[dict[str, float], bool]:
    """`samtale render` of `which` (type, product) in a fresh process and output folder, against bare WeasyPrint in
    a fresh process writing the same HTML; and whether the PDFs are the same bytes."""
    from samtale.batch.plan import page, standard
    from samtale.press import jinja
    from samtale.products import Options

    loaded = load(catalogue)
    std = standard(loaded)
    html = []
    for type_id, product in which:
        task = page(std.material(loaded, type_id), product, Options())
        path = folder / f"bare-{type_id}-{product}.html"
        path.write_text(task.html if task.html is not None else jinja.render(task.template, task.context), encoding="utf-8")
        html.append(str(path))
    script = folder / "bare.py"
    script.write_text(BARE, encoding="utf-8")
    args = [arg for t, p in which for arg in ("-t", t, "-p", p)] if len(which) == 1 else []
    out = folder / "cold"

    def samtale():
        shutil.rmtree(out, ignore_errors=True)
        return whole([SAMTALE, "render", "--catalogue", str(catalogue), "--out", str(out), *args])

    def bare():
        return whole([sys.executable, str(script), TEMPLATES.resolve().as_uri() + "/", *html], env={"SOURCE_DATE_EPOCH": EPOCH})

    figures = paired(samtale, bare, repeats)
    pages = all(_pages(out / loaded.catalogue.id / "standard" / f"{t}-{p}.pdf") == _pages(Path(h[:-5] + ".pdf"))
                for (t, p), h in zip(which, html))
    return figures, pages


def _pages(pdf: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(pdf).pages)


def load_average() -> str:
    """How busy the machine was besides the benchmark (1-minute load average; '?' where there is none)."""
    return f"{os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else "?"


def median_process(command: list[str], repeats: int) -> float:
    return statistics.median(whole(command)[0] for _ in range(repeats))


# --- the manifest alone -----------------------------------------------------------------------


def manifest_per_document(folder: Path, sizes=(0, 2_000, 20_000), commits: int = 200) -> dict[int, float]:
    """Milliseconds per commit (the transaction that records a document) into a manifest already holding `size`."""
    import sqlite3

    from samtale.batch.manifest import Manifest

    result = {}
    for size in sizes:
        out = folder / f"manifest-{size}"
        manifest = Manifest(out, note=lambda line: None)
        manifest.close()
        con = sqlite3.connect(out / ".samtale-manifest.sqlite")
        con.executemany("INSERT INTO documents VALUES (?, ?, 1, 1, ?, 'x', 'x')",
                        ((f"a/w{n}/mus-skema.pdf", "a" * 64, "b" * 64) for n in range(size)))
        con.commit()
        con.close()
        manifest = Manifest(out, note=lambda line: None)
        before = manifest.seconds
        for n in range(commits):
            manifest.commit(f"a/new{n}/mus-skema.pdf", "c" * 64, "x", "x", {"mus-skema.pdf": b"%PDF-1.7 x"})
        result[size] = (manifest.seconds - before) / commits * 1000
        manifest.close()
    return result


# --- the table ---------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workplaces", type=int, nargs="+", default=[50, 200], help="batch sizes (default: 50 200)")
    parser.add_argument("--repeats", type=int, default=7, help="pairs of whole processes (default: 7)")
    parser.add_argument("--jobs", type=int, default=2, help="workers in the batches (default: 2)")
    options = parser.parse_args()

    from samtale.press.pdf import subsetter

    rows: list[tuple[str, str, str, str]] = []

    def row(what: str, value: str, aim: str = "", met: bool | None = None) -> None:
        rows.append((what, value, aim, "" if met is None else ("yes" if met else "NO")))
        print(f"  {what}: {value}", file=sys.stderr, flush=True)

    cores = os.cpu_count() or 1
    loads = [load_average()]
    print(f"Benchmark: {cores} cores, fonts subset with {subsetter()}", file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="samtale-bench-") as tmp:
        folder = Path(tmp)
        catalogue = copy_catalogue(folder)
        loaded = load(catalogue)
        n = options.repeats

        one, same_one = against_bare(folder, catalogue, [("mus", "skema")], n)
        row("cold: one document (render -t mus -p skema) vs bare WeasyPrint, wall",
            f"{one['a_wall']:.2f} s vs {one['b_wall']:.2f} s, ratio {one['wall']:.2f}", "<= 1.10", one["wall"] <= 1.10)
        row("  … CPU (the process and all it waited for)", f"{one['a_cpu']:.2f} s vs {one['b_cpu']:.2f} s, ratio {one['cpu']:.2f}")
        nine_docs = [(t.id, p) for t in loaded.catalogue.conversation_types for p in t.products]
        nine, same_nine = against_bare(folder, catalogue, nine_docs, max(3, n // 2))
        row(f"cold: {len(nine_docs)} documents (render) vs bare WeasyPrint, CPU",
            f"{nine['a_cpu']:.2f} s vs {nine['b_cpu']:.2f} s, ratio {nine['cpu']:.2f}", "<= 1.05", nine["cpu"] <= 1.05)
        row("  … wall", f"{nine['a_wall']:.2f} s vs {nine['b_wall']:.2f} s, ratio {nine['wall']:.2f}")
        row("  … the same pages as bare WeasyPrint (samtale then finishes each PDF for PDF/UA)", "yes" if same_one and same_nine else "NO")
        row("  … peak memory of the largest process", f"{one['a_peak']:.0f} MB vs {one['b_peak']:.0f} MB (bare)")

        for count in options.workplaces:
            town = folder / f"town-{count}"
            town.mkdir()
            town_catalogue = copy_catalogue(town)
            make_workplaces(town, loaded, count)
            out = town / "out"
            started = time.perf_counter()
            cold = run(load(town_catalogue), all_workplaces=True, out=out, jobs=options.jobs, progress=False)
            seconds = time.perf_counter() - started
            docs = len(cold.rendered) + len(cold.copied)
            aim = ">= 4 docs/s" if count >= 200 else ""
            row(f"batch: {count} workplaces + the standard set, --jobs {options.jobs}",
                f"{seconds:.0f} s, {docs} documents, {docs / seconds:.2f} docs/s", aim, docs / seconds >= 4 if aim else None)
            row(f"  … manifest per document ({count} workplaces)", f"{cold.manifest_seconds / max(1, docs) * 1000:.2f} ms",
                "<= 2 ms", cold.manifest_seconds / max(1, docs) <= 0.002)
            row(f"  … peak memory per worker ({count} workplaces)", f"{cold.peak_worker_bytes / 1024 ** 2:.0f} MB", "<= 150 MB",
                cold.peak_worker_bytes / 1024 ** 2 <= 150)

            command = [SAMTALE, "render", "--catalogue", str(town_catalogue), "--all-workplaces", "--out", str(out)]
            again = median_process(command, 5)
            row(f"re-run, nothing changed ({count} workplaces, new process)", f"{again:.2f} s ({docs} documents unchanged)",
                "<= 1 s", again <= 1.0)

            slug = f"arbejdsplads-{min(7, count):03d}"
            changed = town / "workplaces" / f"{slug}.yaml"
            changed.write_text(changed.read_text(encoding="utf-8").replace("name: ", "name: Ny ", 1),
                               encoding="utf-8")
            t_one, _, _ = whole(command)
            t_alone, _, _ = whole([SAMTALE, "render", "--catalogue", str(town_catalogue), "--workplace", slug,
                                   "--out", str(town / "alone")])
            row(f"re-run, one workplace changed ({count} workplaces, new process)",
                f"{t_one:.2f} s (9 rendered); that workplace alone {t_alone:.2f} s", "within 1 s of alone", t_one - t_alone <= 1.0)

        town = folder / f"town-{options.workplaces[0]}"
        subset = dict(all_workplaces=True, types=["mus"], wanted=["skema"], force=True, progress=False)
        t1 = time.perf_counter()
        s1 = run(load(town / DEFAULT_CATALOGUE.name), out=folder / "j1", jobs=1, **subset)
        t1 = time.perf_counter() - t1
        t2 = time.perf_counter()
        run(load(town / DEFAULT_CATALOGUE.name), out=folder / "j2", jobs=2, **subset)
        t2 = time.perf_counter() - t2
        row(f"--jobs 1 vs --jobs 2 ({s1.total} MUS skemas)", f"{t1:.1f} s vs {t2:.1f} s, speed-up {t1 / t2:.2f}", ">= 1.7", t1 / t2 >= 1.7)

        per_commit = manifest_per_document(folder)
        row("manifest alone: one commit into a manifest of 0 / 2,000 / 20,000 documents",
            " / ".join(f"{ms:.2f} ms" for ms in per_commit.values()), "<= 2 ms", max(per_commit.values()) <= 2)

    h = min(whole([SAMTALE, "--help"])[0] for _ in range(5))
    row("samtale --help", f"{h:.3f} s", "< 0.3 s", h < 0.3)
    loads.append(load_average())

    print()
    print(f"Machine: {platform.machine()}, {cores} cores, Python {platform.python_version()}, {platform.system()} {platform.release()}; "
          f"fonts subset with {subsetter()}; load average (1 min) {loads[0]} at the start, {loads[-1]} at the end")
    print()
    width = max(len(r[0]) for r in rows)
    vwidth = max(len(r[1]) for r in rows)
    awidth = max(len(r[2]) for r in rows)
    print(f"| {'measure':<{width}} | {'result':<{vwidth}} | {'aim':<{awidth}} | met |")
    print(f"| {'-' * width} | {'-' * vwidth} | {'-' * awidth} | --- |")
    for what, value, aim, met in rows:
        print(f"| {what:<{width}} | {value:<{vwidth}} | {aim:<{awidth}} | {met:<3} |")


if __name__ == "__main__":
    main()

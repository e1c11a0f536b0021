"""The benchmark behind `make bench`: 50 synthetic workplaces rendered as HR renders a municipality.

It reports and never fails: each row shows what was measured, the aim, and whether it was met.
"""

from __future__ import annotations

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
from samtale.core.paths import DEFAULT_CATALOGUE
from samtale.source.catalogue import load

WORKPLACES = 50
SAMTALE = str(Path(sys.executable).with_name("samtale"))
ENDINGS = ["i vores hus", "i hverdagen", "sammen med kollegaerne", "over for borgerne", "i teamet"]


def make_workplaces(folder: Path, loaded, count: int = WORKPLACES) -> None:
    """Each rewords one to three questions for one to three types; every fifth adds a question."""
    rng = random.Random(4)
    cat = loaded.catalogue
    types = [t.id for t in cat.conversation_types]
    (folder / "workplaces").mkdir()
    for n in range(1, count + 1):
        lines = [f"name: Arbejdsplads {n:02d}", "reword:"]
        for q in rng.sample(cat.questions, rng.randint(1, 3)):
            lines.append(f"  {q.id}:")
            for t in rng.sample(types, rng.randint(1, len(types))):
                lines.append(f"    {t}: {q.wording[t].rstrip('?')} {rng.choice(ENDINGS)} (nr. {n})?")
        if n % 5 == 0:
            lines += ["add_questions:", f"  - id: egen-{n}", f"    perspective: {rng.choice(cat.perspectives).id}",
                      "    wording:", f"      all: Hvad er vigtigst for arbejdsplads {n:02d} det kommende år?"]
        (folder / "workplaces" / f"arbejdsplads-{n:02d}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def copy_catalogue(into: Path) -> Path:
    shutil.copy(DEFAULT_CATALOGUE, into / DEFAULT_CATALOGUE.name)
    shutil.copytree(DEFAULT_CATALOGUE.parent / "images", into / "images")
    return into / DEFAULT_CATALOGUE.name


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def overhead(loaded, repeats: int = 5) -> tuple[float, float, float]:
    """Per document: the whole pipeline in one process against a bare WeasyPrint write_pdf of the same HTML."""
    from weasyprint import HTML

    from samtale.material import resolve
    from samtale.press import jinja
    from samtale.press.pdf import font_config, pdf
    from samtale.products import PRODUCTS, Options

    material = resolve(loaded, "mus")
    product = PRODUCTS["skema"]
    options = Options()
    html = jinja.render(product.template, product.context(material, options))
    base = loaded.folder.resolve().as_uri() + "/"
    pdf(html, roots=[loaded.folder])  # warm fonts and caches alike
    HTML(string=html, base_url=base).write_pdf()
    pipeline, bare, same_flags = [], [], []

    for _ in range(repeats):
        t, _ = timed(lambda: pdf(jinja.render(product.template, product.context(material, options)), roots=[loaded.folder]))
        pipeline.append(t)
        t, _ = timed(lambda: HTML(string=html, base_url=base).write_pdf())
        bare.append(t)
        t, _ = timed(lambda: HTML(string=html, base_url=base).write_pdf(font_config=font_config(), pdf_tags=True))
        same_flags.append(t)
    return statistics.median(pipeline), statistics.median(bare), statistics.median(same_flags)


def help_time(repeats: int = 5) -> float:
    times = []
    for _ in range(repeats):
        t, _ = timed(lambda: subprocess.run([SAMTALE, "--help"], capture_output=True, check=True))
        times.append(t)
    return min(times)


def main() -> None:
    rows: list[tuple[str, str, str, str]] = []

    def row(what: str, value: str, aim: str = "", met: bool | None = None) -> None:
        rows.append((what, value, aim, "" if met is None else ("yes" if met else "NO")))
        print(f"  {what}: {value}", file=sys.stderr, flush=True)

    with tempfile.TemporaryDirectory(prefix="samtale-bench-") as tmp:
        folder = Path(tmp)
        catalogue = copy_catalogue(folder)
        loaded = load(catalogue)
        make_workplaces(folder, loaded)
        out = folder / "out"
        cores = os.cpu_count() or 1
        print(f"Benchmark: {WORKPLACES} workplaces + the standard set, every type and product, {cores} cores", file=sys.stderr)

        t, cold = timed(lambda: run(load(catalogue), all_workplaces=True, out=out, progress=False))
        docs = len(cold.rendered) + len(cold.copied)
        row(f"cold batch (--all-workplaces, --jobs {cores})", f"{t:.1f} s, {docs} documents, {docs / t:.2f} docs/s")
        row("peak memory per worker", f"{cold.peak_worker_kb / 1024:.0f} MB", "< 300 MB", cold.peak_worker_kb / 1024 < 300)

        # As a user runs it: a fresh process, so nothing is remembered from the cold batch.
        command = [SAMTALE, "render", "--catalogue", str(catalogue), "--all-workplaces", "--out", str(out)]
        t, again = timed(lambda: subprocess.run(command, capture_output=True, text=True, check=False))
        summary_line = again.stderr.strip().splitlines()[-1] if again.stderr.strip() else "?"
        row("re-run, nothing changed (samtale render, new process)", f"{t:.2f} s ({summary_line.split(' (')[0]})",
            "< 1 s", t < 1.0 and again.returncode == 0)

        changed = folder / "workplaces" / "arbejdsplads-07.yaml"
        changed.write_text(changed.read_text(encoding="utf-8").replace("name: Arbejdsplads 07", "name: Arbejdsplads 07 (ny)"), encoding="utf-8")
        t, one = timed(lambda: run(load(catalogue), all_workplaces=True, out=out, progress=False))
        alone, _ = timed(lambda: run(load(catalogue), workplaces=["arbejdsplads-07"], out=folder / "alone", progress=False))
        row("re-run, one workplace changed", f"{t:.2f} s ({len(one.rendered)} rendered); that workplace alone {alone:.2f} s",
            "within 1 s of alone", t - alone <= 1.0)

        subset = dict(all_workplaces=True, types=["mus"], products=["skema"], force=True, progress=False)
        t1, s1 = timed(lambda: run(load(catalogue), out=folder / "j1", jobs=1, **subset))
        t2, s2 = timed(lambda: run(load(catalogue), out=folder / "j2", jobs=2, **subset))
        row(f"--jobs 1 vs --jobs 2 ({s1.total} MUS skemas)", f"{t1:.1f} s vs {t2:.1f} s, speed-up {t1 / t2:.2f}", ">= 1.7", t1 / t2 >= 1.7)
        per_doc = t1 / max(1, s1.total)

        pipeline, bare, same_flags = overhead(loaded)
        row("pipeline per document (in process) vs bare write_pdf()", f"{pipeline:.3f} s vs {bare:.3f} s, ratio {pipeline / bare:.2f}",
            "<= 1.10", pipeline / bare <= 1.10)
        row("  … vs write_pdf(pdf_tags=True, shared fonts)", f"{pipeline:.3f} s vs {same_flags:.3f} s, ratio {pipeline / same_flags:.2f}")
        row("  … batch --jobs 1 per document vs bare", f"{per_doc:.3f} s vs {bare:.3f} s, ratio {per_doc / bare:.2f}")

    h = help_time()
    row("samtale --help", f"{h:.3f} s", "< 0.3 s", h < 0.3)

    print()
    print(f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()} {platform.release()}")
    width = max(len(r[0]) for r in rows)
    vwidth = max(len(r[1]) for r in rows)
    print(f"| {'measure':<{width}} | {'result':<{vwidth}} | aim | met |")
    print(f"| {'-' * width} | {'-' * vwidth} | --- | --- |")
    for what, value, aim, met in rows:
        print(f"| {what:<{width}} | {value:<{vwidth}} | {aim} | {met} |")


if __name__ == "__main__":
    main()

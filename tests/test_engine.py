"""The render engine as a user meets it: what a render depends on, exit codes, no temporary files left behind,
messages that name the document, workplaces remembered between runs, and the same bytes however workers start."""

from __future__ import annotations

import ast
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from conftest import ROOT, run
from samtale.batch import Layout, render_isolated, start
from samtale.batch import run as batch
from samtale.core.errors import SamtaleError
from samtale.core.paths import DEFAULT_CATALOGUE
from samtale.press import pdf
from samtale.source.catalogue import load

SAMTALE = str(Path(sys.executable).with_name("samtale"))
ONE = ["-t", "mus", "-p", "skema"]  # the quickest document to render (the note sheet balances its guidance in columns)


@pytest.fixture
def municipality(tmp_path):
    """A copy of the catalogue with two workplaces beside it."""
    shutil.copy(DEFAULT_CATALOGUE, tmp_path / "katalog.yaml")
    shutil.copytree(DEFAULT_CATALOGUE.parent / "images", tmp_path / "images")
    (tmp_path / "workplaces").mkdir()
    for slug, name in (("alfa", "Alfa"), ("beta", "Beta")):
        (tmp_path / "workplaces" / f"{slug}.yaml").write_text(
            f"name: {name}\nreword:\n  trivsel:\n    mus: Hvordan trives du i {name}?\n", encoding="utf-8")
    return tmp_path


def render_in(folder: Path, *args: str, env: dict | None = None, **kw) -> subprocess.CompletedProcess:
    """`samtale render` of the catalogue in `folder` into out/: in a process of its own when it has its own `env`."""
    if env is None and not kw:
        return run("render", "-c", "katalog.yaml", "-o", "out", *args, cwd=folder)
    return subprocess.run([SAMTALE, "render", "-c", "katalog.yaml", "-o", "out", *args], cwd=folder, capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=300, **kw)


def one_line(stderr: str) -> None:
    assert "Traceback" not in stderr, stderr


# --- what a render depends on ----------------------------------------------------------------


def test_doctor_says_what_a_render_depends_on_one_line_each():
    result = run("doctor")
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.strip().splitlines()
    names = [line.split("  ")[0] for line in lines]
    assert names == ["Python", "WeasyPrint", "Pango", "HarfBuzz", "Font subsetting", "Line breaks", "Typeface", "Catalogue",
                     "Temporary folder", "Workers"]
    assert "albertslund.yaml" in result.stdout and "MISSING" not in result.stdout


def test_doctor_says_when_line_breaks_are_not_remembered(monkeypatch):
    """A WeasyPrint whose layout no longer asks samtale how lines break renders, only more slowly: doctor says so."""
    from samtale.press import lines

    monkeypatch.setattr(lines, "_routed", False)
    result = run("doctor")
    line = next(line for line in result.stdout.splitlines() if line.startswith("Line breaks"))
    assert "slow" in line and "not remembered" in line and "please report" in line


def test_doctor_without_the_subsetter_says_so_in_one_line(monkeypatch):
    from weasyprint.text import ffi

    from samtale.batch import doctor

    monkeypatch.setattr(ffi, "harfbuzz_subset", None)
    monkeypatch.setattr(pdf, "subsetter", lambda: "fontTools 4.0")
    found = {f.what: f for f in doctor.findings()}
    subsetting = found["Font subsetting"]
    assert subsetting.state == "slow" and "libharfbuzz-subset0" in subsetting.found and "twice as long" in subsetting.found
    assert "\n" not in subsetting.found
    line = pdf.subsetter_note()
    assert line and "libharfbuzz-subset0" in line and "\n" not in line


def test_without_the_subsetter_a_render_warns_once(monkeypatch):
    monkeypatch.setattr(pdf, "subsetter", lambda: "fontTools 4.0")
    monkeypatch.setattr(pdf, "_warned", False)
    heard: list[str] = []
    pdf.warn_once_without_subsetter(heard.append)
    pdf.warn_once_without_subsetter(heard.append)
    assert len(heard) == 1 and "fontTools" in heard[0]


def test_samtale_finds_the_subsetter_as_weasyprint_does():
    from weasyprint.text import ffi

    weasyprint_uses_harfbuzz = ffi.harfbuzz_subset is not None and bool(ffi.harfbuzz.hb_version_atleast(4, 1, 0))
    assert pdf.subsetter().startswith("HarfBuzz") == weasyprint_uses_harfbuzz


def test_documents_made_by_another_subsetter_are_made_again(municipality, monkeypatch):
    loaded = load(municipality / "katalog.yaml")
    kw = dict(types=["mus"], wanted=["skema"], out=municipality / "out", progress=False, jobs=1)
    assert len(batch(loaded, **kw).rendered) == 1
    monkeypatch.setattr(pdf, "subsetter", lambda: "fontTools 0.0")
    assert len(batch(loaded, **kw).rendered) == 1


# --- the command line's exit codes -----------------------------------------------------------


@pytest.mark.parametrize("args", [["render", "--no-such-option"], ["no-such-command"], ["render", "--jobs", "zero"],
                                  ["plan", "render"]])
def test_a_wrong_command_line_exits_2_in_one_line(args):
    result = run(*args)
    assert result.returncode == 2, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


def test_a_problem_in_the_users_files_exits_1(tmp_path):
    result = run("render", "--catalogue", str(tmp_path / "missing.yaml"))
    assert result.returncode == 1 and len(result.stderr.strip().splitlines()) == 1


def test_help_is_instant_and_starts_no_worker():
    result = run("render", "--help")
    assert result.returncode == 0 and "--timeout" in result.stdout


def test_a_wrong_start_method_is_one_line(municipality):
    result = render_in(municipality, *ONE, env={start.START_METHOD: "fork"})
    assert result.returncode == 1 and "SAMTALE_START_METHOD=fork" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


# --- nothing left behind -----------------------------------------------------------------------


@pytest.fixture
def short_temp():
    """A temporary folder of a usual length: Python 3.11 puts the fork server's socket in it (pytest's are too long)."""
    folder = Path(tempfile.mkdtemp(prefix="st-"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.slow
def test_no_temporary_file_is_left_behind_by_a_render_a_timeout_or_a_dead_samtale(municipality, short_temp):
    temp = short_temp
    stale = temp / "samtale-999999999-abc"  # a samtale that was killed: no such process
    stale.mkdir()
    (stale / "weasyprint-font").write_bytes(b"x")
    env = {"TMPDIR": str(temp), "TEMP": str(temp), "TMP": str(temp)}
    done = render_in(municipality, *ONE, env=env)
    assert done.returncode == 0, done.stderr
    stopped = render_in(municipality, "-t", "mus", "-p", "skema", "--timeout", "0.2", "--force", env=env)
    assert stopped.returncode == 1 and "stopped after 0.2 s" in stopped.stderr
    assert list(temp.iterdir()) == []


@pytest.mark.slow
@pytest.mark.parametrize(("stop", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_an_interrupted_render_leaves_no_temporary_file(municipality, tmp_path, stop, code):
    temp = tmp_path / ("a-temporary-folder-whose-name-is-too-long-for-a-socket-" * 2)  # so workers are spawned
    temp.mkdir()
    env = {**os.environ, "TMPDIR": str(temp)}
    proc = subprocess.Popen([SAMTALE, "render", "-c", "katalog.yaml", "-o", "out", "--all-workplaces", "-p", "skema", "-j", "2"],
                            cwd=municipality, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.monotonic() + 60
    while not list(temp.glob("samtale-*/weasyprint-*")) and time.monotonic() < deadline:
        time.sleep(0.02)  # until a worker has written its fonts
    proc.send_signal(stop)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == code, err
    one_line(err)
    assert list(temp.iterdir()) == []
    from test_batch import assert_manifest_matches_files

    assert_manifest_matches_files(municipality / "out")


# --- messages name the document ----------------------------------------------------------------


def test_every_batch_message_names_the_workplace_and_the_document(municipality):
    templates = municipality / "workplaces" / "alfa-skabeloner"
    templates.mkdir()
    (templates / "skema.html.j2").write_text("{% extends 'base.html.j2' %}\n{% block body %}{{ 1 / 0 }}{% endblock %}\n")
    with (municipality / "workplaces" / "alfa.yaml").open("a", encoding="utf-8") as f:
        f.write("templates: alfa-skabeloner\n")
    result = render_in(municipality, "--all-workplaces", *ONE)
    assert result.returncode == 1
    one_line(result.stderr)
    problem = next(line for line in result.stderr.splitlines() if "division" in line)
    assert "skema.html.j2:2" in problem and "albertslund/alfa/mus-skema.pdf (Alfa)" in problem
    assert (municipality / "out/albertslund/beta/mus-skema.pdf").is_file(), "the other workplaces are printed"


def test_render_isolated_gives_the_files_or_one_line_naming_the_document():
    files = render_isolated(Layout("<html lang=da><title>x</title><p>Hej</p>", "hej.pdf"), 60, "hej.pdf")
    assert files["hej.pdf"].startswith(b"%PDF")
    long = "<html lang=da><title>x</title>" + "<p>Hvordan trives du helt grundlæggende?</p>" * 4000
    with pytest.raises(SamtaleError) as caught:
        render_isolated(Layout(long, "lang.pdf"), 0.3, "lang.pdf")
    assert str(caught.value).startswith("lang.pdf: stopped after 0.3 s")


def test_plan_render_is_stopped_at_its_time_limit(tmp_path):
    from test_plan import MUS_PLAN

    plan = tmp_path / "anna-mus.yaml"
    plan.write_text(MUS_PLAN, encoding="utf-8")
    result = run("plan", "render", str(plan), "--timeout", "0.1")
    assert result.returncode == 1, result.stderr
    assert result.stderr.strip().splitlines() == ["anna-mus.pdf: stopped after 0.1 s without finishing; check its templates, "
                                                  "pictures and texts, or allow more time with --timeout"]
    assert not list(tmp_path.glob("*.pdf")) and not list(tmp_path.glob("*.ics"))


# --- remembered workplaces -----------------------------------------------------------------------


def test_a_run_with_nothing_changed_reads_no_workplace_file_again(municipality, monkeypatch):
    from samtale.press import validate

    loaded = load(municipality / "katalog.yaml")
    kw = dict(all_workplaces=True, types=["mus"], wanted=["skema"], out=municipality / "out", progress=False, jobs=2)
    assert len(batch(loaded, **kw).rendered) == 3
    read = []
    real = validate.workplace
    monkeypatch.setattr(validate, "workplace", lambda *a: read.append(a[1].name) or real(*a))
    assert batch(loaded, **kw).unchanged == 3 and read == []

    alfa = municipality / "workplaces" / "alfa.yaml"
    os.utime(alfa)  # touched, not changed: its hash says so
    assert batch(loaded, **kw).unchanged == 3 and read == []

    alfa.write_text(alfa.read_text(encoding="utf-8").replace("i Alfa", "hos Alfa"), encoding="utf-8")
    again = batch(loaded, **kw)
    assert again.rendered == ["albertslund/alfa/mus-skema.pdf"] and read == ["alfa.yaml"]


def test_a_changed_picture_of_a_workplace_renders_it_again(municipality):
    pictures = municipality / "workplaces" / "billeder"
    pictures.mkdir()
    shutil.copy(municipality / "images" / "vaekst.svg", pictures / "have.svg")
    with (municipality / "workplaces" / "beta.yaml").open("a", encoding="utf-8") as f:
        f.write("logo: billeder/have.svg\n")
    loaded = load(municipality / "katalog.yaml")
    kw = dict(workplaces=["beta"], types=["mus"], wanted=["skema"], out=municipality / "out", progress=False, jobs=1)
    batch(loaded, **kw)
    assert batch(loaded, **kw).unchanged == 1
    shutil.copy(municipality / "images" / "balance.svg", pictures / "have.svg")
    assert batch(loaded, **kw).rendered == ["albertslund/beta/mus-skema.pdf"]


# --- the same bytes, however the workers start ---------------------------------------------------


@pytest.mark.slow
def test_spawned_workers_make_the_same_bytes(municipality, monkeypatch):
    loaded = load(municipality / "katalog.yaml")
    kw = dict(workplaces=["alfa"], types=["mus"], wanted=["skema"], progress=False, jobs=1)
    batch(loaded, out=municipality / "fork", **kw)
    monkeypatch.setenv(start.START_METHOD, "spawn")
    summary = batch(loaded, out=municipality / "spawn", **kw)
    assert summary.ok and summary.peak_worker_bytes > 0
    rel = "albertslund/alfa/mus-skema.pdf"
    assert (municipality / "fork" / rel).read_bytes() == (municipality / "spawn" / rel).read_bytes()


# --- portable ------------------------------------------------------------------------------------

UNIX_ONLY_MODULES = {"fcntl", "resource", "termios", "pwd", "grp", "posix"}


def test_no_command_uses_what_only_unix_has():
    for path in (ROOT / "cli" / "samtale").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                assert not {a.name.split(".")[0] for a in node.names} & UNIX_ONLY_MODULES, path
            if isinstance(node, ast.ImportFrom):
                assert (node.module or "").split(".")[0] not in UNIX_ONLY_MODULES, path
            if isinstance(node, ast.Attribute):
                assert node.attr not in {"pthread_sigmask", "fork", "setsid", "killpg"}, f"{path}:{node.lineno}"
            if isinstance(node, ast.Constant):
                assert node.value != "fork", f"{path}:{node.lineno}: the fork start method"


def test_a_worker_is_renewed_after_its_documents_and_the_next_makes_the_same_bytes(monkeypatch):
    """Workers are replaced after DOCUMENTS_PER_WORKER documents (WeasyPrint's memory only grows); each document
    then comes from a fresh worker, and its bytes are the same."""
    from samtale.batch import workers

    monkeypatch.setattr(workers, "DOCUMENTS_PER_WORKER", 1)
    html = '<html lang="da"><head><title>Fornyet</title></head><body><h1>Æblehaven</h1><p>Første side.</p></body></html>'
    pids: list[int] = []
    with workers.Pool(1, 60.0) as pool:
        outcomes = list(pool.run(3, lambda index: workers.Layout(html, f"{index}.pdf"),
                                 starting=lambda index: pids.append(pool.workers[0].process.pid)))
    assert [o.kind for o in outcomes] == ["ok"] * 3
    assert len(set(pids)) == 3, pids
    assert len({next(iter(o.files.values())) for o in outcomes}) == 1


def test_a_worker_renders_without_loading_the_catalogue_stack(tmp_path):
    """A worker holds WeasyPrint, Jinja and pikepdf; the catalogue (pydantic, YAML, the products) is the main process's.
    Loading it with a worker's first document cost a cold render 0.3 s."""
    import pickle

    from samtale.batch.plan import page, standard
    from samtale.products import Options

    loaded = load(DEFAULT_CATALOGUE)
    (tmp_path / "page.pickle").write_bytes(pickle.dumps(page(standard(loaded).material(loaded, "mus"), "skema", Options())))
    worker = (
        "import pickle, sys\n"
        "from samtale.batch import warm, workers  # a worker runs in workers._serve\n"
        "warm.load()\n"
        f"files = pickle.loads(open({str(tmp_path / 'page.pickle')!r}, 'rb').read()).files()\n"
        "assert list(files) == ['mus-skema.pdf'] and files['mus-skema.pdf'].startswith(b'%PDF')\n"
        "stack = ('pydantic', 'yaml', 'samtale.source', 'samtale.products', 'samtale.material')\n"
        "print(' '.join(sorted(m for m in sys.modules if m.startswith(stack))))\n"
    )
    result = subprocess.run([sys.executable, "-c", worker], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [], f"loaded by a worker: {result.stdout}"


# --- line breaks remembered within a render ---------------------------------------------------------

# Text WeasyPrint lays out again and again (balanced columns, flex, grid), and what changes a line after it is
# broken: justification, an ellipsis drawn into one line, first-line and first-letter styles, spacing, tabs.
TRICKY = """<html lang="da"><head><title>Linjer</title><style>
@page { size: A5; margin: 10mm }
.cols { column-count: 3; column-gap: 4mm; hyphens: manual; text-align: justify }
.cols p::first-line { letter-spacing: 0.05em } .cols p::first-letter { font-size: 2em }
.flex { display: flex; gap: 3mm } .flex > div { flex: 1; word-spacing: 0.2em }
.grid { display: grid; grid-template-columns: 1fr 2fr; }
.cut { width: 30mm; white-space: nowrap; overflow: hidden; text-overflow: ellipsis }
pre { tab-size: 4 }
</style></head><body>
<div class="cols">{paragraphs}</div>
<div class="flex"><div>{text}</div><div>{text}</div></div>
<div class="grid"><div>{text}</div><div>{text}</div></div>
<p class="cut">{text}</p><p class="cut">{text}</p><pre>a\tb\tc</pre>
</body></html>"""
DANISH = ("Med\u00adarbej\u00adder\u00adud\u00advik\u00adlings\u00adsam\u00adta\u00adlen er en sam\u00adta\u00adle mel\u00adlem "
          "le\u00adder og med\u00adar\u00adbej\u00adder om triv\u00adsel, ud\u00advik\u00adling og sam\u00adar\u00adbej\u00adde. ")


def test_remembered_line_breaks_give_the_same_pdf_byte_for_byte():
    """Within a render samtale remembers how each text breaks at each width (WeasyPrint breaks the guidance on
    a back anew for every pass that balances its columns); the PDF must be the one WeasyPrint makes without it."""
    from samtale.press import lines

    weasyprint = pdf.load_weasyprint()
    html = TRICKY.replace("{paragraphs}", "".join(f"<p>{DANISH * (n % 4 + 1)}</p>" for n in range(12))).replace(
        "{text}", DANISH * 2)

    def write() -> bytes:
        return weasyprint.HTML(string=html).write_pdf(font_config=pdf.font_config())

    plain = write()
    with lines.remembered():
        remembered = write()
        answers = len(lines._here.memory)
    assert remembered == plain
    assert answers > 100, "WeasyPrint's layout no longer asks samtale how lines break: see press/lines.py"
    assert getattr(lines._here, "memory", None) is None, "the memory outlives its render"


def test_a_render_remembers_no_more_text_than_its_limit(monkeypatch):
    """An enormous paragraph (a workplace's template may make one) would have every line keep the rest of it:
    past the limit lines are broken as before, and the PDF is the same."""
    from samtale.press import lines

    weasyprint = pdf.load_weasyprint()
    html = f'<html lang="da"><head><title>Lang</title></head><body><p style="width: 40mm">{DANISH * 40}</p></body></html>'
    plain = weasyprint.HTML(string=html).write_pdf(font_config=pdf.font_config())
    monkeypatch.setattr(lines, "LIMIT", 5_000)
    with lines.remembered():
        remembered = weasyprint.HTML(string=html).write_pdf(font_config=pdf.font_config())
        held = lines._here.memory.chars
    assert remembered == plain
    assert 0 < held <= 5_000


def test_a_weasyprint_not_checked_breaks_its_own_lines():
    """Line breaks are remembered only with the WeasyPrint versions that were checked, PDF byte for PDF byte: with
    any other, renders go on as WeasyPrint's own, and doctor says they are slower."""
    script = (
        "import weasyprint\n"
        "weasyprint.__version__ = '99.0'\n"
        "from samtale.press import lines, pdf\n"
        "data = pdf.pdf('<html lang=\"da\"><head><title>Ny</title></head><body><p>Æblehaven</p></body></html>')\n"
        "from weasyprint.layout import inline\n"
        "from weasyprint.text import line_break\n"
        "assert data.startswith(b'%PDF') and not lines.routed()\n"
        "assert inline.split_first_line is line_break.split_first_line\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr

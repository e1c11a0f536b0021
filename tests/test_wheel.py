"""Installed as a user installs it (`pipx install` of the wheel): a working folder outside the repository, and
nothing written into site-packages. Slow (it builds the wheel and installs every dependency into a fresh
environment), so `make test` leaves it out and `.ci/run` runs it: `make test-wheel`."""

from __future__ import annotations

import http.client
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NEW_WORDING = "Hvordan trives du med eleverne på Skolen ved Søen?"


def files(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file under `folder` (bytecode caches aside) with its size and modification time."""
    return {str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts}


@pytest.mark.wheel
def test_installed_wheel_works_in_a_working_folder_and_writes_nothing_into_site_packages(tmp_path):
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "-q", "-w", str(dist)], check=True, env=env)
    (wheel,) = dist.glob("samtale_kommune-*.whl")
    venv = tmp_path / "venv"  # what pipx makes: an environment of its own
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "-q", str(wheel)], check=True, env=env)
    samtale = str(venv / "bin" / "samtale")
    site = Path(subprocess.run([str(python), "-c", "import samtale, pathlib; print(pathlib.Path(samtale.__file__).parent)"],
                               capture_output=True, text=True, check=True, cwd=tmp_path).stdout.strip())
    assert site.is_relative_to(venv) and (site / "_data" / "catalogue" / "albertslund.yaml").is_file()
    before = files(site)
    # The compiled Danish catalogue (.mo) travels in the wheel: the installed command speaks Danish by default.
    danish = subprocess.run([samtale, "--help"], capture_output=True, text=True, env={**env, "SAMTALE_LANG": "da"}, timeout=60)
    assert "Brug: " in danish.stdout and "Vis denne hjælp og afslut." in danish.stdout, danish.stdout + danish.stderr

    def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
        result = subprocess.run([samtale, *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=300)
        assert result.returncode == 0, f"samtale {' '.join(args)}: {result.stderr}"
        return result

    outside = tmp_path / "hjemme"
    outside.mkdir()
    refused = subprocess.run([samtale, "workplace", "new", "Skolen ved Søen"], capture_output=True, text=True, cwd=outside, env=env)
    assert refused.returncode == 1 and "samtale init" in refused.stderr  # not into site-packages

    run("init", "HR-materialer", cwd=outside)
    folder = outside / "HR-materialer"
    run("workplace", "new", "Skolen ved Søen", cwd=folder)
    path = folder / "workplaces" / "albertslund" / "skolen-ved-soeen.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("# reword:", "reword:", 1).replace(
        "#   trivsel:\n#     mus: Hvordan trives du helt grundlæggende med dit arbejde og dine opgaver?",
        f"  trivsel:\n    mus: {NEW_WORDING}"), encoding="utf-8")
    run("validate", cwd=folder)
    assert "OK" in run("workplace", "validate", cwd=folder).stdout
    run("render", "--workplace", "Skolen ved Søen", "--type", "mus", "--product", "skema", cwd=folder / "workplaces")
    pdf = folder / "output" / "albertslund" / "skolen-ved-soeen" / "mus-skema.pdf"
    assert pdf.is_file()
    import pdfplumber

    with pdfplumber.open(pdf) as document:
        assert "Skolen ved Søen" in (document.pages[0].extract_text() or "")

    # samtale serve answers from the installed package: its pages, templates and htmx travel in the wheel.
    server = subprocess.Popen([samtale, "serve", "--no-browser"], cwd=folder, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        url = server.stdout.readline().strip()
        port = int(url.split(":")[2].split("/")[0])

        def get(path: str, cookie: str = "") -> http.client.HTTPResponse:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            connection.request("GET", path, headers={"Host": f"127.0.0.1:{port}", **({"Cookie": cookie} if cookie else {})})
            response = connection.getresponse()
            response.read()
            return response

        cookie = get("/?" + url.split("?", 1)[1]).getheader("set-cookie").split(";")[0]
        assert get("/", cookie).status == 200 and get("/static/htmx.min.js", cookie).status == 200
        assert get("/a/skolen-ved-soeen", cookie).status == 200
    finally:
        server.terminate()
        server.wait(10)

    assert files(site) == before, "samtale wrote into its installed package"

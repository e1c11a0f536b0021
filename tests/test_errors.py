"""Bad input gets one clear line naming the file, line and column, exit status 1, and no PDF."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import run


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"test setup: {old!r} not in the catalogue"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


def assert_user_error(result, *needles: str) -> None:
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    for needle in needles:
        assert needle in result.stderr, result.stderr


def test_misspelt_key_is_named_with_its_line_and_the_right_key(catalogue_copy):
    edit(catalogue_copy, "    perspective: struktur\n    wording:", "    perspective: struktur\n    wordng:")
    line = line_of(catalogue_copy, "wordng:")
    result = run("validate", "--catalogue", str(catalogue_copy))
    assert_user_error(result, f"albertslund.yaml:{line}:5:", "the key 'wordng' is unknown", "did you mean 'wording'?")
    assert len(result.stderr.strip().splitlines()) == 1, "one misspelling gives one line, not a cascade"


def test_malformed_yaml_gives_the_parsers_line_and_column(catalogue_copy):
    edit(catalogue_copy, "  name: {da: Albertslund Kommune, en: Albertslund Municipality}\n", "  name: Albertslund Kommune\n   bad: [unclosed\n")
    result = run("validate", "--catalogue", str(catalogue_copy))
    assert_user_error(result, "albertslund.yaml:")
    assert re.search(r"albertslund\.yaml:\d+:\d+: ", result.stderr)
    assert len(result.stderr.strip().splitlines()) == 1


def test_missing_picture_is_named_and_render_writes_nothing(catalogue_copy, tmp_path):
    edit(catalogue_copy, "image: images/balance.svg", "image: images/balanse.svg")
    line = line_of(catalogue_copy, "images/balanse.svg")
    out = tmp_path / "out"
    result = run("render", "--catalogue", str(catalogue_copy), "--out", str(out))
    assert_user_error(result, f"albertslund.yaml:{line}:", "balanse.svg", "does not exist")
    assert not out.exists() or not any(out.rglob("*.pdf"))


def test_picture_that_is_not_png_jpeg_or_svg_is_refused(catalogue_copy):
    (catalogue_copy.parent / "images" / "foto.gif").write_bytes(b"GIF89a")
    edit(catalogue_copy, "image: images/balance.svg", "image: images/foto.gif")
    assert_user_error(run("validate", "--catalogue", str(catalogue_copy)), "not a PNG, JPEG or SVG")


def test_invalid_colour_and_duplicate_id_are_both_reported(catalogue_copy):
    edit(catalogue_copy, 'colour: "#1C7A71"', 'colour: "teal-ish"')
    edit(catalogue_copy, "  - id: motivation\n", "  - id: trivsel\n")
    result = run("validate", "--catalogue", str(catalogue_copy))
    assert_user_error(result, "'teal-ish' is not a colour")
    assert len(result.stderr.strip().splitlines()) == 1  # types first; ids are checked once types are right
    edit(catalogue_copy, 'colour: "teal-ish"', 'colour: "#1C7A71"')
    assert_user_error(run("validate", "--catalogue", str(catalogue_copy)), "the id 'trivsel' is used twice")


def test_question_without_a_wording_for_a_conversation_type(catalogue_copy):
    lus = ("      lus:\n        da: >-\n          Hvor ser du behov for at udvikle nye samarbejder, og hvordan understøtter din ledelse\n"
           "          dem?\n        en: >-\n          Where do you see a need to develop new collaborations, and how does your leadership\n"
           "          support them?\n")
    edit(catalogue_copy, lus, "")
    assert_user_error(run("validate", "--catalogue", str(catalogue_copy)), "'nye-samarbejder'", "no wording for the conversation type 'lus'")


def test_question_too_long_for_the_skema_is_reported_at_the_question(catalogue_copy):
    long_text = " ".join(["Hvordan oplever du samarbejdet med kollegaer og ledelse i hverdagen?"] * 9)
    edit(catalogue_copy, "        da: Hvor ser du behov for at udvikle nye samarbejder?", f"        da: {long_text}")
    result = run("validate", "--catalogue", str(catalogue_copy))
    assert_user_error(result, "do not fit the skema", "shorten")


def test_unknown_conversation_type_is_refused_with_the_known_ones(tmp_path):
    result = run("render", "--type", "xus", "--out", str(tmp_path))
    assert_user_error(result, "'xus' is not a conversation type", "mus, grus, lus")
    assert not any(tmp_path.rglob("*.pdf"))


def test_missing_catalogue_file(tmp_path):
    assert_user_error(run("validate", "--catalogue", str(tmp_path / "nope.yaml")), "nope.yaml", "does not exist")


def test_validate_says_ok_in_one_line():
    result = run("validate")
    assert result.returncode == 0
    assert "OK" in result.stdout and "33 keywords" in result.stdout and "9 questions" in result.stdout


@pytest.mark.parametrize("src", ["https://example.com/logo.png", "file:///etc/hostname", "../../etc/hostname",
                                 "images/vaekst.svg"])
def test_a_render_reads_no_file_and_no_web_address(tmp_path, src):
    """Pictures reach the HTML as data: URLs; a render reads nothing but the typeface."""
    from samtale.core.errors import SamtaleError
    from samtale.press.pdf import pdf

    html = f'<html lang="da"><title>t</title><body><img src="{src}"></body></html>'
    with pytest.raises(SamtaleError, match="which a render may not read"):
        pdf(html)


def test_a_render_may_read_data_urls_and_the_typeface():
    from samtale.press.jinja import font_faces
    from samtale.press.pdf import pdf
    from samtale.source.images import data_uri

    picture = data_uri(Path(__file__).resolve().parents[1] / "catalogue" / "images" / "vaekst.svg")
    html = f'<html lang="da"><title>t</title><style>{font_faces()}</style><body><img src="{picture}"> Æble</body></html>'
    assert pdf(html).startswith(b"%PDF")


def test_an_interrupted_write_leaves_no_file(tmp_path, monkeypatch):
    import os

    from samtale.press.writer import write_atomic

    target = tmp_path / "mus-skema.pdf"

    def interrupted(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, b"%PDF-1.7 half")
    assert list(tmp_path.iterdir()) == []


def test_an_interrupted_write_keeps_the_old_file_whole(tmp_path, monkeypatch):
    import os

    from samtale.press.writer import write_atomic

    target = tmp_path / "mus-skema.pdf"
    write_atomic(target, b"old and whole")
    monkeypatch.setattr(os, "replace", lambda *a: (_ for _ in ()).throw(KeyboardInterrupt()))
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, b"new")
    assert target.read_bytes() == b"old and whole"
    assert [p.name for p in tmp_path.iterdir()] == ["mus-skema.pdf"]


def test_an_impossible_date_is_placed_not_a_traceback(catalogue_copy):
    edit(catalogue_copy, 'version: "2026.1"', "version: 2026-02-30")
    line = line_of(catalogue_copy, "2026-02-30")
    assert_user_error(run("validate", "--catalogue", str(catalogue_copy)), f"albertslund.yaml:{line}:10:", "not a real date")

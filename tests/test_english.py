"""The English edition: the same materials in English, from the same catalogue, and nothing Danish in them."""

from __future__ import annotations

import json
import re

import pytest
import yaml

from conftest import CATALOGUE, HT, ROOT, column_text, normalise, page_texts, run

DANISH_LETTERS = re.compile("[æøåÆØÅ]")
TYPES = ("mus", "grus", "lus")


@pytest.fixture(scope="module")
def editions():
    from samtale.source.catalogue import load

    return load(CATALOGUE, "da").catalogue, load(CATALOGUE, "en").catalogue


def danish_sentences(catalogue) -> list[str]:
    """The Danish catalogue's longer texts (three words or more): none may appear in an English document."""
    texts = [q.wording[t] for q in catalogue.questions for t in q.wording]
    for ctype in catalogue.conversation_types:
        for guidance in ctype.guidance.values():
            texts += [p for section in guidance.sections for p in section.paragraphs]
    return [t for t in texts if len(t.split()) >= 3]


@pytest.mark.parametrize("type_id", TYPES)
def test_english_skema_holds_the_nine_questions_and_33_keywords_in_english(english, editions, type_id):
    _, en = editions
    pdf = english / f"{type_id}-skema-en.pdf"
    front = column_text(pdf, 0, en.labels.questions, en.labels.keywords)
    questions = [q.wording[type_id] for q in en.questions]
    assert len(questions) == 9
    for question in questions:
        assert question in front
    column = column_text(pdf, 0, en.labels.keywords, en.labels.notes)
    keywords = [k for p in en.perspectives for k in p.keywords]
    assert len(keywords) == 33
    for keyword in keywords:
        assert keyword in column
    for perspective in en.perspectives:
        assert perspective.name in page_texts(pdf)[0]


def reading_text(pdf, pages: slice) -> str:
    """The pages' text in reading order (columns one after another), words broken at a line end rejoined."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        text = " ".join(document[i].get_textpage().get_text_range() for i in range(len(document))[pages])
    finally:
        document.close()
    return normalise(re.sub(r"\ufffe\s*", "", text))


@pytest.mark.parametrize("type_id", TYPES)
def test_english_guidance_is_the_english_text(english, editions, type_id):
    _, en = editions
    ctype = next(t for t in en.conversation_types if t.id == type_id)
    back = reading_text(english / f"{type_id}-skema-en.pdf", pages=slice(1, None))
    guidance = ctype.guidance["skema"]
    assert guidance.title in back
    for section in guidance.sections:
        for paragraph in section.paragraphs:
            assert paragraph in back


@pytest.mark.parametrize("type_id", TYPES)
def test_no_danish_sentence_in_any_english_document(english, editions, type_id):
    da, _ = editions
    for product in ("skema", "aftaleark", "puslespil"):
        text = " ".join(page_texts(english / f"{type_id}-{product}-en.pdf"))
        assert not DANISH_LETTERS.search(text), f"{type_id}-{product}: Danish letters in the English edition"
        for sentence in danish_sentences(da):
            assert sentence not in text


def test_english_documents_declare_english(english):
    import pikepdf

    for pdf in sorted(english.glob("*.pdf")):
        with pikepdf.open(pdf) as doc:
            assert str(doc.Root.Lang) == "en", pdf.name


def test_the_danish_and_english_editions_lie_side_by_side(tmp_path):
    result = run("render", "-t", "mus", "-p", "skema", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    result = run("render", "-t", "mus", "-p", "skema", "--lang", "en", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    folder = tmp_path / "albertslund" / "standard"
    assert sorted(p.name for p in folder.glob("*.pdf")) == ["mus-skema-en.pdf", "mus-skema.pdf"]
    assert "Perspektiver" in page_texts(folder / "mus-skema.pdf")[0]
    assert "Perspectives" in page_texts(folder / "mus-skema-en.pdf")[0]


def test_a_catalogue_without_english_says_so_in_one_line(tmp_path):
    result = run("render", "--catalogue", str(HT), "--lang", "en", "--out", str(tmp_path))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "hoeje-taastrup.yaml" in result.stderr and "no English texts" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not any(tmp_path.rglob("*.pdf"))


def test_a_text_translated_in_one_place_and_not_another_is_named_with_its_line(catalogue_copy, tmp_path):
    text = catalogue_copy.read_text(encoding="utf-8")
    broken = text.replace("      - {da: Nærvær, en: Presence}\n", "      - Nærvær\n")
    assert broken != text
    catalogue_copy.write_text(broken, encoding="utf-8")
    line = next(n for n, ln in enumerate(broken.splitlines(), 1) if ln == "      - Nærvær")
    result = run("validate", "--catalogue", str(catalogue_copy))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"albertslund.yaml:{line}:" in result.stderr and "no English text" in result.stderr
    result = run("render", "--catalogue", str(catalogue_copy), "--lang", "en", "-t", "mus", "--out", str(tmp_path))
    assert result.returncode == 1 and f"albertslund.yaml:{line}:" in result.stderr
    # the Danish edition is whole, and prints
    result = run("render", "--catalogue", str(catalogue_copy), "-t", "mus", "-p", "skema", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr


def test_an_english_text_too_long_for_its_piece_is_named_at_the_english(catalogue_copy):
    text = catalogue_copy.read_text(encoding="utf-8")
    long = "Presence" + "-and-attentiveness" * 4
    catalogue_copy.write_text(text.replace("{da: Nærvær, en: Presence}", f"{{da: Nærvær, en: {long}}}"), encoding="utf-8")
    result = run("validate", "--catalogue", str(catalogue_copy))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert long in result.stderr and "too long" in result.stderr


def test_validate_names_the_editions(editions):
    result = run("validate")
    assert result.returncode == 0, result.stderr
    assert "editions: Danish, English" in result.stdout


# --- workplaces ------------------------------------------------------------------------------


@pytest.fixture
def workplace(tmp_path):
    """A working copy of the catalogue with a workplace that rewords one question in Danish only."""
    import shutil

    shutil.copytree(ROOT / "catalogue", tmp_path / "catalogue")
    path = tmp_path / "catalogue" / "workplaces" / "albertslund" / "havnen.yaml"
    path.write_text("catalogue: albertslund\nname: Havnen\nreword:\n  trivsel:\n    mus: Hvordan trives du på havnen?\n"
                    "keywords:\n  leave_out: [Senior, Nærvær]\n", encoding="utf-8")
    return tmp_path / "catalogue" / "albertslund.yaml", path


def test_a_danish_only_workplace_prints_in_danish_and_says_what_english_needs(workplace, tmp_path):
    catalogue, path = workplace
    result = run("workplace", "validate", "havnen", "--catalogue", str(catalogue))
    assert result.returncode == 0, result.stderr
    assert "English once 1 text is translated" in result.stdout
    result = run("render", "--catalogue", str(catalogue), "-w", "havnen", "--lang", "en", "-t", "mus", "-p", "skema",
                 "--out", str(tmp_path / "out"))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "havnen.yaml:5:" in result.stderr and "no English text" in result.stderr
    assert not any((tmp_path / "out").rglob("*.pdf"))


def test_a_workplace_rewords_in_both_languages_and_diff_shows_both(workplace, tmp_path):
    catalogue, path = workplace
    path.write_text(path.read_text(encoding="utf-8").replace(
        "mus: Hvordan trives du på havnen?", "mus: {da: Hvordan trives du på havnen?, en: How are you at the harbour?}"),
        encoding="utf-8")
    result = run("render", "--catalogue", str(catalogue), "-w", "havnen", "--lang", "en", "-t", "mus", "-p", "skema",
                 "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    front = page_texts(tmp_path / "out" / "albertslund" / "havnen" / "mus-skema-en.pdf")[0]
    assert "How are you at the harbour?" in front
    # the keywords left out are named in Danish, and leave the English edition too
    assert "Late career" not in front and "Presence" not in front and "Motivation" in front

    result = run("workplace", "diff", "havnen", "--catalogue", str(catalogue), "--format", "markdown")
    assert result.returncode == 0, result.stderr
    assert "Hvordan trives du på havnen?" in result.stdout and "How are you at the harbour?" in result.stdout
    assert "Hvordan trives du helt grundlæggende" in result.stdout and "At a basic level, how are you thriving" in result.stdout


def test_editors_schema_accepts_texts_in_several_languages():
    import jsonschema

    catalogue_schema = json.loads(run("schema").stdout)
    overlay_schema = json.loads(run("schema", "--overlay").stdout)
    for path in (CATALOGUE, HT):
        jsonschema.validate(yaml.safe_load(path.read_text(encoding="utf-8")), catalogue_schema)
    for path in (ROOT / "catalogue" / "workplaces").rglob("*.yaml"):
        jsonschema.validate(yaml.safe_load(path.read_text(encoding="utf-8")), overlay_schema)
    with pytest.raises(jsonschema.ValidationError):  # English alone is not a text: Danish is required
        jsonschema.validate({"name": {"en": "Harbour"}}, overlay_schema)

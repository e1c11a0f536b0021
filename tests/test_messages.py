"""samtale speaks Danish by default and English when asked: every message is in the Danish catalogue, and the
command line reads in the language chosen (the other tests read its messages in English: see conftest)."""

from __future__ import annotations

import gettext
import io
import re
import string

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from conftest import ROOT, run

LOCALE = ROOT / "cli" / "samtale" / "locale"
PO = LOCALE / "da" / "LC_MESSAGES" / "samtale.po"
MO = PO.with_suffix(".mo")
KEYWORDS = {**DEFAULT_KEYWORDS, "n_": (1, 2), "N_": None}  # as `make messages` extracts
# What babel.cfg maps, under cli/samtale: the code, and serve's pages (Jinja, newstyle gettext)
METHODS = [("**.py", "python"), ("workbench/templates/**.html", "jinja2")]
OPTIONS = {"workbench/templates/**.html": {"trim_blocks": "true", "lstrip_blocks": "true", "newstyle_gettext": "true"}}
DANISH = {"SAMTALE_LANG": "", "LANGUAGE": "", "LC_ALL": "", "LC_MESSAGES": "", "LANG": "C.UTF-8"}  # no language chosen
ENGLISH_LANG = {**DANISH, "LANG": "en_GB.UTF-8"}


def danish_catalogue():
    with open(PO, "rb") as f:
        return read_po(f, locale="da")


def test_every_message_in_the_code_has_its_danish_words():
    catalogue = danish_catalogue()
    found = {}
    for path, line, message, _comments, _context in extract_from_dir(
        ROOT / "cli" / "samtale", method_map=METHODS, options_map=OPTIONS, keywords=KEYWORDS,
    ):
        found.setdefault(message if isinstance(message, str) else message[0], f"cli/samtale/{path}:{line}")
    assert len(found) > 300
    assert any(where.startswith("cli/samtale/workbench/templates/") for where in found.values())
    missing = [f"{where}: {msgid!r}" for msgid, where in found.items() if msgid not in catalogue]
    assert not missing, "not in the Danish catalogue (run make messages and translate):\n" + "\n".join(missing)
    untranslated = []
    for msgid, where in found.items():
        message = catalogue[msgid]
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(forms):
            untranslated.append(f"{where}: {msgid!r}")
    assert not untranslated, "empty or fuzzy in the Danish catalogue (translate them):\n" + "\n".join(untranslated)


def test_the_compiled_catalogue_is_the_danish_catalogue():
    """The .mo the wheel ships says what the .po says (make messages compiles it)."""
    compiled = io.BytesIO()
    write_mo(compiled, danish_catalogue())
    compiled.seek(0)
    with open(MO, "rb") as f:
        shipped = gettext.GNUTranslations(f)
    expected = gettext.GNUTranslations(compiled)
    assert shipped._catalog == expected._catalog, "samtale.mo is older than samtale.po: run make messages"


def fields(text: str) -> list[str]:
    """The placeholders of a message, as written: '{name}', '{name!r}' in the code, '%(name)s' in serve's pages."""
    if re.search(r"%\(\w+\)[sd]", text):
        return sorted(re.findall(r"%\(\w+\)[sd]", text))
    return sorted("{" + name + (f"!{conversion}" if conversion else "") + "}"
                  for _literal, name, _spec, conversion in string.Formatter().parse(text) if name is not None)


def test_every_danish_message_keeps_the_placeholders_of_its_english():
    wrong = []
    for message in danish_catalogue():
        if not message.id:
            continue
        if isinstance(message.id, tuple):  # Danish counts as English does: one, and more than one
            pairs = list(zip(message.id, message.string))
        else:
            pairs = [(message.id, message.string)]
        wrong += [f"{english!r} → {danish!r}" for english, danish in pairs if fields(english) != fields(danish)]
    assert not wrong, "placeholders differ:\n" + "\n".join(wrong)


def test_the_language_is_chosen_by_option_then_environment(monkeypatch):
    from samtale.core import i18n

    assert i18n.asked(["render", "--lang", "en"]) == "en"
    assert i18n.asked(["--lang=da", "validate"]) == "da"
    assert i18n.asked(["validate", "--", "--lang", "en"]) is None
    for name in i18n.ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)
    assert i18n.choose() == "da"
    for value, lang in (("C", "da"), ("POSIX", "da"), ("C.UTF-8", "da"), ("en_GB.UTF-8", "en"), ("da_DK.UTF-8", "da")):
        monkeypatch.setenv("LANG", value)
        assert i18n.choose() == lang, value
    monkeypatch.setenv("LC_ALL", "da_DK.UTF-8")  # LC_ALL comes before LANG
    assert i18n.choose() == "da"
    monkeypatch.setenv("SAMTALE_LANG", "en")
    assert i18n.choose() == "en"
    assert i18n.choose("da") == "da"  # --lang above all
    i18n.choose("en")  # as conftest has it


def test_help_is_danish_by_default_and_english_when_asked():
    danish = run("--help", env=DANISH)
    assert danish.returncode == 0, danish.stderr
    for words in ("[TILVALG] KOMMANDO [ARGUMENTER]...", "Brug: ", "Trykklare materialer til udviklingssamtaler", "Tilvalg:",
                  "Kommandoer:", "Vis denne hjælp og afslut.", "Tjek et katalog"):
        assert words in danish.stdout, words
    for asked in (run("--lang", "en", "--help", env=DANISH), run("--help", env=ENGLISH_LANG)):
        assert asked.returncode == 0, asked.stderr
        for words in ("[OPTIONS] COMMAND [ARGS]...", "Usage: ", "Print-ready materials for development conversations", "Options:",
                      "Commands:", "Show this message and exit.", "Check a catalogue"):
            assert words in asked.stdout, words


def test_a_wrong_command_line_is_said_in_the_language_chosen():
    danish = run("render", "--bogus", env=DANISH)
    assert danish.returncode == 2
    assert "render: der findes ikke et tilvalg --bogus; mente du --jobs eller --out? (se " in danish.stderr
    english = run("render", "--paper", "x", "--lang", "en", env=DANISH)
    assert english.returncode == 2 and "'x' is not possible; choose 'a4' or 'a3'" in english.stderr


def test_a_problem_in_a_catalogue_is_said_in_danish_or_english_with_its_place(catalogue_copy):
    text = catalogue_copy.read_text(encoding="utf-8")
    catalogue_copy.write_text(text.replace("    perspective: struktur\n    wording:", "    perspective: struktur\n    wordng:", 1),
                              encoding="utf-8")
    line = next(i for i, each in enumerate(catalogue_copy.read_text(encoding="utf-8").splitlines(), 1) if "wordng:" in each)
    danish = run("validate", "--catalogue", str(catalogue_copy), env=DANISH)
    assert danish.returncode == 1
    assert f"albertslund.yaml:{line}:5: " in danish.stderr and "nøglen 'wordng' kendes ikke; mente du 'wording'?" in danish.stderr
    english = run("validate", "--catalogue", str(catalogue_copy), "--lang", "en", env=DANISH)
    assert english.returncode == 1
    assert f"albertslund.yaml:{line}:5: " in english.stderr and "the key 'wordng' is unknown; did you mean 'wording'?" in english.stderr


@pytest.mark.parametrize(("lang", "summary"), [
    ((), r"^1 dokument: 1 lavet, 0 kopieret, 0 uændret \(\d+,\d s, 1 arbejdsproces\) i "),
    (("--lang", "en"), r"^1 document: 1 rendered, 0 copied, 0 unchanged \(\d+\.\d s, 1 worker\) in "),
])
def test_a_render_ends_with_its_summary_in_the_language_chosen(tmp_path, lang, summary):
    result = run("render", "--type", "mus", "--product", "skema", "--out", str(tmp_path), *lang, env=DANISH)
    assert result.returncode == 0, result.stderr
    assert re.search(summary, result.stdout, re.MULTILINE), result.stdout

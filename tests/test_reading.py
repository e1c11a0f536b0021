"""Reading YAML as administrators write it: every problem placed at its line, nothing a YAML trick can abuse.

Pure and fast: no rendering.
"""

from __future__ import annotations

import pytest

from samtale.core.errors import SamtaleError
from samtale.source import yamlio


def problems(text: str) -> list[str]:
    with pytest.raises(SamtaleError) as err:
        yamlio.parse(text, "f.yaml")
    return [str(p) for p in err.value.problems]


def test_every_key_and_item_keeps_its_line_and_column():
    doc = yamlio.parse("a:\n  b: 1\n  c:\n    - x\n    - id: y\n      d: 2\n", "f.yaml")
    assert doc.position(("a", "b")) == (2, 3)
    assert doc.position(("a", "c", 1, "d")) == (6, 7)
    assert doc.position(("a", "c", 1, "missing")) == (5, 7), "a missing key is placed at its mapping"
    assert doc.where(("a", "c", 1, "d")) == "a › c › 'y' › d"
    assert str(doc.problem(("a", "c", 0), "wrong")) == "f.yaml:4:7: a › c › #1: wrong"


def test_a_key_given_twice_names_both_lines():
    assert problems("name: A\nreword: {}\nname: B\n") == ["f.yaml:3:1: the key 'name' is given twice (also on line 1); keep one"]


def test_an_impossible_date_is_placed_by_its_line_and_reported_with_the_rest():
    doc = yamlio.parse("date: 2026-01-05\nfollow_up: 2026-02-30\n", "f.yaml")
    assert [str(p) for p in doc.problems] == ["f.yaml:2:12: '2026-02-30' is not a real date; check the day and the month"]
    assert doc.data["follow_up"] == "2026-02-30", "the rest of the file can still be checked"


def test_every_problem_of_a_file_is_reported_at_once():
    found = problems("a: 1\na: 2\nd: 2026-02-30\nb: !!python/object x\n")
    assert [p.split(":")[1] for p in found] == ["2", "3", "4"]


def test_plain_words_stay_text_as_in_yaml_1_2():
    data = yamlio.parse("yes: no\non: off\ntime: 10:30\nnumber: 017\nhex: 0x1f\nratio: 1.5\nflag: true\nnothing: ~\n", "f").data
    assert data == {"yes": "no", "on": "off", "time": "10:30", "number": 17, "hex": 31, "ratio": 1.5, "flag": True, "nothing": None}


def test_aliases_are_followed_but_a_billion_laughs_is_refused():
    assert yamlio.parse("x: &a [1, 2]\ny: *a\n", "f").data == {"x": [1, 2], "y": [1, 2]}
    bomb = "a: &a [" + ", ".join(["lol"] * 9) + "]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8))
    (found,) = problems(bomb)
    assert "expand to more than" in found


def test_deep_nesting_is_refused_with_a_line_not_a_crash():
    (found,) = problems("[" * 10_000 + "]" * 10_000)
    assert found.startswith("f.yaml:1:") and "nested more than" in found


@pytest.mark.parametrize("text", ["k: !!python/object:os.system x\n", "k: !custom x\n", "? [a, b]\n: c\n"])
def test_tags_and_complex_keys_are_refused(text):
    assert problems(text)


def test_syntax_errors_are_placed(tmp_path):
    (found,) = problems("a: b: c\n")
    assert found.startswith("f.yaml:1:5:") and "check the indentation" in found


def test_files_that_are_no_yaml_text_are_refused_in_one_line(tmp_path):
    folder = tmp_path / "a-folder.yaml"
    folder.mkdir()
    latin1 = tmp_path / "latin1.yaml"
    latin1.write_bytes("name: Æble\n".encode("latin-1"))
    big = tmp_path / "big.yaml"
    big.write_bytes(b"#" * (yamlio.MAX_BYTES + 1))
    for path, words in ((tmp_path / "missing.yaml", "does not exist"), (folder, "folder"), (latin1, "not UTF-8"),
                        (big, "larger")):
        with pytest.raises(SamtaleError, match=words):
            yamlio.read(path)


def test_a_byte_order_mark_from_a_windows_editor_is_accepted(tmp_path):
    path = tmp_path / "bom.yaml"
    path.write_bytes("\ufeffname: Æblehaven\n".encode())
    assert yamlio.read(path).data == {"name": "Æblehaven"}


def test_scalar_writes_text_that_reads_back_the_same():
    for text in ["Hvordan trives du?", "yes", "10:30", "a: b", "- x", "it's", "", "# no comment", "2026-03-12"]:
        assert yamlio.parse(f"k: {yamlio.scalar(text)}\n", "f").data == {"k": text}

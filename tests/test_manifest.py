"""The manifest as an untrusted file: whatever is in it, samtale reads nothing outside the output folder, follows
no link, never fails on it, and says so in one line. These tests write documents of a few bytes; nothing is rendered."""

from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path

import pytest

from samtale.batch.manifest import NAME, SET_ASIDE, Manifest, read

KEY = "a" * 64
DOC = "albertslund/alfa/mus-skema.pdf"
PDF = b"%PDF-1.7 a whole document\n%%EOF\n"


def opened(out: Path) -> tuple[Manifest, list[str]]:
    notes: list[str] = []
    return Manifest(out, notes.append), notes


def committed(out: Path, rel: str = DOC, key: str = KEY, data: bytes = PDF, extras: dict[str, bytes] | None = None) -> None:
    manifest, notes = opened(out)
    manifest.commit(rel, key, "Alfa", "abcdef12", {rel.rsplit("/", 1)[1]: data, **(extras or {})})
    manifest.close()
    assert not notes


def sql(out: Path, statement: str, *args: object) -> None:
    con = sqlite3.connect(out / NAME, isolation_level=None)
    con.execute(statement, args)
    con.close()


def test_a_committed_document_is_recorded_with_size_time_and_hash(tmp_path):
    committed(tmp_path, extras={"mus-skema-cut-1.svg": b"<svg/>"})
    records = read(tmp_path)
    assert set(records) == {DOC}
    files = records[DOC].files
    assert set(files) == {DOC, "albertslund/alfa/mus-skema-cut-1.svg"}
    info = (tmp_path / DOC).stat()
    assert (files[DOC].size, files[DOC].mtime_ns, files[DOC].sha256) == (info.st_size, info.st_mtime_ns, hashlib.sha256(PDF).hexdigest())
    manifest, notes = opened(tmp_path)
    assert manifest.up_to_date(DOC, KEY) and not manifest.up_to_date(DOC, "b" * 64)
    assert manifest.copy_of(KEY) == {"mus-skema.pdf": PDF, "mus-skema-cut-1.svg": b"<svg/>"}
    assert not notes


def test_a_file_changed_by_hand_is_not_up_to_date_and_not_copied(tmp_path):
    committed(tmp_path)
    (tmp_path / DOC).write_bytes(PDF.replace(b"whole", b"other"))
    manifest, _ = opened(tmp_path)
    assert not manifest.up_to_date(DOC, KEY)
    assert manifest.copy_of(KEY) is None


@pytest.mark.parametrize("path", ["../../x.pdf", "albertslund/../../../x.pdf", "/etc/passwd.pdf", "C:/x.pdf",
                                  "albertslund\\..\\x.pdf", "", "albertslund//x.pdf", 42])
def test_a_record_naming_anything_outside_the_folder_is_dropped_with_one_note(tmp_path, path):
    committed(tmp_path)
    outside = tmp_path.parent / "x.pdf"
    outside.write_bytes(b"not yours")
    sql(tmp_path, "INSERT INTO documents VALUES (?, ?, ?, ?, ?, 'Alfa', 'abcdef12')", path, KEY, 9, outside.stat().st_mtime_ns,
        hashlib.sha256(b"not yours").hexdigest())
    manifest, notes = opened(tmp_path)
    assert set(manifest.records) == {DOC}
    assert manifest.copy_of(KEY) == {"mus-skema.pdf": PDF}
    assert len(notes) == 1 and "left out 1 record" in notes[0] and "\n" not in notes[0]
    manifest.close()
    assert outside.read_bytes() == b"not yours"
    _, again = opened(tmp_path)
    assert not again, "the record was dropped, so the next run says nothing"


def test_an_extra_file_recorded_in_another_folder_is_dropped(tmp_path):
    committed(tmp_path)
    sql(tmp_path, "INSERT INTO extras VALUES ('albertslund/beta/mus-skema-cut-1.svg', ?, 1, 1, ?)", DOC, "c" * 64)
    manifest, notes = opened(tmp_path)
    assert set(manifest.records[DOC].files) == {DOC}
    assert len(notes) == 1


def test_a_link_out_of_the_folder_is_never_read_or_followed(tmp_path):
    out = tmp_path / "out"
    committed(out)
    secret = tmp_path / "secret.pdf"
    secret.write_bytes(PDF)  # the same bytes as the document: only the link tells them apart
    os.utime(secret, ns=(0, (out / DOC).stat().st_mtime_ns))
    (out / DOC).unlink()
    (out / DOC).symlink_to(secret)
    manifest, _ = opened(out)
    assert not manifest.up_to_date(DOC, KEY)
    assert manifest.copy_of(KEY) is None
    manifest.commit(DOC, KEY, "Alfa", "abcdef12", {"mus-skema.pdf": PDF + b"new"})
    assert not (out / DOC).is_symlink() and (out / DOC).read_bytes() == PDF + b"new"
    assert secret.read_bytes() == PDF


def test_a_folder_that_is_a_link_out_is_not_up_to_date_and_not_written_through(tmp_path):
    out = tmp_path / "out"
    committed(out)
    elsewhere = tmp_path / "elsewhere"
    (out / "albertslund" / "alfa").rename(elsewhere)
    (out / "albertslund" / "alfa").symlink_to(elsewhere, target_is_directory=True)
    manifest, _ = opened(out)
    assert not manifest.up_to_date(DOC, KEY)
    assert manifest.copy_of(KEY) is None
    with pytest.raises(Exception, match="outside the output folder"):
        manifest.commit(DOC, KEY, "Alfa", "abcdef12", {"mus-skema.pdf": b"x"})
    assert (elsewhere / "mus-skema.pdf").read_bytes() == PDF


@pytest.mark.parametrize("garbage", [b"", b"this is no database\n" * 200, b"SQLite format 3\x00" + b"\xff" * 4000])
def test_a_damaged_database_is_set_aside_and_begun_again(tmp_path, garbage):
    committed(tmp_path)
    (tmp_path / NAME).write_bytes(garbage)
    for side in ("-wal", "-shm"):
        Path(f"{tmp_path / NAME}{side}").unlink(missing_ok=True)
    manifest, notes = opened(tmp_path)
    if garbage:
        assert len(notes) == 1 and SET_ASIDE in notes[0] and "\n" not in notes[0]
        assert (tmp_path / SET_ASIDE).read_bytes() == garbage
    assert manifest.records == {}
    manifest.commit(DOC, KEY, "Alfa", "abcdef12", {"mus-skema.pdf": PDF})
    assert read(tmp_path)[DOC].key == KEY


@pytest.mark.parametrize("statement", [
    "PRAGMA user_version = 7",
    "PRAGMA application_id = 1",
    "ALTER TABLE documents ADD COLUMN evil TEXT",
])
def test_a_database_of_another_shape_is_set_aside_and_begun_again(tmp_path, statement):
    committed(tmp_path)
    sql(tmp_path, statement)
    manifest, notes = opened(tmp_path)
    assert manifest.records == {} and len(notes) == 1 and "set it aside" in notes[0]
    assert (tmp_path / SET_ASIDE).is_file()


def test_someone_elses_database_is_set_aside_not_used(tmp_path):
    con = sqlite3.connect(tmp_path / NAME)
    con.execute("CREATE TABLE documents (path TEXT, key TEXT)")
    con.execute("INSERT INTO documents VALUES ('../../x.pdf', 'k')")
    con.commit()
    con.close()
    manifest, notes = opened(tmp_path)
    assert manifest.records == {} and len(notes) == 1


def test_a_manifest_that_is_a_link_or_a_folder_is_set_aside(tmp_path):
    target = tmp_path / "elsewhere.sqlite"
    target.write_bytes(b"")
    out = tmp_path / "out"
    out.mkdir()
    (out / NAME).symlink_to(target)
    Path(f"{out / NAME}-wal").symlink_to(tmp_path / "wal-elsewhere")
    manifest, notes = opened(out)
    manifest.commit(DOC, KEY, "Alfa", "abcdef12", {"mus-skema.pdf": PDF})
    manifest.close()
    assert len(notes) == 1 and target.read_bytes() == b"" and not (tmp_path / "wal-elsewhere").exists()
    assert (out / NAME).is_file() and not (out / NAME).is_symlink()

    shutil_out = tmp_path / "out2"
    (shutil_out / NAME).mkdir(parents=True)
    manifest, notes = opened(shutil_out)
    assert len(notes) == 1 and manifest.records == {}


def test_each_commit_is_one_short_transaction_whatever_the_folder_holds(tmp_path):
    """Not a timing: the manifest is a database of rows, and a commit touches only its own."""
    committed(tmp_path)
    for n in range(50):
        committed(tmp_path, f"albertslund/w{n:02d}/mus-skema.pdf", data=PDF + bytes([n]))
    manifest, _ = opened(tmp_path)
    assert len(manifest.records) == 51 and manifest.up_to_date(DOC, KEY)
    con = sqlite3.connect(tmp_path / NAME)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"

"""The manifest: which documents the output folder holds, in a small SQLite database beside them.

One row per document: its key (see `plan`), its PDF's path inside the output folder, the
PDF's size, modification time and hash; one row per further file it wrote (the puzzle's cut
lines). A document is committed in one short transaction that renames its files into
place and records them, so the cost per document stays the same however full the folder
is, an interrupted run leaves every recorded file as recorded, and two runs into one folder
take turns through SQLite's own lock (WAL mode: readers never wait).

The database is not trusted. A row that names anything but a file inside the output folder,
or has a shape samtale does not write, is dropped with a one-line note and the document is
made again; a file that is a symbolic link is never read or followed; a database that cannot
be read, or is not samtale's, is set aside and a new one begun, with a one-line note.

It also remembers what each workplace file resolved to, by the file's size, modification
time and hash (see `plan.workplaces`), so a run in which nothing changed reads no workplace
file again.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import sqlite3
import stat
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core.errors import Problem, SamtaleError
from ..core.i18n import _, n_
from ..press.writer import folder as make_folder
from ..press.writer import inside, plain_errors, write_temp
from .workers import interrupts_deferred

NAME = ".samtale-manifest.sqlite"
SET_ASIDE = ".samtale-manifest.damaged.sqlite"
FORMAT = 2  # PRAGMA user_version; 1 was a JSON file
APPLICATION_ID = 0x53414D54  # 'SAMT': PRAGMA application_id, so a database of something else is never taken for ours
OLD = (".samtale-manifest.json", ".samtale-manifest.lock")  # format 1 and its lock file

SCHEMA = {
    "documents": "path TEXT PRIMARY KEY, key TEXT NOT NULL, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL, "
                 "sha256 TEXT NOT NULL, workplace TEXT NOT NULL, fingerprint TEXT NOT NULL",
    "extras": "path TEXT PRIMARY KEY, document TEXT NOT NULL, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL, "
              "sha256 TEXT NOT NULL",
    "workplaces": "path TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL, sha256 TEXT NOT NULL, "
                  "context TEXT NOT NULL, data TEXT NOT NULL",
}
_HEX = re.compile(r"[0-9a-f]{64}")
_PART = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")  # what samtale names folders and files: slugs, ids, '.pdf', '.svg'


@dataclass(frozen=True)
class Mark:
    """A file as it was written: size, modification time (ns) and SHA-256 of its bytes."""

    size: int
    mtime_ns: int
    sha256: str


@dataclass(frozen=True)
class Record:
    """A document as the manifest records it: its key and its files (the PDF first) by path in the output folder."""

    key: str
    files: dict[str, Mark]


class Manifest:
    """The output folder's manifest, open. `note` receives the one-line notes about what was wrong with it."""

    def __init__(self, out: Path, note: Callable[[str], None]):
        self.out = Path(out)
        self.note = note
        self.seconds = 0.0  # time spent in the manifest's transactions
        self._base = os.path.realpath(make_folder(self.out))
        self._folders: dict[str, bool] = {}
        self._pending_touch: list[tuple[int, int, str]] = []  # workplace files touched but unchanged
        self._by_key: dict[str, list[Record]] | None = None  # the records by key, made when first asked for a copy
        self.path = self.out / NAME
        self.con = self._open()
        self.records = self._read_documents()
        for old in OLD:  # format 1's JSON manifest and lock file: described by nothing now
            with contextlib.suppress(OSError):
                if (self.out / old).is_file() and not (self.out / old).is_symlink():
                    (self.out / old).unlink()

    def close(self) -> None:
        self.con.close()

    # --- opening, and what to do when it cannot be trusted --------------------------------

    def _open(self) -> sqlite3.Connection:
        for suffix in ("-wal", "-shm"):  # SQLite would follow a link planted in their place
            side = Path(f"{self.path}{suffix}")
            if side.is_symlink() or (side.exists() and not side.is_file()):
                with contextlib.suppress(OSError):
                    side.unlink()
        if self.path.is_symlink() or (self.path.exists() and not self.path.is_file()):
            self._set_aside(_("it is not an ordinary file"))
        try:
            try:
                return self._connect()
            except sqlite3.OperationalError:
                raise  # the folder, not the file: it cannot be opened or written
            except sqlite3.DatabaseError as err:  # not a database, not samtale's, or damaged
                self._set_aside(str(err))
            return self._connect()
        except sqlite3.Error as err:
            raise SamtaleError(Problem(_("cannot keep the manifest here ({reason}); choose a folder you can write to with --out").format(reason=err),
                                       file=self.path)) from None

    def _connect(self) -> sqlite3.Connection:
        with plain_errors(self.path):
            con = sqlite3.connect(self.path, timeout=60, isolation_level=None, check_same_thread=False)
        try:
            try:
                con.execute("PRAGMA journal_mode=WAL")
            except sqlite3.OperationalError:  # WAL needs shared memory: some network drives refuse it
                con.execute("PRAGMA journal_mode=DELETE")
            con.execute("PRAGMA synchronous=NORMAL")  # WAL stays consistent; a power cut may lose the last records
            self._check_or_create(con)
        except BaseException:
            con.close()
            raise
        return con

    def _check_or_create(self, con: sqlite3.Connection) -> None:
        """Samtale's tables as it writes them, or a new database given them; otherwise DatabaseError."""
        app, version = (con.execute(f"PRAGMA {p}").fetchone()[0] for p in ("application_id", "user_version"))
        tables = {name for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if app == 0 and version == 0 and not tables:
            con.execute("BEGIN IMMEDIATE")
            try:
                for table, columns in SCHEMA.items():
                    con.execute(f"CREATE TABLE IF NOT EXISTS {table} ({columns})")
                con.execute("CREATE INDEX IF NOT EXISTS extras_document ON extras (document)")
                con.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                con.execute(f"PRAGMA user_version = {FORMAT}")
                con.execute("COMMIT")
            except BaseException:
                with contextlib.suppress(sqlite3.Error):
                    con.execute("ROLLBACK")
                raise
            return
        if app != APPLICATION_ID or version != FORMAT:
            raise sqlite3.DatabaseError(_("it is not a samtale manifest of this version"))
        for table, columns in SCHEMA.items():
            have = [row[1] for row in con.execute(f"PRAGMA table_info({table})")]
            if have != [c.split()[0] for c in columns.split(", ")]:
                raise sqlite3.DatabaseError(_("its table '{table}' has another shape").format(table=table))
        if con.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise sqlite3.DatabaseError(_("it is damaged"))

    def _set_aside(self, why: str) -> None:
        aside = self.out / SET_ASIDE
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(OSError):
                os.replace(f"{self.path}{suffix}", f"{aside}{suffix}")
        self.note(_("{file}: the manifest could not be used ({reason}); set it aside as {aside} and began a new one, "
                    "so every document is checked again").format(file=self.path, reason=why, aside=SET_ASIDE))

    # --- reading ----------------------------------------------------------------------------

    def _read_documents(self) -> dict[str, Record]:
        """Every row that names a file of samtale's inside the output folder; the others are dropped, with one note."""
        bad: list[tuple[str, Any]] = []  # (table, path) of rows to drop
        records: dict[str, Record] = {}
        try:
            rows = self.con.execute("SELECT path, key, size, mtime_ns, sha256 FROM documents").fetchall()
            extras = self.con.execute("SELECT path, document, size, mtime_ns, sha256 FROM extras").fetchall()
        except sqlite3.DatabaseError as err:  # damaged beyond what quick_check saw
            self.con.close()
            self._set_aside(str(err))
            self.con = self._open()
            return {}
        for path, key, size, mtime_ns, sha in rows:
            mark = _mark(size, mtime_ns, sha)
            if not (_plain(path) and isinstance(key, str) and _HEX.fullmatch(key) and mark and path.endswith(".pdf")):
                bad.append(("documents", path))
                continue
            records[path] = Record(key, {path: mark})
        for path, document, size, mtime_ns, sha in extras:
            mark = _mark(size, mtime_ns, sha)
            if not (_plain(path) and mark and document in records and path.rsplit("/", 1)[0] == document.rsplit("/", 1)[0]):
                bad.append(("extras", path))
                continue
            records[document].files[path] = mark
        if bad:
            self.note(n_("{file}: left out {n} record that named no file of samtale's inside the output folder "
                         "(the first: {first}); nothing they name is read, and their documents are made again",
                         "{file}: left out {n} records that named no file of samtale's inside the output folder "
                         "(the first: {first}); nothing they name is read, and their documents are made again", len(bad)).format(
                file=self.path, n=len(bad), first=repr(bad[0][1])[:80]))

            def drop(con: sqlite3.Connection) -> None:
                for table, path in bad:
                    con.execute(f"DELETE FROM {table} WHERE path IS ?", (path,))

            self._transaction(drop, problem_if_locked=False)
        return records

    def up_to_date(self, rel: str, key: str) -> bool:
        """The manifest records `rel` with this key, and every file it names is still the file it wrote."""
        record = self.records.get(rel)
        return record is not None and record.key == key and all(self._unchanged(path, mark) for path, mark in record.files.items())

    def _unchanged(self, path: str, mark: Mark) -> bool:
        """An ordinary file (never a link) in a folder inside the output folder, of the size and time recorded."""
        folder = path.rsplit("/", 1)[0]
        if folder not in self._folders:
            real = os.path.realpath(os.path.join(self.out, folder))
            self._folders[folder] = real.startswith(self._base + os.sep)
        if not self._folders[folder]:
            return False
        try:
            info = os.lstat(os.path.join(self.out, path))
        except OSError:
            return False
        return stat.S_ISREG(info.st_mode) and (info.st_size, info.st_mtime_ns) == (mark.size, mark.mtime_ns)

    def copy_of(self, key: str) -> dict[str, bytes] | None:
        """The files of a document with this key already in the folder, read and checked against their hashes."""
        if self._by_key is None:
            self._by_key = {}
            for record in self.records.values():
                self._by_key.setdefault(record.key, []).append(record)
        for record in self._by_key.get(key, []):
            if not all(self._unchanged(p, m) for p, m in record.files.items()):
                continue
            files = {}
            for path, mark in record.files.items():
                try:
                    data = (self.out / path).read_bytes()
                except OSError:
                    break
                if hashlib.sha256(data).hexdigest() != mark.sha256:
                    break
                files[path.rsplit("/", 1)[1]] = data
            else:
                return files
        return None

    # --- writing ----------------------------------------------------------------------------

    def commit(self, rel: str, key: str, workplace: str, fingerprint: str, files: dict[str, bytes]) -> None:
        """Put a document's files in place (the PDF first in `files`) and record them, in one transaction.

        Ctrl-C waits until both are done, so the manifest always describes the files on disk.
        """
        folder = rel.rsplit("/", 1)[0]
        target = inside(self.out, folder)
        temps: list[tuple[Path, Path, str, Mark]] = []
        try:
            for name, data in files.items():
                final = target / name
                tmp = write_temp(final, data)
                info = os.stat(tmp)  # a rename keeps size and time: these are the final file's
                temps.append((tmp, final, f"{folder}/{name}", Mark(info.st_size, info.st_mtime_ns, hashlib.sha256(data).hexdigest())))
            pdf, *extras = temps

            def record(con: sqlite3.Connection) -> None:
                con.execute("DELETE FROM extras WHERE document = ?", (rel,))
                con.execute("INSERT OR REPLACE INTO documents VALUES (?, ?, ?, ?, ?, ?, ?)",
                            (rel, key, pdf[3].size, pdf[3].mtime_ns, pdf[3].sha256, workplace, fingerprint))
                con.executemany("INSERT OR REPLACE INTO extras VALUES (?, ?, ?, ?, ?)",
                                [(path, rel, m.size, m.mtime_ns, m.sha256) for _, _, path, m in extras])
                for tmp, final, _, _ in temps:
                    with plain_errors(final):
                        os.replace(tmp, final)

            self._transaction(record)
            self.records[rel] = Record(key, {path: mark for _, _, path, mark in temps})
            self._by_key = None
        finally:
            for tmp, *_ in temps:
                tmp.unlink(missing_ok=True)

    def _transaction(self, work: Callable[[sqlite3.Connection], Any], problem_if_locked: bool = True) -> None:
        """`work` inside one write transaction (SQLite's lock: the other run waits its turn), Ctrl-C held until it ends."""
        started = time.perf_counter()
        try:
            with interrupts_deferred():
                self.con.execute("BEGIN IMMEDIATE")
                try:
                    work(self.con)
                    self.con.execute("COMMIT")
                except BaseException:
                    with contextlib.suppress(sqlite3.Error):
                        self.con.execute("ROLLBACK")
                    raise
        except sqlite3.Error as err:
            if problem_if_locked:
                raise SamtaleError(Problem(_("cannot record the document in the manifest ({reason}); run again").format(reason=err), file=self.path)) from None
        finally:
            self.seconds += time.perf_counter() - started

    # --- what workplace files resolved to ---------------------------------------------------

    def workplace(self, path: Path, context: str) -> dict | None:
        """What the workplace file at `path` resolved to, if neither it nor what it names changed since."""
        try:
            info = os.lstat(path)
            row = self.con.execute("SELECT size, mtime_ns, sha256, context, data FROM workplaces WHERE path = ?", (str(path),)).fetchone()
        except (OSError, sqlite3.Error):
            return None
        if row is None or not stat.S_ISREG(info.st_mode) or row[3] != context:
            return None
        if (info.st_size, info.st_mtime_ns) != (row[0], row[1]):
            try:
                if hashlib.sha256(Path(path).read_bytes()).hexdigest() != row[2]:
                    return None
            except OSError:
                return None
            self._pending_touch.append((info.st_size, info.st_mtime_ns, str(path)))
        try:
            data = json.loads(row[4])
            if not isinstance(data, dict) or not isinstance(data.get("marks"), list):
                return None
            if any(_stat(str(file)) != [size, mtime] for file, size, mtime in data["marks"]):
                return None
        except (ValueError, TypeError):
            return None
        return data

    def remember_workplaces(self, learned: Sequence[tuple[Path, dict]], context: str, forget_stale: bool = False) -> None:
        """Record what workplace files resolved to (in one transaction), with the marks of the files they name;
        `forget_stale` drops what was remembered under another catalogue or samtale."""
        rows = []
        for path, data in learned:
            try:
                info = os.lstat(path)
                sha = hashlib.sha256(Path(path).read_bytes()).hexdigest()
            except OSError:
                continue
            marks = [[file, *(_stat(file) or [-1, -1])] for file in data.pop("dependencies", [])]
            rows.append((str(path), info.st_size, info.st_mtime_ns, sha, context, json.dumps({**data, "marks": marks})))
        touched, self._pending_touch = self._pending_touch, []
        if not rows and not touched and not forget_stale:
            return

        def record(con: sqlite3.Connection) -> None:
            if forget_stale:
                con.execute("DELETE FROM workplaces WHERE context != ?", (context,))
            con.executemany("INSERT OR REPLACE INTO workplaces VALUES (?, ?, ?, ?, ?, ?)", rows)
            con.executemany("UPDATE workplaces SET size = ?, mtime_ns = ? WHERE path = ?", touched)

        self._transaction(record, problem_if_locked=False)  # only a memory: without it the next run reads the files


def _stat(path: str) -> list[int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return [info.st_size, info.st_mtime_ns]


def _mark(size: Any, mtime_ns: Any, sha: Any) -> Mark | None:
    if isinstance(size, int) and isinstance(mtime_ns, int) and size >= 0 and isinstance(sha, str) and _HEX.fullmatch(sha):
        return Mark(size, mtime_ns, sha)
    return None


def _plain(path: Any) -> bool:
    """A path as samtale writes them: relative, '/'-separated, plain names only (no '..', no drive, no link syntax)."""
    return isinstance(path, str) and len(path) < 1024 and all(_PART.fullmatch(part) for part in path.split("/"))


def read(out: Path) -> dict[str, Record]:
    """The documents the manifest in `out` records (for tests and tools); notes are ignored."""
    manifest = Manifest(out, note=lambda line: None)
    try:
        return manifest.records
    finally:
        manifest.close()

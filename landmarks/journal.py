"""The extraction journal: every finished image committed to SQLite (WAL) as it completes.

A run killed outright (kill -9, the OOM killer) loses only the images in flight; the next run reads
the journal and goes on. The journal is deleted once the table it feeds has been written.
"""
import json
import sqlite3
from pathlib import Path

from landmarks.files import OutputError
from landmarks.read_back import has_type

# SQLite's primary result codes that mean the file system said no (the journal is fine): never "damaged".
_REFUSALS = {3: "not permitted", 8: "read-only", 10: "disk I/O error", 13: "no space left on the device",
             14: "cannot open the file"}


def refusal(error, path):
    """An OutputError for a SQLite error that is the file system's refusal, else None."""
    reason = _REFUSALS.get((getattr(error, "sqlite_errorcode", None) or 0) & 0xFF)
    if reason is None:
        return None
    return OutputError(f"cannot write the journal {path} ({reason}); free some space or pass a writable --out "
                       "(the images it holds are kept for the next run)")


def journal_path(out):
    out = Path(out)
    return out.with_name(f"{out.stem}.journal.sqlite")


def committed_count(out):
    """How many results the journal of table `out` holds now (0 without one); read-only, for watchers."""
    try:
        with sqlite3.connect(f"file:{journal_path(out)}?mode=ro", uri=True) as db:
            return db.execute("SELECT count(*) FROM results").fetchone()[0]
    except sqlite3.Error:
        return 0


class Journal:
    """Results keyed by image path, valid for one `identity` (the detector settings, for example).

    `fields`: {kind: {field: type}} every record of that kind holds; an entry that does not is not reused."""

    def __init__(self, path, identity, fields=None):
        self.path, self.note = Path(path), None
        self._identity = json.dumps(identity, sort_keys=True)
        self._fields = fields
        if self.path.is_dir():
            raise OutputError(f"the journal {self.path} is a folder; move it away or pass another --out")
        try:
            self._db = self._open()
        except sqlite3.DatabaseError as error:
            if refusal(error, self.path):
                raise refusal(error, self.path) from None
            self.note = f"journal {self.path} is damaged ({error}); starting it afresh"
            self._delete_files()
            self._db = self._open()

    def _open(self):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, isolation_level=None)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: a commit survives the process being killed
            db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
            db.execute("CREATE TABLE IF NOT EXISTS results (path TEXT PRIMARY KEY, kind TEXT, record TEXT)")
            stored = db.execute("SELECT value FROM meta WHERE key = 'identity'").fetchone()
            if stored is None or stored[0] != self._identity:
                db.execute("DELETE FROM results")  # made by other settings: not reusable
                db.execute("INSERT OR REPLACE INTO meta VALUES ('identity', ?)", (self._identity,))
            db.execute("SELECT count(*) FROM results").fetchone()  # reads the pages: a damaged file fails here
            columns = [row[1] for row in db.execute("PRAGMA table_info(results)")]
            if columns != ["path", "kind", "record"]:
                raise sqlite3.DatabaseError(f"its results table has columns {', '.join(columns)}")
        except sqlite3.DatabaseError:
            db.close()
            raise
        return db

    def entries(self):
        """{path: (kind, record)} of every committed result in the shape `fields` gives; the others are
        counted in `self.note` and left out (their images are done again)."""
        entries, damaged = {}, []
        for path, kind, text in self._db.execute("SELECT path, kind, record FROM results").fetchall():
            record, problem = self._checked(path, kind, text)
            if problem:
                damaged.append(f"{path!r}: {problem}")
            else:
                entries[path] = (kind, record)
        if damaged:
            self.note = (f"journal {self.path} has {len(damaged)} damaged entr{'y' if len(damaged) == 1 else 'ies'} "
                         f"(first {damaged[0]}); those images are done again")
        return entries

    def _checked(self, path, kind, text):
        """(the stored record, None), or (None, what is wrong with it)."""
        try:
            record = json.loads(text)
        except (TypeError, ValueError):
            return None, "not JSON"
        if not isinstance(record, dict) or record.get("path") != path:
            return None, "not a record of that image"
        if self._fields is None:
            return record, None
        if kind not in self._fields:
            return None, f"unknown kind {kind!r}"
        wrong = [name for name, types in self._fields[kind].items() if not has_type(record.get(name), types)]
        return (None, f"field {wrong[0]!r} missing or of the wrong type") if wrong else (record, None)

    def add(self, kind, record):
        """Commit one result; it survives the process being killed from the moment this returns."""
        try:
            self._db.execute("INSERT OR REPLACE INTO results VALUES (?, ?, ?)",
                             (record["path"], kind, json.dumps(record)))
        except sqlite3.DatabaseError as error:
            raise (refusal(error, self.path) or error) from None

    def close(self):
        self._db.close()

    def remove(self):
        """Close and delete the journal: its results are in the written table now."""
        self.close()
        self._delete_files()

    def _delete_files(self):
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)

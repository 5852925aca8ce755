"""What earlier runs left for `extract` to reuse: the written table and failures, then the journal.

A damaged earlier output is named in one line and ignored (the table is rebuilt from the images);
the images themselves are never touched.
"""
import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from landmarks.journal import Journal, journal_path
from landmarks.points import RAW_COLUMNS, WORLD_COLUMNS
from landmarks.sidecar import read_sidecar, sidecar_path

KEY_COLUMNS = ["file_size", "file_mtime_ns"]
ROW_COLUMNS = ["path", "label", "group", "handedness", "score", "image_width", "image_height", *KEY_COLUMNS]
FAILURE_COLUMNS = ["path", "label", "group", "reason", "detail", *KEY_COLUMNS]
_FLOATS = ["score", *RAW_COLUMNS, *WORLD_COLUMNS]  # features are not read: `extract` recomputes them
_INTEGERS = ["image_width", "image_height"]


class Damaged(ValueError):
    """An earlier output that cannot be trusted; the message names the file and what is wrong."""


def failures_path(out):
    out = Path(out)
    return out.with_name(f"{out.stem}.failures.csv")


@dataclass
class Resumed:
    journal: Journal  # this run's, open: each new result is committed to it
    pending: list  # the paths to process
    reused: int = 0
    journaled: int = 0  # of `reused`: results an interrupted run had committed to the journal


def resume(out, identity, done, note, paths, key_of, results, fields=None):
    """Open the journal of table `out` for results made with `identity` (printing `note` and its own),
    and add to `results` each result in `done` ({path: (kind, record)} of the earlier table) or in the
    journal (whose entries must have the `fields` of their kind, see Journal) whose file is unchanged:
    `key_of(path)` (its size and mtime, None when it cannot be read) equals the record's. The other
    paths are pending."""
    journal = Journal(journal_path(out), identity, fields)
    journaled = journal.entries()
    for line in (note, journal.note and f"note: {journal.note}"):
        if line:
            print(line)
    done, resumed = {**done, **journaled}, Resumed(journal, [])
    for path in paths:
        kind, record = done.get(path, (None, None))
        if record is not None and key_of(path) == {column: record.get(column) for column in KEY_COLUMNS}:
            results.add(kind, record)
            resumed.reused += 1
            resumed.journaled += path in journaled
        else:
            resumed.pending.append(path)
    return resumed


def file_key(path):
    """The size and mtime results are keyed on, or None when the file cannot be read."""
    try:
        stat = Path(path).stat()
    except OSError:
        return None
    return {"file_size": stat.st_size, "file_mtime_ns": stat.st_mtime_ns}


def failures_table(records):
    """The failures file's table of `records` (dicts). Listing problems (a broken link) have no file key:
    theirs stay empty and every other key an exact integer (a float column would write 1.796e+18)."""
    table = pd.DataFrame(records, columns=FAILURE_COLUMNS)
    for column in KEY_COLUMNS:
        table[column] = pd.array([record.get(column) for record in records], dtype="Int64")
    return table


def earlier_results(out, detector_settings):
    """({path: (kind, record)} from the table and failures file at `out`, note or None)."""
    out = Path(out)
    if not out.exists():
        return {}, None
    sidecar = read_sidecar(out)
    if sidecar is None:
        return {}, f"note: {sidecar_path(out)} is missing or damaged; rebuilding {out} from the images"
    if sidecar.get("detector") != detector_settings:
        return {}, (f"note: {out} was made with other detector settings (or an earlier version); "
                    "extracting every image again")
    try:
        columns = ROW_COLUMNS + RAW_COLUMNS + WORLD_COLUMNS
        done = {r["path"]: ("row", r) for r in read_checked(out, columns, _FLOATS, _INTEGERS)}
        done.update(earlier_failures(out))
    except Damaged as error:
        return {}, f"note: {error}; rebuilding {out} from the images"
    return done, None


def earlier_failures(out):
    """{path: ("failure", record)} of the failures file beside table `out` that can be reused (those with
    a file key), {} without one; raises Damaged."""
    failed = failures_path(out)
    if not failed.exists():
        return {}
    return {f["path"]: ("failure", f) for f in read_checked(failed, FAILURE_COLUMNS, [], [], keyed_only=True)}


def read_checked(path, columns, floats, integers, keyed_only=False, booleans=()):
    """The rows of CSV `path` as dicts with `columns`, parsed to Python floats, ints and bools (as the
    journal gives them); raises Damaged naming what is wrong."""
    try:
        data = Path(path).read_bytes()
        table = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False, encoding="utf-8")
    except (OSError, UnicodeDecodeError, ValueError, pd.errors.ParserError) as error:
        raise Damaged(f"{path} cannot be read ({type(error).__name__})") from None
    if not data.endswith(b"\n"):  # pandas ends every table with a newline
        raise Damaged(f"{path} is cut off mid-line")
    missing = [c for c in columns if c not in table]
    if missing:
        raise Damaged(f"{path} lacks column {missing[0]}")
    table = table[columns]
    if keyed_only:  # failures found while listing (broken links, ...) have no file to key on
        table = table[(table[KEY_COLUMNS] != "").all(axis=1)]
    table = table.copy()
    try:  # parsing reads back exactly the float64 values pandas wrote
        table[floats] = table[floats].astype(np.float64)
        table[KEY_COLUMNS + integers] = table[KEY_COLUMNS + integers].astype(np.int64)
    except (ValueError, OverflowError):
        raise Damaged(f"{path} has values that are not numbers (cut off or edited?)") from None
    for column in booleans:
        if not table[column].isin(["True", "False"]).all():
            raise Damaged(f"{path} has values in {column} that are not True or False")
        table[column] = table[column].eq("True")
    if not np.isfinite(table[floats].to_numpy()).all():
        raise Damaged(f"{path} has values that are not finite numbers")
    return table.to_dict("records")  # Python floats and ints, as the journal gives

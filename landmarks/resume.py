"""What earlier runs left for `extract` to reuse: the written table and failures, then the journal.

A damaged earlier output is named in one line and ignored (the table is rebuilt from the images);
the images themselves are never touched.
"""
import io
from pathlib import Path

import numpy as np
import pandas as pd

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
        done = {r["path"]: ("row", r) for r in _read(out, columns, _FLOATS, _INTEGERS)}
        failed = failures_path(out)
        if failed.exists():
            failures = _read(failed, FAILURE_COLUMNS, [], [], keyed_only=True)
            done.update({f["path"]: ("failure", f) for f in failures})
    except Damaged as error:
        return {}, f"note: {error}; rebuilding {out} from the images"
    return done, None


def _read(path, columns, floats, integers, keyed_only=False):
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
    if not np.isfinite(table[floats].to_numpy()).all():
        raise Damaged(f"{path} has values that are not finite numbers")
    return table.to_dict("records")  # Python floats and ints, as the journal gives

"""`extract-motion`: clips in DATA_DIR/<label>/ to a sequence table, incrementally and in parallel.

Each clip goes through the per-clip step (motion/clip_record.py) in the worker pool photos use
(landmarks/worker_pool.py) and is committed to a journal the moment it is done: a killed run resumes
from it, Ctrl-C keeps every finished clip. Beside the table: `<out>.json` (settings),
`<out>.failures.csv` and `<out>.sequences.npz` (every clip's per-frame landmarks, NaN where no hand
was found). A damaged earlier output is named in one line and rebuilt from the clips.
"""
import time
import zipfile
import zlib
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import numpy as np
import pandas as pd

from landmarks.detect import HandDetector
from landmarks.errors import UserError
from landmarks.files import atomic_path, check_writable_file, write_csv, write_json
from landmarks.groups import groups_file_for, read_groups
from landmarks.hand_models import resolve_hand_model
from landmarks.preflight import check_workers
from landmarks.resume import (KEY_COLUMNS, Damaged, earlier_failures, failures_path, failures_table, read_checked,
                             resume)
from landmarks.sidecar import read_sidecar, sidecar_path
from landmarks.worker_pool import open_workers, run_and_keep
from motion import features as mf
from motion.clip_record import CLIP_FIELDS, MIN_HAND_FRACTION, TrackClips, clip_key
from motion.clips import list_clips

INTEGERS = ["n_frames", "n_hands", "first", "last", "image_width", "image_height"]
ROW_COLUMNS = ["path", "label", "group", "handedness", "n_frames", "n_hands", "moving", "first", "last",
               "image_width", "image_height", *KEY_COLUMNS]


def sequences_path(out):
    return Path(out).with_name(f"{Path(out).stem}.sequences.npz")


@dataclass
class MotionSummary:
    seen: int = 0
    reused: int = 0
    journaled: int = 0  # of `reused`: clips an interrupted run had committed to the journal
    rows: int = 0
    reasons: dict = field(default_factory=dict)
    seconds: float = 0.0

    def line(self):
        failed = ", ".join(f"{n} {r}" for r, n in sorted(self.reasons.items())) or "none failed"
        line = (f"extract-motion: {self.seen} clips seen, {self.rows} rows written ({failed}), "
                f"{self.reused} reused, {self.seconds:.1f} s")
        if self.journaled:
            line += f"; {self.journaled} of the reused were resumed from the journal of an interrupted run"
        return line


def settings(hand_model=None):
    return {"motion_features": mf.NAME, "steps": mf.DEFAULT_STEPS, "shape_at": list(mf.SHAPE_AT),
            "min_hand_fraction": MIN_HAND_FRACTION, "detector": HandDetector.settings_for(hand_model),
            "mode": "video", "video": HandDetector.video_settings()}


def earlier_clips(out, current):
    """({path: (kind, record)} an earlier run with the same settings left at `out`, note or None)."""
    out = Path(out)
    if not out.exists():
        return {}, None
    sidecar = read_sidecar(out)
    if not isinstance(sidecar, dict):
        return {}, f"note: {sidecar_path(out)} is missing or damaged; rebuilding {out} from the clips"
    if sidecar.get("settings") != current:
        return {}, f"note: {out} was made with other settings (or an earlier version); extracting every clip again"
    try:
        rows = read_checked(out, ROW_COLUMNS + mf.feature_columns(), mf.feature_columns(), INTEGERS,
                            booleans=["moving"])
        done = {row["path"]: ("row", {**row, "sequence": sequence})
                for row, sequence in zip(rows, _sequences(sequences_path(out), rows))}
        done.update(earlier_failures(out))
    except Damaged as error:
        return {}, f"note: {error}; rebuilding {out} from the clips"
    return done, None


def _sequences(path, rows):
    """Each row's per-frame landmarks from the sequences file, checked against the row."""
    try:
        with np.load(path) as stored:
            sequences = [stored[f"clip{i}"] for i in range(len(rows))]
    except (OSError, ValueError, EOFError, KeyError, zipfile.BadZipFile, zlib.error) as error:
        raise Damaged(f"{path} cannot be read ({type(error).__name__})") from None
    for row, sequence in zip(rows, sequences):
        if sequence.dtype != np.float32 or sequence.shape != (row["n_frames"], 21, 3):
            raise Damaged(f"{path} does not match the table (clip {row['path']})")
    return sequences


class _Results:
    """What the run has so far; the table and its side files are written atomically at the end and on Ctrl-C."""

    def __init__(self, out, labels, groups, sidecar):
        self.out, self.labels, self.groups, self.sidecar = Path(out), labels, groups, sidecar
        self.rows, self.sequences, self.failures = {}, {}, {}

    def add(self, kind, record):
        path = record["path"]
        record = {**record, "label": self.labels[path], "group": self.groups.get(path, "")}
        if kind == "row":
            self.sequences[path] = np.asarray(record.pop("sequence"), np.float32)
            self.rows[path] = record
        else:
            self.failures[path] = record

    def save(self):
        order, columns = sorted(self.rows), mf.feature_columns()
        table = pd.DataFrame([self.rows[p] for p in order], columns=[*ROW_COLUMNS, *columns])
        table[columns] = table[columns].astype(np.float32)  # as computed, whether new, reused or resumed
        write_csv(table, self.out)
        with atomic_path(sequences_path(self.out)) as temp:
            with open(temp, "wb") as handle:
                np.savez_compressed(handle, **{f"clip{i}": self.sequences[p] for i, p in enumerate(order)})
        write_csv(failures_table([self.failures[p] for p in sorted(self.failures)]), failures_path(self.out))
        write_json(self.sidecar, sidecar_path(self.out))


def extract_motion(data_dir, out, workers=None, groups_file=None, hand_model=None):
    """Write the sequence table of every clip in `data_dir`; returns a MotionSummary."""
    started = time.monotonic()
    out = check_out(out)
    workers = check_workers(workers)
    clips = list_clips(data_dir)
    groups_file = groups_file_for(data_dir, groups_file)
    groups = read_groups(groups_file) if groups_file else {}
    hand_model = resolve_hand_model(hand_model)  # the file checked and hashed once; workers and sidecar get this
    current = settings(hand_model)
    sidecar = {"kind": "motion", "data_dir": str(data_dir), "settings": current,
               "mediapipe_version": metadata.version("mediapipe")}
    results = _Results(out, dict(clips), groups, sidecar)
    resumed = resume(out, {"motion": current}, *earlier_clips(out, current), [rel for rel, _ in clips],
                     lambda rel: _key(Path(data_dir) / rel), results, CLIP_FIELDS)
    summary = MotionSummary(seen=len(clips), reused=resumed.reused, journaled=resumed.journaled)
    run_and_keep(open_workers(TrackClips(data_dir, hand_model), workers, len(resumed.pending), chunk=1),
                 resumed.pending, resumed.journal, results, "extract-motion", "clip")
    summary.rows = len(results.rows)
    for failure in results.failures.values():
        summary.reasons[failure["reason"]] = summary.reasons.get(failure["reason"], 0) + 1
    summary.seconds = time.monotonic() - started
    return summary


def _key(path):
    try:
        return clip_key(path)
    except OSError:
        return None


def check_out(out):
    """`--out` as a writable .csv path, checked before any work starts."""
    if Path(out).suffix.lower() != ".csv":
        raise UserError(f"--out {out} must be a .csv file")
    return check_writable_file(out)

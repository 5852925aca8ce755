"""`extract-motion`: clips in DATA_DIR/<label>/ to a sequence table, incrementally and in parallel.

Per clip: the hand in every frame (MediaPipe tracking mode), the movement the live spotter would
see (motion.spotter; the whole clip when the hand never moves), then its motion features. Beside the
table: `<out>.json` (settings), `<out>.failures.csv` and `<out>.sequences.npz` (every clip's
per-frame landmarks, NaN where no hand was found).
"""
import os
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import numpy as np
import pandas as pd
from tqdm import tqdm

from landmarks.detect import HandDetector
from landmarks.errors import UserError
from landmarks.files import atomic_path, write_csv, write_json
from landmarks.groups import groups_file_for, read_groups
from landmarks.images import ImageError
from landmarks.resume import FAILURE_COLUMNS, KEY_COLUMNS, failures_path
from landmarks.sidecar import read_sidecar, sidecar_path
from motion import features as mf
from motion.clips import list_clips, read_frames
from motion.spotter import segments

ROW_COLUMNS = ["path", "label", "group", "handedness", "n_frames", "n_hands", "moving", "first", "last",
               "image_width", "image_height", *KEY_COLUMNS]
MIN_HAND_FRACTION = 0.6  # a clip with a hand in fewer of its frames is a listed failure


def sequences_path(out):
    return Path(out).with_name(f"{Path(out).stem}.sequences.npz")


@dataclass
class MotionSummary:
    seen: int = 0
    reused: int = 0
    rows: int = 0
    reasons: dict = field(default_factory=dict)
    seconds: float = 0.0

    def line(self):
        failed = ", ".join(f"{n} {r}" for r, n in sorted(self.reasons.items())) or "none failed"
        return (f"extract-motion: {self.seen} clips seen, {self.rows} rows written ({failed}), "
                f"{self.reused} reused, {self.seconds:.1f} s")


def track_clip(path, hand_model=None):
    """(per-frame landmarks or None, (width, height), per-frame is_left) of one clip, tracking mode."""
    marks, sizes, lefts = [], [], []
    with HandDetector(hand_model=hand_model, video=True) as detector:
        for t_ms, rgb in read_frames(path):
            hand = None if rgb is None else detector.detect(rgb, t_ms)
            marks.append(None if hand is None else hand.landmarks)
            sizes.append((rgb.shape[1], rgb.shape[0]) if rgb is not None else (0, 0))
            lefts.append(hand is not None and hand.handedness == "Left")
    return marks, sizes, lefts


def clip_features(marks, sizes, lefts):
    """(feature vector, info dict) of one tracked clip, or raise ImageError naming the failure."""
    found = [i for i, m in enumerate(marks) if m is not None]
    if not marks:
        raise ImageError("no_frames", "the clip has no readable frames")
    if len(found) < max(mf.MIN_FRAMES, MIN_HAND_FRACTION * len(marks)):
        raise ImageError("too_few_hands", f"a hand in {len(found)} of {len(marks)} frames")
    moves = segments(marks, sizes, lefts)
    if moves:
        move = max(moves, key=lambda s: len(s.landmarks))
        seq, seq_sizes, seq_left, first, last = move.landmarks, move.image_sizes, move.is_left, move.first, move.last
    else:  # held still: the whole clip
        seq = np.stack([marks[i] for i in found])
        seq_sizes, seq_left = np.array([sizes[i] for i in found]), np.array([lefts[i] for i in found])
        first, last = found[0], found[-1]
    info = {"handedness": "Left" if np.mean(seq_left) > 0.5 else "Right", "n_frames": len(marks),
            "n_hands": len(found), "moving": bool(moves), "first": int(first), "last": int(last),
            "image_width": int(seq_sizes[0][0]), "image_height": int(seq_sizes[0][1])}
    return mf.motion_features(seq, seq_sizes, seq_left), info


def process_clip(root, relpath, hand_model=None):
    """('row', info, features, sequence) or ('failure', reason, detail, None) for one clip."""
    try:
        marks, sizes, lefts = track_clip(Path(root) / relpath, hand_model)
        vector, info = clip_features(marks, sizes, lefts)
    except ImageError as error:
        return "failure", error.reason, str(error), None
    sequence = np.full((len(marks), 21, 3), np.nan, np.float32)
    for i, m in enumerate(marks):
        if m is not None:
            sequence[i] = m
    return "row", info, vector, sequence


def _file_key(path):
    """(size, mtime_ns) of a video; of a frame folder, the summed size and the newest mtime."""
    path = Path(path)
    stats = [path.stat()] if path.is_file() else [path.stat(), *(p.stat() for p in path.iterdir())]
    size = stats[0].st_size if path.is_file() else sum(s.st_size for s in stats[1:])
    return int(size), int(max(s.st_mtime_ns for s in stats))


def settings(hand_model=None):
    return {"motion_features": mf.NAME, "steps": mf.DEFAULT_STEPS, "shape_at": list(mf.SHAPE_AT),
            "min_hand_fraction": MIN_HAND_FRACTION, "detector": HandDetector.settings_for(hand_model),
            "mode": "video"}


def _previous(out, current):
    """{path: (row dict, sequence)} and {path: failure dict} of an earlier run with the same settings."""
    old = read_sidecar(out)
    if not old or old.get("settings") != current or not Path(out).is_file():
        return {}, {}
    table = pd.read_csv(out, dtype={"path": str, "label": str, "group": str}, keep_default_na=False)
    stored = np.load(sequences_path(out)) if sequences_path(out).is_file() else {}
    rows = {r["path"]: (r, stored[f"clip{i}"]) for i, r in enumerate(table.to_dict("records"))
            if f"clip{i}" in stored}
    failures = {}
    if failures_path(out).is_file():
        old_failures = pd.read_csv(failures_path(out), dtype=str, keep_default_na=False)
        failures = {r["path"]: r for r in old_failures.to_dict("records")}
    return rows, failures


def extract_motion(data_dir, out, workers=None, groups_file=None, hand_model=None):
    """Write the sequence table of every clip in `data_dir`; returns a MotionSummary."""
    started = time.monotonic()
    clips = list_clips(data_dir)
    groups_file = groups_file_for(data_dir, groups_file)
    groups = read_groups(groups_file) if groups_file else {}
    current = settings(hand_model)
    old_rows, old_failures = _previous(out, current)
    keys = {rel: _file_key(Path(data_dir) / rel) for rel, _ in clips}
    rows, sequences, failures, todo = {}, {}, {}, []
    for rel, label in clips:
        key = {"file_size": keys[rel][0], "file_mtime_ns": keys[rel][1]}
        if rel in old_rows and all(int(old_rows[rel][0][k]) == v for k, v in key.items()):
            rows[rel], sequences[rel] = old_rows[rel]
        elif rel in old_failures and all(int(old_failures[rel][k]) == v for k, v in key.items()):
            failures[rel] = old_failures[rel]
        else:
            todo.append((rel, label))
    summary = MotionSummary(seen=len(clips), reused=len(clips) - len(todo))
    columns = mf.feature_columns()
    try:
        for (rel, label), result in zip(todo, _run(data_dir, todo, workers, hand_model)):
            base = {"path": rel, "label": label, "group": groups.get(rel, ""),
                    "file_size": keys[rel][0], "file_mtime_ns": keys[rel][1]}
            if result[0] == "row":
                rows[rel] = {**base, **result[1], **dict(zip(columns, result[2]))}
                sequences[rel] = result[3]
            else:
                failures[rel] = {**base, "reason": result[1], "detail": result[2]}
    finally:  # also on Ctrl-C: every finished clip is written, and the next run resumes
        _write(out, rows, sequences, failures, columns, current, data_dir)
    summary.rows = len(rows)
    for failure in failures.values():
        summary.reasons[failure["reason"]] = summary.reasons.get(failure["reason"], 0) + 1
    summary.seconds = time.monotonic() - started
    return summary


def _run(data_dir, todo, workers, hand_model):
    workers = max(1, min(workers or os.cpu_count() or 1, len(todo) or 1))
    bar = dict(total=len(todo), desc="extract-motion", unit="clip", disable=None)
    if workers == 1:
        yield from tqdm((process_clip(data_dir, rel, hand_model) for rel, _ in todo), **bar)
        return
    with ProcessPoolExecutor(workers) as pool:
        yield from tqdm(pool.map(process_clip, [data_dir] * len(todo), [rel for rel, _ in todo],
                                 [hand_model] * len(todo)), **bar)


def _write(out, rows, sequences, failures, columns, current, data_dir):
    order = sorted(rows)
    table = pd.DataFrame([rows[p] for p in order], columns=[*ROW_COLUMNS, *columns])
    write_csv(table, out)
    with atomic_path(sequences_path(out)) as temp:
        with open(temp, "wb") as handle:
            np.savez_compressed(handle, **{f"clip{i}": sequences[p] for i, p in enumerate(order)})
    write_csv(pd.DataFrame([failures[p] for p in sorted(failures)], columns=FAILURE_COLUMNS), failures_path(out))
    write_json({"kind": "motion", "data_dir": str(data_dir), "settings": current,
                "mediapipe": metadata.version("mediapipe")}, sidecar_path(out))


def check_out(out):
    if Path(out).suffix.lower() != ".csv":
        raise UserError(f"--out {out} must be a .csv file")

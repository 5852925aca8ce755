"""`extract`: a folder of labelled images to a feature table, incrementally and in parallel."""
import multiprocessing
from importlib import metadata
import os
import signal
import time
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd
from tqdm import tqdm

from landmarks import normalize as norm
from landmarks.detect import HandDetector
from landmarks.errors import UserError
from landmarks.files import write_csv, write_json
from landmarks.groups import read_groups
from landmarks.images import ImageError, decode_rgb, list_labelled_images, read_rgb
from landmarks.points import FEATURE_COLUMNS, RAW_COLUMNS
from landmarks.sidecar import read_sidecar, sidecar_path

KEY_COLUMNS = ["file_size", "file_mtime_ns"]
ROW_COLUMNS = ["path", "label", "group", "handedness", "score", "image_width", "image_height", *KEY_COLUMNS]
FAILURE_COLUMNS = ["path", "label", "group", "reason", "detail", *KEY_COLUMNS]
CHECKPOINT_SECONDS = 30


def failures_path(out):
    out = Path(out)
    return out.with_name(f"{out.stem}.failures.csv")


@dataclass
class ExtractSummary:
    seen: int = 0
    reused: int = 0
    rows: int = 0
    reasons: dict = field(default_factory=dict)
    seconds: float = 0.0

    def line(self):
        rate = (self.seen - self.reused) / self.seconds if self.seconds > 0 else 0.0
        other = sum(n for r, n in self.reasons.items() if r != "no_hand")
        return (f"extract: {self.seen} images seen, {self.rows} rows written, "
                f"{self.reasons.get('no_hand', 0)} no hand, {other} unreadable, "
                f"{self.reused} reused, {self.seconds:.1f} s, {rate:.1f} images/s")


# Each worker process keeps one detector for its whole life.
_detector = None


def _start_worker(hand_model):
    global _detector
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and saves the rows
    _detector = HandDetector(hand_model=hand_model)


def process_image(root, relpath, detector=None, data=None, key=None):
    """One image to ("row", dict) or ("failure", dict).

    `data` and `key`: the file's bytes and size/mtime, read by the caller (Dask workers with --send-images).
    """
    detector = detector or _detector
    path = Path(root) / relpath
    if key is None:
        stat = path.stat()
        key = {"file_size": stat.st_size, "file_mtime_ns": stat.st_mtime_ns}
    try:
        rgb = read_rgb(path) if data is None else decode_rgb(data, path)
    except ImageError as error:
        return failure(relpath, error, key)
    hand = detector.detect(rgb)
    if hand is None:
        return "failure", {"path": relpath, "reason": "no_hand", "detail": "", **key}
    raw = dict(zip(RAW_COLUMNS, hand.landmarks.reshape(-1).tolist()))
    return "row", {"path": relpath, "handedness": hand.handedness, "score": hand.score,
                   "image_width": rgb.shape[1], "image_height": rgb.shape[0], **key, **raw}


def failure(relpath, error, key):
    """An ImageError as ("failure", record)."""
    return "failure", {"path": relpath, "reason": error.reason, "detail": str(error), **key}


def add_features(rows, settings=None):
    """Rows with raw landmarks -> the same rows with the normalized feature columns (re)computed."""
    rows = rows.drop(columns=[c for c in FEATURE_COLUMNS if c in rows], errors="ignore")
    raw = rows[RAW_COLUMNS].to_numpy(np.float32).reshape(-1, 21, 3)
    sizes = rows[["image_width", "image_height"]].to_numpy(np.float32)
    features = norm.flat_features(raw, sizes, rows["handedness"].eq("Left").to_numpy(), settings)
    return pd.concat([rows.reset_index(drop=True), pd.DataFrame(features, columns=FEATURE_COLUMNS)], axis=1)


def _previous(out, detector_settings):
    """Rows and failures of an earlier run with the same detector, keyed by path."""
    out = Path(out)
    sidecar = read_sidecar(out) if out.is_file() else None
    if not sidecar or sidecar.get("detector") != detector_settings:
        return {}, {}
    rows = pd.read_csv(out, dtype={"path": str, "label": str, "group": str}, keep_default_na=False)
    failed = failures_path(out)
    failures = (pd.read_csv(failed, dtype={"path": str}, keep_default_na=False)
                if failed.is_file() else pd.DataFrame(columns=FAILURE_COLUMNS))
    return ({r["path"]: r for r in rows[ROW_COLUMNS + RAW_COLUMNS].to_dict("records")},
            {f["path"]: f for f in failures.to_dict("records") if set(KEY_COLUMNS) <= set(f)})


def _unchanged(record, stat):
    return (record is not None and int(record["file_size"]) == stat.st_size
            and int(record["file_mtime_ns"]) == stat.st_mtime_ns)


class _Results:
    """What the run has so far; saved atomically at checkpoints, on Ctrl-C and at the end."""

    def __init__(self, out, labels, groups, sidecar):
        self.out, self.labels, self.groups, self.sidecar = Path(out), labels, groups, sidecar
        self.rows, self.failures = [], []
        self.saved_at = time.monotonic()

    def add(self, kind, record):
        record = {**record, "label": self.labels[record["path"]], "group": self.groups.get(record["path"], "")}
        (self.rows if kind == "row" else self.failures).append(record)

    def save(self):
        rows = pd.DataFrame(self.rows, columns=ROW_COLUMNS + RAW_COLUMNS).sort_values("path")
        write_csv(add_features(rows, self.sidecar["normalization"]["settings"]), self.out)
        failures = pd.DataFrame(self.failures, columns=FAILURE_COLUMNS).sort_values("path")
        write_csv(failures, failures_path(self.out))
        write_json(self.sidecar, sidecar_path(self.out))
        self.saved_at = time.monotonic()


def extract(data_dir, out, workers=None, groups_file=None, hand_model=None, scheduler=None, send_images=False):
    """Write the feature table, failures file and sidecar for `data_dir`; return an ExtractSummary.

    `scheduler`: detect on a Dask cluster ("local" or tcp://host:port) instead of a local process pool.
    """
    started = time.monotonic()
    if send_images and scheduler is None:
        raise UserError("--send-images sends the images to Dask workers; add --scheduler ADDRESS|local")
    run = _run if scheduler is None else partial(_on_cluster(), scheduler=scheduler, send_images=send_images)
    images = list_labelled_images(data_dir)
    if groups_file is None and (Path(data_dir) / "groups.csv").is_file():
        groups_file = Path(data_dir) / "groups.csv"  # written by `collect`, shipped with the samples
    groups = read_groups(groups_file) if groups_file else {}
    detector_settings = HandDetector.settings_for(hand_model)  # checks the model file before any worker starts
    sidecar = _make_sidecar(data_dir, detector_settings)
    old_rows, old_failures = _previous(out, detector_settings)
    if Path(out).is_file() and not old_rows and not old_failures:
        print(f"note: {out} was made with other detector settings (or an earlier version); extracting every image again")
    results = _Results(out, dict(images), groups, sidecar)
    pending = []
    for relpath, _ in images:
        stat = (Path(data_dir) / relpath).stat()
        if _unchanged(old_rows.get(relpath), stat):
            results.add("row", old_rows[relpath])
        elif _unchanged(old_failures.get(relpath), stat):
            results.add("failure", old_failures[relpath])
        else:
            pending.append(relpath)
    summary = ExtractSummary(seen=len(images), reused=len(images) - len(pending))
    try:
        for kind, record in run(data_dir, pending, workers, hand_model):
            results.add(kind, record)
            if kind == "failure" and record["reason"] != "no_hand":
                tqdm.write(f"skipped {record['detail']}")
            if time.monotonic() - results.saved_at > CHECKPOINT_SECONDS:
                results.save()
    finally:
        results.save()  # also on Ctrl-C: every finished row is kept and the next run resumes
    summary.rows = len(results.rows)
    for failure in results.failures:
        summary.reasons[failure["reason"]] = summary.reasons.get(failure["reason"], 0) + 1
    summary.seconds = time.monotonic() - started
    return summary


def _run(data_dir, pending, workers, hand_model):
    """Yield (kind, record) for each pending image, with a progress bar."""
    if not pending:
        return
    workers = max(1, min(workers or os.cpu_count() or 1, len(pending)))
    bar = tqdm(total=len(pending), unit="img", desc="extract", disable=None)
    try:
        if workers == 1:
            with HandDetector(hand_model=hand_model) as detector:
                for relpath in pending:
                    yield process_image(data_dir, relpath, detector)
                    bar.update()
            return
        context = multiprocessing.get_context("spawn")
        with context.Pool(workers, initializer=_start_worker, initargs=(hand_model,)) as pool:
            jobs = [(str(data_dir), relpath) for relpath in pending]
            for result in pool.imap_unordered(_process_star, jobs, chunksize=8):
                yield result
                bar.update()
    finally:
        bar.close()


def _on_cluster():
    """The Dask twin of `_run`; fails now, before any work, when dask is not installed."""
    from landmarks.cluster import require_distributed
    from landmarks import cluster_extract

    require_distributed()
    return cluster_extract.run


def _process_star(job):
    return process_image(*job)


def _make_sidecar(data_dir, detector_settings):
    return {
        "mediapipe_version": metadata.version("mediapipe"),
        "normalization": {"name": norm.NAME, "settings": dict(norm.DEFAULT_SETTINGS)},
        "detector": detector_settings,
        "data_dir": str(Path(data_dir).resolve()),
    }

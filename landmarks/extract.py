"""`extract`: a folder of labelled images to a feature table, incrementally and in parallel.

What earlier runs left is reused (landmarks/resume.py, landmarks/journal.py); the other images go
through the per-image step (landmarks/image_record.py) in the worker pool (landmarks/worker_pool.py)
or on a Dask cluster (landmarks/cluster_extract.py), each committed to the journal as it completes.
The table, its failures file and sidecar are written once at the end (also on Ctrl-C).
"""
import os
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import numpy as np
import pandas as pd
from tqdm import tqdm

from landmarks import normalize as norm
from landmarks.cluster import require_distributed
from landmarks.scheduler_check import check_scheduler
from landmarks.cluster_extract import open_cluster
from landmarks.detect import HandDetector
from landmarks.errors import UserError
from landmarks.files import check_writable_file, write_csv, write_json
from landmarks.groups import groups_file_for, read_groups_counted
from landmarks.hand_models import resolve_hand_model
from landmarks.image_record import RECORD_FIELDS, DetectPhotos
from landmarks.images import MAX_PIXELS, scan_labelled_images
from landmarks.preflight import check_max_pixels, check_workers
from landmarks.points import FEATURE_COLUMNS, RAW_COLUMNS, WORLD_COLUMNS
from landmarks.resume import ROW_COLUMNS, earlier_results, failures_path, failures_table, file_key, resume
from landmarks.sidecar import sidecar_path
from landmarks.worker_pool import open_workers, run_and_keep


@dataclass
class ExtractSummary:
    seen: int = 0
    reused: int = 0
    journaled: int = 0  # of `reused`: results an interrupted run had committed to the journal
    rows: int = 0
    reasons: dict = field(default_factory=dict)
    seconds: float = 0.0
    groups_missing: int = 0  # images without a row in the groups file (when one is read)
    groups_duplicates: int = 0

    def line(self):
        rate = (self.seen - self.reused) / self.seconds if self.seconds > 0 else 0.0
        other = sum(n for r, n in self.reasons.items() if r != "no_hand")
        line = (f"extract: {self.seen} images seen, {self.rows} rows written, "
                f"{self.reasons.get('no_hand', 0)} no hand, {other} unreadable, "
                f"{self.reused} reused, {self.seconds:.1f} s, {rate:.1f} images/s")
        if self.journaled:
            line += f"; {self.journaled} of the reused were resumed from the journal of an interrupted run"
        if self.groups_missing or self.groups_duplicates:
            line += (f"; groups file: {self.groups_missing} images without a row, "
                     f"{self.groups_duplicates} duplicate rows (the last one counts)")
        return line


def add_features(rows, settings=None):
    """Rows with raw landmarks -> the same rows with the normalized feature columns (re)computed."""
    rows = rows.drop(columns=[c for c in FEATURE_COLUMNS if c in rows], errors="ignore").reset_index(drop=True)
    raw = rows[RAW_COLUMNS].to_numpy(np.float32).reshape(len(rows), 21, 3)
    sizes = rows[["image_width", "image_height"]].to_numpy(np.float32).reshape(len(rows), 2)
    features = (norm.flat_features(raw, sizes, rows["handedness"].eq("Left").to_numpy(), settings) if len(rows)
                else np.zeros((0, len(FEATURE_COLUMNS)), np.float32))
    return pd.concat([rows, pd.DataFrame(features, columns=FEATURE_COLUMNS)], axis=1)


class _Results:
    """What the run has so far; the table is written atomically at the end and on Ctrl-C."""

    def __init__(self, out, labels, groups, sidecar):
        self.out, self.labels, self.groups, self.sidecar = Path(out), labels, groups, sidecar
        self.rows, self.failures = [], []

    def add(self, kind, record):
        record = {**record, "label": self.labels[record["path"]], "group": self.groups.get(record["path"], "")}
        (self.rows if kind == "row" else self.failures).append(record)

    def save(self):
        rows = pd.DataFrame(self.rows, columns=ROW_COLUMNS + RAW_COLUMNS + WORLD_COLUMNS).sort_values("path")
        write_csv(add_features(rows, self.sidecar["normalization"]["settings"]), self.out)
        failures = failures_table(self.failures).sort_values("path")
        write_csv(failures, failures_path(self.out))
        write_json(self.sidecar, sidecar_path(self.out))


def extract(data_dir, out, workers=None, groups_file=None, hand_model=None, max_pixels=MAX_PIXELS, scheduler=None,
            send_images=False):
    """Write the feature table, failures file and sidecar for `data_dir`; return an ExtractSummary.

    `scheduler`: detect on a Dask cluster ("local" or tcp://host:port) instead of a local process pool.
    """
    started = time.monotonic()
    if send_images and scheduler is None:
        raise UserError("--send-images sends the images to Dask workers; add --scheduler ADDRESS|local")
    if scheduler is not None:
        require_distributed()  # fails now, before any work, when dask is not installed
        check_scheduler(scheduler)
    # Without its sidecar, a file at --out that does not begin like a table is another command's: kept.
    out = check_writable_file(out, starts_with=None if os.path.exists(sidecar_path(out)) else ",".join(ROW_COLUMNS[:3]).encode())
    workers = check_workers(workers)
    check_max_pixels(max_pixels)
    images, problems = scan_labelled_images(data_dir)
    labels = {**{p[0]: p[1] for p in problems}, **dict(images)}
    groups_file = groups_file_for(data_dir, groups_file)
    groups, duplicates = read_groups_counted(groups_file) if groups_file else ({}, 0)
    hand_model = resolve_hand_model(hand_model)  # the file checked and hashed once; workers and sidecar get this
    detector_settings = HandDetector.settings_for(hand_model)
    sidecar = _make_sidecar(data_dir, detector_settings)
    results = _Results(out, labels, groups, sidecar)
    for relpath, label, reason, detail in problems:
        results.add("failure", {"path": relpath, "reason": reason, "detail": detail})
    resumed = resume(out, {"detector": detector_settings}, *earlier_results(out, detector_settings),
                     [relpath for relpath, _ in images], lambda relpath: file_key(Path(data_dir) / relpath), results,
                     RECORD_FIELDS)
    pending = resumed.pending
    summary = ExtractSummary(seen=len(images), reused=resumed.reused, journaled=resumed.journaled,
                             groups_duplicates=duplicates)
    if groups_file:
        summary.groups_missing = sum(relpath not in groups for relpath, _ in images)
    engine = (open_workers(DetectPhotos(data_dir, hand_model, max_pixels), workers, len(pending)) if scheduler is None
              else open_cluster(data_dir, hand_model, max_pixels, scheduler=scheduler, workers=workers,
                                send_images=send_images))
    run_and_keep(engine, pending, resumed.journal, results, "extract", "img", _say_skipped)
    summary.rows = len(results.rows)
    for failure in results.failures:
        summary.reasons[failure["reason"]] = summary.reasons.get(failure["reason"], 0) + 1
    summary.seconds = time.monotonic() - started
    return summary


def _say_skipped(kind, record):
    if kind == "failure" and record["reason"] != "no_hand":
        tqdm.write(f"skipped {record['detail']}")


def _make_sidecar(data_dir, detector_settings):
    return {
        "mediapipe_version": metadata.version("mediapipe"),
        "normalization": {"name": norm.NAME, "settings": dict(norm.DEFAULT_SETTINGS)},
        "detector": detector_settings,
        "data_dir": str(Path(data_dir).resolve()),
    }

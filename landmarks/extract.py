"""`extract`: a folder of labelled images to a feature table, incrementally and in parallel.

Every finished image is committed to a journal (landmarks/journal.py) as it completes; the table,
its failures file and sidecar are written once at the end (also on Ctrl-C), and the journal is
then deleted. A killed run resumes from the journal.
"""
import multiprocessing
import os
import signal
import threading
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from functools import partial
from importlib import metadata
from pathlib import Path

import numpy as np
import pandas as pd
from tqdm import tqdm

from landmarks import normalize as norm
from landmarks.detect import HandDetector
from landmarks.errors import UserError
from landmarks.files import check_writable_file, write_csv, write_json
from landmarks.groups import groups_file_for, read_groups_counted
from landmarks.images import MAX_PIXELS, ImageError, decode_rgb, read_rgb, scan_labelled_images
from landmarks.journal import Journal, journal_path
from landmarks.preflight import check_hand_model_opens, check_max_pixels, check_workers
from landmarks.points import FEATURE_COLUMNS, RAW_COLUMNS, WORLD_COLUMNS
from landmarks.resume import FAILURE_COLUMNS, ROW_COLUMNS, earlier_results, failures_path
from landmarks.sidecar import sidecar_path

CHUNK = 4  # images per task sent to a worker: small, so a kill loses little


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


# Each worker process keeps one detector for its whole life.
_detector = None


def _start_worker(hand_model):
    global _detector
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and saves the rows
    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True).start()
    _detector = HandDetector(hand_model=hand_model)


def _exit_with_parent(parent):
    """A parent killed outright (kill -9) would leave its workers waiting for work forever."""
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(1)


def process_image(root, relpath, detector=None, max_pixels=MAX_PIXELS, data=None, key=None):
    """One image to ("row", dict) or ("failure", dict).

    `data` and `key`: the file's bytes and size/mtime, read by the caller (Dask workers with --send-images).
    """
    detector = detector or _detector
    path = Path(root) / relpath
    if key is None:
        try:
            stat = path.stat()
        except OSError as error:  # gone or unreadable since the folder was listed
            return "failure", {"path": relpath, "reason": "unreadable", "detail": f"{path}: {error.strerror or error}"}
        key = {"file_size": stat.st_size, "file_mtime_ns": stat.st_mtime_ns}
    try:
        rgb = read_rgb(path, max_pixels) if data is None else decode_rgb(data, path, max_pixels)
    except ImageError as error:
        return failure(relpath, error, key)
    hand = detector.detect(rgb)
    if hand is None:
        return "failure", {"path": relpath, "reason": "no_hand", "detail": "", **key}
    raw = dict(zip(RAW_COLUMNS, hand.landmarks.reshape(-1).tolist()))
    world = dict(zip(WORLD_COLUMNS, hand.world.reshape(-1).tolist()))
    return "row", {"path": relpath, "handedness": hand.handedness, "score": hand.score,
                   "image_width": rgb.shape[1], "image_height": rgb.shape[0], **key, **raw, **world}


def failure(relpath, error, key):
    """An ImageError as ("failure", record)."""
    return "failure", {"path": relpath, "reason": error.reason, "detail": str(error), **key}


def add_features(rows, settings=None):
    """Rows with raw landmarks -> the same rows with the normalized feature columns (re)computed."""
    rows = rows.drop(columns=[c for c in FEATURE_COLUMNS if c in rows], errors="ignore").reset_index(drop=True)
    raw = rows[RAW_COLUMNS].to_numpy(np.float32).reshape(len(rows), 21, 3)
    sizes = rows[["image_width", "image_height"]].to_numpy(np.float32).reshape(len(rows), 2)
    features = (norm.flat_features(raw, sizes, rows["handedness"].eq("Left").to_numpy(), settings) if len(rows)
                else np.zeros((0, len(FEATURE_COLUMNS)), np.float32))
    return pd.concat([rows, pd.DataFrame(features, columns=FEATURE_COLUMNS)], axis=1)


def _unchanged(record, stat):
    return (record is not None and stat is not None and str(record.get("file_size", "")) != ""
            and int(record["file_size"]) == stat.st_size and int(record["file_mtime_ns"]) == stat.st_mtime_ns)


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
        failures = pd.DataFrame(self.failures, columns=FAILURE_COLUMNS).sort_values("path")
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
    run = _run if scheduler is None else partial(_on_cluster(), scheduler=scheduler, send_images=send_images)
    out = check_writable_file(out)
    workers = check_workers(workers)
    check_max_pixels(max_pixels)
    images, problems = scan_labelled_images(data_dir)
    labels = {**{p[0]: p[1] for p in problems}, **dict(images)}
    groups_file = groups_file_for(data_dir, groups_file)
    groups, duplicates = read_groups_counted(groups_file) if groups_file else ({}, 0)
    detector_settings = HandDetector.settings_for(hand_model)  # checks the model file before any worker starts
    check_hand_model_opens(hand_model)
    sidecar = _make_sidecar(data_dir, detector_settings)
    done, note = earlier_results(out, detector_settings)
    journal = Journal(journal_path(out), {"detector": detector_settings})
    for line in (note, journal.note and f"note: {journal.note}"):
        if line:
            print(line)
    journaled = journal.entries()
    done.update(journaled)
    results = _Results(out, labels, groups, sidecar)
    for relpath, label, reason, detail in problems:
        results.add("failure", {"path": relpath, "reason": reason, "detail": detail})
    pending, summary = [], ExtractSummary(seen=len(images), groups_duplicates=duplicates)
    for relpath, _ in images:
        kind, record = done.get(relpath, (None, None))
        if _unchanged(record, _stat(Path(data_dir) / relpath)):
            results.add(kind, record)
            summary.reused += 1
            summary.journaled += relpath in journaled
        else:
            pending.append(relpath)
    if groups_file:
        summary.groups_missing = sum(relpath not in groups for relpath, _ in images)
    try:
        record_results(run(data_dir, pending, workers, hand_model, max_pixels), journal, results)
    finally:
        results.save()  # also on Ctrl-C: every finished row is kept and the next run resumes
        journal.remove()  # only once the table holds everything the journal did
    summary.rows = len(results.rows)
    for failure in results.failures:
        summary.reasons[failure["reason"]] = summary.reasons.get(failure["reason"], 0) + 1
    summary.seconds = time.monotonic() - started
    return summary


def record_results(produced, journal, results):
    """Commit each (kind, record) of the generator `produced` to the journal as it arrives."""
    for kind, record in produced:
        journal.add(kind, record)
        results.add(kind, record)
        if kind == "failure" and record["reason"] != "no_hand":
            tqdm.write(f"skipped {record['detail']}")


def _stat(path):
    try:
        return path.stat()
    except OSError:
        return None


def _run(data_dir, pending, workers, hand_model, max_pixels=MAX_PIXELS, desc="extract"):
    """Yield (kind, record) for each pending image, with a progress bar labelled `desc`."""
    if not pending:
        return
    workers = max(1, min(workers or os.cpu_count() or 1, len(pending)))
    bar = tqdm(total=len(pending), unit="img", desc=desc, disable=None)
    try:
        if workers == 1:
            with HandDetector(hand_model=hand_model) as detector:
                for relpath in pending:
                    yield process_image(data_dir, relpath, detector, max_pixels)
                    bar.update()
            return
        for chunk in _in_workers(data_dir, pending, workers, hand_model, max_pixels):
            yield from chunk
            bar.update(len(chunk))
    finally:
        bar.close()


def _on_cluster():
    """The Dask twin of `_run`; fails now, before any work, when dask is not installed."""
    from landmarks import cluster_extract
    from landmarks.cluster import require_distributed

    require_distributed()
    return cluster_extract.run


def _in_workers(data_dir, pending, workers, hand_model, max_pixels):
    """Lists of results from `workers` processes; a worker that dies ends the run with a message."""
    context = multiprocessing.get_context("spawn")
    chunks = [pending[i:i + CHUNK] for i in range(0, len(pending), CHUNK)]
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker,
                             initargs=(hand_model,)) as pool:
        try:
            waiting = {pool.submit(_process_chunk, str(data_dir), chunk, max_pixels) for chunk in chunks}
            while waiting:
                finished, waiting = wait(waiting, return_when=FIRST_COMPLETED)
                for future in finished:
                    yield future.result()
        except BrokenProcessPool:
            raise UserError("a worker process stopped (out of memory, or the hand model failed to load); "
                            "run again with --workers 1 to see why; finished images were kept") from None
        finally:
            pool.shutdown(wait=True, cancel_futures=True)


def _process_chunk(root, relpaths, max_pixels):
    return [process_image(root, relpath, None, max_pixels) for relpath in relpaths]


def _make_sidecar(data_dir, detector_settings):
    return {
        "mediapipe_version": metadata.version("mediapipe"),
        "normalization": {"name": norm.NAME, "settings": dict(norm.DEFAULT_SETTINGS)},
        "detector": detector_settings,
        "data_dir": str(Path(data_dir).resolve()),
    }

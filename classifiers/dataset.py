"""The training data: the feature table from `extract`, its failures, and the images behind both."""
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from classifiers.bundle import file_sha256
from landmarks import normalize as norm
from landmarks.detect import HandDetector
from landmarks.errors import UserError
from landmarks.extract import failures_path
from landmarks.option_ranges import MAX_FOLDS, check_range
from landmarks.points import FEATURE_COLUMNS
from landmarks.read_back import read_table
from landmarks.sidecar import checked_sidecar

TEXT_COLUMNS = {"path": str, "label": str, "group": str}
REBUILD = "re-run `python cli.py extract` (`extract-motion` for a motion table) to rebuild it"


@dataclass
class Dataset:
    rows: pd.DataFrame  # images with a detected hand: path, label, group, FEATURE_COLUMNS
    failures: pd.DataFrame  # images without a row: path, label, group, reason
    sidecar: dict
    table_sha256: str
    source: str
    left_out: int = 0  # rows whose features are not finite numbers (moved to `failures` as bad_features)

    @property
    def features(self):
        return self.rows[FEATURE_COLUMNS].to_numpy(np.float32)

    @property
    def labels(self):
        return self.rows["label"].to_numpy(str)

    @cached_property
    def all_images(self):
        """Every image `extract` saw, with or without a hand: path, label, group."""
        columns = ["path", "label", "group"]
        return pd.concat([self.rows[columns], self.failures[columns]], ignore_index=True).sort_values("path")

    @property
    def has_groups(self):
        return bool(self.all_images["group"].ne("").any())


def load_dataset(features_csv):
    path = Path(features_csv)
    if not path.is_file():
        raise UserError(f"feature table {path} not found; run `python cli.py extract` first")
    try:
        rows = pd.read_csv(path, dtype=TEXT_COLUMNS, keep_default_na=False)
    except (ValueError, pd.errors.ParserError) as error:
        raise UserError(f"feature table {path} is not a CSV written by extract ({error})") from None
    sidecar = checked_sidecar(path, REBUILD) or {}
    check_detector(sidecar, path)
    made_with = sidecar.get("normalization", {}).get("name", norm.NAME)
    if made_with != norm.NAME:
        raise UserError(f"feature table {path} holds features of normalization {made_with!r}, this version uses "
                        f"{norm.NAME!r}; re-run `python cli.py extract` to rebuild it")
    missing = [c for c in ["path", "label", "group", *FEATURE_COLUMNS] if c not in rows]
    if missing:
        raise UserError(f"feature table {path} lacks columns {', '.join(missing[:3])}...; re-run `python cli.py extract`")
    failed = failures_path(path)
    failure_columns = ["path", "label", "group", "reason"]
    failures = (read_table(failed, failure_columns, REBUILD, TEXT_COLUMNS) if failed.exists()
                else pd.DataFrame(columns=failure_columns))
    rows, bad = split_bad_features(rows)
    if len(bad):
        failures = pd.concat([failures, bad[["path", "label", "group"]].assign(reason="bad_features")],
                             ignore_index=True)
    return Dataset(rows, failures, sidecar, file_sha256(path), str(path), left_out=len(bad))


def split_bad_features(rows):
    """(rows whose features are all finite numbers, as float32; the other rows)."""
    values = rows[FEATURE_COLUMNS].apply(pd.to_numeric, errors="coerce").astype(np.float64)
    good = np.isfinite(values.to_numpy()).all(axis=1)
    clean = rows.loc[good].copy()
    clean[FEATURE_COLUMNS] = values.loc[good].astype(np.float32)
    return clean.reset_index(drop=True), rows.loc[~good]


def left_out_note(dataset):
    """One line about rows left out for bad features, or None."""
    if not dataset.left_out:
        return None
    first = dataset.failures.loc[dataset.failures["reason"] == "bad_features", "path"].iloc[0]
    return (f"note: {dataset.left_out} rows of {dataset.source} have features that are not finite numbers "
            f"(text, NaN or inf; first: {first}); they are left out and count as errors end to end")


def check_detector(sidecar, path):
    """Refuse a table whose landmarks came from the old `mp.solutions` detector: never mix the two."""
    backend = sidecar.get("detector", {}).get("backend")
    if backend is not None and backend != HandDetector.BACKEND:
        raise UserError(f"feature table {path} was made by an earlier version's hand detector ({backend}); "
                        "re-run `python cli.py extract` to rebuild it")


def check_trainable(labels, folds):
    """A clear error for tables that cannot be cross-validated with `folds` folds."""
    if folds < 2:
        raise UserError(f"--folds must be at least 2, got {folds}")
    check_range("--folds", folds, 2, MAX_FOLDS)
    names, counts = np.unique(np.asarray(labels, dtype=str), return_counts=True)
    if len(names) < 2:
        raise UserError(f"the table has only one class ({', '.join(names) or 'none'}); "
                        "a classifier needs at least two labels")
    scarce = [f"{n} ({c})" for n, c in zip(names, counts) if c < folds]
    if scarce:
        raise UserError(f"classes with fewer images than --folds={folds}: {', '.join(scarce[:5])}; "
                        "add images or lower --folds")

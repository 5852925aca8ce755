"""A trained model applied to image files: detect as its training table was detected, then classify.

Shared by `predict` and `evaluate`, so both give the same label for the same photo.
"""
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.pipeline import Pipeline

from classifiers.calibration import apply_temperature
from landmarks.detect_many import detect_images
from landmarks.detector_settings import detector_for, warn
from landmarks.extract import add_features
from landmarks.images import ImageError, read_rgb
from landmarks.points import FEATURE_COLUMNS

HAND, NO_HAND, UNREADABLE = "hand", "no_hand", "unreadable"


@dataclass
class Applied:
    """One entry per image, in the order given."""

    paths: list
    found: np.ndarray  # (N,) str: HAND (classified), NO_HAND or UNREADABLE
    predicted: np.ndarray  # (N,) str: the pipeline's `predict`, "" where nothing was classified
    probabilities: np.ndarray  # (N, n_labels) float, NaN rows where nothing was classified
    labels: list  # the model's labels: the probabilities' columns


def hand_model_for(bundle, hand_model=None):
    """The hand model `bundle` was trained with, or `hand_model` (a one-line warning where it differs)."""
    chosen, warning = detector_for(bundle.detector or {}, hand_model)
    warn(warning)
    return chosen


def detect_for_model(bundle, root, relpaths, hand_model=None, workers=None, found=None):
    """`detect_images` with the hand model `bundle` was trained on (filling `found` as results arrive)."""
    return detect_images(root, relpaths, hand_model_for(bundle, hand_model), workers, found)


def apply_model(bundle, root, relpaths, detections=None):
    """An `Applied` for `bundle` on the images `root/relpath`; landmark models need `detections`."""
    relpaths = [str(p) for p in relpaths]
    found = np.full(len(relpaths), UNREADABLE, dtype=object)
    if bundle.input == "landmarks":
        rows = []
        for index, relpath in enumerate(relpaths):
            kind, record = detections[relpath]
            if kind == "row":
                found[index] = HAND
                rows.append(record)
            elif record["reason"] == "no_hand":
                found[index] = NO_HAND
        inputs = (add_features(pd.DataFrame(rows), bundle.normalization["settings"])[FEATURE_COLUMNS]
                  .to_numpy(np.float32) if rows else None)
    else:  # image baselines read the file themselves; only readable ones reach them
        for index, relpath in enumerate(relpaths):
            found[index] = HAND if _readable(Path(root) / relpath) else UNREADABLE
        inputs = np.array([str(Path(root) / p) for p, f in zip(relpaths, found) if f == HAND], dtype=object)
    predicted = np.full(len(relpaths), "", dtype=object)
    probabilities = np.full((len(relpaths), len(bundle.labels)), np.nan)
    if inputs is not None and len(inputs):
        classified = found == HAND
        labels, raw = _predict_both(bundle.pipeline, inputs)
        probabilities[classified] = apply_temperature(raw, bundle.temperature)  # as `live` reads them
        predicted[classified] = np.asarray(labels, dtype=str)
    return Applied(relpaths, found.astype(str), predicted.astype(str), probabilities, list(bundle.labels))


def _predict_both(pipeline, inputs):
    """Labels and probabilities with the feature steps run once: HOG and ORB read and describe every image."""
    if isinstance(pipeline, Pipeline) and len(pipeline) > 1:
        inputs, pipeline = pipeline[:-1].transform(inputs), pipeline[-1]
    return pipeline.predict(inputs), pipeline.predict_proba(inputs)


def _readable(path):
    try:
        read_rgb(path)
    except ImageError:
        return False
    return True

"""Saved models: one skops bundle per classifier, checked against a SHA-256 manifest, then loaded
with an allow-list of types (classifiers/model_file.py), so a model file cannot run code.

The manifest catches accidents (a file changed or copied in after training); it proves nothing
about who wrote the file: whoever hands over a model can hand over a matching manifest too.
"""
import json
import platform
from dataclasses import dataclass, field, fields
from pathlib import Path

import numpy as np
import pandas as pd
import sklearn

from classifiers.model_file import ModelFileError, read_model_file, write_model_file
from landmarks import normalize as norm
from landmarks.files import atomic_path, file_sha256, write_json

FORMAT = "handsign-bundle/2"  # /1 was a joblib pickle
SUFFIX = ".skops"
MANIFEST = "manifest.json"


class BundleError(ModelFileError):
    """A model file that cannot or must not be used; the message says what to do."""


@dataclass
class Bundle:
    name: str
    input: str  # "landmarks" or "image"
    pipeline: object
    labels: list
    normalization: dict = field(default_factory=lambda: {"name": norm.NAME, "settings": dict(norm.DEFAULT_SETTINGS)})
    versions: dict = field(default_factory=dict)
    metrics: dict = field(default_factory=dict)
    table_sha256: str = ""
    detector: dict = field(default_factory=dict)  # HandDetector.settings_for(...) of the training table
    temperature: float = 1.0  # calibrates predict_proba for the spelling decoder (classifiers/calibration.py)


def bundle_file(folder, name):
    """Where `train` saves classifier `name` in `folder`."""
    return Path(folder) / f"{name}{SUFFIX}"


def current_versions():
    return {"python": platform.python_version(), "scikit-learn": sklearn.__version__,
            "numpy": np.__version__, "pandas": pd.__version__}


def _read_manifest(folder):
    try:
        return json.loads((Path(folder) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def save_bundle(bundle, path):
    """Write `bundle` to `path` atomically and record its SHA-256 in the folder's manifest."""
    path = Path(path)
    bundle.versions = bundle.versions or current_versions()
    with atomic_path(path) as temp:
        # Generic over the fields: a new plain field (dict, list, str, number) needs no change here.
        write_model_file({"format": FORMAT, **{f.name: getattr(bundle, f.name) for f in fields(bundle)}}, temp)
    manifest = _read_manifest(path.parent)
    manifest[path.name] = file_sha256(path)
    write_json(manifest, path.parent / MANIFEST)
    return path


def load_bundle(path):
    """The verified Bundle at `path`, or BundleError naming the fix."""
    path = Path(path)
    if not path.is_file():
        raise BundleError(f"model {path} not found; run `python cli.py train` first")
    expected = _read_manifest(path.parent).get(path.name)
    if expected is None:
        raise BundleError(f"model {path} is not listed in {path.parent / MANIFEST}; refusing to load an "
                          "unverified file (only load models that `python cli.py train` wrote)")
    if file_sha256(path) != expected:
        raise BundleError(f"model {path} does not match its SHA-256 in {MANIFEST}; it was changed "
                          "after training: retrain with `python cli.py train`")
    try:
        data = read_model_file(path)
    except ModelFileError as error:
        raise BundleError(str(error)) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BundleError(f"{path} is not a model bundle written by `python cli.py train`")
    try:
        bundle = Bundle(**{k: v for k, v in data.items() if k != "format"})
    except TypeError:  # fields missing or unknown: written by another version of this program
        raise BundleError(f"{path} is not a model bundle this version can read; "
                          "retrain with `python cli.py train`") from None
    return _checked(bundle, path)


def _checked(bundle, path):
    trained_with = bundle.versions.get("scikit-learn")
    if trained_with != sklearn.__version__:
        raise BundleError(f"model {path} was trained with scikit-learn {trained_with}, this is "
                          f"{sklearn.__version__}; retrain with `python cli.py train`")
    if bundle.input == "landmarks" and bundle.normalization.get("name") != norm.NAME:
        raise BundleError(f"model {path} uses normalization {bundle.normalization.get('name')!r}, this "
                          f"version uses {norm.NAME!r}; re-run `python cli.py extract` and `train`")
    return bundle


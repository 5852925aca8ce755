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

from classifiers.fitted_checks import FittedError, check_pipeline
from classifiers.model_file import RETRAIN, ModelFileError, read_model_file, write_model_file
from landmarks import normalize as norm
from landmarks.files import atomic_path, file_sha256, write_json
from landmarks.points import FEATURE_COLUMNS

FORMAT = "handsign-bundle/2"  # /1 was a joblib pickle
INPUTS = ("landmarks", "image", "motion")
SUFFIX = ".skops"
MANIFEST = "manifest.json"


class BundleError(ModelFileError):
    """A model file that cannot or must not be used; the message says what to do."""


@dataclass
class Bundle:
    name: str
    input: str  # one of INPUTS
    pipeline: object  # checked by classifiers.fitted_checks when loaded
    labels: list  # of str: the final classifier's classes_, in order
    normalization: dict = field(default_factory=lambda: {"name": norm.NAME, "settings": dict(norm.DEFAULT_SETTINGS)})
    versions: dict = field(default_factory=dict)
    metrics: dict = field(default_factory=dict)
    table_sha256: str = ""
    detector: dict = field(default_factory=dict)  # HandDetector.settings_for(...) of the training table
    temperature: float = 1.0  # calibrates predict_proba for the spelling decoder (classifiers/calibration.py)
    channel: list = field(default_factory=list)  # K x K P(signed | read) for the decoder ([]: none; calibration.py)


def bundle_file(folder, name):
    """Where `train` saves classifier `name` in `folder`."""
    return Path(folder) / f"{name}{SUFFIX}"


def current_versions():
    return {"python": platform.python_version(), "scikit-learn": sklearn.__version__,
            "numpy": np.__version__, "pandas": pd.__version__}


def _read_manifest(folder):
    """{file name: SHA-256} of `folder`'s manifest: {} when there is none, None when it is damaged."""
    path = Path(folder) / MANIFEST
    if not path.exists():
        return {}
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(manifest, dict) or not all(isinstance(v, str) for v in manifest.values()):
        return None
    return manifest


def save_bundle(bundle, path):
    """Write `bundle` to `path` atomically and record its SHA-256 in the folder's manifest."""
    path = Path(path)
    bundle.versions = bundle.versions or current_versions()
    with atomic_path(path) as temp:
        # Generic over the fields: a new plain field (dict, list, str, number) needs no change here.
        write_model_file({"format": FORMAT, **{f.name: getattr(bundle, f.name) for f in fields(bundle)}}, temp)
    manifest = _read_manifest(path.parent) or {}  # a damaged manifest is rebuilt from this model on
    manifest[path.name] = file_sha256(path)
    write_json(manifest, path.parent / MANIFEST)
    return path


def load_bundle(path):
    """The verified Bundle at `path`, or BundleError naming the fix."""
    path = Path(path)
    if not path.is_file():
        raise BundleError(f"model {path} not found; run `python cli.py train` first")
    manifest = _read_manifest(path.parent)
    if manifest is None:
        raise BundleError(f"{path.parent / MANIFEST} is damaged (not a JSON object of SHA-256 hashes); retrain "
                          "with `python cli.py train`, which rewrites it")
    expected = manifest.get(path.name)
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


def channel_fits(channel, labels):
    """[] or a labels x labels matrix of probabilities whose rows sum to 1."""
    if not channel:
        return True
    try:
        matrix = np.asarray(channel, dtype=float)
    except (TypeError, ValueError):
        return False
    return (matrix.shape == (labels, labels) and bool(np.isfinite(matrix).all()) and bool((matrix >= 0).all())
            and bool(np.allclose(matrix.sum(axis=1), 1.0, atol=1e-6)))


def _checked(bundle, path):
    """`bundle` after checking its fields' types, versions and fitted arrays, before anything uses them."""
    wrong = [f.name for f in fields(bundle) if not isinstance(getattr(bundle, f.name), f.type)
             or (f.type is float and isinstance(getattr(bundle, f.name), bool))]
    if wrong or bundle.input not in INPUTS or not all(isinstance(label, str) for label in bundle.labels) \
            or not isinstance(bundle.normalization.get("settings", {}), dict) or not 0 < bundle.temperature < 1e6 \
            or not channel_fits(bundle.channel, len(bundle.labels)):
        what = (f"{', '.join(wrong)} of the wrong type" if wrong
                else "its input, labels, normalization settings, temperature or channel are malformed")
        raise BundleError(f"model {path} is damaged ({what}); {RETRAIN}")
    trained_with = bundle.versions.get("scikit-learn")
    if trained_with != sklearn.__version__:
        raise BundleError(f"model {path} was trained with scikit-learn {trained_with}, this is "
                          f"{sklearn.__version__}; {RETRAIN}")
    if bundle.input == "landmarks" and bundle.normalization.get("name") != norm.NAME:
        raise BundleError(f"model {path} uses normalization {bundle.normalization.get('name')!r}, this "
                          f"version uses {norm.NAME!r}; re-run `python cli.py extract` and `train`")
    try:
        reads = check_pipeline(bundle.pipeline, bundle.labels)
    except FittedError as error:
        raise BundleError(f"model {path} cannot be used: {error}; {RETRAIN}") from None
    if bundle.input == "landmarks" and reads != len(FEATURE_COLUMNS):
        raise BundleError(f"model {path} does not fit this version's landmark features (it reads {reads} values, "
                          f"this version makes {len(FEATURE_COLUMNS)}); {RETRAIN}")
    return bundle


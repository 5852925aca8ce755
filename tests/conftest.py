"""Fixtures shared by every test: the shipped samples, the shared digits, a locally built .task file."""
import shutil
import zipfile
from pathlib import Path

import pytest

# Session fixtures shared across test packages (held-out models, motion models).
pytest_plugins = ["tests.classifiers.fixtures", "tests.motion.fixtures"]

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "data" / "samples"
SHARED_DIGITS = REPO.parent / "shared" / "datasets" / "sign-language-digits" / "images"
MASSEY = REPO.parent / "shared" / "datasets" / "massey-asl-dev" / "images"


@pytest.fixture(scope="session")
def samples_dir():
    return SAMPLES


@pytest.fixture(scope="session")
def shared_digits():
    if not SHARED_DIGITS.is_dir():
        pytest.skip(f"shared Sign Language Digits photos not found at {SHARED_DIGITS}")
    return SHARED_DIGITS


@pytest.fixture(scope="session")
def massey():
    if not MASSEY.is_dir():
        pytest.skip(f"shared Massey ASL photos not found at {MASSEY}")
    return MASSEY


@pytest.fixture(scope="session")
def task_file(tmp_path_factory):
    """A user's own `.task` file: the shipped full model's members zipped again the plain way (unaligned)."""
    from landmarks.hand_models import resolve_hand_model

    target = tmp_path_factory.mktemp("task") / "my_hand_landmarker.task"
    with zipfile.ZipFile(resolve_hand_model("full").path) as shipped, \
            zipfile.ZipFile(target, "w", compression=zipfile.ZIP_STORED) as bundle:  # must be uncompressed
        for name in ("hand_detector.tflite", "hand_landmarks_detector.tflite"):
            bundle.writestr(name, shipped.read(name))
    return target


def copy_samples(target, per_label=3, labels=None, rename=None):
    """Copy `per_label` shipped photos of each label (or of `labels`) to target/<label or rename[label]>/."""
    for label_dir in sorted(p for p in SAMPLES.iterdir() if p.is_dir()):
        if labels is not None and label_dir.name not in labels:
            continue
        out = Path(target) / (rename or {}).get(label_dir.name, label_dir.name)
        out.mkdir(parents=True, exist_ok=True)
        for photo in sorted(label_dir.iterdir())[:per_label]:
            shutil.copy2(photo, out / photo.name)
    return Path(target)


@pytest.fixture(scope="session")
def dask_cluster():
    """A running local Dask cluster (2 worker processes, one thread each, loopback only): (address, client)."""
    distributed = pytest.importorskip("distributed", reason="Dask is not installed (pip install -r requirements-cluster.txt)")
    from landmarks.cluster import local_cluster

    with local_cluster(2) as cluster, distributed.Client(cluster) as client:
        yield cluster.scheduler_address, client


class CtrlCAt:
    """`real` (a per-item step: root, relpath, ...) wrapped: each call's relpath is noted in `calls`, and
    the call numbered `at` raises KeyboardInterrupt as Ctrl-C would. Set `at = None` to stop that."""

    def __init__(self, real, at):
        self.real, self.at, self.calls = real, at, []

    def __call__(self, *args):
        self.calls.append(args[1])
        if len(self.calls) == self.at:
            raise KeyboardInterrupt
        return self.real(*args)

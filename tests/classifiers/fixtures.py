"""A real held-out-signer setup on the shipped samples, shared by the predict, evaluate and export tests."""
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from threadpoolctl import threadpool_limits

from classifiers.bundle import Bundle, bundle_file, save_bundle
from classifiers.registry import make
from tests.classifiers.helpers import sample_photos
from tests.live.live_helpers import copy_signers, sample_groups, train_on

LANDMARK_MODELS = ("svm", "logreg", "knn", "rf", "mlp")


@dataclass
class HeldOut:
    models: Path  # trained on TRAIN signers only
    train_dir: Path
    test_dir: Path  # the other signers' photos, DATA_DIR/<label>/..., with groups.csv
    test_table: Path  # extract's table of test_dir


@pytest.fixture(scope="session")
def held_out(tmp_path_factory):
    """Train every landmark model on 10 of the 15 sample signers; the other 5 are in their own folder."""
    from landmarks.extract import extract

    root = tmp_path_factory.mktemp("held_out")
    signers = sorted(set(sample_groups().values()))
    train_signers, test_signers = signers[:10], signers[10:]
    with threadpool_limits(limits=1):
        models = train_on(root, set(train_signers), classifiers=",".join(LANDMARK_MODELS))
    test_dir = copy_signers(root / "new_signers", set(test_signers))
    extract(test_dir, root / "new_signers.csv", workers=1)
    return HeldOut(models, root / "photos", test_dir, root / "new_signers.csv")


@pytest.fixture(scope="session")
def image_model(tmp_path_factory):
    """A saved hog-svm bundle trained on 4 sample photos of each of 0, 1, 2 (no hand detection)."""
    paths, labels = sample_photos()
    pipeline = make("hog-svm").fit(paths, labels)
    folder = tmp_path_factory.mktemp("image_model")
    return save_bundle(Bundle("hog-svm", "image", pipeline, [str(c) for c in np.unique(labels)]),
                       bundle_file(folder, "hog-svm"))

"""Small data builders shared by the classifiers tests."""
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from threadpoolctl import threadpool_limits

from landmarks.points import FEATURE_COLUMNS
from tests.conftest import SAMPLES



def landmark_blobs(labels=("a", "b", "c"), per_label=10, seed=0):
    """(N, F) float32 points, F the feature count, scattered tightly around one random centre per label, and
    their labels."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(0.0, 1.0, size=(len(labels), len(FEATURE_COLUMNS)))
    y = np.repeat(np.asarray(labels, dtype=str), per_label)
    X = np.repeat(centres, per_label, axis=0) + rng.normal(0.0, 0.05, size=(len(y), len(FEATURE_COLUMNS)))
    return X.astype(np.float32), y


def sample_photos(labels=("0", "1", "2"), per_label=4):
    """Absolute paths of the first `per_label` shipped photos of each label, and their labels."""
    chosen = [(str(p), label) for label in labels for p in sorted((SAMPLES / label).glob("*.JPG"))[:per_label]]
    paths, names = zip(*chosen)
    return np.array(paths, dtype=object), np.array(names, dtype=str)


def write_groups_for(data_dir, rename=None):
    """DATA_DIR/groups.csv naming the shipped signer of every photo copied there by `copy_samples`."""
    shipped = pd.read_csv(SAMPLES / "groups.csv", dtype=str)
    back = {new: old for old, new in (rename or {}).items()}
    copied = sorted(p.relative_to(data_dir).as_posix() for p in Path(data_dir).glob("*/*.JPG"))
    original = {f"{back.get(p.split('/')[0], p.split('/')[0])}/{p.split('/')[1]}": p for p in copied}
    table = shipped[shipped["path"].isin(original)].assign(path=lambda t: t["path"].map(original))
    table.to_csv(Path(data_dir) / "groups.csv", index=False)
    return dict(zip(table["path"], table["group"]))


def write_feature_table(path, labels, groups=None, seed=0):
    """A feature table shaped like extract's (path, label, group, features) with random features."""
    rng = np.random.default_rng(seed)
    labels = list(labels)
    table = pd.DataFrame({"path": [f"{label}/img{i}.png" for i, label in enumerate(labels)], "label": labels,
                          "group": list(groups) if groups is not None else [""] * len(labels)})
    features = pd.DataFrame(rng.normal(size=(len(labels), len(FEATURE_COLUMNS))), columns=FEATURE_COLUMNS)
    pd.concat([table, features], axis=1).to_csv(path, index=False)
    return Path(path)


@pytest.fixture(autouse=True, scope="module")
def single_threaded_math():
    """Autouse where imported: the models are tiny, so BLAS/OpenMP threads only fight the other tests for cores."""
    with threadpool_limits(limits=1):
        yield

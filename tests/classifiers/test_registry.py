import numpy as np
import pytest
from sklearn.base import clone
from sklearn.model_selection import ParameterGrid
from sklearn.pipeline import Pipeline

from classifiers.registry import REGISTRY, make, parse_names
from landmarks.errors import UserError
from tests.classifiers.helpers import landmark_blobs, sample_photos, single_threaded_math  # noqa: F401 (autouse)

# registry.py silences this at import, but pytest restores the warning filters after every test.
pytestmark = pytest.mark.filterwarnings("ignore:The `probability` parameter was deprecated:FutureWarning")

LANDMARK_NAMES = [name for name, entry in REGISTRY.items() if entry.input == "landmarks"]
IMAGE_NAMES = [name for name, entry in REGISTRY.items() if entry.input == "image"]


@pytest.fixture(scope="module")
def blobs():
    return landmark_blobs(labels=("a", "b", "c"), per_label=10, seed=4)


@pytest.fixture(scope="module")
def photos():
    return sample_photos(labels=("0", "1", "2"), per_label=4)


def test_registry_has_both_kinds_of_input():
    assert set(LANDMARK_NAMES) >= {"svm", "knn"}
    assert set(IMAGE_NAMES) == {"hog-svm", "orb-bovw"}
    assert {entry.input for entry in REGISTRY.values()} == {"landmarks", "image"}


@pytest.mark.parametrize("name", list(REGISTRY), ids=list(REGISTRY))
def test_factory_builds_a_fresh_cloneable_pipeline(name):
    pipeline = make(name)
    assert isinstance(pipeline, Pipeline)
    assert clone(pipeline).get_params().keys() == pipeline.get_params().keys()


@pytest.mark.parametrize("name", list(REGISTRY), ids=list(REGISTRY))
def test_grid_keys_are_parameters_of_the_pipeline(name):
    pipeline = make(name)
    point = next(iter(ParameterGrid(REGISTRY[name].grid)))
    pipeline.set_params(**point)  # GridSearchCV does exactly this; unknown keys raise ValueError
    params = pipeline.get_params()
    assert {key: params[key] for key in point} == point


@pytest.mark.parametrize("name", LANDMARK_NAMES, ids=LANDMARK_NAMES)
def test_landmark_classifier_fits_and_predicts_63_features(name, blobs):
    X, y = blobs
    pipeline = clone(make(name)).fit(X, y)
    assert list(pipeline.classes_) == ["a", "b", "c"]
    assert np.mean(pipeline.predict(X) == y) >= 0.9  # three well separated clusters
    probabilities = pipeline.predict_proba(X[:4])
    assert probabilities.shape == (4, 3)
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, atol=1e-6)


@pytest.mark.parametrize("name", LANDMARK_NAMES, ids=LANDMARK_NAMES)
def test_landmark_classifier_fits_with_a_grid_point(name, blobs):
    X, y = blobs
    point = list(ParameterGrid(REGISTRY[name].grid))[-1]
    predicted = make(name).set_params(**point).fit(X, y).predict(X)
    assert np.mean(predicted == y) >= 0.9  # three well separated clusters


@pytest.mark.parametrize("name", IMAGE_NAMES, ids=IMAGE_NAMES)
def test_image_classifier_fits_and_predicts_photo_paths(name, photos):
    paths, labels = photos
    pipeline = make(name).fit(paths, labels)
    assert list(pipeline.classes_) == ["0", "1", "2"]
    predicted = pipeline.predict(paths[::3])
    assert predicted.shape == (4,) and set(predicted) <= {"0", "1", "2"}
    np.testing.assert_allclose(pipeline.predict_proba(paths[:2]).sum(axis=1), 1.0, atol=1e-6)


@pytest.mark.parametrize("text, expected", [
    (None, list(REGISTRY)),
    ("", list(REGISTRY)),
    ("knn", ["knn"]),
    (" svm , hog-svm ,", ["svm", "hog-svm"]),
], ids=["none-is-all", "empty-is-all", "one", "spaces-and-trailing-comma"])
def test_parse_names(text, expected):
    assert parse_names(text) == expected


@pytest.mark.parametrize("text, match", [
    ("svm,cnnx", "unknown classifier cnnx; choose from svm"),
    (" , ", r"unknown classifier \(none\)"),
], ids=["unknown-name", "only-commas"])
def test_parse_names_rejects_unknown_names(text, match):
    with pytest.raises(UserError, match=match):
        parse_names(text)

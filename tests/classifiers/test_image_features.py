import cv2
import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

from classifiers.image_features import HOGFeatures, ORBBagOfWords, read_gray
from tests.classifiers.helpers import sample_photos, single_threaded_math  # noqa: F401 (autouse)


@pytest.fixture(scope="module")
def photos():
    paths, _ = sample_photos(labels=("0", "5"), per_label=3)
    return paths


@pytest.fixture
def gray_png(tmp_path):
    """A uniform gray image: nothing for ORB to find."""
    path = tmp_path / "gray.png"
    cv2.imwrite(str(path), np.full((120, 90, 3), 128, np.uint8))
    return str(path)


@pytest.mark.parametrize("transformer", [HOGFeatures(), ORBBagOfWords(n_words=8)], ids=["hog", "orb"])
def test_transform_before_fit_raises_not_fitted(transformer, photos):
    with pytest.raises(NotFittedError):
        transformer.transform(photos[:1])


@pytest.mark.parametrize("transformer", [HOGFeatures(size=48, bins=6), ORBBagOfWords(n_words=7, size=128)],
                         ids=["hog", "orb"])
def test_clone_keeps_the_parameters(transformer):
    assert clone(transformer).get_params() == transformer.get_params()


def test_read_gray_resizes_to_a_square(photos):
    gray = read_gray(photos[0], 40)
    assert gray.shape == (40, 40) and gray.dtype == np.uint8


@pytest.mark.parametrize("settings", [{}, {"size": 32, "cell": 8, "block_cells": 2, "bins": 6},
                                      {"size": 48, "cell": 6, "block_cells": 3, "bins": 9}],
                         ids=["default", "small", "odd-cells"])
def test_hog_width_equals_n_features_out(settings, photos):
    hog = HOGFeatures(**settings).fit(photos)
    features = hog.transform(photos)
    assert features.shape == (len(photos), hog.n_features_out_)
    assert features.dtype == np.float32
    assert np.isfinite(features).all() and features.any()


def test_hog_tells_different_photos_apart(photos):
    features = HOGFeatures().fit(photos).transform(photos)
    assert not np.allclose(features[0], features[-1])


@pytest.fixture(scope="module")
def bag(photos):
    return ORBBagOfWords(n_words=16).fit(photos)


def test_orb_histograms_are_word_frequencies(bag, photos):
    histograms = bag.transform(photos)
    assert histograms.shape == (len(photos), 16)
    np.testing.assert_allclose(histograms.sum(axis=1), 1.0, atol=1e-5)


def test_orb_gives_an_all_zero_histogram_without_keypoints(bag, photos, gray_png):
    histograms = bag.transform([gray_png, photos[0]])
    assert histograms.shape == (2, 16)
    assert not histograms[0].any()
    assert histograms[1].sum() == pytest.approx(1.0, abs=1e-5)


def test_orb_fit_needs_more_descriptors_than_words(gray_png):
    with pytest.raises(ValueError, match="ORB found 0 descriptors, fewer than n_words=8"):
        ORBBagOfWords(n_words=8).fit([gray_png, gray_png])

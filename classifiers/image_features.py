"""Image baselines that need no landmarks: HOG descriptors and an ORB bag of visual words.

Both take X as a 1-D sequence of image file paths, so they slot into a Pipeline, `clone` and
`GridSearchCV` like any scikit-learn transformer.
"""
import cv2
import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.cluster import MiniBatchKMeans
from sklearn.utils.validation import check_is_fitted

from landmarks.images import read_rgb


def read_gray(path, size):
    """The image at `path` as a (size, size) uint8 grayscale array."""
    gray = cv2.cvtColor(read_rgb(path), cv2.COLOR_RGB2GRAY)
    return cv2.resize(gray, (size, size), interpolation=cv2.INTER_AREA)


class HOGFeatures(TransformerMixin, BaseEstimator):
    """HOG descriptor of each image, converted to grayscale and resized to `size` x `size`."""

    def __init__(self, size=64, cell=8, block_cells=2, bins=9):
        self.size = size
        self.cell = cell
        self.block_cells = block_cells
        self.bins = bins

    def _descriptor(self):
        block = self.cell * self.block_cells
        return cv2.HOGDescriptor((self.size, self.size), (block, block), (self.cell, self.cell),
                                 (self.cell, self.cell), self.bins)

    def fit(self, X, y=None):
        self.n_features_out_ = int(self._descriptor().getDescriptorSize())
        return self

    def transform(self, X):
        check_is_fitted(self, "n_features_out_")
        hog = self._descriptor()
        return np.stack([hog.compute(read_gray(path, self.size)).ravel() for path in X]).astype(np.float32)


class ORBBagOfWords(TransformerMixin, BaseEstimator):
    """Histogram of visual words: ORB descriptors assigned to a k-means codebook learnt in `fit`.

    An image in which ORB finds no keypoint gets an all-zero histogram.
    """

    def __init__(self, n_words=100, size=256, max_keypoints=200, random_state=0):
        self.n_words = n_words
        self.size = size  # small photos are upscaled: ORB ignores a 31 px margin at the edges
        self.max_keypoints = max_keypoints
        self.random_state = random_state

    def _descriptors(self, path, orb):
        _, found = orb.detectAndCompute(read_gray(path, self.size), None)
        return np.zeros((0, 32), np.uint8) if found is None else found

    def _all_descriptors(self, X):
        orb = cv2.ORB_create(nfeatures=self.max_keypoints)
        return [self._descriptors(path, orb) for path in X]

    def fit(self, X, y=None):
        return self._fit_codebook(self._all_descriptors(X))

    def fit_transform(self, X, y=None):
        descriptors = self._all_descriptors(X)  # ORB once per image, for the codebook and the histograms
        return self._fit_codebook(descriptors)._histograms(descriptors)

    def transform(self, X):
        check_is_fitted(self, "codebook_")
        return self._histograms(self._all_descriptors(X))

    def _fit_codebook(self, descriptors):
        stacked = np.concatenate(descriptors)
        if len(stacked) < self.n_words:
            raise ValueError(f"ORB found {len(stacked)} descriptors, fewer than n_words={self.n_words}; "
                             "lower n_words or use larger images")
        bits = np.unpackbits(stacked, axis=1).astype(np.float32)  # k-means on bits ~ Hamming space
        self.codebook_ = MiniBatchKMeans(self.n_words, random_state=self.random_state, n_init=3).fit(bits)
        return self

    def _histograms(self, descriptors):
        histograms = np.zeros((len(descriptors), self.n_words), np.float32)
        for row, found in enumerate(descriptors):
            if len(found):
                words = self.codebook_.predict(np.unpackbits(found, axis=1).astype(np.float32))
                histograms[row] = np.bincount(words, minlength=self.n_words) / len(words)
        return histograms

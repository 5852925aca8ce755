"""One-row predictions without part of scikit-learn's per-call overhead, where that is provably safe.

Every scikit-learn step checks its input on every call (dtype, shape, feature names, fitted state):
for one row that takes longer than the arithmetic. A Pipeline's leading StandardScaler steps are
plain arithmetic on public fitted attributes, so they are applied with numpy here, and only the
rest of the pipeline goes through scikit-learn. The lean path is used only if it gives bit-identical
probabilities to the whole pipeline on probe rows; otherwise the pipeline is called as it is.
"""
import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC
from sklearn.utils.extmath import softmax


class LeanPredictor:
    """`predict_proba` of `pipeline`, the same numbers, less overhead per call."""

    def __init__(self, pipeline, probe):
        self._pipeline = pipeline
        self._scalers, self._rest = _split(pipeline)
        # SVC's public predict_proba re-validates its input: after a detection has flushed the
        # caches that costs ~0.5 ms a row; the libsvm call behind it ~0.1 ms (pinned scikit-learn).
        self._svc = type(self._rest) is SVC and not getattr(self._rest, "_sparse", True)
        # Likewise a multiclass LogisticRegression: its probabilities are a softmax of X @ coef.T + intercept.
        self._logreg = type(self._rest) is LogisticRegression and len(self._rest.classes_) > 2
        # Per scaler (mean or None, scale or None) in the features' float32, converted once, not per frame.
        self._shifts = [(s.mean_.astype(np.float32) if s.with_mean else None,
                         s.scale_.astype(np.float32) if s.with_std else None) for s in self._scalers]
        self.lean = self._rest is not None and _identical(self._lean_proba(probe), pipeline.predict_proba(probe))

    def predict_proba(self, features):
        return self._lean_proba(features) if self.lean else self._pipeline.predict_proba(features)

    def _lean_proba(self, features):
        scaled = np.array(features, dtype=np.float32, copy=True)
        for mean, scale in self._shifts:  # what StandardScaler.transform does on float32 input
            if mean is not None:
                scaled -= mean
            if scale is not None:
                scaled /= scale
        if self._svc:
            return self._rest._dense_predict_proba(np.ascontiguousarray(scaled, dtype=np.float64))
        if self._logreg:
            return softmax(scaled @ self._rest.coef_.T + self._rest.intercept_, copy=False)
        return self._rest.predict_proba(scaled)


def _split(pipeline):
    """(leading StandardScalers, the rest: one estimator or a shorter Pipeline, or None)."""
    if not isinstance(pipeline, Pipeline):
        return [], None
    steps = [step for _, step in pipeline.steps]
    count = 0
    while count < len(steps) and type(steps[count]) is StandardScaler:  # not subclasses: they may differ
        count += 1
    if count == 0 or count == len(steps):
        return [], None
    return steps[:count], steps[-1] if count == len(steps) - 1 else pipeline[count:]


def _identical(lean, full):
    return np.shape(lean) == np.shape(full) and np.array_equal(lean, full)

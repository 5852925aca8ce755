import numpy as np
import pytest
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import MinMaxScaler, StandardScaler

from live.predict import LeanPredictor

ROWS = np.array([[0.0, 1.0, 2.0], [0.5, 1.5, 1.0], [3.0, 0.0, 1.0], [2.5, 0.5, 0.0], [1.0, 1.0, 1.0],
                 [2.0, 0.2, 0.4]], dtype=np.float32)
LABELS = ["Ә", "Ә", "Б", "Б", "Ә", "Б"]
PROBE = np.array([[0.2, 0.9, 1.7], [2.2, 0.1, 0.3], [1.1, 1.1, 0.9]], dtype=np.float32)


class ShiftedScaler(StandardScaler):
    """A StandardScaler subclass that transforms differently: must not take the lean path."""

    def transform(self, X, copy=None):
        return super().transform(X, copy) + 1.0


@pytest.mark.parametrize("steps, lean", [
    ([("scale", StandardScaler()), ("logreg", LogisticRegression())], True),
    ([("scale", StandardScaler()), ("knn", KNeighborsClassifier(n_neighbors=3, weights="distance"))], True),
    ([("scale", StandardScaler(with_mean=False)), ("logreg", LogisticRegression())], True),
    ([("a", StandardScaler()), ("b", StandardScaler()), ("logreg", LogisticRegression())], True),
    ([("scale", StandardScaler()), ("minmax", MinMaxScaler()), ("logreg", LogisticRegression())], True),
    ([("rf", RandomForestClassifier(n_estimators=5, random_state=0))], False),
    ([("minmax", MinMaxScaler()), ("logreg", LogisticRegression())], False),
    ([("scale", ShiftedScaler()), ("logreg", LogisticRegression())], False),
], ids=["scaler-logreg", "scaler-knn", "no-centering", "two-scalers", "scaler-then-other", "no-scaler",
        "other-first", "scaler-subclass"])
def test_same_probabilities_with_or_without_the_lean_path(steps, lean):
    pipeline = Pipeline(steps).fit(ROWS, LABELS)
    predictor = LeanPredictor(pipeline, PROBE)
    assert predictor.lean is lean
    one_row = ROWS[:1] + 0.25
    np.testing.assert_array_equal(predictor.predict_proba(one_row), pipeline.predict_proba(one_row))


def test_a_bare_estimator_is_called_as_it_is():
    model = LogisticRegression().fit(ROWS, LABELS)
    predictor = LeanPredictor(model, PROBE)
    assert not predictor.lean
    np.testing.assert_array_equal(predictor.predict_proba(PROBE), model.predict_proba(PROBE))


def test_multiclass_logreg_takes_the_softmax_path_with_identical_probabilities():
    labels = ["Ә", "Б", "В", "Ә", "Б", "В"]
    pipeline = Pipeline([("scale", StandardScaler()), ("logreg", LogisticRegression())]).fit(ROWS, labels)
    predictor = LeanPredictor(pipeline, PROBE)
    assert predictor.lean and predictor._logreg
    for row in (ROWS[:1] + 0.25, PROBE[1:2] * 3.0):
        np.testing.assert_array_equal(predictor.predict_proba(row), pipeline.predict_proba(row))

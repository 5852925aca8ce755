import numpy as np
import pytest
from sklearn.model_selection import GridSearchCV, StratifiedGroupKFold, StratifiedKFold
from sklearn.neighbors import KNeighborsClassifier

from classifiers.evaluate import Evaluation, cross_validate, fit, predict_ms_per_sample, tuned
from classifiers.registry import make
from landmarks.errors import UserError
from tests.classifiers.helpers import landmark_blobs, single_threaded_math  # noqa: F401 (autouse)


def test_accuracy_macro_f1_and_end_to_end():
    evaluation = Evaluation(np.array(list("AABB")), np.array(list("ABBB")), train_seconds=0.1)
    assert evaluation.accuracy == pytest.approx(0.75)
    assert evaluation.macro_f1 == pytest.approx((2 / 3 + 0.8) / 2)
    assert evaluation.end_to_end_accuracy(4) == pytest.approx(0.75)
    assert evaluation.end_to_end_accuracy(6) == pytest.approx(0.5)  # two images never reached the classifier


def test_cross_validate_predicts_each_image_from_the_other_folds():
    # 1-NN on one-dimensional points: an image's prediction is the label of its nearest point in the OTHER fold.
    X = np.array([[0.0], [0.1], [5.0], [5.1]])
    y = np.array(["A", "A", "B", "B"])
    fold_of = np.array([0, 1, 0, 1])
    evaluation = cross_validate(KNeighborsClassifier(n_neighbors=1), X, y, fold_of)
    assert evaluation.y_pred.tolist() == ["A", "A", "B", "B"]
    swapped = cross_validate(KNeighborsClassifier(n_neighbors=1), X, np.array(["A", "B", "B", "A"]), fold_of)
    assert swapped.y_pred.tolist() == ["B", "A", "A", "B"]  # would be the true labels if a fold saw itself
    assert swapped.accuracy == 0.0
    assert evaluation.train_seconds >= 0


def test_a_fold_that_trains_on_one_label_is_a_user_error():
    X = np.arange(4.0).reshape(-1, 1)
    with pytest.raises(UserError, match="a cross-validation fold has only label B to train on"):
        cross_validate(KNeighborsClassifier(n_neighbors=1), X, np.array(list("ABAB")), np.array([0, 1, 0, 1]))


def test_cross_validate_accepts_a_list_of_paths():
    X = ["p0", "p1", "p2", "p3"]

    class FirstLetterOfPath:
        def fit(self, X, y):
            assert isinstance(X, np.ndarray) and len(X) == 2
            return self

        def predict(self, X):
            return np.array([path[0].upper() for path in X])

        def get_params(self, deep=True):
            return {}

    evaluation = cross_validate(FirstLetterOfPath(), X, ["P", "P", "Q", "Q"], np.array([0, 1, 0, 1]))
    assert evaluation.y_pred.tolist() == ["P", "P", "P", "P"]
    assert evaluation.accuracy == 0.5


@pytest.mark.parametrize("groups, splitter", [
    (None, StratifiedKFold),
    (np.array([""] * 6), StratifiedKFold),
    (np.array(["s1", "s2", "s3"] * 2), StratifiedGroupKFold),
], ids=["no-groups", "empty-groups", "signers"])
def test_tuned_uses_group_aware_inner_folds(groups, splitter):
    search = tuned(make("knn"), {"knn__n_neighbors": [1, 3]}, groups)
    assert isinstance(search, GridSearchCV) and isinstance(search.cv, splitter)


def test_grid_search_with_too_few_signers_is_a_user_error():
    X, y = landmark_blobs(labels=("A", "B"), per_label=4, seed=2)
    groups = np.array(["s1", "s2"] * 4)
    with pytest.raises(UserError, match="3 signer-grouped inner folds, but a training set has only 2 signer groups"):
        fit(tuned(make("knn"), {"knn__n_neighbors": [1, 3]}, groups), X, y, groups)


def test_grid_search_counts_images_without_group_as_signers():
    X, y = landmark_blobs(labels=("A", "B"), per_label=4, seed=2)
    groups = np.array(["s1", "s1", "", "", "s1", "s1", "", ""])  # one signer and four images of their own
    search = fit(tuned(make("knn"), {"knn__n_neighbors": [1]}, groups), X, y, groups)
    assert list(search.best_estimator_.classes_) == ["A", "B"]


def test_fit_passes_groups_to_the_grid_search(monkeypatch):
    from sklearn.model_selection import GridSearchCV

    X, y = landmark_blobs(labels=("A", "B"), per_label=6, seed=2)
    groups = np.array(["s1", "s2", "s3"] * 4)
    seen = []
    real_fit = GridSearchCV.fit
    monkeypatch.setattr(GridSearchCV, "fit", lambda self, X, y, groups=None: seen.append(groups) or real_fit(self, X, y, groups=groups))
    search = fit(tuned(make("knn"), {"knn__n_neighbors": [1, 3]}, groups), X, y, groups)
    assert len(seen) == 1 and list(seen[0]) == list(groups)
    assert list(search.best_estimator_.classes_) == ["A", "B"]


def test_predict_ms_per_sample_is_a_positive_time():
    X, y = landmark_blobs(labels=("A", "B"), per_label=3, seed=1)
    assert predict_ms_per_sample(make("knn").fit(X, y), X, samples=4) > 0


@pytest.mark.parametrize("search", [False, True], ids=["fit", "grid-search"])
def test_ctrl_c_inside_an_mlp_fit_stops_the_fit(search):
    """scikit-learn's MLP swallows KeyboardInterrupt (a warning, and a half-trained model); fit raises it,
    also from inside a grid search (which scores a candidate that raises an error as NaN and goes on)."""
    from sklearn.neural_network import MLPClassifier

    class Interrupting(MLPClassifier):
        def _update_no_improvement_count(self, *args, **kwargs):
            raise KeyboardInterrupt

    X, y = np.random.default_rng(0).normal(size=(20, 3)), np.array(["a", "b"] * 10)
    with pytest.raises(KeyboardInterrupt):
        fit(tuned(Interrupting(max_iter=5), {"alpha": [1e-4, 1e-3]}, None) if search else Interrupting(max_iter=5), X, y)

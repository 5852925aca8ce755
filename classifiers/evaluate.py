"""Cross-validation on fixed folds, optional tuning inside the training folds, and timing."""
import time
import warnings
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass

import numpy as np
from joblib import parallel_config
from sklearn.base import clone
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import GridSearchCV, StratifiedGroupKFold, StratifiedKFold

from classifiers.calibration import apply_temperature, expected_calibration_error, fit_temperature, reading_channel
from classifiers.folds import signer_ids, splits_from
from landmarks.errors import UserError

INNER_FOLDS = 3


@dataclass
class Evaluation:
    y_true: np.ndarray
    y_pred: np.ndarray
    train_seconds: float  # mean fit time of one fold
    y_proba: np.ndarray = None  # out-of-fold probabilities, columns in the order of `classes` (or None)
    classes: np.ndarray = None

    @property
    def temperature(self):
        """The temperature that calibrates the out-of-fold probabilities (1.0 when none were kept)."""
        return 1.0 if self.y_proba is None else fit_temperature(self.y_true, self.y_proba, self.classes)

    def calibration_error(self, temperature=1.0):
        """Expected calibration error of the out-of-fold probabilities scaled by `temperature` (nan when
        none were kept)."""
        if self.y_proba is None:
            return float("nan")
        return expected_calibration_error(self.y_true, apply_temperature(self.y_proba, temperature), self.classes)

    def channel(self, temperature=1.0):
        """P(signed | read) of the out-of-fold probabilities scaled by `temperature`, rows and columns in the
        order of `classes`, as a nested list (a model file's plain field); [] when none were kept."""
        if self.y_proba is None:
            return []
        return reading_channel(self.y_true, apply_temperature(self.y_proba, temperature), self.classes).tolist()

    @property
    def accuracy(self):
        return float(accuracy_score(self.y_true, self.y_pred))

    @property
    def macro_f1(self):
        return float(f1_score(self.y_true, self.y_pred, average="macro", zero_division=0))

    def end_to_end_accuracy(self, n_images):
        """Accuracy over all `n_images`, counting images that never reached the classifier as errors."""
        return float(np.sum(self.y_true == self.y_pred) / max(n_images, 1))


def tuned(pipeline, grid, groups):
    """`pipeline` wrapped in a grid search whose folds respect signer groups when there are any."""
    if groups is not None and (np.asarray(groups, dtype=str) != "").any():
        inner = StratifiedGroupKFold(n_splits=INNER_FOLDS, shuffle=True, random_state=1)
    else:
        inner = StratifiedKFold(n_splits=INNER_FOLDS, shuffle=True, random_state=1)
    return GridSearchCV(pipeline, grid, cv=inner, n_jobs=1)


def fit(model, X, y, groups=None, backend=None):
    """Fit `model` (a GridSearchCV gets the groups for its inner folds); returns the fitted model.

    `backend`: the joblib backend running a GridSearchCV's fits ("dask" inside `landmarks.cluster.connect`).
    """
    if not isinstance(model, GridSearchCV):
        with _ctrl_c_kept():
            return model.fit(X, y)
    if isinstance(model.cv, StratifiedGroupKFold):
        groups = signer_ids(groups)
        if len(np.unique(groups)) < model.cv.n_splits:
            raise UserError(f"--search tunes on {model.cv.n_splits} signer-grouped inner folds, but a training "
                            f"set has only {len(np.unique(groups))} signer groups; add signers, lower --folds "
                            "or drop --search")
    with parallel_config(backend=backend) if backend else nullcontext(), _ctrl_c_kept():
        return model.fit(X, y, groups=groups)


# scikit-learn's MLP catches Ctrl-C, warns this and returns a half-trained model, which `train` would then
# save and carry on: the warning is turned back into the interrupt where it is shown. Not an exception
# (filterwarnings "error"): GridSearchCV scores a candidate that raises one as NaN and goes on.
_INTERRUPTED = "Training interrupted by user"


@contextmanager
def _ctrl_c_kept():
    with warnings.catch_warnings():
        warnings.filterwarnings("always", message=_INTERRUPTED, category=UserWarning)
        show = warnings.showwarning

        def interrupt(message, category, *args, **kwargs):
            if _INTERRUPTED in str(message):
                raise KeyboardInterrupt
            show(message, category, *args, **kwargs)

        warnings.showwarning = interrupt  # catch_warnings puts the original back
        yield


def cross_validate(model, X, y, fold_of, groups=None, backend=None, probabilities=False):
    """Out-of-fold predictions of a fresh clone of `model` per fold, and the mean fit time; with
    `probabilities`, also the out-of-fold probabilities (for the calibration error)."""
    y = np.asarray(y, dtype=str)
    predictions = np.empty(len(y), dtype=object)
    classes = np.unique(y)
    proba = np.zeros((len(y), len(classes))) if probabilities else None
    seconds = []
    for train, test in splits_from(fold_of):
        seen = np.unique(y[train])
        if len(seen) < 2:  # no classifier fits one class; happens when each signer signs other labels
            raise UserError(f"a cross-validation fold has only label {', '.join(seen) or '(none)'} to train on: "
                            "the other labels come from the held-out signers only; record every label with "
                            "more signers or lower --folds")
        started = time.perf_counter()
        fitted = fit(clone(model), _take(X, train), y[train], None if groups is None else np.asarray(groups)[train],
                     backend)
        seconds.append(time.perf_counter() - started)
        predictions[test] = fitted.predict(_take(X, test))
        if probabilities:  # a fold may lack a label: its column stays 0 there
            columns = np.searchsorted(classes, np.asarray(fitted.classes_, dtype=str))
            proba[np.ix_(test, columns)] = fitted.predict_proba(_take(X, test))
    return Evaluation(y, predictions.astype(str), float(np.mean(seconds)), proba, classes)


def predict_ms_per_sample(model, X, samples=100):
    """Median time to predict one sample on its own, as the live loop does."""
    times = []
    for i in range(min(samples, len(X))):
        one = _take(X, np.array([i]))
        started = time.perf_counter()
        model.predict(one)
        times.append(time.perf_counter() - started)
    return float(np.median(times) * 1000.0)


def _take(X, index):
    return X[index] if isinstance(X, np.ndarray) else np.asarray(X, dtype=object)[index]

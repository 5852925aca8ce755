"""One factory per classifier name; every classifier is a scikit-learn Pipeline."""
import warnings
from dataclasses import dataclass
from typing import Callable

from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.neighbors import KNeighborsClassifier
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

from classifiers.image_features import HOGFeatures, ORBBagOfWords
from landmarks.errors import UserError


# SVC(probability=True) is deprecated from scikit-learn 1.9 (pinned), but its replacement,
# CalibratedClassifierCV, predicts one sample 5x slower (1.25 ms against 0.23 ms): too slow for `live`.
warnings.filterwarnings("ignore", message="The `probability` parameter was deprecated", category=FutureWarning)


def probability_svm(C=10.0):
    """An RBF SVM with Platt-scaled probabilities, which the live loop smooths."""
    return SVC(kernel="rbf", C=C, gamma="scale", probability=True, random_state=0)


def make_svm():
    return Pipeline([("scale", StandardScaler()), ("svm", probability_svm())])


def make_knn():
    return Pipeline([("scale", StandardScaler()), ("knn", KNeighborsClassifier(n_neighbors=5, weights="distance"))])


def make_logreg():
    return Pipeline([("scale", StandardScaler()), ("logreg", LogisticRegression(C=1.0, max_iter=3000))])


def make_rf():
    return Pipeline([("rf", RandomForestClassifier(n_estimators=200, random_state=0))])


def make_mlp():
    mlp = MLPClassifier(hidden_layer_sizes=(128, 64), alpha=1e-3, max_iter=600, random_state=0)
    return Pipeline([("scale", StandardScaler()), ("mlp", mlp)])


def make_hog_svm():
    return Pipeline([("hog", HOGFeatures()), ("scale", StandardScaler()),
                     ("svm", probability_svm())])


def make_orb_bovw():
    return Pipeline([("bovw", ORBBagOfWords()), ("scale", StandardScaler()),
                     ("svm", probability_svm())])


@dataclass(frozen=True)
class Entry:
    factory: Callable[[], Pipeline]
    input: str  # "landmarks": the normalized feature table; "image": image file paths
    grid: dict  # searched by --search, inside the training folds only


REGISTRY = {
    "svm": Entry(make_svm, "landmarks", {"svm__C": [1, 10, 100], "svm__gamma": ["scale", 0.01, 0.1]}),
    "knn": Entry(make_knn, "landmarks", {"knn__n_neighbors": [1, 3, 5, 9], "knn__weights": ["uniform", "distance"]}),
    "logreg": Entry(make_logreg, "landmarks", {"logreg__C": [0.1, 1, 10, 100]}),
    "rf": Entry(make_rf, "landmarks", {"rf__n_estimators": [100, 300], "rf__max_features": ["sqrt", 0.3]}),
    "mlp": Entry(make_mlp, "landmarks", {"mlp__alpha": [1e-4, 1e-3, 1e-2], "mlp__hidden_layer_sizes": [(64,), (128, 64)]}),
    "hog-svm": Entry(make_hog_svm, "image", {"svm__C": [1, 10, 100]}),
    "orb-bovw": Entry(make_orb_bovw, "image", {"bovw__n_words": [50, 100, 200], "svm__C": [1, 10, 100]}),
}


def parse_names(text, registry=None, kind="classifier"):
    """A comma list of names in `registry` (default: this one; None text: all) -> validated list, each once."""
    registry = REGISTRY if registry is None else registry
    if not text:
        return list(registry)
    names = list(dict.fromkeys(name.strip() for name in text.split(",") if name.strip()))
    unknown = [name for name in names if name not in registry]
    if unknown or not names:
        raise UserError(f"unknown {kind} {', '.join(unknown) or '(none)'}; choose from {', '.join(registry)}")
    return names


def make(name):
    return REGISTRY[name].factory()

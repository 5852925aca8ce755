"""Motion classifiers: one Pipeline factory per name, standard scikit-learn steps only."""
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

from classifiers.registry import Entry, probability_svm
from landmarks.errors import UserError


def make_motion_svm():
    return Pipeline([("scale", StandardScaler()), ("svm", probability_svm())])


def make_motion_logreg():
    return Pipeline([("scale", StandardScaler()), ("logreg", LogisticRegression(C=0.1, max_iter=3000))])


REGISTRY = {
    "motion-svm": Entry(make_motion_svm, "motion", {"svm__C": [1, 10, 100], "svm__gamma": ["scale", 0.001, 0.01]}),
    "motion-logreg": Entry(make_motion_logreg, "motion", {"logreg__C": [0.01, 0.1, 1, 10]}),
}


def parse_names(text):
    """A comma list of motion classifier names (None: all) -> list."""
    if not text:
        return list(REGISTRY)
    names = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in names if name not in REGISTRY]
    if unknown or not names:
        raise UserError(f"unknown motion classifier {', '.join(unknown) or '(none)'}; choose from {', '.join(REGISTRY)}")
    return names

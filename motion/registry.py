"""Motion classifiers: one Pipeline factory per name, standard scikit-learn steps only."""
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

from classifiers.registry import Entry, probability_svm
from classifiers.registry import parse_names as classifier_names


def make_motion_svm():
    return Pipeline([("scale", StandardScaler()), ("svm", probability_svm())])


def make_motion_logreg():
    return Pipeline([("scale", StandardScaler()), ("logreg", LogisticRegression(C=0.1, max_iter=3000))])


REGISTRY = {
    "motion-svm": Entry(make_motion_svm, "motion", {"svm__C": [1, 10, 100], "svm__gamma": ["scale", 0.001, 0.01]}),
    "motion-logreg": Entry(make_motion_logreg, "motion", {"logreg__C": [0.01, 0.1, 1, 10]}),
}


def parse_names(text):
    """A comma list of motion classifier names (None: all) -> list, each once."""
    return classifier_names(text, REGISTRY, "motion classifier")

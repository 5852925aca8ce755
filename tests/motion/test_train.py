import pandas as pd
import pytest

from classifiers.bundle import bundle_file, load_bundle
from landmarks.errors import UserError
from motion.train import motion_labels
from sklearn.pipeline import Pipeline


@pytest.mark.parametrize("moving, expected", [
    ({"j": [True, True], "i": [False, False]}, ["j"]),
    ({"j": [True, True, True, True, True], "i": [False, True]}, ["j"]),  # shifted I clips still make I static
    ({"j": [False], "i": [False]}, []),
], ids=["plain", "shifted-static", "none"])
def test_motion_labels_are_the_labels_whose_clips_move(moving, expected):
    rows = pd.DataFrame([{"label": label, "moving": m} for label, flags in moving.items() for m in flags])
    assert motion_labels(rows) == expected


def test_train_on_a_motion_table_saves_standard_pipelines_and_a_report(motion_models):
    models, _ = motion_models
    for name in ("motion-svm", "motion-logreg"):
        bundle = load_bundle(bundle_file(models / "motion", name))
        assert bundle.input == "motion" and isinstance(bundle.pipeline, Pipeline)
        assert all(type(step).__module__.startswith("sklearn.") for _, step in bundle.pipeline.steps)
        assert bundle.normalization["settings"]["motion_labels"] == ["j", "z"]
        assert bundle.labels == ["d", "i", "j", "z"]
    report = pd.read_csv(models / "report" / "motion_comparison.csv")
    assert set(report["classifier"]) == {"motion-svm", "motion-logreg"} and (report["input"] == "motion").all()
    # Cross-validated by signer (trained on one, tested on the other), logreg tells J and Z from the rest;
    # the RBF SVM needs more signers than two clips of each (see README).
    per_class = pd.read_csv(models / "report" / "motion-logreg_per_class.csv").set_index("label")
    assert (per_class.loc[["j", "z"], "recall"] >= 0.75).all(), per_class


def test_train_on_a_missing_motion_table_says_how_to_make_one(tmp_path, capsys):
    from motion.train import train_motion

    with pytest.raises(UserError, match="run `python cli.py extract-motion"):
        train_motion(tmp_path / "nothing.csv")

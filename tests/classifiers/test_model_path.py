"""--model FILE|DIR: one meaning for every command; a folder's best model by the ranking rule."""
import pandas as pd
import pytest

from classifiers.bundle import BundleError
from classifiers.model_path import best_model, every_model, resolve_model
from classifiers.models_folder import LANDMARK, MODELS_DIR, MOTION, STATIC
from classifiers.report import COMPARISON_COLUMNS


def write_report(models_dir, rows, saved_names, kind=LANDMARK):
    """Train's table for `kind` with `rows` (classifier, input, end_to_end_accuracy, accuracy,
    predict_ms_per_sample) and empty model files for `saved_names`."""
    table = pd.DataFrame([{column: 0 for column in COMPARISON_COLUMNS} | dict(zip(
        ["classifier", "input", "end_to_end_accuracy", "accuracy", "predict_ms_per_sample"], row)) for row in rows])
    (models_dir / "report").mkdir(parents=True, exist_ok=True)
    table.to_csv(models_dir / "report" / f"{kind.report}.csv", index=False)
    (models_dir / kind.subdir).mkdir(parents=True, exist_ok=True)
    for name in saved_names:
        (models_dir / kind.subdir / f"{name}.skops").write_bytes(b"")


ROWS = [("hog-svm", "image", 0.99, 0.99, 0.05), ("svm", "landmarks", 0.90, 0.95, 0.01),
        ("knn", "landmarks", 0.92, 0.96, 0.4), ("logreg", "landmarks", 0.92, 0.94, 0.1)]


@pytest.mark.parametrize("saved_names, best", [
    (["hog-svm", "svm", "knn", "logreg"], "logreg"),  # end-to-end tie broken by predict time; images ignored
    (["hog-svm", "svm", "knn"], "knn"),  # logreg's row is there but its file is not
    (["svm"], "svm"),
], ids=["tie-on-end-to-end", "best-file-missing", "only-one-saved"])
def test_a_folder_means_its_best_landmark_model(tmp_path, saved_names, best):
    write_report(tmp_path, ROWS, saved_names)
    assert resolve_model(tmp_path, LANDMARK) == tmp_path / f"{best}.skops"


def test_static_kind_takes_image_models_too(tmp_path):
    write_report(tmp_path, ROWS, ["hog-svm", "svm"])
    assert resolve_model(tmp_path, STATIC) == tmp_path / "hog-svm.skops"


def test_a_file_means_that_file(tmp_path):
    write_report(tmp_path, ROWS, ["svm", "knn"])
    assert resolve_model(tmp_path / "knn.skops", LANDMARK) == tmp_path / "knn.skops"
    assert resolve_model(str(tmp_path / "svm.skops"), MOTION) == tmp_path / "svm.skops"  # loading checks the kind
    with pytest.raises(BundleError, match=r"model .*gone.skops not found; pass a model file or a models folder"):
        resolve_model(tmp_path / "gone.skops", LANDMARK)


def test_nothing_means_the_default_models_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_report(tmp_path / MODELS_DIR, ROWS, ["svm"])
    assert resolve_model(None, LANDMARK) == tmp_path.joinpath(MODELS_DIR, "svm.skops").relative_to(tmp_path)


def test_motion_models_are_ranked_in_their_subfolder(tmp_path):
    write_report(tmp_path, ROWS, ["svm"])
    rows = [("motion-logreg", "motion", 0.8, 0.9, 0.2), ("motion-svm", "motion", 0.8, 0.9, 0.1)]
    write_report(tmp_path, rows, ["motion-logreg", "motion-svm"], MOTION)
    assert resolve_model(tmp_path, MOTION) == tmp_path / "motion" / "motion-svm.skops"
    assert resolve_model(tmp_path, LANDMARK) == tmp_path / "svm.skops"


def test_no_motion_model_is_none_for_the_optional_lookup(tmp_path):
    write_report(tmp_path, ROWS, ["svm"])
    assert best_model(tmp_path, MOTION) is None
    with pytest.raises(BundleError, match=r"no motion model in .*; train one with `python cli.py train MOTION_TABLE`"):
        resolve_model(tmp_path, MOTION)


def test_without_report_names_train(tmp_path):
    with pytest.raises(BundleError, match=r"no landmark model in .*; run `python cli.py train` first"):
        resolve_model(tmp_path, LANDMARK)


@pytest.mark.parametrize("rows, saved_names", [
    ([("hog-svm", "image", 0.9, 0.9, 1.0)], ["hog-svm"]),
    (ROWS, ["hog-svm"]),
], ids=["only-image-rows", "landmark-files-deleted"])
def test_without_landmark_model_names_train(tmp_path, rows, saved_names):
    write_report(tmp_path, rows, saved_names)
    with pytest.raises(BundleError, match=r"no landmark model in .*; run `python cli.py train` first"):
        resolve_model(tmp_path, LANDMARK)


def test_every_model_lists_the_static_files_only(tmp_path):
    write_report(tmp_path, ROWS, ["svm", "knn"])
    write_report(tmp_path, [("motion-svm", "motion", 0.8, 0.9, 0.1)], ["motion-svm"], MOTION)
    assert every_model(tmp_path) == [tmp_path / "knn.skops", tmp_path / "svm.skops"]
    with pytest.raises(BundleError, match=r"no model files in .*train --out"):
        every_model(tmp_path / "motion" / "none")

"""`extract` then `train` through cli.main on a few shipped photos relabelled with Kazakh letters."""
import hashlib
import warnings

import cv2
import numpy as np
import pandas as pd
import pytest

import cli
from classifiers.bundle import load_bundle
from classifiers.model_path import best_model
from classifiers.models_folder import LANDMARK
from classifiers.dataset import load_dataset
from classifiers.registry import REGISTRY
from classifiers.report import COMPARISON_COLUMNS
from tests.classifiers.helpers import single_threaded_math  # noqa: F401 (autouse)
from tests.classifiers.helpers import write_feature_table, write_groups_for
from tests.conftest import copy_samples

RENAME = {"0": "Ә", "1": "Қ", "2": "Ң"}
LETTERS = sorted(RENAME.values())
PER_LABEL = 6  # six signers: --search needs three in each training fold
CLASSIFIERS = ["knn", "logreg", "hog-svm"]
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

pytestmark = pytest.mark.filterwarnings("ignore:The `probability` parameter was deprecated:FutureWarning")


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """PER_LABEL photos of each letter (with their signers) plus one blank image in which no hand is found."""
    root = tmp_path_factory.mktemp("kazakh")
    data = copy_samples(root / "data", per_label=PER_LABEL, labels=list(RENAME), rename=RENAME)
    write_groups_for(data, RENAME)
    blank = cv2.imencode(".png", np.full((100, 100, 3), 128, np.uint8))[1]
    (data / "Ә" / "blank.png").write_bytes(blank.tobytes())  # cv2.imwrite cannot open non-ASCII paths everywhere
    features = root / "features.csv"
    assert cli.main(["extract", str(data), "--out", str(features), "--workers", "1"]) == 0
    return features


@pytest.fixture(scope="module")
def trained(extracted):
    """The models folder after one `train` run, and the warnings it raised."""
    out = extracted.parent / "models"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        code = cli.main(["train", str(extracted), "--classifiers", ",".join(CLASSIFIERS), "--folds", "2",
                         "--out", str(out)])
    assert code == 0
    return out, [str(w.message) for w in caught]


@pytest.fixture(scope="module")
def comparison(trained):
    return pd.read_csv(trained[0] / "report" / "comparison.csv", encoding="utf-8")


def test_extract_found_every_hand_but_the_blank_image(extracted):
    dataset = load_dataset(extracted)
    assert sorted(set(dataset.labels)) == LETTERS and len(dataset.rows) == PER_LABEL * len(LETTERS)
    assert dataset.failures[["path", "reason"]].values.tolist() == [["Ә/blank.png", "no_hand"]]
    assert dataset.has_groups


def test_comparison_has_exactly_the_columns(comparison):
    assert comparison.columns.tolist() == COMPARISON_COLUMNS
    assert sorted(comparison["classifier"]) == sorted(CLASSIFIERS)
    assert comparison["input"].tolist().count("image") == 1


def test_images_without_a_hand_count_against_landmark_rows_only(comparison):
    n_images = PER_LABEL * len(LETTERS) + 1
    for row in comparison.itertuples():
        if row.input == "image":
            assert row.n_samples == n_images  # the image baseline also sees the blank image
            assert row.end_to_end_accuracy == pytest.approx(row.accuracy)
        else:
            assert row.n_samples == n_images - 1
            assert row.end_to_end_accuracy == pytest.approx(row.accuracy * (n_images - 1) / n_images)


def test_comparison_rows_are_sorted_and_measured(comparison):
    assert comparison["end_to_end_accuracy"].is_monotonic_decreasing
    assert (comparison["train_seconds"] > 0).all() and (comparison["predict_ms_per_sample"] > 0).all()
    assert (comparison["model_bytes"] > 0).all()
    assert comparison[["accuracy", "macro_f1"]].apply(lambda c: c.between(0, 1)).all().all()


def test_markdown_report_names_the_split_and_the_errors(trained, extracted):
    text = (trained[0] / "report" / "comparison.md").read_text(encoding="utf-8")
    n_images = PER_LABEL * len(LETTERS) + 1
    assert f"{n_images} images, {n_images - 1} with a detected hand (1 counted as errors" in text
    assert "grouped by signer" in text and "--folds 2" in text
    assert all(f"| {name} |" in text for name in CLASSIFIERS)


@pytest.mark.parametrize("name", CLASSIFIERS, ids=CLASSIFIERS)
def test_per_class_scores_and_confusion_use_the_kazakh_letters(trained, name):
    report_dir = trained[0] / "report"
    per_class = pd.read_csv(report_dir / f"{name}_per_class.csv", encoding="utf-8", dtype={"label": str})
    assert per_class["label"].tolist() == LETTERS
    assert per_class["support"].tolist() == [PER_LABEL + (label == "Ә") * (name == "hog-svm") for label in LETTERS]
    assert (report_dir / f"{name}_confusion.png").read_bytes().startswith(PNG_SIGNATURE)


def test_plots_draw_every_glyph(trained):
    assert (trained[0] / "report" / "accuracy_vs_latency.png").read_bytes().startswith(PNG_SIGNATURE)
    assert [m for m in trained[1] if "missing from font" in m] == []


@pytest.mark.parametrize("name", CLASSIFIERS, ids=CLASSIFIERS)
def test_saved_bundle_matches_the_report(trained, comparison, extracted, name):
    bundle = load_bundle(trained[0] / f"{name}.skops")
    row = comparison.set_index("classifier").loc[name]
    assert bundle.labels == LETTERS == list(bundle.pipeline.classes_)
    assert bundle.input == row["input"]
    assert bundle.metrics["accuracy"] == pytest.approx(row["accuracy"])
    assert bundle.metrics["end_to_end_accuracy"] == pytest.approx(row["end_to_end_accuracy"])
    assert bundle.table_sha256 == hashlib.sha256(extracted.read_bytes()).hexdigest()
    if bundle.input == "landmarks":  # the decoder's reading channel, from the same cross-validation
        channel = np.asarray(bundle.channel)
        assert channel.shape == (len(LETTERS),) * 2 and np.allclose(channel.sum(axis=1), 1.0)
        assert (np.diag(channel) > 0.3).all()
    else:
        assert bundle.channel == []


def test_saved_landmark_model_recognizes_its_training_rows(trained, extracted):
    dataset = load_dataset(extracted)
    bundle = load_bundle(trained[0] / "logreg.skops")
    probabilities = bundle.pipeline.predict_proba(dataset.features)
    assert probabilities.shape == (len(dataset.rows), len(LETTERS))
    predicted = np.asarray(bundle.labels)[probabilities.argmax(axis=1)]
    assert np.mean(predicted == dataset.labels) >= 0.75  # refit on all rows, so it has seen them


def test_best_landmark_model_is_the_best_landmark_row(trained, comparison):
    landmarks = comparison[comparison["input"] == "landmarks"]
    best = landmarks.sort_values(["end_to_end_accuracy", "predict_ms_per_sample"], ascending=[False, True]).iloc[0][
        "classifier"]
    assert best_model(trained[0], LANDMARK) == trained[0] / f"{best}.skops"


def test_search_tunes_inside_the_training_folds(extracted, tmp_path, capsys, monkeypatch):
    import classifiers.trainability as train_module  # where a registry entry's model is built

    searched = []
    real_tuned = train_module.tuned
    monkeypatch.setattr(train_module, "tuned", lambda *args: searched.append(args[1]) or real_tuned(*args))
    code = cli.main(["train", str(extracted), "--classifiers", "svm", "--folds", "2", "--search",
                     "--out", str(tmp_path)])
    assert code == 0, capsys.readouterr().err
    assert searched == [REGISTRY["svm"].grid]
    svm = load_bundle(tmp_path / "svm.skops").pipeline.named_steps["svm"]
    assert svm.C in REGISTRY["svm"].grid["svm__C"] and svm.gamma in REGISTRY["svm"].grid["svm__gamma"]
    assert "--search" in (tmp_path / "report" / "comparison.md").read_text(encoding="utf-8")


def test_without_image_folder_the_image_baselines_are_skipped(extracted, tmp_path, capsys, monkeypatch):
    for slow in ["svm", "rf", "mlp"]:  # the default list is every classifier: keep it short
        monkeypatch.delitem(REGISTRY, slow)
    table = tmp_path / "features.csv"
    table.write_bytes(extracted.read_bytes())  # no sidecar beside the copy: the image folder is unknown
    assert cli.main(["train", str(table), "--folds", "2", "--out", str(tmp_path / "models")]) == 0
    assert "hog-svm and orb-bovw are skipped" in capsys.readouterr().out
    trained = pd.read_csv(tmp_path / "models" / "report" / "comparison.csv")
    assert sorted(trained["classifier"]) == ["knn", "logreg"] and set(trained["input"]) == {"landmarks"}


def subset_table(extracted, target, keep):
    rows = pd.read_csv(extracted, dtype=str, keep_default_na=False)
    rows[keep(rows)].to_csv(target, index=False)
    return target


@pytest.mark.parametrize("keep, folds, message", [
    (lambda rows: rows["label"] == "Қ", "2", "the table has only one class (Қ)"),
    (lambda rows: ~rows["label"].duplicated(), "2", "classes with fewer images than --folds=2: "),
    (lambda rows: rows["label"] != "", "1", "--folds must be at least 2"),
], ids=["single-class", "one-sample-per-class", "one-fold"])
def test_untrainable_tables_exit_1_with_a_message(extracted, tmp_path, capsys, keep, folds, message):
    table = subset_table(extracted, tmp_path / "features.csv", keep)
    code = cli.main(["train", str(table), "--classifiers", "knn", "--folds", folds, "--out", str(tmp_path / "m")])
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith("error: ") and message in err and "Traceback" not in err
    assert not (tmp_path / "m" / "knn.skops").exists()


@pytest.mark.parametrize("labels, groups, args, message", [
    (list("AB") * 6, ["s1", "s2", "s3"] * 4, ["--search", "--folds", "3"], "only 2 signer groups; add signers"),
    (list("AAAABBBB"), ["s1"] * 4 + ["s2"] * 4, ["--folds", "2"], "has only label A to train on"),
    (list("AB") * 6, ["s1", "s2"] * 6, ["--folds", "3"], "only 2 signer groups for --folds=3; lower --folds"),
], ids=["search-with-few-signers", "one-signer-per-label", "more-folds-than-signers"])
def test_signer_layouts_that_cannot_be_cross_validated(tmp_path, capsys, labels, groups, args, message):
    table = write_feature_table(tmp_path / "f.csv", labels, groups)
    code = cli.main(["train", str(table), "--classifiers", "svm", *args, "--out", str(tmp_path / "m")])
    assert code == 1 and message in capsys.readouterr().err


@pytest.mark.parametrize("args, message", [
    (["--classifiers", "knn,nope"], "unknown classifier nope"),
    (["--classifiers", "hog-svm"], "image baselines need the image folder; pass it with --images"),
    (["--images", "no/such/folder"], "image folder no/such/folder not found"),
], ids=["unknown-classifier", "image-baseline-without-folder", "missing-image-folder"])
def test_bad_train_options_exit_1(extracted, tmp_path, capsys, args, message):
    table = tmp_path / "features.csv"
    table.write_bytes(extracted.read_bytes())
    assert cli.main(["train", str(table), "--folds", "2", *args, "--out", str(tmp_path / "m")]) == 1
    assert message in capsys.readouterr().err


def test_missing_feature_table_exits_1(tmp_path, capsys):
    assert cli.main(["train", str(tmp_path / "none.csv"), "--out", str(tmp_path / "m")]) == 1
    assert "run `python cli.py extract` first" in capsys.readouterr().err

"""`evaluate`: models on a folder of signers they never saw; the figures checked against our own count."""
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import cli
from classifiers.bundle import bundle_file, load_bundle
from classifiers.dataset import load_dataset
from classifiers.selection import ranked
from inference.evaluate_folder import Photos, Scored, model_files, model_names
from landmarks.errors import UserError
from tests.classifiers.fixtures import LANDMARK_MODELS
from tests.classifiers.helpers import single_threaded_math  # noqa: F401 -- autouse fixture


@pytest.fixture(scope="module")
def evaluated(held_out, tmp_path_factory):
    out = tmp_path_factory.mktemp("evaluation")
    assert cli.main(["evaluate", str(held_out.test_dir), "--model", str(held_out.models), "--all", "--out", str(out),
                     "--workers", "1"]) == 0
    return out, pd.read_csv(out / "evaluation.csv", dtype={"model": str}).set_index("model")


def test_held_out_signers_never_trained_on(held_out):
    trained = set(load_dataset(held_out.models.parent / "features.csv").rows["group"])
    tested = set(pd.read_csv(held_out.test_dir / "groups.csv", dtype=str)["group"])
    assert len(trained) == 10 and len(tested) == 5 and not trained & tested


@pytest.mark.parametrize("name", LANDMARK_MODELS)
def test_reported_accuracy_is_the_pipelines_own(held_out, evaluated, name):
    _, table = evaluated
    new = load_dataset(held_out.test_table)
    predicted = load_bundle(bundle_file(held_out.models, name)).pipeline.predict(new.features)
    correct = int(np.sum(predicted == new.labels))
    n_images = len(new.all_images)
    assert table.loc[name, "n_images"] == n_images == 50
    assert table.loc[name, "n_classified"] == len(new.rows)
    assert table.loc[name, "accuracy"] == pytest.approx(correct / len(new.rows), abs=1e-12)
    assert table.loc[name, "end_to_end_accuracy"] == pytest.approx(correct / n_images, abs=1e-12)


def test_report_files_and_command(held_out, evaluated):
    out, table = evaluated
    assert set(table.index) == set(LANDMARK_MODELS)
    text = (out / "evaluation.md").read_text(encoding="utf-8")
    assert f"python cli.py evaluate {held_out.test_dir} --model {held_out.models} --all --out {out}" in text
    assert "End-to-end accuracy per signer" in text
    for name in LANDMARK_MODELS:
        signers = pd.read_csv(out / f"{name}_per_signer.csv", dtype={"group": str})
        assert len(signers) == 5 and signers["n_images"].sum() == 50
        per_class = pd.read_csv(out / f"{name}_per_class.csv", dtype={"label": str})
        assert per_class["support"].sum() == table.loc[name, "n_classified"]
        assert (out / f"{name}_confusion.png").read_bytes()[:4] == b"\x89PNG"


def test_predict_gives_the_labels_evaluate_gave(held_out, evaluated, tmp_path):
    out, _ = evaluated
    results = tmp_path / "predict.csv"
    assert cli.main(["predict", str(held_out.test_dir), "--model", str(bundle_file(held_out.models, "svm")),
                     "--output", str(results), "--workers", "1"]) == 0
    predicted = pd.read_csv(results, dtype=str, keep_default_na=False)
    by_path = dict(zip((Path(p).relative_to(held_out.test_dir).as_posix() for p in predicted["path"]),
                       predicted["label"]))
    evaluated_rows = pd.read_csv(out / "svm_predictions.csv", dtype=str, keep_default_na=False)
    assert len(by_path) == len(evaluated_rows) == 50
    assert [by_path[p] for p in evaluated_rows["path"]] == evaluated_rows["predicted"].tolist()


def test_unknown_labels_are_reported_not_scored(held_out, tmp_path, capsys):
    data = tmp_path / "data"
    for label in ("3", "ж"):
        (data / label).mkdir(parents=True)
        for photo in sorted((held_out.test_dir / "3").glob("*.JPG"))[:2]:
            shutil.copy2(photo, data / label / photo.name)
    out = tmp_path / "out"
    assert cli.main(["evaluate", str(data), "--model", str(bundle_file(held_out.models, "logreg")), "--out", str(out),
                     "--workers", "1"]) == 0
    row = pd.read_csv(out / "evaluation.csv").iloc[0]
    assert (row["n_images"], row["unknown_label_images"]) == (2, 2)
    assert "ж (2 images; logreg)" in capsys.readouterr().out


def tiny_scored():
    photos = Photos(Path("data"), ["a/1", "a/2", "b/1", "b/2", "c/1"], np.array(["a", "a", "b", "b", "c"]),
                    np.array(["s1", "s2", "s1", "s2", "s1"]))
    scored = Scored("m", type("B", (), {"name": "svm", "input": "landmarks", "labels": ["a", "b"]})(),
                    photos.labels, np.array([True, True, True, True, False]),
                    np.array(["hand", "hand", "no_hand", "hand", "hand"]), np.array(["a", "b", "", "b", "a"]))
    return photos, scored


def test_summary_counts_misses_as_errors_end_to_end_only():
    photos, scored = tiny_scored()
    summary = scored.summary(photos)
    assert (summary["n_images"], summary["n_classified"], summary["unknown_label_images"]) == (4, 3, 1)
    assert summary["accuracy"] == pytest.approx(2 / 3)
    assert summary["end_to_end_accuracy"] == pytest.approx(2 / 4)


def test_per_signer_accuracy():
    photos, scored = tiny_scored()
    signers = scored.per_signer(photos).set_index("group")
    assert signers.loc["s1", ["n_images", "n_classified"]].tolist() == [2, 1]
    assert signers.loc["s1", "end_to_end_accuracy"] == pytest.approx(0.5)
    assert signers.loc["s2", "accuracy"] == pytest.approx(0.5)


def test_with_all_model_folders_expand_and_names_stay_unique(tmp_path):
    for folder in ("one", "two"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "svm.skops").write_bytes(b"x")
    (tmp_path / "one" / "manifest.json").write_text("{}")
    files = model_files([tmp_path / "one", tmp_path / "two" / "svm.skops"], all_models=True)
    assert [f.name for f in files] == ["svm.skops", "svm.skops"]
    assert model_names(files) == ["one-svm", "two-svm"]


def test_a_model_folder_means_its_best_landmark_model(held_out):
    best = held_out.models / f"{ranked(pd.read_csv(held_out.models / 'report' / 'comparison.csv'))['classifier'].iloc[0]}.skops"
    assert model_files([held_out.models]) == [best]
    assert len(model_files([held_out.models], all_models=True)) > 1


@pytest.mark.parametrize("given, all_models, message", [
    ("missing.skops", False, "not found"),
    ("empty", False, "no landmark model in"),
    ("empty", True, "no model files"),
], ids=["missing", "empty-folder", "empty-folder-all"])
def test_bad_model_arguments_say_so(tmp_path, given, all_models, message):
    (tmp_path / "empty").mkdir()
    with pytest.raises(UserError, match=message):
        model_files([tmp_path / given], all_models)


def test_train_records_the_tables_detector_in_every_bundle(held_out):
    from landmarks.sidecar import read_sidecar

    detector = read_sidecar(held_out.models.parent / "features.csv")["detector"]
    assert detector["hand_model"] == "full"
    assert all(load_bundle(bundle_file(held_out.models, n)).detector == detector for n in LANDMARK_MODELS)

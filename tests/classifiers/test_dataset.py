import json

import numpy as np
import pandas as pd
import pytest

from classifiers.dataset import check_trainable, load_dataset
from landmarks import normalize as norm
from landmarks.errors import UserError
from landmarks.extract import failures_path
from landmarks.points import FEATURE_COLUMNS
from landmarks.sidecar import sidecar_path
from tests.classifiers.helpers import write_feature_table


@pytest.fixture
def table(tmp_path):
    """Four rows with a hand (two of them by signer s1) and one failure without a hand."""
    path = write_feature_table(tmp_path / "features.csv", ["A", "A", "B", "B"], ["s1", "", "s1", "s2"])
    pd.DataFrame({"path": ["A/none.png"], "label": ["A"], "group": [""], "reason": ["no_hand"],
                  "detail": [""]}).to_csv(failures_path(path), index=False)
    return path


def test_load_dataset_reads_rows_failures_and_hash(table):
    dataset = load_dataset(table)
    assert dataset.features.shape == (4, len(FEATURE_COLUMNS)) and dataset.features.dtype == np.float32
    assert dataset.labels.tolist() == ["A", "A", "B", "B"]
    assert dataset.failures["path"].tolist() == ["A/none.png"]
    assert len(dataset.table_sha256) == 64 and dataset.source == str(table)
    assert dataset.sidecar == {}


def test_all_images_joins_rows_and_failures_sorted_by_path(table):
    images = load_dataset(table).all_images
    assert images.columns.tolist() == ["path", "label", "group"]
    assert images["path"].tolist() == sorted(images["path"]) and "A/none.png" in images["path"].tolist()
    assert len(images) == 5


def test_empty_groups_stay_empty_strings(table):
    dataset = load_dataset(table)
    assert dataset.rows["group"].tolist() == ["s1", "", "s1", "s2"]
    assert dataset.has_groups


def test_a_table_without_groups_or_failures(tmp_path):
    dataset = load_dataset(write_feature_table(tmp_path / "f.csv", ["A", "B"]))
    assert not dataset.has_groups
    assert dataset.failures.empty and len(dataset.all_images) == 2


def test_numeric_labels_are_read_as_text(tmp_path):
    dataset = load_dataset(write_feature_table(tmp_path / "f.csv", ["0", "07", "1"]))
    assert dataset.labels.tolist() == ["0", "07", "1"]


def test_missing_table_names_extract(tmp_path):
    with pytest.raises(UserError, match="not found; run `python cli.py extract` first"):
        load_dataset(tmp_path / "nothing.csv")


def test_table_without_feature_columns_is_refused(tmp_path):
    path = tmp_path / "f.csv"
    pd.DataFrame({"path": ["a.png"], "label": ["A"], "group": [""]}).to_csv(path, index=False)
    with pytest.raises(UserError, match=f"lacks columns {FEATURE_COLUMNS[0]}"):
        load_dataset(path)


def test_table_of_an_older_normalization_is_refused(table):
    sidecar_path(table).write_text(json.dumps({"normalization": {"name": "wrist_origin_palm_scale_v1"}}))
    with pytest.raises(UserError, match="normalization 'wrist_origin_palm_scale_v1', this version uses "
                                        f"'{norm.NAME}'; re-run `python cli.py extract`"):
        load_dataset(table)


def test_table_of_this_normalization_is_read(table):
    sidecar_path(table).write_text(json.dumps({"normalization": {"name": norm.NAME}}))
    assert load_dataset(table).sidecar["normalization"]["name"] == norm.NAME


def test_a_file_that_is_not_a_csv_is_refused(tmp_path):
    path = tmp_path / "f.csv"
    path.write_bytes(b"")
    with pytest.raises(UserError, match="is not a CSV written by extract"):
        load_dataset(path)


@pytest.mark.parametrize("labels, folds, match", [
    (["A", "A", "A"], 2, r"only one class \(A\)"),
    ([], 2, r"only one class \(none\)"),
    (["A", "B"], 2, r"fewer images than --folds=2: A \(1\), B \(1\)"),
    (["A", "A", "A", "B", "B"], 3, r"fewer images than --folds=3: B \(2\)"),
    (["A", "A", "B", "B"], 1, "--folds must be at least 2"),
], ids=["one-class", "no-rows", "one-per-class", "scarce-class", "one-fold"])
def test_check_trainable_refuses(labels, folds, match):
    with pytest.raises(UserError, match=match):
        check_trainable(labels, folds)


@pytest.mark.parametrize("labels, folds, short", [
    (["A", "A", "B", "B", "Ә", "Ә"], 2, r"A \(1\)"),
    (["A", "A", "A", "B", "B", "B", "B"], 3, r"A \(2\)"),
], ids=["two-folds", "three-folds"])
def test_check_trainable_accepts_folds_images_per_class_but_not_one_fewer(labels, folds, short):
    assert check_trainable(labels, folds) is None
    with pytest.raises(UserError, match=rf"fewer images than --folds={folds}: {short}"):
        check_trainable(labels[1:], folds)


def test_table_from_the_old_detector_is_refused(tmp_path):
    from landmarks.files import write_json

    table = tmp_path / "old.csv"
    columns = ["path", "label", "group", *FEATURE_COLUMNS]
    table.write_text(",".join(columns) + "\n" + ",".join(["a/1.jpg", "a", "s1"] + ["0.5"] * len(FEATURE_COLUMNS)) + "\n")
    write_json({"detector": {"backend": "bundled"}}, tmp_path / "old.json")
    with pytest.raises(UserError, match="earlier version's hand detector .*re-run `python cli.py extract`"):
        load_dataset(table)

import warnings

import numpy as np
import pandas as pd
import pytest

from classifiers import report
from classifiers.breakdown import confused_pairs, group_accuracy

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
KAZAKH = ["Ә", "Қ", "Ң", "Ү"]


def row(name, kind, accuracy, end_to_end, ms=0.5):
    return {"classifier": name, "input": kind, "n_samples": 10, "accuracy": accuracy,
            "end_to_end_accuracy": end_to_end, "macro_f1": accuracy, "train_seconds": 0.25,
            "predict_ms_per_sample": ms, "model_bytes": 1234, "folds": 3, "worst_group": "s2",
            "worst_group_accuracy": end_to_end - 0.1, "most_confused": "r/u (3), m/n (1)"}


def glyph_warnings(caught):
    return [str(w.message) for w in caught if "missing from font" in str(w.message)]


def test_per_class_table_follows_the_given_label_order():
    table = report.per_class_table(["Ә", "Ә", "Қ", "Қ"], ["Ә", "Қ", "Қ", "Қ"], ["Қ", "Ә", "Ң"])
    assert table.columns.tolist() == ["label", "precision", "recall", "f1", "support"]
    assert table["label"].tolist() == ["Қ", "Ә", "Ң"]
    assert table["recall"].tolist() == pytest.approx([1.0, 0.5, 0.0])
    assert table["precision"].tolist() == pytest.approx([2 / 3, 1.0, 0.0])
    assert table["support"].tolist() == [2, 2, 0]


@pytest.mark.parametrize("value, text", [(0.93456, "0.9346"), (np.float32(0.5), "0.5000"), (123.456, "123.5"),
                                         (7, "7"), ("svm", "svm")],
                         ids=["fraction", "numpy-float", "large-float", "int", "text"])
def test_markdown_cells(value, text):
    assert report.markdown_table(pd.DataFrame({"x": [value]})).splitlines()[2] == f"| {text} |"


def test_markdown_table_has_one_line_per_row():
    lines = report.markdown_table(pd.DataFrame({"a": ["x", "y"], "b": [1, 2]})).splitlines()
    assert lines == ["| a | b |", "|---|---|", "| x | 1 |", "| y | 2 |"]


def test_write_comparison_sorts_best_first_and_keeps_only_the_columns(tmp_path):
    rows = [row("svm", "landmarks", 0.9, 0.80), row("hog-svm", "image", 0.85, 0.85, ms=3.0),
            row("knn", "landmarks", 0.95, 0.80)]
    text = report.write_comparison(rows, tmp_path, "# Title\n")
    table = pd.read_csv(tmp_path / "comparison.csv")
    assert table.columns.tolist() == report.COMPARISON_COLUMNS
    assert table["classifier"].tolist() == ["hog-svm", "knn", "svm"]
    assert text.startswith("# Title\n") and text == (tmp_path / "comparison.md").read_text(encoding="utf-8")
    assert text.index("| hog-svm |") < text.index("| knn |") < text.index("| svm |")
    assert (tmp_path / "accuracy_vs_latency.png").read_bytes().startswith(PNG_SIGNATURE)


def test_ties_on_end_to_end_go_to_the_faster_classifier(tmp_path):
    rows = [row("slow", "landmarks", 0.9, 0.85, ms=2.0), row("fast", "landmarks", 0.8, 0.85, ms=0.1)]
    report.write_comparison(rows, tmp_path, "# Title\n")
    assert pd.read_csv(tmp_path / "comparison.csv")["classifier"].tolist() == ["fast", "slow"]


def breakdowns(groups):
    """Per-group and confused-pair tables of two classifiers over `groups` signers."""
    per_group = {name: group_accuracy(["a"] * len(groups), ["a", *["b"] * (len(groups) - 1)] if name == "svm"
                                      else ["a"] * len(groups), groups, groups) for name in ("svm", "knn")}
    pairs = {name: confused_pairs(["a", "b"], ["b", "b"] if name == "svm" else ["a", "b"]) for name in ("svm", "knn")}
    return per_group, pairs


def test_write_breakdown_writes_csvs_and_a_table_of_few_groups(tmp_path):
    text = report.write_breakdown(*breakdowns(["hand1", "hand3", "hand4"]), tmp_path)
    per_group = pd.read_csv(tmp_path / "per_group.csv")
    assert per_group.columns.tolist() == ["classifier", "group", "n_images", "correct", "end_to_end_accuracy"]
    assert len(per_group) == 6
    assert per_group.set_index(["classifier", "group"]).loc[("svm", "hand3"), "end_to_end_accuracy"] == 0.0
    confused = pd.read_csv(tmp_path / "confused_pairs.csv")
    assert confused.values.tolist() == [["svm", "a", "b", 1, 0, 1]]
    assert "| classifier | hand1 | hand3 | hand4 |" in text
    assert "| svm | 1.0000 | 0.0000 | 0.0000 |" in text and "| knn | 1.0000 | 1.0000 | 1.0000 |" in text


def test_write_breakdown_points_to_the_csv_when_there_are_many_groups(tmp_path):
    groups = [f"s{i}" for i in range(report.MAX_GROUP_COLUMNS + 1)]
    text = report.write_breakdown(*breakdowns(groups), tmp_path)
    assert f"{len(groups)} groups: see `per_group.csv`" in text and "| s0 |" not in text
    assert len(pd.read_csv(tmp_path / "per_group.csv")) == 2 * len(groups)


def test_write_comparison_appends_the_appendix(tmp_path):
    text = report.write_comparison([row("svm", "landmarks", 0.9, 0.8)], tmp_path, "# T\n", "\n## More\n")
    assert text.endswith("\n## More\n") and "| s2 | 0.7000 | r/u (3), m/n (1) |" in text


def test_confusion_plot_draws_kazakh_letters(tmp_path):
    target = tmp_path / "confusion.png"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        report.plot_confusion(KAZAKH * 2, KAZAKH[1:] + KAZAKH[:1] + KAZAKH, KAZAKH, "Қазақ", target)
    assert target.read_bytes().startswith(PNG_SIGNATURE)
    assert glyph_warnings(caught) == []


def test_a_missing_glyph_would_be_noticed(tmp_path):
    """The check above means something: a glyph the font lacks does warn."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        report.plot_confusion(["手", "b"], ["手", "b"], ["手", "b"], "cjk", tmp_path / "cjk.png")
    assert glyph_warnings(caught)

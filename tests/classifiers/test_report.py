import warnings

import numpy as np
import pandas as pd
import pytest

from classifiers import report

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
KAZAKH = ["Ә", "Қ", "Ң", "Ү"]


def row(name, kind, accuracy, end_to_end, ms=0.5):
    return {"classifier": name, "input": kind, "n_samples": 10, "accuracy": accuracy,
            "end_to_end_accuracy": end_to_end, "macro_f1": accuracy, "train_seconds": 0.25,
            "predict_ms_per_sample": ms, "model_bytes": 1234, "folds": 3}


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

import pytest

from classifiers.breakdown import GROUP_COLUMNS, NO_GROUP, PAIR_COLUMNS, confused_pairs, group_accuracy, summary

# Six images by three signers; s3's second image had no hand, so the classifier never saw it.
Y_TRUE = ["u", "r", "u", "v", "m", "n"]
Y_PRED = ["u", "u", "r", "v", "n", "n"]
GROUPS = ["s1", "s1", "s2", "s2", "s3", ""]
ALL_GROUPS = ["s1", "s1", "s2", "s2", "s3", "s3", ""]


def test_group_accuracy_counts_unseen_images_as_errors_worst_first():
    table = group_accuracy(Y_TRUE, Y_PRED, GROUPS, ALL_GROUPS)
    assert table.columns.tolist() == GROUP_COLUMNS
    assert table["group"].tolist() == ["s3", "s1", "s2", NO_GROUP]
    assert table["n_images"].tolist() == [2, 2, 2, 1]
    assert table["correct"].tolist() == [0, 1, 1, 1]
    assert table["end_to_end_accuracy"].tolist() == pytest.approx([0.0, 0.5, 0.5, 1.0])


def test_confused_pairs_join_both_directions_most_first():
    table = confused_pairs(["u", "r", "u", "u", "m", "Ә"], ["r", "u", "r", "u", "n", "Қ"])
    assert table.columns.tolist() == PAIR_COLUMNS
    assert table.values.tolist() == [["r", "u", 1, 2, 3], ["m", "n", 1, 0, 1], ["Қ", "Ә", 0, 1, 1]]  # sorted by code point


def test_no_mistakes_no_pairs():
    assert confused_pairs(["a", "b"], ["a", "b"]).empty


def test_summary_names_the_worst_group_and_top_pairs():
    cells = summary(group_accuracy(Y_TRUE, Y_PRED, GROUPS, ALL_GROUPS), confused_pairs(Y_TRUE, Y_PRED), top=1)
    assert cells == {"worst_group": "s3", "worst_group_accuracy": 0.0, "most_confused": "r/u (2)"}


def test_summary_of_a_perfect_classifier():
    cells = summary(group_accuracy(["a"], ["a"], ["s1"], ["s1"]), confused_pairs(["a"], ["a"]))
    assert cells == {"worst_group": "s1", "worst_group_accuracy": 1.0, "most_confused": "none"}

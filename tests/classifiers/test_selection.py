import pandas as pd
import pytest

from classifiers.selection import ranked


def table(rows):
    return pd.DataFrame(rows, columns=["classifier", "end_to_end_accuracy", "predict_ms_per_sample"])


@pytest.mark.parametrize("rows, order", [
    ([("a", 0.90, 0.1), ("b", 0.95, 5.0), ("c", 0.93, 0.2)], ["b", "c", "a"]),
    ([("slow", 0.95, 2.0), ("fast", 0.95, 0.3), ("worse", 0.94, 0.01)], ["fast", "slow", "worse"]),
    # 23/25 computed two ways differs in the last bit: still a tie, so the faster one wins.
    ([("slow", 23 / 25, 2.0), ("fast", 0.1 * 23 / 2.5, 0.3)], ["fast", "slow"]),
], ids=["by-accuracy", "tie-by-predict-time", "float-noise-is-a-tie"])
def test_ranked_best_first(rows, order):
    assert ranked(table(rows))["classifier"].tolist() == order


def test_a_faster_but_less_accurate_model_never_wins():
    rows = [("accurate", 0.9200001, 9.0), ("fast", 0.92, 0.01)]
    assert ranked(table(rows))["classifier"].iloc[0] == "accurate"


def test_without_a_time_column_ties_go_to_the_higher_accuracy_and_nan_ranks_last():
    rows = pd.DataFrame({"classifier": ["none", "low", "high"], "end_to_end_accuracy": [float("nan"), 0.5, 0.5],
                         "accuracy": [float("nan"), 0.6, 0.7]})
    assert ranked(rows)["classifier"].tolist() == ["high", "low", "none"]


def test_the_time_column_can_be_named():
    rows = pd.DataFrame({"classifier": ["slow", "fast"], "end_to_end_accuracy": [0.9, 0.9],
                         "infer_ms_per_image": [9.0, 1.0]})
    assert ranked(rows, time="infer_ms_per_image")["classifier"].tolist() == ["fast", "slow"]

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

"""Where a classifier fails: end-to-end accuracy per signer group, and the label pairs it mixes up most."""
from collections import Counter

import numpy as np
import pandas as pd

NO_GROUP = "(no group)"
GROUP_COLUMNS = ["group", "n_images", "correct", "end_to_end_accuracy"]
PAIR_COLUMNS = ["label_a", "label_b", "a_as_b", "b_as_a", "total"]


def group_accuracy(y_true, y_pred, groups, all_groups):
    """End-to-end accuracy of each signer group, worst first.

    y_true, y_pred, groups: (M,) for the images the classifier saw; all_groups: (N,) the group of every
    image of the data set, so images the classifier never saw (no hand found) count as errors of their group.
    Returns a DataFrame with GROUP_COLUMNS; an empty group string is reported as NO_GROUP.
    """
    named = _named(all_groups)
    correct = Counter(_named(np.asarray(groups, dtype=str)[np.asarray(y_true, dtype=str) == np.asarray(y_pred, dtype=str)]))
    sizes = Counter(named)
    table = pd.DataFrame([(g, n, correct.get(g, 0), correct.get(g, 0) / n) for g, n in sizes.items()],
                         columns=GROUP_COLUMNS)
    return table.sort_values(["end_to_end_accuracy", "group"]).reset_index(drop=True)


def confused_pairs(y_true, y_pred):
    """Label pairs mixed up in either direction, most often first (ties by label): DataFrame with PAIR_COLUMNS."""
    mistakes = Counter((str(t), str(p)) for t, p in zip(y_true, y_pred) if str(t) != str(p))
    pairs = sorted({tuple(sorted(pair)) for pair in mistakes})
    rows = [(a, b, mistakes[(a, b)], mistakes[(b, a)], mistakes[(a, b)] + mistakes[(b, a)]) for a, b in pairs]
    table = pd.DataFrame(rows, columns=PAIR_COLUMNS)
    return table.sort_values(["total", "label_a", "label_b"], ascending=[False, True, True]).reset_index(drop=True)


def summary(groups, pairs, top=3):
    """The comparison-table cells: worst group, its accuracy, and the `top` most confused pairs as text."""
    worst = groups.iloc[0] if len(groups) else None
    confused = ", ".join(f"{r.label_a}/{r.label_b} ({r.total})" for r in pairs.head(top).itertuples())
    return {"worst_group": "" if worst is None else worst["group"],
            "worst_group_accuracy": float("nan") if worst is None else float(worst["end_to_end_accuracy"]),
            "most_confused": confused or "none"}


def _named(groups):
    groups = np.asarray(groups, dtype=str)
    return np.where(groups == "", NO_GROUP, groups)

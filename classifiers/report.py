"""The report a user reads: comparison table (CSV + Markdown), per-class scores and plots."""
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from sklearn.metrics import confusion_matrix, precision_recall_fscore_support  # noqa: E402

from classifiers.selection import ranked  # noqa: E402
from landmarks.files import atomic_path, write_csv, write_text  # noqa: E402

COMPARISON_COLUMNS = ["classifier", "input", "n_samples", "accuracy", "end_to_end_accuracy", "macro_f1", "calibration_error_raw", "calibration_error",
                      "train_seconds", "predict_ms_per_sample", "model_bytes", "worst_group", "worst_group_accuracy",
                      "most_confused"]
# Up to this many signer groups, comparison.md shows every group's accuracy; beyond, per_group.csv does.
MAX_GROUP_COLUMNS = 12
# DejaVu Sans ships with matplotlib and covers Cyrillic, Kazakh letters included.
plt.rcParams["font.family"] = "DejaVu Sans"


def per_class_table(y_true, y_pred, labels):
    if len(y_true) == 0:  # nothing classified (no hand in any photo): a table of no rows, not an error
        return pd.DataFrame(columns=["label", "precision", "recall", "f1", "support"])
    precision, recall, f1, support = precision_recall_fscore_support(
        y_true, y_pred, labels=labels, zero_division=0)
    return pd.DataFrame({"label": labels, "precision": precision, "recall": recall, "f1": f1, "support": support})


def save_png(figure, target):
    with atomic_path(target) as temp:
        figure.savefig(temp, format="png", dpi=110, bbox_inches="tight")
    plt.close(figure)


def plot_confusion(y_true, y_pred, labels, title, target):
    matrix = confusion_matrix(y_true, y_pred, labels=labels)
    side = max(4.0, 0.45 * len(labels) + 2)
    figure, axes = plt.subplots(figsize=(side, side))
    axes.imshow(matrix, cmap="Blues")
    axes.set_xticks(range(len(labels)), labels)
    axes.set_yticks(range(len(labels)), labels)
    axes.set_xlabel("predicted")
    axes.set_ylabel("true")
    axes.set_title(title)
    for (row, col), count in np.ndenumerate(matrix):
        if count:
            axes.text(col, row, str(count), ha="center", va="center", fontsize=7,
                      color="white" if count > matrix.max() / 2 else "black")
    save_png(figure, target)


def plot_accuracy_vs_latency(table, target, x="predict_ms_per_sample", y="end_to_end_accuracy",
                             xlabel="prediction time per sample (ms, log scale)"):
    figure, axes = plt.subplots(figsize=(6.5, 4.5))
    for position, (_, row) in enumerate(table.iterrows()):
        marker = "o" if row["input"] == "landmarks" else "s"
        colour = axes.scatter(row[x], row[y], marker=marker, s=50).get_facecolor()[0]
        # Staggered labels stay readable when several methods sit on the same spot; the point's colour
        # and a leader line tie each label to its own point (a staggered label can sit nearer a neighbour's).
        axes.annotate(row.iloc[0], (row[x], row[y]), textcoords="offset points", color=colour,
                      xytext=(10, 12 * (position % 3) - 12), fontsize=8, va="center",
                      arrowprops={"arrowstyle": "-", "linewidth": 0.8, "color": colour})
    axes.set_xscale("log")
    axes.set_xlabel(xlabel)
    axes.set_ylabel(y.replace("_", " "))
    axes.set_title("accuracy against cost (o landmarks, \u25a1 image)")
    axes.grid(alpha=0.3)
    save_png(figure, target)


def markdown_table(table):
    header = "| " + " | ".join(table.columns) + " |\n|" + "---|" * len(table.columns) + "\n"
    lines = ["| " + " | ".join(_cell(v) for v in row) + " |" for row in table.itertuples(index=False)]
    return header + "\n".join(lines) + "\n"


def _cell(value):
    if isinstance(value, (float, np.floating)):
        return f"{value:.4f}" if abs(value) < 10 else f"{value:.1f}"
    return str(value)


def write_breakdown(groups, pairs, report_dir):
    """per_group.csv and confused_pairs.csv from {classifier: breakdown table}; returns their Markdown section."""
    report_dir = Path(report_dir)
    per_group = pd.concat([t.assign(classifier=name) for name, t in groups.items()], ignore_index=True)
    per_group = per_group[["classifier", *per_group.columns.drop("classifier")]]
    write_csv(per_group, report_dir / "per_group.csv")
    confused = pd.concat([t.assign(classifier=name) for name, t in pairs.items()], ignore_index=True)
    write_csv(confused[["classifier", *confused.columns.drop("classifier")]], report_dir / "confused_pairs.csv")
    names = sorted(per_group["group"].unique())
    text = "\n## End-to-end accuracy per signer group\n\n"
    if len(names) > MAX_GROUP_COLUMNS:
        return text + (f"{len(names)} groups: see `per_group.csv`; the worst group of each classifier is in the "
                       "table above, its most confused label pairs (either direction) in `confused_pairs.csv`.\n")
    wide = per_group.pivot(index="classifier", columns="group", values="end_to_end_accuracy")[names]
    return text + markdown_table(wide.loc[list(groups)].reset_index()) + (
        "\nAll counts in `per_group.csv`; every confused label pair in `confused_pairs.csv`.\n")


def write_comparison(rows, report_dir, preamble, appendix=""):
    """comparison.csv, comparison.md (best first, then `appendix`) and the accuracy-vs-latency plot;
    returns the Markdown."""
    table = pd.DataFrame(rows, columns=COMPARISON_COLUMNS)
    table = ranked(table)
    report_dir = Path(report_dir)
    write_csv(table, report_dir / "comparison.csv")
    text = preamble + "\n" + markdown_table(table) + appendix
    write_text(text, report_dir / "comparison.md")
    plot_accuracy_vs_latency(table, report_dir / "accuracy_vs_latency.png")
    return text

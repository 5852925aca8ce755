"""The one rule that orders models, shared by every report and by the choice of a folder's best model."""
import numpy as np

# End-to-end accuracies closer than this are the same number of correct images (float noise aside).
TIE = 1e-9


def ranked(table, time="predict_ms_per_sample"):
    """`table` (one row per model, with end_to_end_accuracy and, if measured, the `time` column) best first.

    Best = the highest end-to-end accuracy; among equal ones, the lowest time (then, if the table has
    it, the higher accuracy on images with a hand). A missing accuracy (NaN) ranks last.
    """
    score = np.round(table["end_to_end_accuracy"].to_numpy(float) / TIE) * TIE
    accuracy = table["accuracy"].to_numpy(float) if "accuracy" in table else np.zeros(len(table))
    seconds = table[time].to_numpy(float) if time in table else np.zeros(len(table))
    order = np.lexsort((-accuracy, seconds, -score))
    return table.iloc[order]

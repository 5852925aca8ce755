"""The one rule that orders classifiers, shared by the report and by `live`'s choice of default model."""
import numpy as np

# End-to-end accuracies closer than this are the same number of correct images (float noise aside).
TIE = 1e-9


def ranked(table):
    """`table` (one row per classifier, with end_to_end_accuracy and predict_ms_per_sample) best first.

    Best = the highest cross-validated end-to-end accuracy; among equal ones, the lowest prediction time
    (then, if the table has it, the higher accuracy on images with a hand).
    """
    score = np.round(table["end_to_end_accuracy"].to_numpy(float) / TIE) * TIE
    accuracy = table["accuracy"].to_numpy(float) if "accuracy" in table else np.zeros(len(table))
    order = np.lexsort((-accuracy, table["predict_ms_per_sample"].to_numpy(float), -score))
    return table.iloc[order]

"""How far a classifier's probabilities are from how often it is right: the spelling decoder adds up
log-probabilities over frames, so a model that is sure when wrong (or unsure when right) misleads it."""
import numpy as np

BINS = 10


def expected_calibration_error(y_true, probabilities, classes, bins=BINS):
    """Top-label expected calibration error: over `bins` equal-width confidence bins, the mean
    |accuracy - confidence| weighted by the share of samples in the bin (0 = perfectly calibrated).

    probabilities: (N, K) with columns in the order of `classes`."""
    probabilities = np.asarray(probabilities, dtype=float)
    if probabilities.ndim != 2 or len(probabilities) == 0:
        return float("nan")
    confidence = probabilities.max(axis=1)
    correct = np.asarray(classes, dtype=str)[probabilities.argmax(axis=1)] == np.asarray(y_true, dtype=str)
    # Bin i holds confidences in ((i)/bins, (i+1)/bins]; a confidence of 0 goes to the first bin.
    which = np.clip(np.ceil(confidence * bins).astype(int) - 1, 0, bins - 1)
    total = 0.0
    for b in np.unique(which):
        inside = which == b
        total += inside.sum() * abs(correct[inside].mean() - confidence[inside].mean())
    return float(total / len(confidence))


def apply_temperature(probabilities, temperature):
    """Probabilities p_k^(1/T) renormalized (softmax of log p / T): T < 1 sharpens, T > 1 flattens; the
    order of the classes, so every prediction, stays as it was."""
    probabilities = np.asarray(probabilities, dtype=float)
    if temperature == 1.0:
        return probabilities
    logits = np.log(np.clip(probabilities, 1e-12, 1.0)) / temperature
    logits -= logits.max(axis=-1, keepdims=True)
    scaled = np.exp(logits)
    return scaled / scaled.sum(axis=-1, keepdims=True)


# Searched on a log grid: enough resolution for calibration, and no optimizer to fail.
TEMPERATURES = np.exp(np.linspace(np.log(0.05), np.log(5.0), 101))


def fit_temperature(y_true, probabilities, classes):
    """The temperature that makes cross-validated `probabilities` most likely for `y_true` (lowest
    negative log-likelihood); 1.0 when there is nothing to fit."""
    probabilities = np.asarray(probabilities, dtype=float)
    if probabilities.ndim != 2 or len(probabilities) == 0:
        return 1.0
    truth = np.searchsorted(np.asarray(classes, dtype=str), np.asarray(y_true, dtype=str))
    rows = np.arange(len(truth))
    losses = [-np.mean(np.log(apply_temperature(probabilities, t)[rows, truth] + 1e-12)) for t in TEMPERATURES]
    return float(TEMPERATURES[int(np.argmin(losses))])


def reading_channel(y_true, probabilities, classes, smoothing=1.0):
    """What a reading says about the sign: (K, K) P(signed s | read j), row j, column s, from cross-validated
    (calibrated) `probabilities` on signers the fold did not train on.

    Each sample adds its probabilities to the column of its true class (soft counts of "read j while s was
    signed"); `smoothing` is added on the diagonal (a reading nobody was seen to confuse means itself), and
    each row is normalized. The spelling decoder multiplies a frame's probabilities by it, so a letter this
    model confuses with another for new signers (Massey: r read as u) stays affordable for the word list to
    restore, while a confident reading that was never confused keeps its weight."""
    probabilities = np.asarray(probabilities, dtype=float)
    classes = np.asarray(classes, dtype=str)
    counts = smoothing * np.eye(len(classes))
    if probabilities.ndim == 2 and len(probabilities):
        truth = np.searchsorted(classes, np.asarray(y_true, dtype=str))
        np.add.at(counts.T, truth, probabilities)  # counts[:, s] += the probabilities of a sample of s
    return counts / counts.sum(axis=1, keepdims=True)

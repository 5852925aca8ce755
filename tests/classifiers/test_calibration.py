import numpy as np
import pytest

from classifiers.calibration import apply_temperature, expected_calibration_error, fit_temperature, reading_channel


@pytest.mark.parametrize("proba, truth, expected", [
    ([[0.9, 0.1], [0.8, 0.2]], ["a", "a"], 0.15),  # right both times, 0.85 sure on average: under-confident
    ([[0.9, 0.1], [0.9, 0.1]], ["b", "b"], 0.9),  # sure and always wrong
    ([[0.5, 0.5], [0.5, 0.5]], ["a", "b"], 0.0),  # a coin that says it is a coin
    ([[0.95, 0.05], [0.15, 0.85]], ["a", "a"], 0.45),  # two bins: |1-0.95|/2 + |0-0.85|/2
], ids=["under-confident", "confidently-wrong", "honest-coin", "two-bins"])
def test_expected_calibration_error(proba, truth, expected):
    assert expected_calibration_error(truth, proba, ["a", "b"]) == pytest.approx(expected)


def test_no_probabilities_is_nan():
    assert np.isnan(expected_calibration_error([], np.zeros((0, 2)), ["a", "b"]))


def test_cross_validate_keeps_out_of_fold_probabilities():
    from sklearn.linear_model import LogisticRegression

    from classifiers.evaluate import cross_validate

    rng = np.random.default_rng(0)
    X = np.vstack([rng.normal(0, 1, (20, 2)), rng.normal(4, 1, (20, 2))])
    y = np.array(["a"] * 20 + ["b"] * 20)
    evaluation = cross_validate(LogisticRegression(), X, y, np.arange(40) % 4, probabilities=True)
    assert evaluation.y_proba.shape == (40, 2)
    assert np.allclose(evaluation.y_proba.sum(axis=1), 1.0)
    assert 0.0 <= evaluation.calibration_error() < 0.2
    assert np.isnan(cross_validate(LogisticRegression(), X, y, np.arange(40) % 4).calibration_error())


@pytest.mark.parametrize("temperature", [0.25, 1.0, 3.0], ids=["sharpen", "identity", "flatten"])
def test_apply_temperature_keeps_order_and_sums_to_one(temperature):
    p = np.array([[0.5, 0.3, 0.2], [0.1, 0.1, 0.8]])
    scaled = apply_temperature(p, temperature)
    assert np.allclose(scaled.sum(axis=1), 1.0)
    assert (scaled.argmax(axis=1) == p.argmax(axis=1)).all()
    assert (scaled.max(axis=1) > p.max(axis=1)).all() == (temperature < 1)


def test_fit_temperature_sharpens_an_under_confident_model():
    # Always right, but only 0.4 sure: the fitted temperature sharpens (T < 1), and the error falls.
    p = np.tile([0.4, 0.3, 0.3], (30, 1))
    truth = ["a"] * 30
    t = fit_temperature(truth, p, ["a", "b", "c"])
    assert t < 0.2
    assert expected_calibration_error(truth, apply_temperature(p, t), ["a", "b", "c"]) < \
        expected_calibration_error(truth, p, ["a", "b", "c"])


def test_reading_channel_says_what_a_reading_means():
    # r photos read u 3 times in 4, u photos read u; a is never confused.
    p = np.array([[0, 0.1, 0.9], [0, 0.9, 0.1], [0, 0.1, 0.9], [0, 0.1, 0.9],  # signed r
                  [0, 0.1, 0.9], [0, 0.1, 0.9], [0, 0.1, 0.9], [0, 0.1, 0.9],  # signed u
                  [1.0, 0, 0], [1.0, 0, 0]])  # signed a
    truth = ["r"] * 4 + ["u"] * 4 + ["a"] * 2
    channel = reading_channel(truth, p, ["a", "r", "u"], smoothing=1.0)
    assert channel.shape == (3, 3) and np.allclose(channel.sum(axis=1), 1.0)
    read_u = channel[2]
    assert read_u[1] == pytest.approx(2.8 / 7.4)  # u-readings: 2.8 from r photos, 3.6 from u photos, + 1 smoothing
    assert read_u[2] > read_u[1] > 0.25
    assert channel[0, 0] == pytest.approx(1.0)  # a reading nobody confused means itself


def test_reading_channel_without_samples_is_the_identity():
    assert np.array_equal(reading_channel([], np.zeros((0, 3)), ["a", "b", "c"]), np.eye(3))

from types import SimpleNamespace

import numpy as np
import pytest

from landmarks.detect import Hand
from landmarks.normalize import NAME, flat_features
from live.loop import LABEL, NO_HAND, UNSURE, Recognizer, StageTimes, decide
from live.sources import Frame

# Made-up landmarks: points spread along a diagonal, the middle knuckle off it.
MARKS = np.zeros((21, 3), np.float32)
MARKS[:, 0] = np.linspace(0.40, 0.60, 21)
MARKS[:, 1] = np.linspace(0.80, 0.40, 21)
MARKS[9] = (0.45, 0.50, 0.0)


class ScriptedDetector:
    """Returns the given hands (or None) in order, and remembers what it was asked."""

    def __init__(self, hands):
        self.hands, self.calls = list(hands), []

    def detect(self, rgb, timestamp_ms=0):
        self.calls.append((rgb.shape, timestamp_ms))
        return self.hands.pop(0)


class ScriptedPipeline:
    """Returns the given probability rows in order, and keeps the features it got."""

    def __init__(self, rows):
        self.rows, self.seen = [np.array(r, float) for r in rows], []

    def predict_proba(self, features):
        self.seen.append(features)
        return self.rows.pop(0)[None]


def model(rows, settings=None):
    settings = settings or {"mirror_left": True}
    return SimpleNamespace(pipeline=ScriptedPipeline(rows), labels=["Ә", "Б"],
                           normalization={"name": NAME, "settings": settings})


def frames(count, width=64, height=48):
    return [Frame(i, 100.0 + 33 * i, np.zeros((height, width, 3), np.uint8), 0.5) for i in range(count)]


def test_features_are_normalized_with_the_bundle_settings_and_frame_size():
    bundle = model([[0.9, 0.1]], settings={"mirror_left": False})
    recognizer = Recognizer(bundle, ScriptedDetector([Hand(MARKS, "Left", 0.9)]))
    recognizer.process(frames(1, width=64, height=48)[0])
    expected = flat_features(MARKS[None], (64, 48), np.array([True]), {"mirror_left": False})
    np.testing.assert_allclose(bundle.pipeline.seen[0], expected)
    mirrored = flat_features(MARKS[None], (64, 48), np.array([True]))
    assert not np.allclose(bundle.pipeline.seen[0], mirrored)  # the settings were honoured


def test_each_frame_has_its_own_probabilities_and_the_hand_s_place_and_size():
    hand = Hand(MARKS, "Right", 0.9)
    rows = [[0.9, 0.1], [0.45, 0.55], [0.1, 0.9]]
    detector = ScriptedDetector([hand, hand, None, hand])
    recognizer = Recognizer(model(rows), detector, min_confidence=0.6)
    results = [recognizer.process(frame) for frame in frames(4, width=100, height=50)]
    assert [r.state for r in results] == [LABEL, UNSURE, NO_HAND, LABEL]
    assert [r.label for r in results] == ["Ә", None, None, "Б"]
    assert results[1].confidence == pytest.approx(0.55)  # no smoothing: the frame's own answer
    np.testing.assert_allclose(results[1].probabilities, [0.45, 0.55])
    assert results[2].probabilities is None and results[2].centre is None and results[2].size is None
    palm = MARKS[[0, 5, 9, 13, 17], :2] * (100, 50)
    assert results[0].centre == pytest.approx(tuple(palm.mean(axis=0)))
    assert results[0].size == pytest.approx(np.hypot(*((MARKS[9, :2] - MARKS[0, :2]) * (100, 50))))
    assert [call[1] for call in detector.calls] == [100.0, 133.0, 166.0, 199.0]


@pytest.mark.parametrize("probabilities, expected", [
    ([0.1, 0.7, 0.2], (LABEL, "b", 0.7)),
    ([0.5, 0.3, 0.2], (UNSURE, None, 0.5)),
    ([0.2, 0.2, 0.6], (LABEL, "c", 0.6)),  # exactly the threshold counts as sure
], ids=["sure", "below-threshold", "at-threshold"])
def test_decide(probabilities, expected):
    state, label, confidence = decide(np.array(probabilities), ["a", "b", "c"], min_confidence=0.6)
    assert (state, label) == expected[:2]
    assert confidence == pytest.approx(expected[2])


def test_timings_cover_every_stage():
    recognizer = Recognizer(model([[0.9, 0.1]]), ScriptedDetector([Hand(MARKS, "Right", 0.9), None]))
    with_hand, without = (recognizer.process(frame) for frame in frames(2))
    assert with_hand.timings["decode"] == 0.5
    assert all(with_hand.timings[stage] > 0 for stage in ("detect", "features", "predict"))
    assert with_hand.latency_ms > 0.5
    assert without.timings["detect"] > 0
    assert without.timings["features"] == without.timings["predict"] == 0.0


def test_stage_times_summary_counts_frames_and_hands():
    recognizer = Recognizer(model([[0.9, 0.1]]), ScriptedDetector([Hand(MARKS, "Right", 0.9), None, None]))
    times = StageTimes()
    for frame in frames(3):
        times.add(recognizer.process(frame))
    times.skipped = 2
    line = times.summary()
    assert line.startswith("live: 3 frames, 1 with a hand, 2 corrupt skipped; latency ms median/p95: decode 0.50/0.50")
    assert "spell 0.00/0.00" in line  # nothing was spelled: no decoder fed
    assert times.percentiles("decode") == pytest.approx((0.5, 0.5))
    assert times.percentiles("features")[0] > 0  # only the frame with a hand has features

from types import SimpleNamespace

import numpy as np
import pytest

from landmarks.detect import Hand
from landmarks.normalize import NAME, flat_features
from live.loop import Recognizer, StageTimes
from live.smoothing import LABEL, NO_HAND, UNSURE
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


def test_answers_are_smoothed_and_a_lost_hand_resets_the_smoothing():
    hand = Hand(MARKS, "Right", 0.9)
    rows = [[0.9, 0.1], [0.1, 0.9], [0.1, 0.9], [0.3, 0.7]]
    detector = ScriptedDetector([hand, hand, hand, None, hand])
    recognizer = Recognizer(model(rows), detector, smooth=3, min_confidence=0.6)
    results = [recognizer.process(frame) for frame in frames(5)]
    assert [r.state for r in results] == [LABEL, UNSURE, LABEL, NO_HAND, LABEL]
    assert [r.label for r in results] == ["Ә", None, "Б", None, "Б"]
    assert results[1].confidence == pytest.approx(0.5)
    assert results[2].confidence == pytest.approx((0.1 + 0.9 + 0.9) / 3)
    assert results[3].confidence is None
    assert results[4].confidence == pytest.approx(0.7)  # only the new frame counts after the gap
    assert [call[1] for call in detector.calls] == [100.0, 133.0, 166.0, 199.0, 232.0]


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
    assert times.percentiles("decode") == pytest.approx((0.5, 0.5))
    assert times.percentiles("features")[0] > 0  # only the frame with a hand has features

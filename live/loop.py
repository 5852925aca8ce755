"""One frame in, one answer out: detect the hand, normalize it as `train` did, predict; timed per stage."""
import time
from dataclasses import dataclass

import numpy as np
import sklearn

from classifiers.calibration import apply_temperature
from landmarks.normalize import flat_features
from landmarks.points import HandPoint
from live.options import LiveOptions
from live.predict import LeanPredictor

STAGES = ("decode", "detect", "features", "predict")
SPELL = "spell"  # the spelling decoder's stage, timed by the loop that feeds it
NO_HAND, UNSURE, LABEL = "no_hand", "unsure", "label"
PALM = [HandPoint.WRIST, HandPoint.INDEX_FINGER_MCP, HandPoint.MIDDLE_FINGER_MCP, HandPoint.RING_FINGER_MCP,
        HandPoint.PINKY_MCP]  # their mean moves with the hand, hardly with the fingers' shape


def fast_predictions():
    """A scikit-learn context that skips the finiteness check of every input (~13% of a one-row
    prediction): normalized landmarks are finite by construction. Enter it once around the loop."""
    return sklearn.config_context(assume_finite=True)


@dataclass
class FrameResult:
    index: int
    t_ms: float
    hand: object  # landmarks.detect.Hand, or None
    state: str  # no_hand, unsure or label
    label: object  # str, or None unless state == "label"
    confidence: object  # probability of the best label, or None without a hand
    timings: dict  # milliseconds per stage in STAGES
    probabilities: object = None  # (labels,) this frame's calibrated probabilities, or None without a hand
    centre: object = None  # (x, y) of the palm in pixels, or None
    size: object = None  # wrist to middle-finger knuckle in pixels, or None

    @property
    def latency_ms(self):
        return sum(self.timings.values())


class Recognizer:
    """The per-frame pipeline; `model` is a classifiers.bundle.Bundle (pipeline, labels, normalization)."""

    def __init__(self, model, detector, min_confidence=LiveOptions.min_confidence):
        self.labels = list(model.labels)
        self._settings = dict(model.normalization["settings"])
        self._pipeline = LeanPredictor(model.pipeline, self._probe())
        self._temperature = float(getattr(model, "temperature", 1.0))  # fitted by `train` on held-out folds
        self._detector = detector
        self._min_confidence = min_confidence

    def _probe(self, rows=8):
        """Made-up but realistic feature rows (random hands through the same normalization)."""
        marks = np.random.default_rng(0).uniform(0.2, 0.8, size=(rows, 21, 3)).astype(np.float32)
        return flat_features(marks, (640, 480), np.arange(rows) % 2 == 0, self._settings)

    def process(self, frame):
        """A FrameResult for one decoded `live.sources.Frame`."""
        timings = dict.fromkeys(STAGES, 0.0)
        timings["decode"] = frame.decode_ms
        start = time.perf_counter()
        hand = self._detector.detect(frame.rgb, frame.t_ms)
        detected = time.perf_counter()
        timings["detect"] = (detected - start) * 1000.0
        if hand is None:
            return FrameResult(frame.index, frame.t_ms, None, NO_HAND, None, None, timings)
        height, width = frame.rgb.shape[:2]
        features = flat_features(hand.landmarks[None], (width, height), np.array([hand.handedness == "Left"]),
                                 self._settings)
        normalized = time.perf_counter()
        probabilities = apply_temperature(self._pipeline.predict_proba(features)[0], self._temperature)
        state, label, confidence = decide(probabilities, self.labels, self._min_confidence)
        timings["features"] = (normalized - detected) * 1000.0
        timings["predict"] = (time.perf_counter() - normalized) * 1000.0
        points = hand.landmarks[:, :2] * (width, height)
        size = float(np.hypot(*(points[HandPoint.MIDDLE_FINGER_MCP] - points[HandPoint.WRIST])))
        return FrameResult(frame.index, frame.t_ms, hand, state, label, confidence, timings, probabilities,
                           tuple(points[PALM].mean(axis=0)), size)


def decide(probabilities, labels, min_confidence):
    """(state, label or None, confidence) for one frame's probabilities (what the window shows)."""
    best = int(np.argmax(probabilities))
    confidence = float(probabilities[best])
    if confidence < min_confidence:
        return UNSURE, None, confidence
    return LABEL, labels[best], confidence


class StageTimes:
    """Per-stage latencies of a run, for the summary line (features and predict: frames with a hand)."""

    def __init__(self):
        self.frames = self.with_hand = self.skipped = 0
        self._times = {stage: [] for stage in (*STAGES, SPELL, "total")}
        self._started = time.perf_counter()

    def add(self, result):
        self.frames += 1
        self._times["decode"].append(result.timings["decode"])
        self._times["detect"].append(result.timings["detect"])
        self._times[SPELL].append(result.timings.get(SPELL, 0.0))
        self._times["total"].append(result.latency_ms)
        if result.hand is not None:
            self.with_hand += 1
            self._times["features"].append(result.timings["features"])
            self._times["predict"].append(result.timings["predict"])

    def percentiles(self, stage):
        """(median, 95th percentile) in ms, or (nan, nan) when the stage never ran."""
        times = self._times[stage]
        return tuple(np.percentile(times, [50, 95])) if times else (float("nan"), float("nan"))

    def fps(self):
        elapsed = time.perf_counter() - self._started
        return self.frames / elapsed if elapsed > 0 else 0.0

    def summary(self):
        stages = ", ".join("{} {:.2f}/{:.2f}".format(stage, *self.percentiles(stage)) for stage in self._times)
        return (f"live: {self.frames} frames, {self.with_hand} with a hand, {self.skipped} corrupt skipped; "
                f"latency ms median/p95: {stages}; {self.fps():.1f} fps")

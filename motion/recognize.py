"""Motion letters in a stream: the spotter's cheap per-frame check, the classifier only on a movement."""
from dataclasses import dataclass

import numpy as np

from classifiers.bundle import load_bundle
from inference.options import MIN_CONFIDENCE
from landmarks.errors import UserError
from motion import features as mf
from motion.spotter import MotionSpotter


@dataclass(frozen=True)
class MotionEvent:
    label: object  # a motion letter, or None when the movement was not one (confident enough)
    best: str  # the classifier's best label, motion letter or not
    confidence: float
    first: int  # frame numbers (counted from the first pushed frame) of the movement
    last: int


def load_motion_model(path):
    """The verified motion Bundle at `path`, or UserError naming the fix."""
    bundle = load_bundle(path)
    if bundle.input != "motion" or bundle.normalization.get("name") != mf.NAME:
        raise UserError(f"model {path} is not a motion model of this version; train one with "
                        "`python cli.py train MOTION_TABLE` (a table from `extract-motion`)")
    settings = bundle.normalization["settings"]
    try:
        width = mf.feature_length(int(settings["steps"]), tuple(float(at) for at in settings["shape_at"]))
        set(settings["motion_labels"])
    except (KeyError, TypeError, ValueError):
        width = None
    if width is None or getattr(bundle.pipeline, "n_features_in_", None) != width:
        raise UserError(f"model {path} has motion settings that do not match its classifier; retrain with "
                        "`python cli.py train MOTION_TABLE`")
    return bundle


class MotionRecognizer:
    """`push` one frame's hand; returns a MotionEvent when a movement has just ended, else None."""

    def __init__(self, bundle, min_confidence=MIN_CONFIDENCE, spotter=None):
        self.labels = list(bundle.labels)
        settings = bundle.normalization["settings"]
        self.motion_labels = set(settings["motion_labels"])
        self._steps, self._shape_at = settings["steps"], tuple(settings["shape_at"])
        self._pipeline = bundle.pipeline
        self._min_confidence = min_confidence
        self.spotter = spotter or MotionSpotter()

    @property
    def moving(self):
        return self.spotter.moving

    def push(self, hand, image_size):
        """hand: landmarks.detect.Hand or None; image_size: (width, height)."""
        if hand is None:
            segment = self.spotter.push(None)
        else:
            segment = self.spotter.push(hand.landmarks, image_size, hand.handedness == "Left")
        return None if segment is None else self.classify(segment)

    def classify(self, segment):
        features = mf.motion_features(segment.landmarks, segment.image_sizes, segment.is_left,
                                      self._steps, self._shape_at)
        probabilities = self._pipeline.predict_proba(features[None])[0]
        best = int(np.argmax(probabilities))
        label, confidence = self.labels[best], float(probabilities[best])
        accepted = label in self.motion_labels and confidence >= self._min_confidence
        return MotionEvent(label if accepted else None, label, confidence, segment.first, segment.last)


def clip_events(recognizer, marks, sizes, lefts):
    """Every MotionEvent of one tracked clip (per-frame landmarks or None), as `live` would see them."""
    recognizer.spotter.reset()
    events = [recognizer.spotter.push(m, s, left) for m, s, left in zip(marks, sizes, lefts)]
    events.append(recognizer.spotter.push(None))
    return [recognizer.classify(segment) for segment in events if segment is not None]

"""Motion letters in `live`: a Speller that also takes the letters a MotionRecognizer finds."""
import time
from collections import deque
from pathlib import Path

from classifiers.model_path import best_model, resolve_model
from classifiers.models_folder import MOTION
from live.smoothing import UNSURE, Speller
from motion.recognize import MotionRecognizer, load_motion_model


class MotionSpeller(Speller):
    """Static letters as the Speller spells them, except while the hand moves (those frames count as
    unsure); when a movement turns out to be a motion letter, it replaces whatever was spelled since
    the movement began (the still start of a J is an I for a moment)."""

    def __init__(self, hold, space_after, recognizer):
        super().__init__(hold, space_after)
        self.recognizer = recognizer
        self._lengths = deque(maxlen=recognizer.spotter.max_frames + recognizer.spotter.window + recognizer.spotter.lead + 2)
        self._event = None

    def observe(self, result, frame):
        started = time.perf_counter()
        self._lengths.append((self.recognizer.spotter.count, len(self.text)))
        height, width = frame.rgb.shape[:2]
        self._event = self.recognizer.push(result.hand, (width, height))
        result.timings["motion"] = (time.perf_counter() - started) * 1000.0

    def update(self, state, label=None):
        moving = self.recognizer.moving
        super().update(UNSURE if moving else state, None if moving else label)
        event, self._event = self._event, None
        if event is not None and event.label is not None:
            keep = next((length for number, length in self._lengths if number >= event.first), len(self.text))
            self.replace_since(keep, event.label)
        return self.text


def motion_speller(options, static_model):
    """A MotionSpeller for LiveOptions `options` when a motion model is given (--motion-model FILE|DIR)
    or `train` saved one beside the static model file `static_model`; else None (also with --no-motion)."""
    if options.no_motion:
        return None
    if options.motion_model is not None:
        path = resolve_model(options.motion_model, MOTION)
    else:  # `train` saves both kinds in one models folder
        path = best_model(Path(static_model).parent, MOTION)
        if path is None:
            return None
    recognizer = MotionRecognizer(load_motion_model(path), min_confidence=options.min_confidence)
    return MotionSpeller(options.hold, options.space_after, recognizer)

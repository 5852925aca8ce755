"""Motion letters in `live`: the motion spotter and classifier beside the spelling decoder.

Every frame's hand goes to the MotionRecognizer; while it says the hand moves, the decoder spells no
static letter from those frames, and when a movement turns out to be a motion letter, the decoder
is told which frames it covered (the still start of a J is an I for a moment: those frames become
the J).
"""
import time
from collections import deque
from pathlib import Path

from classifiers.model_path import best_model, resolve_model
from classifiers.models_folder import MOTION
from motion.recognize import MotionRecognizer, load_motion_model


class MotionLetters:
    """Feeds one frame's hand to the recognizer and its verdicts to a spelling decoder."""

    def __init__(self, recognizer):
        self.recognizer = recognizer
        spotter = recognizer.spotter
        self._times = deque(maxlen=spotter.max_frames + spotter.window + spotter.lead + 2)  # (frame number, t_ms)

    @property
    def labels(self):
        return sorted(self.recognizer.motion_labels)

    def observe(self, result, frame, decoder):
        """Before the decoder's push: the hand to the spotter; the decoder told whether it moves.
        Returns the MotionEvent that ended on this frame, or None; its time goes to timings["motion"]."""
        started = time.perf_counter()
        self._times.append((self.recognizer.spotter.count, result.t_ms))
        height, width = frame.rgb.shape[:2]
        event = self.recognizer.push(result.hand, (width, height))
        decoder.moving(self.recognizer.moving)
        result.timings["motion"] = (time.perf_counter() - started) * 1000.0
        return event

    def spell(self, event, decoder):
        """After the decoder's push: a motion letter replaces the frames its movement covered."""
        if event is None or event.label is None:
            return None
        times = dict(self._times)
        first = times.get(event.first, min(times.values()))
        return decoder.motion(event.label, first, times.get(event.last, max(times.values())))


def motion_letters(options, static_model):
    """MotionLetters for LiveOptions `options` when a motion model is given (--motion-model FILE|DIR)
    or `train` saved one beside the static model file `static_model`; else None (also with --no-motion)."""
    if options.no_motion:
        return None
    if options.motion_model is not None:
        path = resolve_model(options.motion_model, MOTION)
    else:  # `train` saves both kinds in one models folder
        path = best_model(Path(static_model).parent, MOTION)
        if path is None:
            return None
    return MotionLetters(MotionRecognizer(load_motion_model(path), min_confidence=options.min_confidence))

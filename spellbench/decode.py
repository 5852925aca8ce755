"""A video read as `live` reads it (detection and classifier once), then decoded with and without a word list.

`observe` runs live's own per-frame path (`live.spell.steps`: FrameSource, HandDetector in video mode,
Recognizer) with a recorder in the decoder's place, keeping exactly what the decoder is pushed per
frame; `decode` replays that into a fresh SpellingDecoder, so one costly pass over the video serves
every decoder setting and word list.
"""
from dataclasses import dataclass

import numpy as np

from landmarks.detect import HandDetector
from landmarks.files import atomic_path
from live.loop import Recognizer, fast_predictions
from live.sources import FrameSource
from live.spell import steps
from spellbench.video import BASE_FPS


@dataclass
class Observed:
    """Per decodable frame: t_ms (n,), probabilities (n, K) (NaN rows: no hand), centre (n, 2) and size (n,)
    in pixels (NaN without a hand)."""
    t_ms: np.ndarray
    probabilities: np.ndarray
    centre: np.ndarray
    size: np.ndarray

    @property
    def with_hand(self):
        return int(np.isfinite(self.size).sum())

    def save(self, path):
        with atomic_path(path) as temp, open(temp, "wb") as handle:  # a killed run leaves no half file
            np.savez_compressed(handle, t_ms=self.t_ms, probabilities=self.probabilities, centre=self.centre,
                                size=self.size)

    @classmethod
    def load(cls, path):
        with np.load(path) as data:
            return cls(data["t_ms"], data["probabilities"], data["centre"], data["size"])


class _Recorder:
    """Stands in for the decoder in live's loop: keeps each push, spells nothing."""

    def __init__(self):
        self.pushes = []

    def push(self, t_ms, probabilities=None, centre=None, size=None):
        self.pushes.append((t_ms, probabilities, centre, size))

    def current(self):
        return None


def observe(video, model, hand_model=None):
    """Observed frames of `video` (a file) through live's per-frame path."""
    recorder = _Recorder()
    with FrameSource(video) as source, HandDetector(hand_model=hand_model, video=source.tracking) as detector, \
            fast_predictions():
        for _ in steps(source, Recognizer(model, detector), recorder):
            pass
    n, k = len(recorder.pushes), len(model.labels)
    probabilities, centre, size = np.full((n, k), np.nan), np.full((n, 2), np.nan), np.full(n, np.nan)
    for i, (_, p, c, s) in enumerate(recorder.pushes):
        if p is not None:
            probabilities[i], centre[i], size[i] = p, c, s
    return Observed(np.array([push[0] for push in recorder.pushes], float), probabilities, centre, size)


def decode(observed, make_decoder):
    """The text a fresh decoder (`make_decoder()`) commits for the observed frames, then its end."""
    decoder = make_decoder()
    for t_ms, probabilities, centre, size in zip(observed.t_ms, observed.probabilities, observed.centre,
                                                 observed.size):
        if np.isfinite(size):
            decoder.push(float(t_ms), probabilities, (float(centre[0]), float(centre[1])), float(size))
        else:
            decoder.push(float(t_ms))
    return decoder.finish().text.strip()


def frames_right(observed, texts, shown, fps=BASE_FPS):
    """(frames whose most probable label spells the letter shown, frames with a hand and a letter shown):
    the classifier alone, before the decoder. `texts`: what each label spells; `shown`: the letter per
    frame of the `fps` video the observed frames were thinned from (None while the hand is gone)."""
    right = scored = 0
    for t_ms, probabilities, size in zip(observed.t_ms, observed.probabilities, observed.size):
        index = int(round(t_ms * fps / 1000.0))
        if np.isfinite(size) and index < len(shown) and shown[index] is not None:
            scored += 1
            right += texts[int(np.argmax(probabilities))] == shown[index]
    return right, scored

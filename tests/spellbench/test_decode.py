import numpy as np

from spellbench.decode import Observed, decode, frames_right

NAN = np.nan


def observed():
    """Four frames at 15 fps: no hand, "a" sure, "b" sure, "a" though "b" is shown."""
    probabilities = np.array([[NAN, NAN], [0.9, 0.1], [0.2, 0.8], [0.6, 0.4]])
    size = np.array([NAN, 80.0, 80.0, 80.0])
    centre = np.where(np.isfinite(size)[:, None], 100.0, NAN) * np.ones((4, 2))
    return Observed(np.arange(4) * 1000 / 15, probabilities, centre, size)


def test_frames_right_scores_the_classifier_alone_against_the_letter_shown():
    shown = [None, None, "a", "a", "b", "b", "b", "b"]  # 30 fps: the 15 fps frames are 0, 2, 4, 6
    assert frames_right(observed(), ["a", "b"], shown) == (2, 3)


def test_decode_replays_every_frame_then_finishes(tmp_path):
    class Decoder:
        def __init__(self):
            self.pushed, self.text = [], ""

        def push(self, t_ms, probabilities=None, centre=None, size=None):
            self.pushed.append(probabilities is not None)

        def finish(self):
            self.text = " " + "".join("x" if hand else "." for hand in self.pushed) + " "
            return self

    path = tmp_path / "frames.npz"
    observed().save(path)
    assert decode(Observed.load(path), Decoder) == ".xxx"

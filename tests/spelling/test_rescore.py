"""The word-end comparison's evidence scale on hand-written frames."""
import numpy as np
import pytest

from spelling.decoder import DecoderOptions
from spelling.lattice import Frame
from spelling.rescore import evidence_scale


def held(ms, fps=30):
    """Frames with a hand for `ms` at `fps`, each weighing its duration in 30 fps frames."""
    return [Frame(i * 1000.0 / fps, np.zeros(3), -1.0, weight=30.0 / fps) for i in range(round(ms * fps / 1000))]


@pytest.mark.parametrize("letters, ms, fps, scale", [
    (4, 800, 30, 1.0),  # 200 ms a letter: every frame counts
    (4, 4000, 30, 0.2),  # 1000 ms a letter: as if 200
    (4, 4000, 15, 0.2),  # the same at half the frame rate
    (5, 600, 30, 1.0),  # faster than evidence_ms: never more than 1
], ids=["5-per-second", "1-per-second", "1-per-second-15fps", "faster"])
def test_a_held_letter_counts_as_at_most_evidence_ms(letters, ms, fps, scale):
    assert evidence_scale(held(ms, fps), letters, DecoderOptions(evidence_ms=200)) == pytest.approx(scale)


def test_frames_without_a_hand_do_not_count():
    frames = held(800) + [Frame(900.0 + i, np.zeros(3), 0.0) for i in range(30)]  # weight 0: no hand
    assert evidence_scale(frames, 4, DecoderOptions()) == pytest.approx(1.0)
    assert evidence_scale([], 0, DecoderOptions()) == 1.0

import numpy as np
import pytest

from landmarks.points import HandPoint
from motion.spotter import MotionSpotter, segments

PALM_PX = 50.0


def hand_at(x, y):
    """A flat hand (21 points) with its wrist at pixel (x, y) of a 500x500 image and a 50 px palm."""
    marks = np.zeros((21, 3), np.float32)
    marks[:, 1] = -np.linspace(0, 2, 21) * PALM_PX
    marks[HandPoint.MIDDLE_FINGER_MCP, 1] = -PALM_PX
    marks[:, 0] += x
    marks[:, 1] += y
    return marks / np.array([500, 500, 1], np.float32)


def run(positions):
    """Segments found in a clip of hands at `positions` (None: no hand)."""
    marks = [None if p is None else hand_at(*p) for p in positions]
    return segments(marks, [(500, 500)] * len(marks), [False] * len(marks))


def still(frames, x=250.0, y=300.0, shake=0.0, seed=0):
    rng = np.random.default_rng(seed)
    return [(x + rng.normal(0, shake), y + rng.normal(0, shake)) for _ in range(frames)]


def sweep(frames, start=(150.0, 300.0), step=(10.0, 0.0)):
    return [(start[0] + i * step[0], start[1] + i * step[1]) for i in range(frames)]


def test_a_still_hand_with_drift_and_shake_never_starts_a_movement():
    drift = [(x + 0.5 * i, y) for i, (x, y) in enumerate(still(90, shake=1.5))]  # 45 px over 90 frames
    assert run(drift) == []


def test_a_sweep_between_still_holds_is_one_segment_with_a_lead():
    clip = still(20, 150) + sweep(20) + still(20, 350)
    found = run(clip)
    assert len(found) == 1
    segment = found[0]
    # Starts before the hand was fast enough (window + lead), ends once it has slowed down.
    assert segment.first < 20 and 40 <= segment.last < 60
    assert segment.landmarks.shape == (segment.last - segment.first + 1, 21, 3)


def test_speed_between_the_two_thresholds_neither_starts_nor_stops():
    spotter = MotionSpotter(window=4, start_speed=0.4, stop_speed=0.1)
    medium = 0.2 * PALM_PX / 4  # 0.2 hand sizes per window: above stop, below start
    for x, y in sweep(30, step=(medium, 0)):
        spotter.push(hand_at(x, y), (500, 500))
    assert not spotter.moving
    for x, y in sweep(6, start=(300, 300), step=(10, 0)):
        spotter.push(hand_at(x, y), (500, 500))
    assert spotter.moving
    for x, y in sweep(10, start=(360, 300), step=(medium, 0)):
        assert spotter.push(hand_at(x, y), (500, 500)) is None
    assert spotter.moving


def test_losing_the_hand_ends_the_movement():
    found = run(still(10, 150) + sweep(20) + [None])
    assert len(found) == 1 and found[0].last == 29


def test_a_short_twitch_is_too_short_for_a_segment():
    assert run(still(15, 150) + sweep(3, step=(30, 0)) + still(15, 240)) == []


def test_thresholds_must_be_ordered():
    with pytest.raises(ValueError, match="stop_speed < start_speed"):
        MotionSpotter(start_speed=0.1, stop_speed=0.2)

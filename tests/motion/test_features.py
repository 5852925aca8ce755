import numpy as np
import pytest

from landmarks.points import HandPoint
from motion.features import TRACKED, feature_columns, feature_length, motion_features, resample


def hand_path(frames=12, seed=0):
    """A made-up hand (21 points) sliding right and down over `frames` frames, MediaPipe units."""
    rng = np.random.default_rng(seed)
    shape = rng.uniform(-0.05, 0.05, size=(21, 3)).astype(np.float32)
    shape[HandPoint.WRIST] = 0
    shape[HandPoint.MIDDLE_FINGER_MCP] = (0.0, -0.08, 0.0)  # palm length 0.08 of the width
    steps = np.linspace(0, 1, frames, dtype=np.float32)[:, None, None]
    return 0.3 + shape[None] + steps * np.array([0.2, 0.1, 0.0], np.float32)


@pytest.mark.parametrize("frames", [2, 7, 45], ids=["two", "odd", "clip"])
def test_length_is_fixed_whatever_the_clip_length(frames):
    features = motion_features(hand_path(frames), (640, 480), False, steps=6)
    assert features.shape == (feature_length(steps=6),) == (len(feature_columns(steps=6)),)
    assert features.dtype == np.float32


def test_resample_interpolates_linearly_in_time():
    values = np.array([[0.0], [10.0], [20.0]], np.float32)
    assert np.allclose(resample(values, 5)[:, 0], [0, 5, 10, 15, 20])
    assert np.allclose(resample(values, 2)[:, 0], [0, 20])


def test_translation_does_not_change_the_features():
    marks = hand_path()
    moved = marks + np.array([0.1, -0.2, 0.0], np.float32)
    assert np.allclose(motion_features(marks, (640, 480), False), motion_features(moved, (640, 480), False), atol=1e-5)


def test_image_scale_does_not_change_the_features():
    """The same hand filmed at twice the resolution, or a hand twice as large at the same place."""
    marks = hand_path()
    base = motion_features(marks, (640, 480), False)
    assert np.allclose(base, motion_features(marks, (1280, 960), False), atol=1e-5)
    bigger = marks.copy()
    bigger[:, :, :2] = 0.5 + (marks[:, :, :2] - 0.5) * 1.5
    bigger[:, :, 2] *= 1.5
    assert np.allclose(base, motion_features(bigger, (640, 480), False), atol=1e-4)


def test_path_is_relative_to_start_in_hand_sizes():
    marks = hand_path(frames=11)
    steps = 3
    features = motion_features(marks, (100, 100), False, steps=steps)
    path = features[: len(TRACKED) * 2 * steps].reshape(steps, len(TRACKED), 2)
    assert np.allclose(path[0], 0)
    # Moved 0.2 x 100 px right and 0.1 x 100 px down with a palm of 0.08 x 100 px.
    assert np.allclose(path[-1], [0.2 / 0.08, 0.1 / 0.08], atol=1e-4)


def test_a_left_hand_moving_left_looks_like_a_right_hand_moving_right():
    right = hand_path()
    left = right.copy()
    left[:, :, 0] = 1.0 - right[:, :, 0]
    assert np.allclose(motion_features(right, (640, 480), False), motion_features(left, (640, 480), True), atol=1e-5)


@pytest.mark.parametrize("shape", [(1, 21, 3), (5, 20, 3), (5, 21)], ids=["one-frame", "20-points", "2d"])
def test_bad_shapes_are_rejected(shape):
    with pytest.raises(ValueError, match=r"shape \(T >= 2, 21, 3\)"):
        motion_features(np.zeros(shape, np.float32), (640, 480), False)

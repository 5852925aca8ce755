import numpy as np
import pytest

from landmarks.detect import HandDetector
from landmarks.errors import UserError
from landmarks.images import read_rgb


@pytest.fixture(scope="module")
def photos(samples_dir):
    """One real photo per digit, from 10 different files of the shipped sample."""
    return [read_rgb(sorted((samples_dir / str(d)).iterdir())[d]) for d in range(10)]


@pytest.fixture(scope="module")
def bundled_hands(photos):
    with HandDetector() as detector:
        return [detector.detect(photo) for photo in photos]


def test_bundled_model_finds_hands_in_real_photos(bundled_hands):
    found = [hand for hand in bundled_hands if hand is not None]
    assert len(found) >= 9
    for hand in found:
        assert hand.landmarks.shape == (21, 3) and hand.landmarks.dtype == np.float32
        assert hand.handedness in {"Left", "Right"} and 0 < hand.score <= 1
        # Padding is undone: points are fractions of the original photo, not of the padded one.
        assert -0.3 < hand.landmarks[:, :2].mean() < 1.3


def test_task_file_backend_agrees_with_bundled_model(photos, bundled_hands, task_file):
    with HandDetector(hand_model=task_file) as detector:
        task_hands = [detector.detect(photo) for photo in photos]
    pairs = [(a, b) for a, b in zip(bundled_hands, task_hands) if a is not None and b is not None]
    assert len(pairs) >= 9
    for bundled, task in pairs:
        assert np.abs(bundled.landmarks[:, :2] - task.landmarks[:, :2]).mean() < 0.05


@pytest.mark.parametrize("use_task_file", [False, True], ids=["bundled", "task-file"])
def test_video_mode_tracks_a_held_photo(photos, task_file, use_task_file):
    with HandDetector(hand_model=task_file if use_task_file else None, video=True) as detector:
        hands = [detector.detect(photos[3], timestamp_ms=33 * i) for i in range(5)]
    assert sum(hand is not None for hand in hands) >= 4


def test_blank_image_has_no_hand():
    with HandDetector() as detector:
        assert detector.detect(np.full((120, 160, 3), 200, np.uint8)) is None


def test_large_image_is_shrunk_and_still_found(photos):
    import cv2

    large = cv2.resize(photos[5], (2400, 2400), interpolation=cv2.INTER_LINEAR)
    with HandDetector() as detector:
        small, big = detector.detect(photos[5]), detector.detect(large)
    assert big is not None and small is not None
    assert np.abs(big.landmarks[:, :2] - small.landmarks[:, :2]).mean() < 0.05


def test_missing_task_file_is_a_user_error(tmp_path):
    with pytest.raises(UserError, match="not found; pass an existing MediaPipe .task file"):
        HandDetector(hand_model=tmp_path / "nope.task")

import zipfile

import cv2
import numpy as np
import pytest

from landmarks.detect import BlackBorder, HandDetector
from landmarks.errors import UserError
from landmarks.images import read_rgb
from landmarks.points import HandPoint


@pytest.fixture(scope="module")
def photos(samples_dir):
    """One real photo per digit, from 10 different files of the shipped sample."""
    return [read_rgb(sorted((samples_dir / str(d)).iterdir())[d]) for d in range(10)]


@pytest.fixture(scope="module")
def default_hands(photos):
    with HandDetector() as detector:
        return [detector.detect(photo) for photo in photos]


def test_default_model_finds_hands_in_real_photos(default_hands):
    found = [hand for hand in default_hands if hand is not None]
    assert len(found) >= 9
    for hand in found:
        assert hand.landmarks.shape == (21, 3) and hand.landmarks.dtype == np.float32
        assert hand.handedness in {"Left", "Right"} and 0 < hand.score <= 1
        # Padding is undone: points are fractions of the original photo, not of the padded one.
        assert -0.3 < hand.landmarks[:, :2].mean() < 1.3


@pytest.mark.parametrize("model", ["lite", "own-task-file"], ids=["lite", "own-task-file"])
def test_other_models_agree_with_the_default(photos, default_hands, task_file, model):
    with HandDetector(hand_model=task_file if model == "own-task-file" else model) as detector:
        task_hands = [detector.detect(photo) for photo in photos]
    pairs = [(a, b) for a, b in zip(default_hands, task_hands) if a is not None and b is not None]
    assert len(pairs) >= 9
    for default, task in pairs:
        assert np.abs(default.landmarks[:, :2] - task.landmarks[:, :2]).mean() < 0.05


def test_world_landmarks_are_metres(default_hands):
    hand = next(hand for hand in default_hands if hand is not None)
    assert hand.world.shape == (21, 3) and hand.world.dtype == np.float32
    span = np.linalg.norm(hand.world[HandPoint.MIDDLE_FINGER_MCP] - hand.world[HandPoint.WRIST])
    assert 0.03 < span < 0.2  # a palm is a few centimetres long


@pytest.mark.parametrize("use_task_file", [False, True], ids=["shipped", "task-file"])
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


@pytest.mark.parametrize("content, message", [
    (b"not a zip at all", "is not a MediaPipe .task file"),
    ("zip-without-members", "lacks hand_detector.tflite"),
    ("deflated", "is a compressed zip"),
], ids=["not-zip", "wrong-members", "compressed"])
def test_bad_task_file_is_a_user_error(tmp_path, task_file, content, message):
    bad = tmp_path / "bad.task"
    if content == "zip-without-members":
        with zipfile.ZipFile(bad, "w") as archive:
            archive.writestr("readme.txt", "hello")
    elif content == "deflated":
        with zipfile.ZipFile(task_file) as good, zipfile.ZipFile(bad, "w", zipfile.ZIP_DEFLATED) as archive:
            for name in good.namelist():
                archive.writestr(name, good.read(name))
    else:
        bad.write_bytes(content)
    with pytest.raises(UserError, match=message):
        HandDetector(hand_model=bad)


def test_shipped_model_with_a_wrong_hash_is_refused(monkeypatch):
    from landmarks import hand_models

    monkeypatch.setitem(hand_models.MODELS, "full", hand_models.HandModel("hand_landmarker_full.task", "0" * 64))
    with pytest.raises(UserError, match="does not match its SHA-256; rebuild it"):
        HandDetector()


def test_settings_name_the_model_and_its_hash():
    full, lite = HandDetector.settings_for(), HandDetector.settings_for("lite")
    assert full["hand_model"] == "full" and lite["hand_model"] == "lite"
    assert full["hand_model_sha256"] != lite["hand_model_sha256"]


@pytest.mark.parametrize("shapes", [
    [(4, 6, 3), (4, 6, 3)],  # a video: the canvas is reused
    [(6, 4, 3), (4, 6, 3)],  # portrait, then landscape
    [(5, 6, 3), (4, 6, 3)],  # same padded size, smaller picture: no stale pixels at its edge
], ids=["same-size", "turned", "same-canvas-smaller-picture"])
def test_black_border_is_copy_make_border(shapes):
    border, rng = BlackBorder(), np.random.default_rng(0)
    for shape in shapes:
        rgb = rng.integers(1, 256, shape, dtype=np.uint8)
        pads = (2, 3, 1, 2) if shape == (5, 6, 3) else (2, 4, 1, 2)
        expected = cv2.copyMakeBorder(rgb, *pads, cv2.BORDER_CONSTANT, value=(0, 0, 0))
        np.testing.assert_array_equal(border.around(rgb, *pads), expected)


def test_video_frames_take_turns_between_paddings_until_a_hand_is_tracked(monkeypatch):
    tried, findable = [], {0.0}

    def padded(self, backend, rgb, pad_fraction, border, timestamp_ms):
        tried.append(pad_fraction)
        return "hand" if pad_fraction in findable else None

    monkeypatch.setattr(HandDetector, "_detect_padded", padded)
    frame = np.zeros((48, 64, 3), np.uint8)
    with HandDetector(video=True, pad_fraction=0.25) as detector:
        hands = [detector.detect(frame, 33 * i) for i in range(3)]
        findable.clear()  # the hand leaves
        hands += [detector.detect(frame, 33 * i) for i in range(3, 6)]
    assert tried == [0.25, 0.0, 0.0, 0.0, 0.25, 0.0]  # the padding that found the hand keeps tracking it
    assert hands == [None, "hand", "hand", None, None, None]


@pytest.mark.parametrize("where", ["middle", "edge"])
def test_video_mode_finds_a_webcam_sized_hand_at_once_and_lets_it_go(photos, where):
    """A real hand of webcam size (about 200 px in 640x480) on its photo's background colour, then the
    background alone: found within two frames wherever it is, and dropped within two once it is gone."""
    photo = cv2.resize(photos[5], (200, 200), interpolation=cv2.INTER_LINEAR)
    background = np.full((480, 640, 3), np.median(photo[:8].reshape(-1, 3), axis=0), np.uint8)
    frame = background.copy()
    left = 220 if where == "middle" else 0
    frame[140:340, left:left + 200] = photo
    with HandDetector(video=True) as detector:
        shown = [detector.detect(frame, 33 * i) is not None for i in range(6)]
        gone = [detector.detect(background, 33 * i) is not None for i in range(6, 12)]
    assert all(shown[2:]) and not any(gone[2:])

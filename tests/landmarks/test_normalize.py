import numpy as np
import pytest

from landmarks.normalize import flat_features, normalize
from landmarks.points import HandPoint

# A tiny hand in pixels: wrist, a middle knuckle 40 px above it, other points spread around.
RNG = np.random.default_rng(7)
HAND_PX = np.concatenate([[[50.0, 80.0, 0.0]], RNG.uniform([20, 10, -15], [90, 75, 15], (20, 3))]).astype(np.float32)
HAND_PX[HandPoint.MIDDLE_FINGER_MCP] = [50.0, 40.0, -5.0]


def to_mediapipe(pixels, width, height):
    """Pixels -> MediaPipe units: x / width, y / height, z / width."""
    return (pixels / np.array([width, height, width], np.float32))[None]


def test_wrist_is_origin_and_palm_is_unit_length():
    out = normalize(to_mediapipe(HAND_PX, 100, 100), (100, 100), [False])
    np.testing.assert_allclose(out[0, HandPoint.WRIST], 0.0, atol=1e-6)
    assert np.linalg.norm(out[0, HandPoint.MIDDLE_FINGER_MCP, :2]) == pytest.approx(1.0)
    assert out.dtype == np.float32 and out.shape == (1, 21, 3)


@pytest.mark.parametrize("shift", [(13.5, -7.0, 0), (-30, 22, 0)], ids=["right-up", "left-down"])
def test_translation_invariance(shift):
    reference = normalize(to_mediapipe(HAND_PX, 200, 200), (200, 200), [False])
    moved = normalize(to_mediapipe(HAND_PX + np.float32(shift), 200, 200), (200, 200), [False])
    np.testing.assert_allclose(moved, reference, atol=1e-5)


@pytest.mark.parametrize("factor", [0.25, 3.0], ids=["smaller", "larger"])
def test_scale_invariance(factor):
    reference = normalize(to_mediapipe(HAND_PX, 100, 100), (100, 100), [False])
    scaled = normalize(to_mediapipe(HAND_PX * factor, 100, 100), (100, 100), [False])
    np.testing.assert_allclose(scaled, reference, atol=1e-5)


def test_left_hand_mirrors_onto_right_hand():
    width = 120
    mirrored = HAND_PX.copy()
    mirrored[:, 0] = width - mirrored[:, 0]
    right = normalize(to_mediapipe(HAND_PX, width, 100), (width, 100), [False])
    left = normalize(to_mediapipe(mirrored, width, 100), (width, 100), [True])
    np.testing.assert_allclose(left, right, atol=1e-5)


def test_mirroring_can_be_turned_off():
    features = to_mediapipe(HAND_PX, 100, 100)
    kept = normalize(features, (100, 100), [True], mirror_left=False)
    np.testing.assert_allclose(kept, normalize(features, (100, 100), [False]), atol=1e-6)


@pytest.mark.parametrize("size", [(640, 480), (480, 640), (1920, 1080)], ids=["4:3", "portrait", "16:9"])
def test_same_hand_in_frames_of_any_aspect(size):
    """The same hand (same pixels) placed in a square photo and in a wider or taller frame."""
    square = normalize(to_mediapipe(HAND_PX, 100, 100), (100, 100), [False])
    framed = normalize(to_mediapipe(HAND_PX + np.float32([200, 150, 0]), *size), size, [False])
    np.testing.assert_allclose(framed, square, atol=1e-4)


def test_batch_matches_single_rows():
    batch = np.concatenate([to_mediapipe(HAND_PX, 100, 100), to_mediapipe(HAND_PX * 2, 640, 480)])
    together = normalize(batch, [(100, 100), (640, 480)], [False, True])
    for row in range(2):
        alone = normalize(batch[row:row + 1], [(100, 100), (640, 480)][row], [[False, True][row]])
        np.testing.assert_allclose(together[row:row + 1], alone, atol=1e-6)


def test_input_is_not_modified():
    landmarks = to_mediapipe(HAND_PX, 100, 100)
    before = landmarks.copy()
    normalize(landmarks, (100, 100), [True])
    np.testing.assert_array_equal(landmarks, before)


def test_flat_features_shape():
    assert flat_features(to_mediapipe(HAND_PX, 100, 100), (100, 100), [False]).shape == (1, 63)


def test_flat_features_of_no_hands():  # an interrupted first run saves an empty table
    assert flat_features(np.zeros((0, 21, 3), np.float32), np.zeros((0, 2)), []).shape == (0, 63)


@pytest.mark.parametrize("shape", [(21, 3), (1, 20, 3), (2, 21, 2)], ids=["no-batch", "20-points", "2d-points"])
def test_wrong_shape_is_refused(shape):
    with pytest.raises(ValueError, match=r"shape \(N, 21, 3\)"):
        normalize(np.zeros(shape, np.float32), (100, 100), [False])


def test_unknown_scale_is_refused():
    with pytest.raises(ValueError, match="unknown normalization scale"):
        normalize(to_mediapipe(HAND_PX, 100, 100), (100, 100), [False], scale="bbox")

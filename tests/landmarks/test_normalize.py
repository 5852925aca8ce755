import numpy as np
import pytest

from landmarks.normalize import NAME, flat_features, hand_features, normalize, to_pixels
from landmarks.points import FEATURE_COLUMNS, HandPoint

# A hand-written right hand in pixels (y down), fingers up, palm towards the camera; the middle finger is
# straight along -y, 32 px from the wrist to its knuckle.
HAND_PX = np.array([
    [50, 90, 0],                                             # wrist
    [40, 82, -2], [32, 74, -4], [26, 66, -5], [22, 58, -6],  # thumb
    [42, 60, 0], [40, 45, -1], [39, 36, -2], [38, 28, -3],   # index
    [50, 58, 0], [50, 42, 0], [50, 32, 0], [50, 24, 0],      # middle
    [58, 60, 0], [59, 46, -1], [60, 37, -2], [61, 30, -2],   # ring
    [65, 64, 0], [67, 54, -1], [68, 47, -1], [69, 41, -2],   # pinky
], dtype=np.float32)
ORIENTATION = slice(0, 9)  # palm_up_*, palm_side_*, palm_normal_*
SHAPE = slice(9, None)  # bend and spread angles, distances


def column(name):
    return FEATURE_COLUMNS.index(name)


def to_mediapipe(pixels, width, height):
    """Pixels -> MediaPipe units: x / width, y / height, z / width."""
    return (pixels / np.array([width, height, width], np.float32))[None]


def features(pixels, size=(100, 100), left=False, **settings):
    return hand_features(to_mediapipe(pixels, *size), size, [left], **settings)[0]


def rotation(axis, degrees):
    """The 3x3 rotation by `degrees` about `axis` (Rodrigues' formula)."""
    axis = np.asarray(axis, np.float64) / np.linalg.norm(axis)
    k = np.array([[0, -axis[2], axis[1]], [axis[2], 0, -axis[0]], [-axis[1], axis[0], 0]])
    angle = np.deg2rad(degrees)
    return np.eye(3) + np.sin(angle) * k + (1 - np.cos(angle)) * k @ k


def test_shape_dtype_and_columns():
    out = hand_features(np.concatenate([to_mediapipe(HAND_PX, 100, 100)] * 3), (100, 100), [False, True, False])
    assert out.shape == (3, len(FEATURE_COLUMNS)) == (3, 54) and out.dtype == np.float32
    assert len(set(FEATURE_COLUMNS)) == 54 and NAME != "wrist_origin_palm_scale_v1"


def test_palm_axes_of_an_upright_hand_facing_the_camera():
    out = features(HAND_PX)
    np.testing.assert_allclose(out[ORIENTATION], [0, -1, 0, 1, 0, 0, 0, 0, 1], atol=1e-6)


def test_known_angles_and_distances():
    bent = HAND_PX.copy()
    # Index finger bent 90 degrees at its middle joint, towards the camera; the rest of it straight.
    bent[HandPoint.INDEX_FINGER_PIP] = [40, 45, 0]
    bent[HandPoint.INDEX_FINGER_DIP] = [40, 45, -9]
    bent[HandPoint.INDEX_FINGER_TIP] = [40, 45, -17]
    out = features(bent)
    assert out[column("bend_index_finger_pip")] == pytest.approx(np.pi / 2, abs=1e-5)
    assert out[column("bend_index_finger_dip")] == pytest.approx(0.0, abs=1e-3)
    for joint in ("mcp", "pip", "dip"):
        assert out[column(f"bend_middle_finger_{joint}")] == pytest.approx(0.0, abs=1e-3)
    assert out[column("dist_middle_finger_tip_ring_finger_tip")] == pytest.approx(np.sqrt(11**2 + 6**2 + 2**2) / 32, rel=1e-5)
    centre = HAND_PX[[0, 5, 9, 13, 17]].mean(axis=0)
    assert out[column("dist_middle_finger_tip_palm_centre")] == pytest.approx(
        np.linalg.norm(HAND_PX[HandPoint.MIDDLE_FINGER_TIP] - centre) / 32, rel=1e-5)


@pytest.mark.parametrize("axis, degrees", [((0, 0, 1), 35), ((1, 0, 0), 50), ((1, 2, -1), 120)],
                         ids=["in-plane", "tilted-back", "any-axis"])
def test_rotation_keeps_the_shape_and_turns_the_palm_axes(axis, degrees):
    turn = rotation(axis, degrees)
    turned = ((HAND_PX - HAND_PX[0]) @ turn.T + [300, 300, 0]).astype(np.float32)
    reference, out = features(HAND_PX), features(turned, size=(600, 600))
    # float32 arccos of a cosine near 1 is off by up to ~5e-4 rad (0.03 degrees) for straight joints.
    np.testing.assert_allclose(out[SHAPE], reference[SHAPE], atol=1e-3)
    np.testing.assert_allclose(out[ORIENTATION].reshape(3, 3), reference[ORIENTATION].reshape(3, 3) @ turn.T,
                               atol=1e-5)


@pytest.mark.parametrize("shift", [(13.5, -7.0, 0), (-30, 22, 4)], ids=["right-up", "left-down-deeper"])
def test_translation_invariance(shift):
    np.testing.assert_allclose(features(HAND_PX + np.float32(shift), (200, 200)), features(HAND_PX, (200, 200)),
                               atol=1e-5)


@pytest.mark.parametrize("factor", [0.25, 3.0], ids=["smaller", "larger"])
def test_scale_invariance(factor):
    np.testing.assert_allclose(features(HAND_PX * factor, (400, 400)), features(HAND_PX, (400, 400)), atol=1e-5)


def mirrored(width=120):
    flipped = HAND_PX.copy()
    flipped[:, 0] = width - flipped[:, 0]
    return flipped


def test_left_hand_mirrors_onto_right_hand():
    np.testing.assert_allclose(features(mirrored(), (120, 100), left=True), features(HAND_PX, (120, 100)), atol=1e-5)


def test_a_mirror_image_keeps_the_shape_but_not_the_palm_axes():
    """Unmirrored (mirror_left=False), a left hand has the same angles and distances, not the same axes."""
    left, right = features(mirrored(), (120, 100), left=True, mirror_left=False), features(HAND_PX, (120, 100))
    np.testing.assert_allclose(left[SHAPE], right[SHAPE], atol=1e-5)
    assert not np.allclose(left[ORIENTATION], right[ORIENTATION], atol=1e-2)


@pytest.mark.parametrize("size", [(640, 480), (480, 640), (1920, 1080)], ids=["4:3", "portrait", "16:9"])
def test_same_hand_in_frames_of_any_aspect(size):
    """The same hand (same pixels) placed in a square photo and in a wider or taller frame."""
    np.testing.assert_allclose(features(HAND_PX + np.float32([200, 150, 0]), size), features(HAND_PX), atol=1e-4)


def test_batch_matches_single_rows():
    batch = np.concatenate([to_mediapipe(HAND_PX, 100, 100), to_mediapipe(HAND_PX * 2, 640, 480)])
    together = hand_features(batch, [(100, 100), (640, 480)], [False, True])
    for row in range(2):
        alone = hand_features(batch[row:row + 1], [(100, 100), (640, 480)][row], [[False, True][row]])
        np.testing.assert_allclose(together[row:row + 1], alone, atol=1e-6)


def test_zero_size_hand_gives_finite_features():
    out = hand_features(np.zeros((1, 21, 3), np.float32), (1, 1), [False])
    assert np.isfinite(out).all()
    np.testing.assert_allclose(out[0, 9:28], np.pi / 2, atol=1e-6)  # angles between zero vectors


def test_input_is_not_modified():
    landmarks = to_mediapipe(HAND_PX, 100, 100)
    before = landmarks.copy()
    hand_features(landmarks, (100, 100), [True])
    np.testing.assert_array_equal(landmarks, before)


def test_to_pixels_mirrors_left_hands_only():
    landmarks = np.concatenate([to_mediapipe(HAND_PX, 200, 100)] * 2)
    pixels = to_pixels(landmarks, (200, 100), [False, True])
    np.testing.assert_allclose(pixels[0], HAND_PX, atol=1e-4)
    np.testing.assert_allclose(pixels[1], HAND_PX * [-1, 1, 1], atol=1e-4)


def test_flat_features_takes_the_settings():
    landmarks = to_mediapipe(mirrored(), 120, 100)
    kept = flat_features(landmarks, (120, 100), [True], {"mirror_left": False})
    np.testing.assert_allclose(kept, hand_features(landmarks, (120, 100), [False]), atol=1e-6)
    assert flat_features(landmarks, (120, 100), [True]).shape == (1, 54)


def test_flat_features_of_no_hands():  # an interrupted first run saves an empty table
    assert flat_features(np.zeros((0, 21, 3), np.float32), np.zeros((0, 2)), []).shape == (0, len(FEATURE_COLUMNS))


@pytest.mark.parametrize("shape", [(21, 3), (1, 20, 3), (2, 21, 2)], ids=["no-batch", "20-points", "2d-points"])
def test_wrong_shape_is_refused(shape):
    with pytest.raises(ValueError, match=r"shape \(N, 21, 3\)"):
        hand_features(np.zeros(shape, np.float32), (100, 100), [False])


def test_point_normalization_puts_the_wrist_at_the_origin_and_the_palm_at_unit_length():
    out = normalize(to_mediapipe(HAND_PX * 2 + np.float32([30, 10, 0]), 300, 300), (300, 300), [False])
    assert out.shape == (1, 21, 3) and out.dtype == np.float32
    np.testing.assert_allclose(out[0, HandPoint.WRIST], 0.0, atol=1e-6)
    np.testing.assert_allclose(out[0], (HAND_PX - HAND_PX[0]) / 32, atol=1e-5)
    left = normalize(to_mediapipe(mirrored(), 120, 100), (120, 100), [True])
    np.testing.assert_allclose(left, normalize(to_mediapipe(HAND_PX, 120, 100), (120, 100), [False]), atol=1e-5)


def test_point_normalization_refuses_an_unknown_scale():
    with pytest.raises(ValueError, match="unknown normalization scale"):
        normalize(to_mediapipe(HAND_PX, 100, 100), (100, 100), [False], scale="bbox")

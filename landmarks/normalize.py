"""The one feature function shared by `extract`, `train`, `live` and every other command, so they can never disagree.

The features describe the hand's shape and the palm's orientation, not where the hand is or how large:
on hands from other signers and camera angles (massey-asl-dev, leave-one-signer-out, SVM) they reach
0.95 where the wrist-centred coordinates of `wrist_origin_palm_scale_v1` reached 0.85 (README: what was
tried). Everything is whole-array arithmetic (one matmul by a constant matrix, fixed index gathers,
mul/add/sub/div/sqrt/max/min/arccos, no loop over samples), so it runs on one frame in `live` in a few
tens of microseconds and maps one-to-one onto ONNX operators (MatMul, Gather, Mul, Sub, Div, Sqrt,
Max, Min, Acos, Concat).
"""
import numpy as np

from landmarks.points import (BEND_JOINTS, DISTANCE_PAIRS, FINGERS, NUM_POINTS, PALM_CENTRE, PALM_POINTS, SPREAD_PAIRS,
                              HandPoint)

NAME = "palm_frame_angles_distances_v2"
DEFAULT_SETTINGS = {"mirror_left": True}
EPS = np.float32(1e-6)

# Fixed tables built once from landmarks/points.py. Every vector the angles and palm axes need is one of the
# 20 bones (4 per finger, wrist to tip); bones and distance gaps are rows of one (46, 21) matrix of
# +1 / -1 (and 1/5 for the palm centre), so one matmul forms them all: cheaper than gathers for one frame.
_BONES = [(finger[i], finger[i + 1]) for finger in FINGERS for i in range(4)]
_CENTRE_ROW = np.zeros(NUM_POINTS, np.float32)
_CENTRE_ROW[list(PALM_POINTS)] = 1.0 / len(PALM_POINTS)


def _point_row(index):
    """Weights over the 21 points that give point `index` (the palm centre is a mean)."""
    if index == PALM_CENTRE:
        return _CENTRE_ROW
    row = np.zeros(NUM_POINTS, np.float32)
    row[index] = 1.0
    return row


_DIFFERENCES = np.stack([_point_row(head) - _point_row(tail) for tail, head in _BONES]
                        + [_point_row(a) - _point_row(b) for a, b in DISTANCE_PAIRS])
_N_BONES = len(_BONES)
# Angle k is between bones _ANGLE_A[k] and _ANGLE_B[k]: 15 bends (bone into and out of a joint), then 4 spreads.
_ANGLE_A, _ANGLE_B = (np.array(column) for column in zip(
    *[(_BONES.index((before, joint)), _BONES.index((joint, after))) for before, joint, after in BEND_JOINTS],
    *[(_BONES.index(a), _BONES.index(b)) for a, b in SPREAD_PAIRS]))
_UP, _ACROSS_A, _ACROSS_B = (_BONES.index((HandPoint.WRIST, point)) for point in
                             (HandPoint.MIDDLE_FINGER_MCP, HandPoint.INDEX_FINGER_MCP, HandPoint.PINKY_MCP))
_ONES = np.ones(3, np.float32)  # x @ _ONES sums the last axis (a dot product: fewer calls than np.sum)
_WIDTH_HEIGHT_WIDTH = np.array([0, 1, 0])
_MIRROR, _KEEP = np.array([-1.0, 1.0, 1.0], np.float32), np.ones(3, np.float32)
_ACROSS = np.array([_ACROSS_A, _ACROSS_B])
# cross(a, b) = a[ROLL1] * b[ROLL2] - a[ROLL2] * b[ROLL1] along the last axis.
_ROLL1, _ROLL2 = np.array([1, 2, 0]), np.array([2, 0, 1])


def to_pixels(landmarks, image_sizes, is_left, mirror_left=True):
    """MediaPipe units -> pixels on all three axes, left hands mirrored onto right ones.

    landmarks:   (N, 21, 3) float: x / width, y / height, z in x's unit (MediaPipe's image landmarks).
    image_sizes: (N, 2) or (2,) of (width, height) in pixels of the image the landmarks came from.
    is_left:     (N,) bool, True where MediaPipe called the hand left.
    Returns (N, 21, 3) float32: (x * w * s, y * h, z * w) with s = -1 for a left hand when
    `mirror_left`, else +1. Pixels, because a 4:3 frame would otherwise stretch the hand against a square photo.
    """
    points = np.asarray(landmarks, dtype=np.float32)
    if points.ndim != 3 or points.shape[1:] != (NUM_POINTS, 3):
        raise ValueError(f"landmarks must have shape (N, 21, 3), got {points.shape}")
    factors = np.asarray(image_sizes, dtype=np.float32).reshape(-1, 2)[:, _WIDTH_HEIGHT_WIDTH]
    if mirror_left:
        factors = factors * np.where(np.asarray(is_left, dtype=bool).reshape(-1, 1), _MIRROR, _KEEP)
    return points * factors[:, None]


def normalize(landmarks, image_sizes, is_left, mirror_left=True, scale="wrist_to_middle_mcp_xy"):
    """Points (not the classifier features): wrist at the origin, divided by the wrist-to-middle-knuckle
    distance in the image plane, in pixels, left hands mirrored (the v1 normalization, which motion
    trajectories in later branches still build on).

    Shapes as in `to_pixels`; returns (N, 21, 3) float32.
    """
    if scale != "wrist_to_middle_mcp_xy":
        raise ValueError(f"unknown normalization scale {scale!r}; use 'wrist_to_middle_mcp_xy'")
    p = to_pixels(landmarks, image_sizes, is_left, mirror_left)
    centered = p - p[:, HandPoint.WRIST : HandPoint.WRIST + 1]
    palm = np.hypot(centered[:, HandPoint.MIDDLE_FINGER_MCP, 0], centered[:, HandPoint.MIDDLE_FINGER_MCP, 1])
    palm[palm <= 1e-6] = 1.0
    return centered / palm[:, None, None]


def _unit(vectors):
    """v / max(|v|, EPS) along the last axis: a zero vector stays zero (finite for any input)."""
    return vectors / np.maximum(np.sqrt((vectors * vectors) @ _ONES), EPS)[..., None]


def _cross(a, b):
    return a[..., _ROLL1] * b[..., _ROLL2] - a[..., _ROLL2] * b[..., _ROLL1]


def hand_features(landmarks, image_sizes, is_left, mirror_left=True):
    """Hand shape and palm orientation, independent of position, size and (when mirroring) handedness.

    Shapes: landmarks (N, 21, 3), image_sizes (N, 2) or (2,), is_left (N,) as in `to_pixels`.
    Returns (N, 54) float32, columns `landmarks.points.FEATURE_COLUMNS` in this order, with p = to_pixels(...),
    |v| = sqrt(sum(v * v)) and unit(v) = v / max(|v|, 1e-6):

    - palm axes (9): up = unit(p[MIDDLE_MCP] - p[WRIST]); with a = p[INDEX_MCP] - p[WRIST] and
      b = p[PINKY_MCP] - p[WRIST], side = unit(cross(cross(a, b), up)), computed as
      unit(b * dot(a, up) - a * dot(b, up)); normal = cross(up, side). The rows up, side,
      normal (x, y, z each) are the palm's orientation towards the camera: the only features that turn
      with the hand (ASL tells some shapes apart by direction alone, like k/p and g/q).
    - bend angles (15, `BEND_JOINTS`): at joint j with neighbours b (towards the wrist) and a, the angle
      between the bones p[j] - p[b] and p[a] - p[j] (0 = straight), in radians:
      arccos(clip(dot(unit(p[j] - p[b]), unit(p[a] - p[j])), -1, 1)).
    - spread angles (4, `SPREAD_PAIRS`): the same angle between the first bones of neighbouring fingers
      (thumb CMC->MCP, fingers MCP->PIP): thumb-index, index-middle, middle-ring, ring-pinky.
    - distances (26, `DISTANCE_PAIRS`): |p[a] - p[b]| / max(|p[MIDDLE_MCP] - p[WRIST]|, 1e-6), where
      point 21 is the palm centre, the mean of p[WRIST] and the four finger MCPs.
    Angles and distances are unchanged by any rotation, translation and uniform scaling of the hand, the
    palm axes by translation and scaling; a zero-size hand gives finite values (zeros and pi / 2).
    """
    p = to_pixels(landmarks, image_sizes, is_left, mirror_left)
    vectors = np.matmul(_DIFFERENCES, p)  # (N, 46, 3): 20 bones, then the 26 distance gaps
    lengths = np.sqrt((vectors * vectors) @ _ONES)
    directions = vectors[:, :_N_BONES] / np.maximum(lengths[:, :_N_BONES], EPS)[..., None]
    cosines = (directions[:, _ANGLE_A] * directions[:, _ANGLE_B]) @ _ONES
    angles = np.arccos(np.minimum(np.maximum(cosines, -1.0), 1.0))  # clip, in two cheaper calls
    up = directions[:, _UP]
    # side = unit(cross(cross(a, b), up)) = unit(b * dot(a, up) - a * dot(b, up)): n0 needs no own unit().
    across = vectors[:, _ACROSS]  # (N, 2, 3): a = index knuckle - wrist, b = pinky knuckle - wrist
    dots = across @ up[..., None]  # (N, 2, 1)
    side = _unit(across[:, 1] * dots[:, 0] - across[:, 0] * dots[:, 1])
    normal = _cross(up, side)
    distances = lengths[:, _N_BONES:] / np.maximum(lengths[:, _UP:_UP + 1], EPS)
    return np.concatenate([up, side, normal, angles, distances], axis=1)


def flat_features(landmarks, image_sizes, is_left, settings=None):
    """The (N, 54) feature matrix the classifiers take, with a table's or bundle's normalization settings."""
    return hand_features(landmarks, image_sizes, is_left, **(settings or DEFAULT_SETTINGS))

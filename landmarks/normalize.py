"""The one normalization shared by `extract`, `train` and `live`, so they can never disagree."""
import numpy as np

from landmarks.points import HandPoint

NAME = "wrist_origin_palm_scale_v1"
DEFAULT_SETTINGS = {"mirror_left": True, "scale": "wrist_to_middle_mcp_xy"}


def normalize(landmarks, image_sizes, is_left, mirror_left=True, scale="wrist_to_middle_mcp_xy"):
    """Make hand landmarks independent of position, size, handedness and image aspect.

    landmarks:   (N, 21, 3) float, MediaPipe units: x / width, y / height, z in x's unit.
    image_sizes: (N, 2) or (2,) of (width, height) in pixels of the image the landmarks came from.
    is_left:     (N,) bool, True where MediaPipe called the hand left.
    Returns a new (N, 21, 3) float32 array: pixels, wrist at the origin, left hands mirrored onto
    right ones, divided by the wrist-to-middle-knuckle distance in the image plane.
    """
    if scale != "wrist_to_middle_mcp_xy":
        raise ValueError(f"unknown normalization scale {scale!r}; use 'wrist_to_middle_mcp_xy'")
    points = np.asarray(landmarks, dtype=np.float32)
    if points.ndim != 3 or points.shape[1:] != (21, 3):
        raise ValueError(f"landmarks must have shape (N, 21, 3), got {points.shape}")
    # Few whole-array numpy calls: `live` runs this once per frame, right after detection.
    # x and y to one unit (pixels), or a 4:3 frame stretches the hand relative to a square photo;
    # z is in x's unit. A left hand's x flips sign, mirroring it onto a right hand.
    factors = np.empty((len(points), 1, 3), dtype=np.float32)
    factors[:, 0, :2] = np.asarray(image_sizes, dtype=np.float32).reshape(-1, 2)
    factors[:, 0, 2] = factors[:, 0, 0]
    if mirror_left:
        factors[:, 0, 0] *= np.where(np.asarray(is_left, dtype=bool), -1.0, 1.0)
    centered = (points - points[:, HandPoint.WRIST : HandPoint.WRIST + 1]) * factors
    palm = np.hypot(centered[:, HandPoint.MIDDLE_FINGER_MCP, 0], centered[:, HandPoint.MIDDLE_FINGER_MCP, 1])
    palm[palm <= 1e-6] = 1.0
    return centered / palm[:, None, None]


def flat_features(landmarks, image_sizes, is_left, settings=None):
    """`normalize` flattened to the (N, 63) feature matrix the classifiers take."""
    normalized = normalize(landmarks, image_sizes, is_left, **(settings or DEFAULT_SETTINGS))
    return normalized.reshape(len(normalized), 21 * 3)  # -1 cannot be inferred for zero hands

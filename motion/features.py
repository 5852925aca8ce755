"""Fixed-length motion features of one clip's landmarks, shared by `extract-motion`, `train` and `live`."""
import numpy as np

from landmarks.normalize import DEFAULT_SETTINGS, normalize, to_pixels
from landmarks.points import HandPoint

NAME = "trajectory_shape_v1"
# Points whose paths describe the movement: the wrist and the five fingertips.
TRACKED = (HandPoint.WRIST, HandPoint.THUMB_TIP, HandPoint.INDEX_FINGER_TIP, HandPoint.MIDDLE_FINGER_TIP,
           HandPoint.RING_FINGER_TIP, HandPoint.PINKY_TIP)
DEFAULT_STEPS = 10
SHAPE_AT = (0.0, 0.5, 1.0)  # fractions of the clip where the hand shape is sampled
MIN_FRAMES = 8


def feature_length(steps=DEFAULT_STEPS, shape_at=SHAPE_AT):
    return len(TRACKED) * 2 * steps + len(shape_at) * 21 * 3


def pixel_points(landmarks, image_sizes, is_left):
    """(T, 21, 2) x and y in pixels, left hands mirrored onto right ones (x sign flipped)."""
    left = np.mean(np.asarray(is_left, bool)) > 0.5  # one side for the whole clip: the hand does not change
    return to_pixels(landmarks, image_sizes, np.full(len(landmarks), left))[:, :, :2]


def hand_size(points):
    """Median wrist-to-middle-knuckle distance over the clip, pixels; (T, 21, 2) -> float."""
    palm = np.linalg.norm(points[:, HandPoint.MIDDLE_FINGER_MCP] - points[:, HandPoint.WRIST], axis=1)
    size = float(np.median(palm)) if len(palm) else 0.0
    return size if size > 1e-6 else 1.0


def resample(values, steps):
    """(T, ...) -> (steps, ...) by linear interpolation over the clip's time from 0 to 1."""
    values = np.asarray(values, np.float32)
    position = np.linspace(0.0, len(values) - 1, steps)
    left = np.floor(position).astype(int)
    right = np.minimum(left + 1, len(values) - 1)
    weight = (position - left).reshape(-1, *([1] * (values.ndim - 1))).astype(np.float32)
    return values[left] * (1 - weight) + values[right] * weight


def motion_features(landmarks, image_sizes, is_left, steps=DEFAULT_STEPS, shape_at=SHAPE_AT):
    """One clip's landmarks -> one fixed-length feature vector.

    landmarks:   (T, 21, 3) MediaPipe units (x / width, y / height, z in x's unit), frames in order,
                 only frames with a detected hand (T >= 2).
    image_sizes: (T, 2) or (2,) of (width, height) in pixels.
    is_left:     (T,) bool or one bool, MediaPipe's handedness.
    Returns (feature_length(steps, shape_at),) float32: the paths of the wrist and the fingertips
    (x, y) resampled to `steps` time steps, relative to their start, divided by the hand's size
    (so position and scale drop out), then the normalized hand shape (landmarks.normalize) at the
    fractions `shape_at` of the clip.
    """
    marks = np.asarray(landmarks, np.float32)
    if marks.ndim != 3 or marks.shape[1:] != (21, 3) or len(marks) < 2:
        raise ValueError(f"landmarks must have shape (T >= 2, 21, 3), got {marks.shape}")
    left = np.broadcast_to(np.asarray(is_left, bool), (len(marks),))
    points = pixel_points(marks, image_sizes, left)
    tracked = points[:, list(TRACKED)]
    path = (resample(tracked, steps) - tracked[0]) / hand_size(points)
    shapes = normalize(marks, np.broadcast_to(np.asarray(image_sizes, np.float32).reshape(-1, 2), (len(marks), 2)),
                       np.full(len(marks), left.mean() > 0.5), **DEFAULT_SETTINGS)
    where = np.rint(np.asarray(shape_at) * (len(marks) - 1)).astype(int)
    return np.concatenate([path.ravel(), shapes[where].ravel()]).astype(np.float32)


def feature_columns(steps=DEFAULT_STEPS, shape_at=SHAPE_AT):
    """Column names of `motion_features`, in its order."""
    path = [f"m_{HandPoint(p).name.lower()}_{axis}_{step}" for step in range(steps) for p in TRACKED for axis in "xy"]
    shape = [f"s{int(round(at * 100))}_{HandPoint(p).name.lower()}_{axis}"
             for at in shape_at for p in range(21) for axis in "xyz"]
    return path + shape

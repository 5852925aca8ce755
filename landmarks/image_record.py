"""One image file to its record in the feature table: a row of landmarks, or a failure with its reason.

`DetectPhotos` is that step as the worker pool (landmarks/worker_pool.py) runs it: one detector per
process for its whole life.
"""
from pathlib import Path

from landmarks.detect import HandDetector
from landmarks.images import MAX_PIXELS, ImageError, decode_rgb, read_rgb
from landmarks.points import RAW_COLUMNS, WORLD_COLUMNS
from landmarks.read_back import NUMBER

# The fields of each kind of record, with their JSON types: what the journal checks before reuse.
RECORD_FIELDS = {
    "row": {"path": str, "handedness": str, "score": NUMBER, "image_width": int, "image_height": int,
            "file_size": int, "file_mtime_ns": int, **dict.fromkeys(RAW_COLUMNS + WORLD_COLUMNS, NUMBER)},
    "failure": {"path": str, "reason": str, "detail": str},
}


def process_image(root, relpath, detector, max_pixels=MAX_PIXELS, data=None, key=None):
    """One image to ("row", dict) or ("failure", dict).

    `data` and `key`: the file's bytes and size/mtime, read by the caller (Dask workers with --send-images).
    """
    path = Path(root) / relpath
    if key is None:
        try:
            stat = path.stat()
        except OSError as error:  # gone or unreadable since the folder was listed
            return "failure", {"path": relpath, "reason": "unreadable", "detail": f"{path}: {error.strerror or error}"}
        key = {"file_size": stat.st_size, "file_mtime_ns": stat.st_mtime_ns}
    try:
        rgb = read_rgb(path, max_pixels) if data is None else decode_rgb(data, path, max_pixels)
    except ImageError as error:
        return failure(relpath, error, key)
    hand = detector.detect(rgb)
    if hand is None:
        return "failure", {"path": relpath, "reason": "no_hand", "detail": "", **key}
    raw = dict(zip(RAW_COLUMNS, hand.landmarks.reshape(-1).tolist()))
    world = dict(zip(WORLD_COLUMNS, hand.world.reshape(-1).tolist()))
    return "row", {"path": relpath, "handedness": hand.handedness, "score": hand.score,
                   "image_width": rgb.shape[1], "image_height": rgb.shape[0], **key, **raw, **world}


def failure(relpath, error, key):
    """An ImageError as ("failure", record)."""
    return "failure", {"path": relpath, "reason": error.reason, "detail": str(error), **key}


class DetectPhotos:
    """The per-image step for the worker pool: `open()` once per process, then one call per relpath."""

    def __init__(self, root, hand_model=None, max_pixels=MAX_PIXELS):
        self.root, self.hand_model, self.max_pixels = str(root), hand_model, max_pixels
        self._detector = None

    def open(self):
        self._detector = HandDetector(hand_model=self.hand_model)

    def __call__(self, relpath):
        return process_image(self.root, relpath, self._detector, self.max_pixels)

    def close(self):
        if self._detector is not None:
            self._detector.close()

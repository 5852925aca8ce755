"""One clip to its record in the motion table: the hand in every frame, the movement, its features.

Per clip: the hand in every frame (MediaPipe tracking mode), the movement the live spotter would
see (motion.spotter; the whole clip when the hand never moves), then its motion features. `TrackClips`
is that step as the worker pool (landmarks/worker_pool.py) runs it.
"""
from pathlib import Path

import numpy as np

from landmarks.detect import HandDetector
from landmarks.images import ImageError
from landmarks.read_back import NUMBER
from motion import features as mf
from motion.clips import read_frames
from motion.spotter import segments

MIN_HAND_FRACTION = 0.6  # a clip with a hand in fewer of its frames is a listed failure


def track_clip(path, hand_model=None, detector=None):
    """(per-frame landmarks or None, (width, height), per-frame is_left) of one clip, tracking mode.

    `detector`: a fresh video-mode HandDetector to use (and close); by default one is made here."""
    marks, sizes, lefts = [], [], []
    with detector or HandDetector(hand_model=hand_model, video=True) as detector:
        for t_ms, rgb in read_frames(path):
            hand = None if rgb is None else detector.detect(rgb, t_ms)
            marks.append(None if hand is None else hand.landmarks)
            sizes.append((rgb.shape[1], rgb.shape[0]) if rgb is not None else (0, 0))
            lefts.append(hand is not None and hand.handedness == "Left")
    return marks, sizes, lefts


def clip_features(marks, sizes, lefts):
    """(feature vector, info dict) of one tracked clip, or raise ImageError naming the failure."""
    found = [i for i, m in enumerate(marks) if m is not None]
    if not marks:
        raise ImageError("no_frames", "the clip has no readable frames")
    if len(found) < max(mf.MIN_FRAMES, MIN_HAND_FRACTION * len(marks)):
        raise ImageError("too_few_hands", f"a hand in {len(found)} of {len(marks)} frames")
    moves = segments(marks, sizes, lefts)
    if moves:
        move = max(moves, key=lambda s: len(s.landmarks))
        seq, seq_sizes, seq_left, first, last = move.landmarks, move.image_sizes, move.is_left, move.first, move.last
    else:  # held still: the whole clip
        seq = np.stack([marks[i] for i in found])
        seq_sizes, seq_left = np.array([sizes[i] for i in found]), np.array([lefts[i] for i in found])
        first, last = found[0], found[-1]
    info = {"handedness": "Left" if np.mean(seq_left) > 0.5 else "Right", "n_frames": len(marks),
            "n_hands": len(found), "moving": bool(moves), "first": int(first), "last": int(last),
            "image_width": int(seq_sizes[0][0]), "image_height": int(seq_sizes[0][1])}
    return mf.motion_features(seq, seq_sizes, seq_left), info


def clip_key(path):
    """{file_size, file_mtime_ns} of a video; of a frame folder, the summed size and the newest mtime."""
    path = Path(path)
    stats = [path.stat(), *(p.stat() for p in path.iterdir())] if path.is_dir() else [path.stat()]
    size = sum(s.st_size for s in stats[1:]) if path.is_dir() else stats[0].st_size
    return {"file_size": int(size), "file_mtime_ns": int(max(s.st_mtime_ns for s in stats))}


# The fields of each kind of record `process_clip` gives, with their JSON types: what the journal checks.
CLIP_FIELDS = {
    "row": {"path": str, "handedness": str, "n_frames": int, "n_hands": int, "moving": bool, "first": int,
            "last": int, "image_width": int, "image_height": int, "file_size": int, "file_mtime_ns": int,
            **dict.fromkeys(mf.feature_columns(), NUMBER), "sequence": list},
    "failure": {"path": str, "reason": str, "detail": str},
}


def process_clip(root, relpath, detector):
    """("row", record) or ("failure", record) for one clip, tracked with `detector` (a fresh video-mode
    HandDetector, closed here), as the journal keeps them: a row holds the info columns, every feature
    column and the per-frame landmarks (`sequence`, NaN where no hand)."""
    path = Path(root) / relpath
    try:
        key = clip_key(path)
    except OSError as error:  # gone or unreadable since the folder was listed
        detector.close()
        return "failure", {"path": relpath, "reason": "unreadable", "detail": f"{path}: {error.strerror or error}"}
    try:
        marks, sizes, lefts = track_clip(path, detector=detector)
        vector, info = clip_features(marks, sizes, lefts)
    except ImageError as error:
        return "failure", {"path": relpath, "reason": error.reason, "detail": str(error), **key}
    sequence = np.full((len(marks), 21, 3), np.nan, np.float32)
    for i, m in enumerate(marks):
        if m is not None:
            sequence[i] = m
    return "row", {"path": relpath, **info, **key, **dict(zip(mf.feature_columns(), vector.tolist())),
                   "sequence": sequence.tolist()}


class TrackClips:
    """The per-clip step for the worker pool. Tracking state must not carry from one clip to the next, so
    each clip gets a fresh detector; the first is made by `open()`, so that a bad model fails at once."""

    def __init__(self, root, hand_model=None):
        self.root, self.hand_model = str(root), hand_model
        self._fresh = None

    def open(self):
        self._fresh = HandDetector(hand_model=self.hand_model, video=True)

    def __call__(self, relpath):
        detector, self._fresh = self._fresh or HandDetector(hand_model=self.hand_model, video=True), None
        return process_clip(self.root, relpath, detector)

    def close(self):
        if self._fresh is not None:
            self._fresh.close()

"""Spot movements in a stream of hands: a cheap speed check per frame, with hysteresis.

A held static letter drifts a little; a motion letter sweeps the hand by about its own size. The
speed is how far the wrist and fingertips moved over the last `window` frames, in hand sizes. A
movement starts above `start_speed` and ends below `stop_speed` (lower, so one noisy frame neither
starts nor ends it); the frames from a little before the start to the end form a segment for the
motion classifier. `extract-motion` trims clips with the same spotter, so training sees what `live` sees.
"""
from collections import deque
from dataclasses import dataclass

import numpy as np

from landmarks.points import HandPoint
from motion.features import TRACKED

_TRACKED = list(TRACKED)


@dataclass
class Segment:
    landmarks: np.ndarray  # (T, 21, 3) MediaPipe units
    image_sizes: np.ndarray  # (T, 2) width, height
    is_left: np.ndarray  # (T,) bool
    first: int  # frame numbers (counted by the spotter) of the first and last frame
    last: int


class MotionSpotter:
    """Feed one hand per frame with `push`; it returns a finished movement's Segment, else None."""

    def __init__(self, window=6, start_speed=0.35, stop_speed=0.12, lead=6, min_moving=10, max_frames=75):
        if not 0 < stop_speed < start_speed:
            raise ValueError(f"need 0 < stop_speed < start_speed, got {stop_speed} and {start_speed}")
        self.window, self.start_speed, self.stop_speed = window, start_speed, stop_speed
        # A jump (or a twitch) keeps the windowed speed high for `window` frames: not a movement.
        self.lead, self.min_moving, self.max_frames = lead, min_moving, max_frames
        self._frames = deque(maxlen=max_frames + window + lead)
        self._start = self._trigger = None  # frame numbers: segment start (with lead), speed crossed start_speed
        self._armed = True  # False after a cut-off segment until the hand slows down
        self.count = 0
        self.speed = 0.0

    @property
    def moving(self):
        return self._start is not None

    def reset(self):
        self._frames.clear()
        self._start, self._armed, self.speed = None, True, 0.0

    def push(self, landmarks, image_size=(1, 1), is_left=False):
        """One frame: landmarks (21, 3) or None without a hand. Returns a Segment or None."""
        number, self.count = self.count, self.count + 1
        if landmarks is None:
            segment = self._finish(number - 1) if self.moving else None
            self.reset()
            return segment
        width, height = image_size
        tracked = landmarks[_TRACKED, :2] * (width, height)
        palm = np.hypot((landmarks[HandPoint.MIDDLE_FINGER_MCP, 0] - landmarks[HandPoint.WRIST, 0]) * width,
                        (landmarks[HandPoint.MIDDLE_FINGER_MCP, 1] - landmarks[HandPoint.WRIST, 1]) * height)
        self._frames.append((number, landmarks, (width, height), bool(is_left), tracked, max(palm, 1e-6)))
        self.speed = self._speed()
        if not self.moving:
            if self._armed and self.speed > self.start_speed:
                self._start = max(number - self.window - self.lead, self._frames[0][0])
                self._trigger = number
            self._armed = self._armed or self.speed < self.stop_speed
            return None
        if self.speed < self.stop_speed:
            return self._finish(number)
        if number - self._start + 1 >= self.max_frames:
            self._armed = False  # a very long movement is cut here; wait for the hand to slow down
            return self._finish(number)
        return None

    def _speed(self):
        if len(self._frames) <= self.window:
            return 0.0
        now, before = self._frames[-1], self._frames[-1 - self.window]
        if now[0] - before[0] != self.window:
            return 0.0
        moved = np.hypot(*(now[4] - before[4]).T).mean()
        return float(moved / now[5])

    def _finish(self, last):
        first, self._start = self._start, None
        if last - self._trigger + 1 < self.min_moving:
            return None
        kept = [frame for frame in self._frames if first <= frame[0] <= last]
        return Segment(np.stack([f[1] for f in kept]).astype(np.float32),
                       np.array([f[2] for f in kept], np.float32), np.array([f[3] for f in kept]), first, last)


def segments(landmarks, image_sizes, is_left, **settings):
    """Every Segment a MotionSpotter finds in a clip; landmarks: list of (21, 3) arrays or None per frame."""
    spotter = MotionSpotter(**settings)
    found = [spotter.push(marks, size, left) for marks, size, left in zip(landmarks, image_sizes, is_left)]
    found.append(spotter.push(None))
    return [segment for segment in found if segment is not None]

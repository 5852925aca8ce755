"""Double letters from the hand's movement: the same shape before and after a short slide or bounce.

Conventions (named in docs/README too): ASL signs a double letter by moving the held shape a little
toward the dominant side (about two inches), or with a very small bounce; contact letters may be
re-formed instead (Vicars, ASL University, "Fingerspelling 2": lifeprint.com/asl101/fingerspelling/
fingerspelling2.htm; Handspeak, "Fingerspelling techniques": handspeak.com/learn/index.php?id=213).
The Russian dactyl rules (Geilman, "Znakomtes: ruchnaya rech", 2001, p. 18; Kazakh dactylology
follows them) have the hand travel steadily sideways while spelling and a double letter shown as the
sign made twice. Either way the evidence is the same: the shape stays while the hand travels a
fraction of its own size quickly, then stops. A slow drift of a held letter never reaches the speed;
a change of letter changes the shape, so it is no double. (A re-formed double with the hand gone or
unsure in between is the decoder's business, not this module's.)

Speeds are in hand sizes per second and times in milliseconds, so the same settings hold at any
frame rate and distance from the camera.
"""
from collections import deque
from itertools import islice

import numpy as np



class DoubleDetector:
    """Feed every frame with a hand to `push`; it says when a double letter was signed, and where."""

    def __init__(self, options):
        self.options = options
        self._track = deque()  # (t_ms, x, y) of recent frames with a hand, for the speed
        self._shapes = deque()  # (t_ms, weighted log-probabilities) of recent frames with a hand
        self.reset()

    def reset(self):
        """The hand left: forget its track (a movement never spans a gap)."""
        self._track.clear()
        self._shapes.clear()
        self._moving, self._before, self._start, self._started_t, self._extent = False, None, None, None, 0.0
        self._found = None  # (letter, t_ms) of the last double found
        self.speed = 0.0

    def push(self, t_ms, centre, size, evidence):
        """One frame with a hand: centre (x, y) and size in pixels, the frame's weighted letter
        log-probabilities. Returns (letter index, t_ms of the movement) when a movement that kept
        the shape has just stopped, else None."""
        options = self.options
        self._track.append((t_ms, float(centre[0]), float(centre[1])))
        while self._track[0][0] < t_ms - 4 * options.speed_window_ms:
            self._track.popleft()
        self._shapes.append((t_ms, evidence))
        while self._shapes[0][0] < t_ms - options.max_move_ms - options.speed_window_ms - 2 * options.shape_ms:
            self._shapes.popleft()
        size = max(float(size), 1e-6)
        self.speed = self._speed(t_ms, size)
        if not self._moving:
            if self.speed < options.move_speed:
                return None
            self._begin(t_ms)
        self._extent = max(self._extent, float(np.hypot(centre[0] - self._start[0], centre[1] - self._start[1])) / size)
        if self.speed >= options.still_speed or t_ms == self._started_t:
            return None
        # Stopped: a double if the shape before the movement is the shape since it was seen (the frames
        # of a change of letter read the new letter there: no double).
        self._moving = False
        after = self._shape(self._started_t, t_ms + 1)
        if (self._before is not None and after == self._before and self._extent >= options.min_shift
                and t_ms - self._started_t <= options.max_move_ms + options.speed_window_ms):
            # A bounce slows to a stop at its turn: its way back is the same double, not a third letter.
            if self._found and self._found[0] == self._before and t_ms - self._found[1] <= options.max_move_ms:
                return None
            self._found = (self._before, t_ms)
            return self._before, self._started_t
        return None

    def _begin(self, t_ms):
        # The speed lags by its window: the shape before is the one held before that.
        began = t_ms - self.options.speed_window_ms
        self._before = self._shape(began - self.options.shape_ms, began + 1)
        self._moving, self._started_t, self._extent = True, t_ms, 0.0
        self._start = next(((x, y) for t, x, y in reversed(self._track) if t <= began), self._track[0][1:])

    def _shape(self, from_t, to_t):
        """The best letter over the frames in [from_t, to_t) by summed evidence, or None."""
        rows = [evidence for t, evidence in self._shapes if from_t <= t < to_t]
        return int(np.argmax(np.sum(rows, axis=0))) if rows else None

    def _speed(self, t_ms, size):
        """Hand sizes per second since the frame nearest to one speed window ago (at least one frame
        back): at 15 fps a 80 ms window is one frame, not two (which would halve a quick slide's speed)."""
        if len(self._track) < 2:
            return 0.0
        now, target = self._track[-1], t_ms - self.options.speed_window_ms
        then = min(islice(self._track, len(self._track) - 1), key=lambda sample: abs(sample[0] - target))
        elapsed = now[0] - then[0]
        if elapsed <= 0:
            return 0.0
        return float(np.hypot(now[1] - then[1], now[2] - then[2]) / size / (elapsed / 1000.0))

"""The capture state machine of `collect`: which label, counting down or capturing, which frame to keep.

It only counts frames, never reads a clock, so the same source always gives the same dataset:
  countdown  the first `countdown` frames of a label are never saved (the signer gets ready);
  capture    a frame is a candidate when at least `skip` frames passed since the last save; a candidate
             with a hand is saved, one without is not and the next frame is the candidate;
  next label once `count` frames of the label are saved, the next label's countdown starts.
Keys: space pauses (resuming restarts the countdown), r redoes the current label, q quits.
A motion label (one that moves, such as J or Й) records clips instead: after the countdown every
frame is a candidate until `clip_frames` frames make one clip; then a new countdown, until `clips`
clips are saved. A clip is continuous: a pause drops the part recorded so far.
"""
from dataclasses import dataclass

from collection.options import CollectOptions

COUNTDOWN, CAPTURE, DONE = "countdown", "capture", "done"


@dataclass
class Status:
    """What the window shows."""
    label: str
    position: int  # 1-based index of the label
    total: int
    phase: str
    paused: bool
    saved: int
    count: int
    countdown_left: int


class CollectSession:
    def __init__(self, labels, count, countdown, skip, motion_labels=(), clips=CollectOptions.clips,
                 clip_frames=CollectOptions.clip_frames):
        self.labels, self.count, self.countdown, self.skip = list(labels), count, countdown, skip
        self.motion_labels, self.clips, self.clip_frames = set(motion_labels), clips, clip_frames
        self.index = 0
        self.paused = False
        self.quit = False
        self._start_label()

    @property
    def label(self):
        return self.labels[self.index] if self.index < len(self.labels) else None

    @property
    def recording_clips(self):
        """True while the current label is a motion label (clips, not single frames)."""
        return self.label in self.motion_labels

    @property
    def target(self):
        """How many saves finish the current label: clips for a motion label, else frames."""
        return self.clips if self.recording_clips else self.count

    @property
    def phase(self):
        if self.index >= len(self.labels):
            return DONE
        return COUNTDOWN if self._countdown_left > 0 else CAPTURE

    @property
    def finished(self):
        return self.quit or self.phase == DONE

    def advance(self, frame_index):
        """Account for one source frame; True if it is a save candidate (detect a hand on it)."""
        if self.finished or self.paused:
            return False
        if self._countdown_left > 0:
            self._countdown_left -= 1
            return False
        if self.recording_clips:
            return True
        return self._last_saved is None or frame_index - self._last_saved > self.skip

    def saved(self, frame_index):
        """The candidate `frame_index` had a hand and was saved; True if that finished the label."""
        self.saved_count += 1
        self._last_saved = frame_index
        if self.saved_count < self.target:
            if self.recording_clips:
                self._countdown_left = self.countdown  # get ready for the next movement
            return False
        self.index += 1
        self._start_label()
        return True

    def key(self, key):
        """Apply a key press; returns "redo" when the caller must discard the label's saved frames."""
        if key == " " and not self.finished:
            self.paused = not self.paused
            if not self.paused:
                self._countdown_left = self.countdown  # get back into position after a pause
        elif key == "r" and not self.finished:
            self._start_label()
            return "redo"
        elif key == "q":
            self.quit = True
        return None

    def status(self):
        return Status(self.label, self.index + 1, len(self.labels), self.phase, self.paused,
                      self.saved_count, self.target, self._countdown_left)

    def _start_label(self):
        self.saved_count = 0
        self._last_saved = None
        self._countdown_left = self.countdown

"""Probability smoothing over recent frames, and the speller that turns steady answers into text."""
import numpy as np

NO_HAND, UNSURE, LABEL = "no_hand", "unsure", "label"


class ProbabilitySmoother:
    """Mean of the last `window` probability vectors; the buffer is allocated once."""

    def __init__(self, n_classes, window):
        if window < 1:
            raise ValueError(f"smoothing window must be at least 1 frame, got {window}")
        self._buffer = np.zeros((window, n_classes), dtype=np.float64)
        self._pushed = 0

    def push(self, probabilities):
        """Add one frame's probabilities; return the mean over the frames held so far."""
        window = len(self._buffer)
        self._buffer[self._pushed % window] = probabilities
        self._pushed += 1
        return self._buffer[: min(self._pushed, window)].mean(axis=0)

    def reset(self):
        """Forget old frames, so a new hand is not judged by the previous one."""
        self._pushed = 0


def decide(smoothed, labels, min_confidence):
    """(state, label or None, confidence) for one frame's smoothed probabilities."""
    best = int(np.argmax(smoothed))
    confidence = float(smoothed[best])
    if confidence < min_confidence:
        return UNSURE, None, confidence
    return LABEL, labels[best], confidence


class Speller:
    """Fingerspelling to text.

    A label that has been the answer for `hold` frames in a row is appended once. The same letter
    can be appended again only after a break of at least `hold` frames (so "11" needs the hand to
    drop or change in between, and a short flicker does not double a letter). A hand absent for
    `space_after` frames in a row appends one space (never at the start, never two in a row).
    """

    def __init__(self, hold, space_after):
        if hold < 1 or space_after < 1:
            raise ValueError(f"hold and space_after must be at least 1 frame, got {hold} and {space_after}")
        self.hold, self.space_after = hold, space_after
        self.text = ""
        self._answer, self._run, self._armed = None, 0, False
        self._last_letter, self._since_letter = None, 0

    def clear(self):
        """Empty the text; the sign held right now is not spelled again."""
        self.text = ""
        self._last_letter, self._armed = None, False

    def backspace(self):
        """Delete the last character; the deleted letter may be spelled again by a new run."""
        self.text = self.text[:-1]
        self._last_letter = None

    def replace_since(self, keep, letter):
        """Keep the first `keep` characters and append `letter`: a motion letter replaces what its
        starting shape spelled. The same letter again needs a break, as after any letter."""
        self.text = self.text[:keep] + letter
        self._last_letter, self._since_letter = letter, 0

    def observe(self, result, frame):
        """Called with each frame's FrameResult before `update`; a hook for the motion speller."""

    def update(self, state, label=None):
        """Feed one frame's answer; return the text so far."""
        answer = (state, label if state == LABEL else None)
        if answer != self._answer:
            self._answer, self._run = answer, 0
            self._armed = label != self._last_letter or self._since_letter >= self.hold
        self._run += 1
        is_last = state == LABEL and label == self._last_letter
        self._since_letter = 0 if is_last else self._since_letter + 1
        if state == LABEL and self._run == self.hold and self._armed:
            self.text += label
            self._last_letter, self._since_letter = label, 0
        elif state == NO_HAND and self._run == self.space_after and self.text and not self.text.endswith(" "):
            self.text += " "
            self._last_letter = None
        return self.text

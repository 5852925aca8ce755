"""Frames to text: a Viterbi decoder over letter segments, with word lists at each word's end.

The model is a small HMM over letter segments with a transition state (spelling.lattice). Each
frame's evidence is the classifier's log-probability, weighted by the frame's duration (dt / a
reference frame time), so 10 and 60 fps decode alike; a transition frame reads `blank_prob`.
Entering a letter costs `insert_cost` (derived from `letter_ms`: a letter seen that long for
certain is worth spelling); going back from B_k to L_k is free, so a flicker inside a held letter is not a new
letter. The same letter twice needs evidence of a repeat: a slide or bounce (spelling.movement), or
the hand gone or unsure for `reform_ms` in between (a re-formed letter); otherwise it costs
`double_cost` extra. Motion letters come as events (the motion classifier): their frames are forced
to the motion letter, which replaces whatever static letters those frames read. A hand gone for
`word_gap_ms` ends the word: candidates (the best paths plus the word list's neighbours of them) are
scored by forced alignment to the word's frames plus `lm_weight` x the word list's log-probability,
and the best is committed; a word not in the list stays unless a list word scores higher.

A model file's reading channel (P(signed | read), from `train`'s cross-validation on other signers)
multiplies each frame's probabilities first, so a letter the model confuses for new signers stays within
the word list's reach. Per frame a fixed number of numpy operations over all states (no loop over states).
"""
import math
from dataclasses import dataclass

import numpy as np

from landmarks.errors import UserError
from spelling.labels import label_text
from spelling.lattice import NEG, Frame, Lattice, force_frame
from spelling.movement import DoubleDetector
from spelling.options import DecoderOptions
from spelling.rescore import rank


@dataclass(frozen=True)
class Spelled:
    text: str  # committed text (words and single spaces)
    word: str  # best guess of the word in progress ("" when none)
    ended: tuple = None  # on the frame a word was committed: (word, ((word, probability), ...))


class SpellingDecoder:
    """Per-frame probabilities, the hand's position and motion events in; committed text and the
    current word's best guess out (see SPELLING.md)."""

    def __init__(self, labels, options=DecoderOptions(), lexicon=None, texts=None, channel=None):
        """texts: what each label writes (default: spelling.labels.label_text, so a `0-o` folder writes o).
        channel: the model's (K, K) P(signed | read) (classifiers.calibration.reading_channel); each frame's
        probabilities are multiplied by it, so a reading the model is known to confuse is weighed as such."""
        self.options, self.lexicon = options, lexicon
        self.labels = [str(label) for label in labels]
        self.texts = [str(text) for text in (texts if texts is not None else map(label_text, self.labels))]
        if len(self.texts) != len(self.labels):
            raise UserError(f"{len(self.texts)} texts for {len(self.labels)} labels; give one text per label")
        self._static = len(self.labels)
        self._channel = np.asarray(channel, dtype=np.float64) if channel is not None and len(channel) else None
        if self._channel is not None and self._channel.shape != (self._static, self._static):
            raise UserError(f"a {self._channel.shape} channel for {self._static} labels; give a labels x labels matrix")
        self._doubles = DoubleDetector(options)
        self._moving = False
        self._linger = None  # (motion letter, its end shape, its last t_ms) while that shape may linger
        self._prefix = ""  # what backspace left of the word in progress
        self.text = ""
        self._new_word()

    def add_labels(self, labels, texts=None):
        """Motion letters: spelled only by `motion` events, never by per-frame probabilities."""
        texts = [label_text(label) for label in labels] if texts is None else texts
        new = [(str(label), str(text)) for label, text in zip(labels, texts)
               if str(label) not in self.labels[self._static :]]
        if not new:
            return
        if self._word.frames:
            raise UserError("motion letters must be added before the first frame")
        self.labels += [label for label, _ in new]
        self.texts += [text for _, text in new]
        self._new_word()

    def moving(self, flag):
        """The motion spotter says the hand is moving: the next frames spell no static letter."""
        self._moving = bool(flag)

    def push(self, t_ms, probabilities=None, centre=None, size=None):
        """One frame; probabilities None means no hand. Returns the Spelled text after it."""
        options = self.options
        dt = options.reference_frame_ms if self._last_t is None else min(max(t_ms - self._last_t, 0.0),
                                                                         options.max_frame_ms)
        self._last_t = t_ms
        weight = dt / options.reference_frame_ms
        k, found = len(self.labels), None
        if probabilities is None:
            self._doubles.reset()
            self._linger = None
            if self._hand_t is not None and t_ms - self._hand_t >= options.word_gap_ms:
                return self._commit()
            if not self._word.frames:
                return self._spelled()
            frame = Frame(t_ms, np.full(k, NEG), 0.0)
        else:
            self._hand_t = t_ms
            probabilities = np.asarray(probabilities, dtype=np.float64)[: self._static]
            if self._channel is not None:
                probabilities = probabilities @ self._channel
            static = np.log(np.maximum(probabilities, options.floor_prob)) * weight
            blank = math.log(options.blank_prob) * weight
            logp = np.full(k, NEG)
            logp[: self._static] = blank if self._moving else static
            frame = Frame(t_ms, logp, blank, shape=static, weight=weight)
            self._linger = self._linger if self._linger and self._lingers(frame) else None
            if self._linger:  # the end shape of a motion letter, held a moment after it: still that letter
                force_frame(frame, self._linger[0])
            if self._pause_ms >= options.reform_ms:  # the same shape again after a pause: re-formed
                held = self._word.held()
                frame.double = held if 0 <= held < self._static and int(np.argmax(static)) == held else -1
            if centre is not None and size:
                found = self._doubles.push(t_ms, centre, size, static)
        self._word.add(frame)
        if found is not None:  # mark the repeat where the hand moved, and decode again from there
            self._word.mark_double(*found)
        # Time the best path has spent between letters (hand gone or unsure), for a re-formed letter.
        self._pause_ms = 0.0 if self._word.in_letter() else self._pause_ms + dt
        return self._spelled()

    def motion(self, label, first_t_ms, last_t_ms):
        """A motion letter the motion classifier found over [first_t_ms, last_t_ms]: its frames spell it
        (whatever static letters they read). Frames of a word already committed are not changed."""
        label = str(label)
        if label not in self.labels[self._static :]:
            raise UserError(f"motion letter {label} was not added; call add_labels with the motion model's labels")
        letter = self._static + self.labels[self._static :].index(label)
        frames = self._word.frames
        inside = [frame for frame in frames if first_t_ms <= frame.t_ms <= last_t_ms and frame.shape is not None]
        if inside:
            # The still start of a J is an I for a moment, and its end lingers: the frames just before
            # and after the movement that show its first and last shape belong to the motion letter.
            start, end = self._shape_of(inside, first=True), self._shape_of(inside, first=False)
            before, began = [f for f in frames if f.t_ms < first_t_ms], first_t_ms
            while (before and before[-1].shape is not None and _shape(before[-1]) == start
                   and began - before[-1].t_ms <= self.options.motion_lead_ms):
                first_t_ms = before.pop().t_ms
            self._linger = (letter, end, last_t_ms)
            after = [f for f in frames if f.t_ms > last_t_ms]
            while after and self._lingers(after[0]):
                last_t_ms = after.pop(0).t_ms
        self._word.force(letter, first_t_ms, last_t_ms)
        return self._spelled()

    def _lingers(self, frame):
        letter, end, last_t_ms = self._linger
        return (frame.shape is not None and _shape(frame) == end
                and frame.t_ms - last_t_ms <= self.options.motion_tail_ms)

    def _shape_of(self, frames, first):
        """The static shape over the first (or last) shape_ms of `frames`."""
        edge = frames[0].t_ms if first else frames[-1].t_ms
        near = [f.shape for f in frames if abs(f.t_ms - edge) <= self.options.shape_ms]
        return int(np.argmax(np.sum(near, axis=0)))

    def current(self):
        """The Spelled text as it stands, without a new frame."""
        return self._spelled()

    def finish(self):
        """End of the stream: commit the word in progress."""
        return self._commit()

    def clear(self):
        """Empty the text; the sign held now is not spelled again."""
        self.text, self._prefix = "", ""
        self._new_word(held=self._word.held(), keep_hand_time=True)

    def backspace(self):
        """Delete the last character: of the word in progress if any, else of the text."""
        word = self._guess()
        if word:  # the rest of the word stays, and what comes next continues it
            self._prefix = word[:-1]
            self._new_word(held=self._word.held(), keep_hand_time=True)
        else:
            self.text = self.text[:-1]

    def _new_word(self, held=-1, keep_hand_time=False):
        """keep_hand_time: the stream goes on (a clear or backspace), so a hand already gone still ends the word."""
        cost = self.options.insert_cost
        self._word = Lattice(len(self.labels), cost, cost * self.options.double_factor, held)
        self._last_t = None
        if not keep_hand_time:
            self._hand_t = None
        self._pause_ms = 0.0
        self._doubles.reset()

    def _guess(self):
        return self._prefix + "".join(self.texts[i] for i in self._word.best())

    def _spelled(self, ended=None):
        return Spelled(self.text, self._guess(), ended)

    def _commit(self):
        if self._prefix:  # after a backspace the word's first letters are text, not frames: as decoded
            guess = self._guess()
            ranked = [(guess, 1.0)] if guess else []
        else:
            ranked = rank(self._word, self.texts, self.lexicon, self.options) if self._word.frames else []
        ended = None
        if ranked:
            self.text += (" " if self.text and not self.text.endswith(" ") else "") + ranked[0][0]
            ended = (ranked[0][0], tuple(ranked[: self.options.alternatives]))
        self._prefix = ""
        self._new_word()
        return self._spelled(ended)


def _shape(frame):
    return int(np.argmax(frame.shape))

"""The lattice of one word: a Viterbi decode over letter states, one vectorized step per frame.

States: a start state (nothing spelled yet), then per letter k: L_k (the hand shows k; the path
spelled k on entering it) and B_k (a transition or unsure moment after k). Entering a letter costs
`insert_cost`; B_k -> L_k is free, so a flicker inside a held letter spells nothing. The same letter
anew costs `double_cost` more, unless a frame carries evidence that k starts again there
(`Frame.double`: a repeat seen, or a motion letter's first frame): there every path that does not
start k pays `double_cost` instead. The spelled letters are kept by token passing: every state holds
a node of a tree of (parent, letter), so the best word is a walk up the tree, not a backtrace.
"""
from dataclasses import dataclass, field

import numpy as np

NEG = -1e9  # a log-score that never wins


@dataclass
class Frame:
    t_ms: float
    logp: np.ndarray  # (K,) letter evidence: log-probabilities times the frame's weight
    blank: float  # transition evidence, weighted the same way
    double: int = -1  # the letter a repeat was seen for on this frame, or -1
    forced: bool = False  # the first frame of a motion letter: that letter starts anew here
    shape: np.ndarray = None  # the static letters' weighted log-probabilities as the classifier gave them
    weight: float = 0.0  # the frame's duration in reference frames, when it shows a hand (0: no hand)
    scores: np.ndarray = field(default=None, repr=False)  # state scores and nodes after this frame
    nodes: np.ndarray = field(default=None, repr=False)


def force_frame(frame, letter, first=False):
    """The frame shows `letter` (a motion letter) and nothing else; `first`: the letter starts here."""
    frame.logp = np.full(len(frame.logp), NEG)
    frame.logp[letter] = 0.0
    frame.blank, frame.double, frame.forced = NEG, (letter if first else -1), first


class Lattice:
    def __init__(self, letters, insert_cost, double_cost, held=-1):
        """held: a letter the word starts inside, not spelled (the one shown at a clear or backspace)."""
        self.k, self.insert_cost, self.double_cost = letters, insert_cost, double_cost
        self.frames = []
        self._parents = np.zeros(64, np.int64)
        self._letters = np.full(64, -1, np.int64)
        self._count = 1  # node 0: the empty word
        self._scores = np.full(2 * letters + 1, NEG)
        self._scores[0] = 0.0
        if held >= 0:
            self._scores[[1 + held, 1 + letters + held]] = 0.0
        self._nodes = np.zeros(2 * letters + 1, np.int64)
        self._initial = self._scores.copy()
        self.held_at_start = held

    def add(self, frame):
        self.frames.append(frame)
        self._step(frame)

    def mark_double(self, letter, t_ms):
        """A repeat of `letter` was signed at t_ms: mark the frame and decode again from it."""
        at = next((i for i, frame in enumerate(self.frames) if frame.t_ms >= t_ms), None)
        if at is None or self.frames[at].forced or self.frames[at].logp[letter] <= NEG / 2:
            return
        self.frames[at].double = letter
        self.redecode(at)

    def force(self, letter, first_t_ms, last_t_ms):
        """The frames in [first_t_ms, last_t_ms] show `letter` and nothing else, starting anew."""
        inside = [i for i, frame in enumerate(self.frames) if first_t_ms <= frame.t_ms <= last_t_ms]
        for number, i in enumerate(inside):
            force_frame(self.frames[i], letter, first=number == 0)
        if inside:
            self.redecode(inside[0])

    def redecode(self, start):
        """Decode again from frame `start` on (its evidence changed)."""
        if start == 0:
            self._scores, self._nodes = self._initial, np.zeros_like(self._nodes)
        else:
            self._scores, self._nodes = self.frames[start - 1].scores, self.frames[start - 1].nodes
        for frame in self.frames[start:]:
            self._step(frame)

    def best(self):
        """The letters of the best path so far."""
        return self._path(int(self._nodes[int(np.argmax(self._scores))])) if self.frames else []

    def held(self):
        """The letter the best path is in (its L or B state), or -1 at the start."""
        state = int(np.argmax(self._scores))
        return -1 if state == 0 else (state - 1) % self.k

    def in_letter(self):
        """Whether the best path is showing a letter now (not in a transition)."""
        return 1 <= int(np.argmax(self._scores)) <= self.k

    def hypotheses(self, count):
        """The distinct letter sequences of the best final states, best first."""
        found = []
        for state in np.argsort(-self._scores):
            if self._scores[state] <= NEG / 2 or len(found) == count:
                break
            path = self._path(int(self._nodes[state]))
            if path not in found:
                found.append(path)
        return found

    def _step(self, frame):
        k, cost, double_cost = self.k, self.insert_cost, self.double_cost
        scores, nodes = self._scores, self._nodes
        start, letter, blank = scores[0], scores[1 : k + 1], scores[k + 1 :]
        from_letter = letter >= blank
        exits = np.where(from_letter, letter, blank)
        exit_nodes = np.where(from_letter, nodes[1 : k + 1], nodes[k + 1 :])
        # Entering k from another letter (or the word's start): the best exit of any other letter.
        first = int(np.argmax(exits))
        runner_up = exits.copy()
        runner_up[first] = NEG
        second = int(np.argmax(runner_up))
        other = np.full(k, exits[first])
        other[first] = runner_up[second]
        other_nodes = np.full(k, exit_nodes[first])
        other_nodes[first] = exit_nodes[second]
        use_start = start > other
        other = np.where(use_start, start, other) - cost
        other_nodes = np.where(use_start, nodes[0], other_nodes)
        again = exits - cost - double_cost  # the same letter anew, without evidence of a repeat
        stay = exits.copy()  # still the same letter, held or after a transition
        if frame.double >= 0:  # evidence that letter `double` starts (again) here: any other path pays
            repeat = frame.double
            again[repeat] += double_cost
            stay -= double_cost
            other -= double_cost
            other[repeat] += double_cost
            start -= double_cost
            if frame.forced:
                stay[repeat] = NEG
        choice = np.argmax(np.stack([stay, other, again]), axis=0)
        best = np.choose(choice, [stay, other, again])
        letter_nodes = exit_nodes.copy()
        new_letter = np.flatnonzero(choice > 0)
        if len(new_letter):
            parents = np.where(choice[new_letter] == 1, other_nodes[new_letter], exit_nodes[new_letter])
            letter_nodes[new_letter] = self._add_nodes(parents, new_letter)
        new_scores = np.concatenate([[start + frame.blank], best + frame.logp, stay + frame.blank])
        new_scores -= new_scores.max()  # keep the numbers small; only differences matter
        self._scores = new_scores
        self._nodes = np.concatenate([nodes[:1], letter_nodes, exit_nodes])
        frame.scores, frame.nodes = self._scores, self._nodes

    def _add_nodes(self, parents, letters):
        count = len(parents)
        if self._count + count > len(self._parents):
            size = 2 * (self._count + count)
            self._parents = np.resize(self._parents, size)
            self._letters = np.resize(self._letters, size)
        ids = np.arange(self._count, self._count + count)
        self._parents[ids], self._letters[ids] = parents, letters
        self._count += count
        return ids

    def _path(self, node):
        letters = []
        while node > 0:
            letters.append(int(self._letters[node]))
            node = int(self._parents[node])
        return letters[::-1]

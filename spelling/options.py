"""The spelling decoder's settings: one frozen dataclass, the one place for their defaults (no numpy, so
the command line builds it without loading the decoder)."""
import math
from dataclasses import dataclass

from landmarks.errors import UserError


@dataclass(frozen=True)
class DecoderOptions:
    """Every duration in milliseconds; scores in natural-log units. The one place for the defaults."""
    # letter_ms, blank_prob, evidence_ms and lm_weight were chosen with bench-spelling on the tuning lists
    # (data/spelling/tune_*_en.txt), not on the words and names it reports (docs/spelling.md)
    letter_ms: float = 70.0  # a letter seen this long for certain is worth spelling (shorter or less sure: not);
    # above a 15 fps frame (67 ms), so one frame of a cross-dissolve is never a letter on its own
    word_gap_ms: float = 300.0  # the hand gone this long ends the word
    reform_ms: float = 200.0  # hand gone or unsure this long between two same shapes: a double letter
    reference_frame_ms: float = 1000.0 / 30  # a frame this long weighs 1
    max_frame_ms: float = 150.0  # a longer frame gap weighs as this much (a stall is not evidence)
    blank_prob: float = 0.05  # a frame whose letters are all less likely than this reads as a transition
    floor_prob: float = 1e-3  # probabilities are floored here (one bad frame costs at most log(floor))
    double_factor: float = 1.5  # a double letter without evidence of a repeat costs this x insert_cost extra (> 1)
    move_speed: float = 1.2  # hand sizes per second: a movement starts
    still_speed: float = 1.0  # ... and has stopped (tuning lists: 0.5 found the stop of a 5 letters/s slide too late)
    speed_window_ms: float = 80.0  # the speed is measured over this long
    min_shift: float = 0.12  # hand sizes a double letter's slide or bounce travels at least
    max_move_ms: float = 500.0  # a longer movement is not a double letter
    shape_ms: float = 80.0  # the shape is compared over this long before and after a movement
    motion_lead_ms: float = 500.0  # a motion letter's start shape held up to this long before it is part of it
    motion_tail_ms: float = 300.0  # ... and its end shape held up to this long after it
    lm_weight: float = 0.7  # weight of the word list's log-probability against the frames' evidence
    evidence_ms: float = 200.0  # at a word's end a letter's frames count as at most this long on average: the
    # frames of one held letter are near copies of one photo, not independent evidence, so a slow word is
    # not surer than a fast one and the word list weighs alike at every speed
    max_edits: int = 2  # word-list neighbours within this edit distance are candidates
    max_candidates: int = 40
    hypotheses: int = 4  # best free paths whose neighbours are looked up
    alternatives: int = 3  # alternatives reported when a word ends

    def __post_init__(self):
        positive = ("letter_ms", "word_gap_ms", "evidence_ms", "reform_ms", "reference_frame_ms", "max_frame_ms",
                    "move_speed", "still_speed", "speed_window_ms", "shape_ms", "max_move_ms",
                    "motion_lead_ms", "motion_tail_ms")
        for name in positive:
            if not getattr(self, name) > 0:
                raise UserError(f"decoder setting {name} must be above 0, got {getattr(self, name)}")
        if not 0 < self.blank_prob < 1 or not 0 < self.floor_prob < self.blank_prob:
            raise UserError(f"need 0 < floor_prob < blank_prob < 1, got {self.floor_prob} and {self.blank_prob}")
        if not self.still_speed < self.move_speed:
            raise UserError(f"still_speed ({self.still_speed}) must be below move_speed ({self.move_speed})")
        if self.double_factor <= 1:
            raise UserError(f"double_factor must be above 1 (a seen repeat must win), got {self.double_factor}")
        if self.lm_weight < 0 or self.min_shift < 0:
            raise UserError("lm_weight and min_shift cannot be negative")
        if min(self.max_edits, self.max_candidates, self.hypotheses, self.alternatives) < 1:
            raise UserError("max_edits, max_candidates, hypotheses and alternatives must be at least 1")

    @property
    def insert_cost(self):
        """What spelling a new letter costs: letter_ms of certain frames against the transition state."""
        return self.letter_ms / self.reference_frame_ms * -math.log(self.blank_prob)

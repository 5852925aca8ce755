import numpy as np
import pytest

from live.smoothing import LABEL, NO_HAND, UNSURE, ProbabilitySmoother, Speller, decide


def test_smoother_averages_only_the_frames_it_has():
    smoother = ProbabilitySmoother(n_classes=2, window=3)
    assert smoother.push([1.0, 0.0]) == pytest.approx([1.0, 0.0])
    assert smoother.push([0.0, 1.0]) == pytest.approx([0.5, 0.5])


def test_smoother_forgets_frames_older_than_the_window():
    smoother = ProbabilitySmoother(n_classes=2, window=2)
    for row in ([1.0, 0.0], [0.0, 1.0], [0.0, 1.0]):
        smoothed = smoother.push(row)
    assert smoothed == pytest.approx([0.0, 1.0])


def test_smoother_reset_starts_afresh():
    smoother = ProbabilitySmoother(n_classes=2, window=4)
    smoother.push([1.0, 0.0])
    smoother.reset()
    assert smoother.push([0.2, 0.8]) == pytest.approx([0.2, 0.8])


def test_smoother_rejects_an_empty_window():
    with pytest.raises(ValueError, match="at least 1 frame"):
        ProbabilitySmoother(n_classes=2, window=0)


@pytest.mark.parametrize("smoothed, expected", [
    ([0.1, 0.7, 0.2], (LABEL, "b", 0.7)),
    ([0.5, 0.3, 0.2], (UNSURE, None, 0.5)),
    ([0.2, 0.2, 0.6], (LABEL, "c", 0.6)),  # exactly the threshold counts as sure
], ids=["sure", "below-threshold", "at-threshold"])
def test_decide(smoothed, expected):
    state, label, confidence = decide(np.array(smoothed), ["a", "b", "c"], min_confidence=0.6)
    assert (state, label) == expected[:2]
    assert confidence == pytest.approx(expected[2])


def spell(frames, speller=None, hold=3, space_after=4):
    """Feed a compact frame script: a letter is that label, '?' unsure, '-' no hand."""
    speller = speller or Speller(hold=hold, space_after=space_after)
    for symbol in frames:
        if symbol == "-":
            speller.update(NO_HAND)
        elif symbol == "?":
            speller.update(UNSURE)
        else:
            speller.update(LABEL, symbol)
    return speller


@pytest.mark.parametrize("frames, text", [
    ("AA", ""),
    ("AAA", "A"),
    ("AAAAAAAAA", "A"),
    ("AABBAABB", ""),
    ("AAABBBAAA", "ABA"),
    ("AAA?AAA", "A"),
    ("AAAB?AAA", "A"),
    ("AAA???AAA", "AA"),
    ("AAA---AAA", "AA"),
    ("AAA----AAA", "A A"),
    ("----AAA", "A"),
    ("AAA----------", "A "),
    ("AAA????????", "A"),
    ("AAAB?BBB", "AB"),
], ids=["too-short", "held", "held-long-once", "flicker", "change", "unsure-blip", "other-label-blip",
        "repeat-after-break", "repeat-after-short-absence", "space", "no-leading-space", "one-space",
        "unsure-is-not-absence", "run-restarts"])
def test_speller(frames, text):
    assert spell(frames).text == text


def test_backspace_lets_the_deleted_letter_be_spelled_again():
    speller = spell("AAA")
    speller.backspace()
    assert spell("AA", speller).text == ""  # still the same run: it was already counted
    assert spell("?AAA", speller).text == "A"


def test_clear_empties_the_text_without_respelling_the_held_sign():
    speller = spell("AAABBB")
    speller.clear()
    assert speller.text == ""
    assert spell("BBB", speller).text == ""
    assert spell("?BBB", speller).text == "B"


def test_speller_rejects_zero_hold():
    with pytest.raises(ValueError, match="at least 1 frame"):
        Speller(hold=0, space_after=5)

"""SpellingDecoder on tiny hand-written probability sequences."""

import numpy as np
import pytest

from landmarks.errors import UserError
from spelling.decoder import DecoderOptions, Spelled, SpellingDecoder
from spelling.lexicon import Lexicon, load_lexicon

LABELS = list("abcdehlnoprst")
SIZE = 100.0  # hand size in pixels


LEXICON = Lexicon({"hello": 50, "help": 30, "apple": 20, "cat": 40, "hat": 10, "set": 10}, name="tiny")


def probabilities(letter, confidence=0.8, second=None, second_p=0.4):
    """A frame's probabilities: `letter` at `confidence`, `second` (if given) at `second_p`, the rest spread."""
    if letter == "?":
        return np.full(len(LABELS), 1.0 / len(LABELS))
    rest = 1.0 - confidence - (second_p if second else 0.0)
    row = np.full(len(LABELS), rest / (len(LABELS) - 1 - bool(second)))
    if second:
        row[LABELS.index(second)] = second_p
    row[LABELS.index(letter)] = confidence
    return row


def frames(script, fps):
    """(t_ms, probabilities or None, centre) per frame. `script`: (what, ms[, how]) with what a
    letter, '?' (unsure) or '-' (no hand); how: "slide" (0.4 hand sizes sideways in the first 100 ms),
    "bounce" (down 0.2 and back), "drift" (0.15 hand sizes over the whole hold), "jump" (0.3 hand sizes at once), a float confidence,
    a letter the classifier confuses it with (probability split 0.45/0.4), or (letter, p): the classifier reads
    that letter at p and the one signed at 0.2."""
    out, t, x, y = [], 0.0, 300.0, 200.0
    for what, ms, *how in script:
        how = how[0] if how else None
        count = max(1, int(round(ms * fps / 1000.0)))
        x0 = x
        for i in range(count):
            elapsed = i * 1000.0 / fps
            if how == "slide":
                x = x0 + 0.4 * SIZE * min(1.0, elapsed / 100.0)
            elif how == "bounce":
                y = 200.0 + 0.2 * SIZE * np.sin(np.pi * min(1.0, elapsed / 150.0))
            elif how == "drift":
                x = x0 + 0.15 * SIZE * elapsed / ms
            elif how == "jump":
                x = x0 + 0.3 * SIZE
            if what == "-":
                row = None
            elif isinstance(how, float):
                row = probabilities(what, how)
            elif isinstance(how, str) and len(how) == 1:
                row = probabilities(what, 0.45, second=how)
            elif isinstance(how, tuple):
                row = probabilities(how[0], how[1], second=what, second_p=0.2)
            else:
                row = probabilities(what)
            out.append((t, row, (x, y)))
            t += 1000.0 / fps
    return out


def spell(script, fps=30, lexicon=None, options=DecoderOptions(), every=False, channel=None):
    decoder = SpellingDecoder(LABELS, options, lexicon=lexicon, channel=channel)
    results = [decoder.push(t, row, centre if row is not None else None, SIZE if row is not None else None)
               for t, row, centre in frames(script, fps)]
    results.append(decoder.finish())
    return results if every else results[-1]


def letters(word, ms=250, gap=0):
    script = []
    for i, letter in enumerate(word):
        double = i > 0 and word[i - 1] == letter
        if gap and i > 0 and not double:
            script.append(("?", gap))
        script.append((letter, ms, "slide") if double else (letter, ms))
    return script


@pytest.mark.parametrize("script, text", [
    (letters("cat"), "cat"),
    (letters("cat", ms=130, gap=70), "cat"),  # 5 letters per second with transition frames
    (letters("hat", ms=100), "hat"),
    ([("c", 600), ("?", 60), ("a", 100), ("?", 60), ("t", 600)], "cat"),
    ([("c", 300), ("e", 33), ("c", 300)], "c"),  # one frame of another letter is a misread
    ([("c", 300), ("-", 200), ("a", 300), ("-", 600), ("t", 300)], "ca t"),
], ids=["held", "fast", "very-fast", "short-middle", "one-frame-other", "words"])
def test_speed(script, text):
    assert spell(script).text == text


@pytest.mark.parametrize("how, text", [
    ("slide", "hello"),
    ("bounce", "hello"),
    ("drift", "helo"),
    ("flicker", "helo"),
    ("unsure-flicker", "helo"),
    ("reformed", "hello"),
], ids=["slide", "bounce", "drift", "one-frame-flicker", "one-frame-unsure", "hand-dropped"])
def test_double_letters(how, text):
    second = {"slide": [("l", 250, "slide")], "bounce": [("l", 250, "bounce")], "drift": [("l", 250, "drift")],
              "flicker": [("e", 33), ("l", 217)], "unsure-flicker": [("?", 33), ("l", 217)],
              "reformed": [("-", 250), ("l", 250)]}[how]
    script = [("h", 250), ("e", 250), ("l", 250), *second, ("o", 250)]
    assert spell(script).text == text


def test_a_slow_drift_over_a_long_hold_is_not_doubled():
    assert spell([("t", 250), ("o", 1500, "drift"), ("p", 250)]).text == "top"


@pytest.mark.parametrize("fps", [15, 30], ids=lambda fps: f"{fps}fps")
@pytest.mark.parametrize("how", ["slide", "jump"])
def test_a_movement_where_the_letter_changes_is_not_a_double(how, fps):
    assert spell([("c", 250), ("a", 250, how), ("t", 250)], fps).text == "cat"
    # the frame at the jump shows a blend that reads as a third letter for a moment
    assert spell([("c", 250), ("e", 1000 / fps, how), ("a", 250), ("t", 250)], fps).text == "cat"
    assert spell([("c", 250), ("a", 250), ("a", 250, how), ("t", 250)], fps).text == "caat"


@pytest.mark.parametrize("fps", [10, 15, 30, 60], ids=lambda fps: f"{fps}fps")
def test_the_same_signing_spells_the_same_at_any_frame_rate(fps):
    script = [*letters("hello", ms=200), ("-", 500), *letters("apple", ms=300, gap=60), ("-", 400),
              ("c", 600, 0.5), ("a", 200), ("t", 300)]
    assert spell(script, fps).text == "hello apple cat"


def test_a_confident_word_not_in_the_list_is_kept():
    result = spell(letters("chet"), lexicon=LEXICON)  # a name two edits from "cat", "hat" and "set"
    assert result.text == "chet"
    assert result.ended[0] == "chet"


def test_one_misread_letter_inside_a_list_word_is_repaired():
    script = [("h", 250), ("a", 250, "e"), ("l", 250), ("p", 250)]  # the e frames read a (0.45) or e (0.4)
    assert spell(script).text == "halp"
    result = spell(script, lexicon=LEXICON)
    assert result.text == "help"
    words = [word for word, _ in result.ended[1]]
    assert words[0] == "help" and "halp" in words
    assert sum(p for _, p in result.ended[1]) <= 1.0 + 1e-9


@pytest.mark.parametrize("ms", [150, 250, 500, 1000], ids=lambda ms: f"{ms}ms")
def test_a_misread_letter_is_repaired_alike_at_any_signing_speed(ms):
    # The e reads as a (0.5 against 0.2) on every frame: a slower word has more frames of the same
    # misreading, not more evidence against the list word (without evidence_ms, 500 ms stays "halp").
    script = [("h", ms), ("e", ms, ("a", 0.5)), ("l", ms), ("p", ms)]
    assert spell(script).text == "halp"
    assert spell(script, lexicon=LEXICON).text == "help"
    assert spell(letters("chet", ms=ms), lexicon=LEXICON).text == "chet"  # a confident name is still kept


def test_a_letter_the_model_is_known_to_confuse_is_repaired_through_the_reading_channel():
    script = [("h", 250), ("e", 250, ("a", 0.75)), ("l", 250), ("p", 250)]  # e reads as a (0.75 against 0.2)
    channel = np.eye(len(LABELS))
    a, e = LABELS.index("a"), LABELS.index("e")
    channel[a, [a, e]] = 0.7, 0.3  # cross-validation saw e photos read as a: 3 a-readings in 10 were e
    assert spell(script, lexicon=LEXICON).text == "halp"  # a sure reading, taken at its word
    assert spell(script, channel=channel).text == "halp"
    assert spell(script, lexicon=LEXICON, channel=channel).text == "help"
    assert spell(letters("chet"), lexicon=LEXICON, channel=channel).text == "chet"  # unconfused letters stay


def test_a_channel_of_the_wrong_size_is_refused():
    with pytest.raises(UserError, match=r"a \(2, 2\) channel for 13 labels"):
        SpellingDecoder(LABELS, channel=np.eye(2))


def test_a_missed_double_is_repaired_by_the_word_list_only_when_the_word_is_known():
    script = [("a", 250), ("p", 400), ("l", 250), ("e", 250)]  # the double p was not signed as one
    strong = DecoderOptions(lm_weight=3.0)  # a missed double costs more evidence than a misread letter
    assert spell(script, options=strong).text == "aple"
    assert spell(script, lexicon=LEXICON, options=strong).text == "apple"
    assert spell(script, lexicon=Lexicon({"maple": 1, "ample": 1}), options=strong).text == "aple"


def test_a_motion_letter_replaces_the_frames_it_covers():
    decoder = SpellingDecoder(LABELS)
    decoder.add_labels(["j~"], ["j"])
    rows = frames([("a", 250), ("h", 400), ("t", 250)], 30)  # the j's frames read as h (its start shape)
    for t, row, centre in rows:
        decoder.moving(250 <= t < 650)
        decoder.push(t, row, centre, SIZE)
    assert decoder.push(rows[-1][0] + 33, None).word == "at"  # moving frames spell no static letter
    spelled = decoder.motion("j~", 250, 640)
    assert spelled.word == "ajt"
    assert decoder.finish().text == "ajt"


@pytest.mark.parametrize("held_ms, text", [(150, "ajt"), (900, "ahjt")], ids=["moment", "long-hold"])
def test_a_motion_letter_takes_its_start_shape_before_it_and_its_end_shape_after_it(held_ms, text):
    decoder = SpellingDecoder(LABELS)
    decoder.add_labels(["j"])
    script = [("a", 250), ("h", held_ms), ("h", 400), ("h", 100), ("t", 250)]  # still, moving, lingering
    rows = frames(script, 30)
    moving = (250 + held_ms, 250 + held_ms + 400)
    for t, row, centre in rows:
        decoder.moving(moving[0] <= t < moving[1])
        decoder.push(t, row, centre, SIZE)
        if moving[1] <= t < moving[1] + 34:  # the event comes when the movement has stopped
            decoder.motion("j", *moving)
    assert decoder.finish().text == text


def test_two_motion_letters_in_a_row_are_two_letters():
    decoder = SpellingDecoder(LABELS)
    decoder.add_labels(["z"])
    for first in (0.0, 400.0):
        for t in np.arange(first, first + 300, 33.3):
            decoder.moving(True)
            decoder.push(t, probabilities("d"), (300, 200), SIZE)
        decoder.moving(False)
        decoder.push(first + 320, None)
        decoder.motion("z", first, first + 300)
    assert decoder.finish().text == "zz"


def test_the_word_ends_within_300_ms_of_the_hand_leaving():
    script = [("c", 250), ("a", 250), ("t", 250), ("-", 600)]
    results = spell(script, every=True)
    times = [t for t, _, _ in frames(script, 30)]
    left = next(i for i, (_, row, _) in enumerate(frames(script, 30)) if row is None)
    gone = [i for i, r in enumerate(results) if r.ended]
    assert len(gone) == 1 and times[gone[0]] - times[left] <= 300
    assert results[gone[0]].ended[0] == "cat" and results[gone[0]].text == "cat" and results[gone[0]].word == ""
    assert all(r.word == "" and r.text == "cat" for r in results[gone[0]:])
    assert results[left - 1].word == "cat" and results[left - 1].text == ""


def test_a_short_drop_of_the_hand_does_not_end_the_word():
    assert spell([("c", 250), ("-", 200), ("a", 250), ("t", 250)]).text == "cat"


def test_backspace_takes_the_last_letter_of_the_word_in_progress_then_of_the_text():
    decoder = SpellingDecoder(LABELS)
    for t, row, centre in frames([("c", 250), ("a", 250), ("t", 250), ("-", 400), ("s", 250), ("e", 250)], 30):
        decoder.push(t, row, centre if row is not None else None, SIZE)
    decoder.backspace()  # "se" in progress loses its e; the e held now is not spelled again
    assert (decoder.text, decoder.push(1500, probabilities("e"), (300, 200), SIZE).word) == ("cat", "s")
    for t in np.arange(1533, 1800, 33.3):
        spelled = decoder.push(t, probabilities("t"), (300, 200), SIZE)
    assert spelled.word == "st"  # the word goes on after its remaining letters
    assert decoder.finish().text == "cat st"
    decoder.backspace()
    decoder.backspace()
    assert decoder.current().text == "cat "


def test_clear_empties_the_text_and_does_not_spell_the_held_sign_again():
    decoder = SpellingDecoder(LABELS)
    for t, row, centre in frames([("c", 250), ("a", 250), ("-", 400), ("s", 250)], 30):
        decoder.push(t, row, centre if row is not None else None, SIZE)
    decoder.clear()
    assert decoder.current() == Spelled("", "")
    for t in np.arange(1000, 1300, 33.3):
        decoder.push(t, probabilities("s"), (300, 200), SIZE)
    assert decoder.finish().text == ""


def test_after_a_clear_the_word_list_still_repairs_the_next_word():
    decoder = SpellingDecoder(LABELS, lexicon=LEXICON)
    script = [("c", 300), ("h", 250), ("e", 250, ("a", 0.5)), ("l", 250), ("p", 250), ("-", 400)]
    rows = frames(script, 30)
    for i, (t, row, centre) in enumerate(rows):
        if i == 5:
            decoder.clear()  # while the c is held: it is not spelled
        decoder.push(t, row, centre if row is not None else None, SIZE)
    assert decoder.text == "help"  # read "halp", repaired by the list as any word is


def test_a_backspace_with_the_hand_gone_still_ends_the_word():
    decoder = SpellingDecoder(LABELS)
    for t, row, centre in frames([("c", 250), ("a", 250), ("t", 250), ("-", 100)], 30):
        decoder.push(t, row, centre if row is not None else None, SIZE)
    decoder.backspace()
    for t in np.arange(850, 1300, 33.3):
        decoder.push(t)
    assert decoder.text == "ca"


def test_a_label_writes_its_letter_by_default():
    assert SpellingDecoder(["0-o", "b", "Ң"]).texts == ["o", "b", "Ң"]


@pytest.mark.parametrize("settings, message", [
    ({"letter_ms": 0}, "letter_ms must be above 0"),
    ({"blank_prob": 1.5}, "blank_prob"),
    ({"still_speed": 3.0}, "must be below move_speed"),
    ({"alternatives": 0}, "at least 1"),
], ids=["letter", "blank", "speeds", "alternatives"])
def test_bad_options_name_the_setting(settings, message):
    with pytest.raises(UserError, match=message):
        DecoderOptions(**settings)


def test_texts_must_match_labels():
    with pytest.raises(UserError, match="one text per label"):
        SpellingDecoder(["a", "b"], texts=["a"])


@pytest.mark.parametrize("script, text", [
    ([("h", 250), ("a", 250, "e"), ("l", 250), ("p", 250)], "help"),
    ([("p", 250), ("e", 250), ("o", 250), ("p", 250), ("l", 250), ("a", 250, "e")], "people"),
    (letters("chet"), "chet"),
], ids=["repaired", "repaired-at-the-end", "name-kept"])
def test_with_the_shipped_english_list(script, text):
    assert spell(script, lexicon=load_lexicon("en")).text == text

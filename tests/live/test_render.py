from types import SimpleNamespace

import numpy as np
import pytest

from live.render import AMBER, Overlay, TextPainter, unicode_font_path
from live.loop import LABEL, NO_HAND


@pytest.fixture(scope="module")
def painter():
    return TextPainter()


def drawn(painter, text, size=40):
    image = np.zeros((80, 160, 3), np.uint8)
    painter.draw(image, text, (5, 5), size)
    return image


def test_the_font_comes_from_matplotlib():
    assert unicode_font_path().name == "DejaVuSans.ttf"


@pytest.mark.parametrize("letter", ["Қ", "Ә", "Ұ", "Ж"], ids=["qa", "schwa", "u-bar", "zhe"])
def test_cyrillic_letters_are_drawn_as_their_own_glyphs(painter, letter):
    image = drawn(painter, letter)
    assert (image > 0).any(axis=2).sum() > 50  # pixels were drawn
    assert not np.array_equal(image, drawn(painter, "?"))  # not a question mark
    assert not np.array_equal(image, drawn(painter, "\ue000"))  # not the missing-glyph box


def test_text_outside_the_image_is_clipped_not_an_error(painter):
    image = np.zeros((20, 20, 3), np.uint8)
    painter.draw(image, "Әліпби", (-10, 12), 30)
    painter.draw(image, "Ә", (50, 50), 30)
    assert image[12:].any() and not image[:12].any()


def test_rendered_text_is_made_once(painter):
    painter.draw(np.zeros((40, 40, 3), np.uint8), "Ғ", (0, 0), 20)
    before = painter._mask.cache_info().hits
    painter.draw(np.zeros((40, 40, 3), np.uint8), "Ғ", (0, 0), 20)
    assert painter._mask.cache_info().hits == before + 1


def result(state, label=None, confidence=None, hand=None):
    return SimpleNamespace(state=state, label=label, confidence=confidence, hand=hand)


def test_overlay_draws_label_bar_and_landmarks():
    frame = np.full((480, 640, 3), 120, np.uint8)
    landmarks = np.column_stack([np.linspace(0.3, 0.7, 21), np.linspace(0.4, 0.8, 21), np.zeros(21)])
    out = Overlay().draw(frame, result(LABEL, "Ә", 0.8, SimpleNamespace(landmarks=landmarks)), "ӘБ", 30.0)
    assert out is frame
    label_box = frame[6:50, 10:40]
    assert (label_box[..., 1] > 150).sum() > 30  # green glyph pixels on the darkened band
    assert (frame[240:400, 200:460] != 120).any(axis=2).sum() > 100  # the skeleton


def test_overlay_without_a_hand_says_so():
    plain = np.full((480, 640, 3), 120, np.uint8)
    frame = plain.copy()
    Overlay().draw(frame, result(NO_HAND), "", 0.0)
    assert (frame[240:400, 200:460] == 120).all()  # nothing drawn where a hand would be
    assert (frame[10:30, 10:80] > 100).any()  # the "no hand" note


def test_the_word_being_spelled_is_drawn_after_the_text_in_another_colour():
    def ambers(frame):
        return ((np.abs(frame.astype(int) - AMBER) < 40).all(axis=2)).sum()

    without, with_word = (np.full((480, 640, 3), 120, np.uint8) for _ in range(2))
    Overlay().draw(without, result(NO_HAND), "cat", 30.0)
    Overlay().draw(with_word, result(NO_HAND), "cat", 30.0, word="do")
    bottom = slice(480 - 48, 480)
    assert ambers(without[bottom]) == 0 and ambers(with_word[bottom]) > 30
    assert np.array_equal(without[bottom, :40], with_word[bottom, :40])  # the text is where it was

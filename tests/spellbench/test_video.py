import cv2
import numpy as np
import pytest

from spellbench.video import BASE_FPS, Photo, Recipe, plan, render, write_word_videos


def photos(n=3):
    rng = np.random.default_rng(0)
    return [Photo.of(rng.integers(0, 255, (60, 40, 3), dtype=np.uint8)) for _ in range(n)]


def test_a_word_is_lead_letters_then_the_hand_gone():
    recipe = Recipe()
    layers, _ = plan([0, 1, 2], 3.0, np.random.default_rng(0), recipe)
    lead = round(recipe.lead_ms * BASE_FPS / 1000)
    assert len(layers) == round((recipe.lead_ms + 1000 + recipe.gap_ms) * BASE_FPS / 1000)
    assert all(not frame for frame in layers[:lead]) and all(not frame for frame in layers[-14:])
    assert [frame[-1].photo for frame in layers[lead:lead + 30:10]] == [0, 1, 2]  # 10 frames a letter at 3/s


def test_a_new_letter_dissolves_in_over_two_frames():
    layers, _ = plan([0, 1], 3.0, np.random.default_rng(0))
    two = [frame for frame in layers if len(frame) == 2]
    assert len(two) == 2 and two[0][1].alpha < two[1][1].alpha and {layer.photo for layer in two[0]} == {0, 1}


@pytest.mark.parametrize("seed", range(5), ids=lambda s: f"seed{s}")
def test_a_double_letter_slides_sideways_the_same_photo(seed):
    recipe = Recipe()
    layers, size = plan([0, 0], 3.0, np.random.default_rng(seed), recipe)
    lead = round(recipe.lead_ms * BASE_FPS / 1000)
    first_end, second = layers[lead + 9][0], layers[lead + 19][0]
    assert all(len(frame) == 1 and frame[0].photo == 0 for frame in layers[lead:lead + 20])
    shift = np.subtract(second.centre, first_end.centre)
    assert recipe.slide[0] * size * 0.9 <= abs(shift[0]) and abs(shift[1]) < 0.1 * size


def test_rendered_frames_and_the_thinned_video(tmp_path):
    layers, size = plan([0, 1, 2], 5.0, np.random.default_rng(0))
    frames = list(render(photos(), layers, size, seed=1))
    assert len(frames) == len(layers) and frames[0].shape == (480, 640, 3) and frames[0].dtype == np.uint8
    paths = write_word_videos(photos(), layers, size, 1, {30: tmp_path / "a30.avi", 15: tmp_path / "a15.avi"})
    counts = {fps: int(cv2.VideoCapture(str(path)).get(cv2.CAP_PROP_FRAME_COUNT)) for fps, path in paths.items()}
    assert counts == {30: len(layers), 15: (len(layers) + 1) // 2}


def test_the_hand_is_scaled_by_its_palm():
    marks = np.zeros((21, 3))
    marks[:, :2] = (0.5, 0.8)
    marks[9, :2] = (0.5, 0.4)  # the middle knuckle 0.4 of 100 px above the wrist (and every other point)
    photo = Photo.of(np.zeros((100, 80, 3), np.uint8), marks)
    assert photo.palm == pytest.approx(40.0) and photo.hand_centre == pytest.approx((40.0, 60.0))

import numpy as np
import pytest

from motion.synth import CLIP_FRAMES, FRAME_SIZE, LEAD, MOTIONS, random_settings, render, trajectory


@pytest.mark.parametrize("motion", MOTIONS)
def test_the_hand_stays_inside_the_frame(motion):
    rng = np.random.default_rng(3)
    for _ in range(30):
        settings = random_settings(motion, rng)
        centres, _ = trajectory(settings)
        half = settings.hand_px / 2
        assert (centres.min(axis=0) >= half).all() and (centres.max(axis=0) <= np.array(FRAME_SIZE) - half).all()


@pytest.mark.parametrize("motion, least, most", [("still", 0, 0.1), ("j", 0.45, 1.5), ("z", 0.45, 1.5)],
                         ids=["still", "j", "z"])
def test_how_far_the_hand_travels_in_hand_sizes(motion, least, most):
    settings = random_settings(motion, np.random.default_rng(1))
    centres, _ = trajectory(settings)
    extent = np.ptp(centres, axis=0).max() / settings.hand_px
    assert least <= extent <= most


def test_a_j_holds_still_first_then_hooks_and_turns():
    settings = random_settings("j", np.random.default_rng(2))
    centres, angles = trajectory(settings)
    steps = np.linalg.norm(np.diff(centres, axis=0), axis=1)
    assert steps[: LEAD - 1].max() < 6 < steps.max()  # only jitter before the stroke
    assert abs(angles[-1] - angles[0]) > 20  # the wrist turns along the hook


def test_render_makes_640x480_rgb_frames_from_a_photo():
    photo = np.zeros((100, 80, 3), np.uint8)
    photo[30:70, 20:60] = (200, 150, 120)
    frames = render(photo, random_settings("z", np.random.default_rng(0)))
    assert len(frames) == CLIP_FRAMES
    assert frames[0].shape == (480, 640, 3) and frames[0].dtype == np.uint8
    # The skin-coloured patch is somewhere else at the end than at the start.
    where = [np.argwhere(f[:, :, 0] > 150).mean(axis=0) for f in (frames[0], frames[-1])]
    assert np.linalg.norm(where[0] - where[1]) > 50


def test_unknown_motion_is_rejected():
    with pytest.raises(ValueError, match="unknown motion 'wave'"):
        random_settings("wave", np.random.default_rng(0))

"""Real hand photos (data/samples) laid out as a recording session, for the `collect` tests."""
import numpy as np

from landmarks.images import read_rgb
from tests.conftest import SAMPLES

BLANK = np.full((100, 100, 3), 90, np.uint8)  # a frame without a hand
DISTRACTOR_DIGIT = 9  # its photos show a hand during countdowns; they must never be saved


def sample_photos(digit, count, start=0):
    """`count` RGB sample photos of `digit`, from the `start`-th (sorted by name)."""
    paths = sorted((SAMPLES / str(digit)).glob("*.JPG"))[start:start + count]
    assert len(paths) == count, f"data/samples/{digit} has too few photos"
    return [read_rgb(path) for path in paths]


def session_frames(photos_per_label, countdown, skip, distractor):
    """Frames a signer would produce when every label's photos should be saved exactly once.

    Per label: `countdown` frames of someone else's hand, then each photo held for `skip` + 1 frames
    (the repeats are the near-duplicates spacing must drop), with 1, 2, ... blank frames before the
    second, third, ... photo where a save is due. The last photo is shown once: it finishes the label.
    """
    frames = []
    for photos in photos_per_label:
        frames += [distractor] * countdown
        for k, photo in enumerate(photos):
            frames += [BLANK] * k
            frames += [photo] * (1 if k == len(photos) - 1 else skip + 1)
    return frames


def nearest(image, photos):
    """(index of the photo `image` looks like, mean absolute difference to it)."""
    diffs = [np.abs(image.astype(np.int16) - photo.astype(np.int16)).mean() for photo in photos]
    return int(np.argmin(diffs)), float(min(diffs))

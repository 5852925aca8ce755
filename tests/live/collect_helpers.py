"""Real hand photos (data/samples) laid out as a recording session, for the `collect` tests."""
import cv2
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


def write_video(frames, path, fps=30):
    height, width = frames[0].shape[:2]
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), fps, (width, height))
    assert writer.isOpened(), "this OpenCV cannot write MJPG video"
    for rgb in frames:
        writer.write(cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR))
    writer.release()
    return path


def write_folder(frames, folder):
    """An image-folder source: frame_00000.png, ... in order."""
    folder.mkdir(parents=True, exist_ok=True)
    for index, rgb in enumerate(frames):
        cv2.imwrite(str(folder / f"frame_{index:05d}.png"), cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR))
    return folder


def nearest(image, photos):
    """(index of the photo `image` looks like, mean absolute difference to it)."""
    diffs = [np.abs(image.astype(np.int16) - photo.astype(np.int16)).mean() for photo in photos]
    return int(np.argmin(diffs)), float(min(diffs))

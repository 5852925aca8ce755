"""Real photos turned into 640x480 videos and frame folders, and a model trained on other signers, for `live`."""
import shutil
from pathlib import Path

import cv2
import numpy as np

from landmarks.groups import read_groups, write_groups
from landmarks.images import read_rgb
from tests.conftest import SAMPLES

FRAME_SIZE = (640, 480)  # width, height: 4:3, while the photos are square
BLANK = np.full((FRAME_SIZE[1], FRAME_SIZE[0], 3), 110, np.uint8)


def sample_groups():
    """The shipped samples' {relative path: signer}."""
    return read_groups(SAMPLES / "groups.csv")


def photo_of(signer, digit):
    """The RGB sample photo of `digit` signed by `signer`."""
    paths = [p for p, g in sample_groups().items() if g == signer and p.startswith(f"{digit}/")]
    assert len(paths) == 1, f"data/samples has no single photo of {digit} by {signer}"
    return read_rgb(SAMPLES / paths[0])


def copy_signers(target, signers, rename=None):
    """Copy the samples of `signers` to target/<digit, or rename[digit]>/, with their groups.csv."""
    rename = rename or {}
    kept = {}
    for relpath, signer in sample_groups().items():
        if signer in signers:
            digit, name = relpath.split("/")
            kept[f"{rename.get(digit, digit)}/{name}"] = signer
            (Path(target) / rename.get(digit, digit)).mkdir(parents=True, exist_ok=True)
            shutil.copy2(SAMPLES / relpath, Path(target) / rename.get(digit, digit) / name)
    write_groups(kept, Path(target) / "groups.csv")
    return Path(target)


def train_on(root, signers, rename=None, classifiers="svm"):
    """Extract and train on the samples of `signers` (labels renamed by `rename`); return the models folder."""
    from classifiers.train import train
    from landmarks.extract import extract

    data = copy_signers(Path(root) / "photos", signers, rename)
    extract(data, Path(root) / "features.csv", workers=1)
    train(Path(root) / "features.csv", classifiers=classifiers, folds=3, out=Path(root) / "models")
    return Path(root) / "models"


def train_without(root, excluded, classifiers="svm"):
    """A model trained on every sample signer but `excluded`."""
    return train_on(root, set(sample_groups().values()) - set(excluded), classifiers=classifiers)


def to_frame(photo, left=140):
    """The square photo enlarged to the frame's height and widened to 640x480 by repeating its edges,
    off-centre (`left` of the 160 extra columns go on the left), like a wider camera view."""
    width, height = FRAME_SIZE
    big = cv2.resize(photo, (height, height), interpolation=cv2.INTER_CUBIC)
    return cv2.copyMakeBorder(big, 0, 0, left, width - height - left, cv2.BORDER_REPLICATE)


def write_video(frames, path, fps=30):
    height, width = frames[0].shape[:2]
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), fps, (width, height))
    assert writer.isOpened(), "this OpenCV cannot write MJPG video"
    for rgb in frames:
        writer.write(cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR))
    writer.release()
    return Path(path)


def write_folder(frames, folder):
    """An image-folder source: frame_00000.png, ... in order."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for index, rgb in enumerate(frames):
        cv2.imwrite(str(folder / f"frame_{index:05d}.png"), cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR))
    return folder

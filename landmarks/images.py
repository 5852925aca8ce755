"""Find labelled images in a folder and decode them to 8-bit RGB, naming what is wrong with bad ones."""
import unicodedata
from pathlib import Path

import cv2
import numpy as np

from landmarks.errors import UserError

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".bmp", ".webp"}
MIN_SIDE = 8
_SIGNATURES = (b"\xff\xd8", b"\x89PNG", b"BM", b"RIFF")


class DataDirError(UserError):
    """The data folder cannot be used; the message says why and what to do."""


class ImageError(ValueError):
    """One image cannot be used; `reason` is a short code for the failures file."""

    def __init__(self, reason, message):
        super().__init__(message)
        self.reason = reason


def list_labelled_images(data_dir):
    """[(relative posix path, label)] for every image in `data_dir/<label>/`, sorted by path.

    Labels are NFC-normalized: some file systems store letters such as Й decomposed.
    """
    root = Path(data_dir)
    if not root.is_dir():
        raise DataDirError(f"data folder {root} does not exist; pass a folder with one subfolder per label")
    labels = sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
    if not labels:
        raise DataDirError(f"data folder {root} has no label folders; put each label's images in {root}/<label>/")
    found = [
        (path.relative_to(root).as_posix(), unicodedata.normalize("NFC", label_dir.name))
        for label_dir in labels
        for path in sorted(label_dir.rglob("*"))
        if path.is_file() and path.suffix.lower() in IMAGE_SUFFIXES
    ]
    if not found:
        suffixes = ", ".join(sorted(IMAGE_SUFFIXES))
        raise DataDirError(f"data folder {root} has label folders but no images ({suffixes})")
    return found


def read_rgb(path):
    """Decode any supported image to an (H, W, 3) uint8 RGB array, or raise ImageError."""
    return decode_rgb(read_bytes(path), path)


def read_bytes(path):
    """The file's bytes as a uint8 array, or ImageError("unreadable")."""
    try:
        return np.fromfile(str(path), dtype=np.uint8)
    except OSError as error:
        raise ImageError("unreadable", f"{path}: {error.strerror or error}") from None


def decode_rgb(data, path):
    """An image file's bytes (read here or sent by `extract --send-images`) to uint8 RGB; `path` names it."""
    data = np.frombuffer(data, dtype=np.uint8)
    if data.size == 0:
        raise ImageError("empty_file", f"{path}: the file is empty")
    image = cv2.imdecode(data, cv2.IMREAD_UNCHANGED)
    if image is None:
        if data[:4].tobytes().startswith(_SIGNATURES):
            raise ImageError("unreadable", f"{path}: damaged or truncated image")
        raise ImageError("not_an_image", f"{path}: not an image file")
    if min(image.shape[:2]) < MIN_SIDE:
        raise ImageError("too_small", f"{path}: {image.shape[1]}x{image.shape[0]} px is too small for a hand")
    return to_rgb8(image)


def to_rgb8(image):
    """OpenCV's decoded image (gray, BGR or BGRA; 8 or 16 bit) to uint8 RGB."""
    if image.dtype == np.uint16:
        image = (image >> 8).astype(np.uint8)
    elif image.dtype != np.uint8:
        image = cv2.normalize(image, None, 0, 255, cv2.NORM_MINMAX).astype(np.uint8)
    if image.ndim == 2 or image.shape[2] == 1:
        return cv2.cvtColor(image, cv2.COLOR_GRAY2RGB)
    if image.shape[2] == 4:
        return cv2.cvtColor(image, cv2.COLOR_BGRA2RGB)
    return cv2.cvtColor(image, cv2.COLOR_BGR2RGB)

"""Find labelled images in a folder and decode them to 8-bit RGB, naming what is wrong with bad ones."""
import os
import unicodedata
import warnings
from io import BytesIO
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

from landmarks.errors import UserError

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".bmp", ".webp"}
MIN_SIDE = 8
MAX_PIXELS = 50_000_000  # a 32000 x 32000 PNG of 1 MB would otherwise decode to 3 GB
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
    return scan_labelled_images(data_dir)[0]


def scan_labelled_images(data_dir):
    """(images, problems): `list_labelled_images`, and [(relative path, label, reason, detail)] for
    what looks like an image or a folder of them but cannot be read: nothing is skipped unsaid."""
    root = Path(data_dir)
    if not root.is_dir():
        raise DataDirError(f"data folder {root} does not exist; pass a folder with one subfolder per label")
    found, problems = [], []
    labels = []
    for entry in _entries(root, problems, root):
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            labels.append(Path(entry.path))
        elif entry.is_symlink() and not os.path.exists(entry.path):
            problems.append((entry.name, entry.name, "broken_link", "a link that leads nowhere (or loops)"))
    if not labels and not problems:
        raise DataDirError(f"data folder {root} has no label folders; put each label's images in {root}/<label>/")
    for label_dir in sorted(labels):
        label = unicodedata.normalize("NFC", label_dir.name)
        for path in _walk(label_dir, root, problems, label, {os.path.realpath(label_dir)}):
            found.append((path.relative_to(root).as_posix(), label))
    if not found and not problems:
        suffixes = ", ".join(sorted(IMAGE_SUFFIXES))
        raise DataDirError(f"data folder {root} has label folders but no images ({suffixes})")
    return sorted(found), sorted(problems)


def _entries(folder, problems, root, label=""):
    """The folder's entries sorted by name; an unreadable folder becomes a problem."""
    try:
        with os.scandir(folder) as listing:
            return sorted(listing, key=lambda entry: entry.name)
    except OSError as error:
        where = Path(folder).relative_to(root).as_posix()
        problems.append((where, label or where, "unreadable_folder", f"{error.strerror or error}"))
        return []


def _walk(folder, root, problems, label, seen):
    """Image files under `folder` (links followed once, loops reported), recording problems."""
    for entry in _entries(folder, problems, root, label):
        path = Path(entry.path)
        relpath = path.relative_to(root).as_posix()
        is_image_name = path.suffix.lower() in IMAGE_SUFFIXES
        if entry.is_symlink() and not os.path.exists(path):
            problems.append((relpath, label, "broken_link", "a link that leads nowhere (or loops)"))
        elif entry.is_dir():
            real = os.path.realpath(path)
            if real in seen:
                problems.append((relpath, label, "link_loop", "a link back to a folder already read"))
                continue
            if is_image_name:
                problems.append((relpath, label, "not_a_file", "a folder named like an image"))
            yield from _walk(path, root, problems, label, seen | {real})
        elif is_image_name and not entry.is_file():
            problems.append((relpath, label, "not_a_file", "not a regular file (a pipe, socket or device)"))
        elif is_image_name:
            yield path


def read_rgb(path, max_pixels=MAX_PIXELS):
    """Decode any supported image to an (H, W, 3) uint8 RGB array, or raise ImageError.

    Images above `max_pixels` are refused from their header, before anything is decoded.
    """
    return decode_rgb(read_bytes(path), path, max_pixels)


def read_bytes(path):
    """The file's bytes as a uint8 array, or ImageError("unreadable")."""
    try:
        return np.fromfile(str(path), dtype=np.uint8)
    except OSError as error:
        raise ImageError("unreadable", f"{path}: {error.strerror or error}") from None


def decode_rgb(data, path, max_pixels=MAX_PIXELS):
    """An image file's bytes (read here or sent by `extract --send-images`) to uint8 RGB; `path` names it."""
    data = np.frombuffer(data, dtype=np.uint8)
    _check_size(path, data, max_pixels)
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


def _check_size(path, data, max_pixels):
    """Width and height from the header (Pillow reads no pixels in `open`); unknown formats pass on."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(BytesIO(data.tobytes())) as header:
                width, height = header.size
    except Image.DecompressionBombError:  # beyond even Pillow's own limit
        raise ImageError("too_large", f"{path}: more than {2 * Image.MAX_IMAGE_PIXELS / 1e6:g} megapixels") from None
    except Exception:  # noqa: BLE001 -- not an image Pillow knows; OpenCV's decoder says what it is
        return
    if max_pixels and width * height > max_pixels:
        raise ImageError("too_large", f"{path}: {width}x{height} px is more than the limit of "
                                      f"{max_pixels / 1e6:g} megapixels")


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

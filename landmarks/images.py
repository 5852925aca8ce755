"""Find labelled images in a folder and decode them to 8-bit RGB, naming what is wrong with bad ones."""
import os
import stat
import unicodedata
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

from landmarks.errors import UserError
from landmarks.image_size import HEAD_BYTES, image_format, pixel_size

# Names of the formats OpenCV decodes (and of photos it does not): where a folder may hold other files
# (a live or predict folder, the top of a data folder), a file so named is taken for an image.
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".jpe", ".jfif", ".png", ".bmp", ".dib", ".webp", ".gif", ".tif", ".tiff",
                  ".jp2", ".j2k", ".jpf", ".avif", ".ras", ".sr", ".pbm", ".pgm", ".ppm", ".pnm", ".pam", ".pfm",
                  ".hdr", ".pic", ".heic", ".heif", ".exr", ".jxl"}
MIN_SIDE = 8
MAX_PIXELS = 50_000_000  # a 32000 x 32000 PNG of 1 MB would otherwise decode to 3 GB
MAX_BYTES_PER_PIXEL = 16  # uncompressed 4 channels of 32-bit floats: no image file needs more


class DataDirError(UserError):
    """The data folder cannot be used; the message says why and what to do."""


class ImageError(ValueError):
    """One image cannot be used; `reason` is a short code for the failures file."""

    def __init__(self, reason, message):
        super().__init__(message)
        self.reason = reason


def list_labelled_images(data_dir):
    """[(relative posix path, label)] for every file in `data_dir/<label>/`, sorted by path.

    Labels are NFC-normalized: some file systems store letters such as Й decomposed.
    """
    return scan_labelled_images(data_dir)[0]


def scan_labelled_images(data_dir):
    """(images, problems): `list_labelled_images`, and [(relative path, label, reason, detail)] for
    everything else under `data_dir` that is not read: nothing is skipped unsaid. Files at the top
    that are not photos (groups.csv, README, LICENSE) are left alone."""
    root = Path(data_dir)
    if not root.is_dir():
        raise DataDirError(f"data folder {root} does not exist; pass a folder with one subfolder per label")
    problems, labels = [], []
    for entry in _entries(root, problems, root):
        name = shown(entry.name)
        if name != entry.name:
            problems.append((name, "", *_NOT_UTF8))
        elif entry.is_dir():
            if entry.name.startswith("."):
                problems.append((name, "", "hidden", "a hidden folder is not read; rename it without the "
                                                      "leading dot to use it as a label"))
            elif _identity(entry.path) in {_identity(folder) for folder in labels}:
                problems.append((name, name, "link_loop", "a link to another label's folder"))
            else:
                labels.append(Path(entry.path))
        elif entry.is_symlink() and not os.path.exists(entry.path):
            problems.append((name, name, "broken_link", "a link that leads nowhere (or loops)"))
        elif not entry.is_file() and Path(entry.name).suffix.lower() in IMAGE_SUFFIXES:
            problems.append((name, "", "not_a_file", "not a regular file (a pipe, socket or device)"))
        elif looks_like_image(entry.path):
            problems.append((name, "", "no_label", f"a photo at the top of the data folder has no label; "
                                                   f"move it into {root}/<label>/"))
    if not labels and all(problem[2] == "no_label" for problem in problems):
        raise DataDirError(f"data folder {root} has no label folders; put each label's images in {root}/<label>/")
    found = []
    visited = {_identity(folder) for folder in labels}
    for label_dir in sorted(labels):
        label = unicodedata.normalize("NFC", label_dir.name)
        for path in walk_files(label_dir, root, problems, label, visited):
            found.append((path.relative_to(root).as_posix(), label))
    if not found and not problems:
        raise DataDirError(f"data folder {root} has label folders but no images in them")
    return sorted(found), sorted(problems)


_NOT_UTF8 = ("name_not_utf8", "the name is not valid UTF-8 (shown escaped); rename it to use it")


def shown(name):
    """`name` as it can be printed and written to a UTF-8 file: bytes that are not UTF-8 escaped (\\xff)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(name).decode("utf-8", "backslashreplace")
    return name


def _identity(path):
    """What tells two folders apart whatever the links leading to them: (device, inode)."""
    try:
        found = os.stat(path)
    except OSError:
        return None
    return found.st_dev, found.st_ino


def looks_like_image(path):
    """A regular file named like an image or starting like one (a photo without an extension)."""
    if not os.path.isfile(path):
        return False
    if Path(path).suffix.lower() in IMAGE_SUFFIXES:
        return True
    try:
        with open(path, "rb") as handle:
            return image_format(handle.read(HEAD_BYTES))[0] is not None
    except OSError:
        return False


def _entries(folder, problems, root, label=""):
    """The folder's entries sorted by name; an unreadable folder becomes a problem."""
    try:
        with os.scandir(folder) as listing:
            return sorted(listing, key=lambda entry: entry.name)
    except OSError as error:
        where = shown(Path(folder).relative_to(root).as_posix())
        problems.append((where, label or where, "unreadable_folder", f"{error.strerror or error}"))
        return []


def walk_files(folder, root, problems, label, visited):
    """Every regular file under `folder` (sorted, links followed), recording in `problems` what is
    not one: links that lead nowhere, folders seen before (by device and inode: loops and second
    ways in), pipes, sockets and devices (never opened), hidden and non-UTF-8 names."""
    pending = [Path(folder)]
    while pending:
        for entry in _entries(pending.pop(), problems, root, label):
            path = Path(entry.path)
            relpath = shown(path.relative_to(root).as_posix())
            if relpath != path.relative_to(root).as_posix():
                problems.append((relpath, label, *_NOT_UTF8))
            elif entry.name.startswith("."):
                problems.append((relpath, label, "hidden", "a hidden file or folder is not read; rename it "
                                                           "without the leading dot to use it"))
            elif entry.is_symlink() and not os.path.exists(path):
                problems.append((relpath, label, "broken_link", "a link that leads nowhere (or loops)"))
            elif entry.is_dir():
                identity = _identity(path)
                if identity is not None and identity in visited:
                    problems.append((relpath, label, "link_loop", "a link to a folder already read"))
                    continue
                visited.add(identity)
                if path.suffix.lower() in IMAGE_SUFFIXES:
                    problems.append((relpath, label, "not_a_file", "a folder named like an image"))
                pending.append(path)
            elif not entry.is_file():
                problems.append((relpath, label, "not_a_file", "not a regular file (a pipe, socket or device)"))
            else:
                yield path


def read_rgb(path, max_pixels=MAX_PIXELS):
    """Decode any supported image to an (H, W, 3) uint8 RGB array, or raise ImageError.

    Images above `max_pixels` are refused from their header, before anything is decoded.
    """
    return decode_rgb(read_bytes(path, max_pixels), path, max_pixels)


def read_bytes(path, max_pixels=MAX_PIXELS):
    """The file's bytes as a uint8 array, or ImageError: a pipe, socket or device is never waited on,
    and a file too big to hold `max_pixels` pixels is not read."""
    try:
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as error:
        raise ImageError("unreadable", f"{shown(str(path))}: {error.strerror or error}") from None
    with open(handle, "rb") as file:
        status = os.fstat(file.fileno())
        if not stat.S_ISREG(status.st_mode):
            raise ImageError("not_a_file", f"{shown(str(path))}: not a regular file (a folder, pipe, socket or device)")
        if max_pixels and status.st_size > MAX_BYTES_PER_PIXEL * max_pixels + (1 << 20):
            raise ImageError("too_large", f"{shown(str(path))}: {status.st_size / 1e6:.0f} MB is more than an image "
                                          f"of the limit of {max_pixels / 1e6:g} megapixels can take")
        try:
            return np.frombuffer(file.read(), dtype=np.uint8)
        except OSError as error:
            raise ImageError("unreadable", f"{shown(str(path))}: {error.strerror or error}") from None


def decode_rgb(data, path, max_pixels=MAX_PIXELS):
    """An image file's bytes (read here or sent by `extract --send-images`) to uint8 RGB; `path` names it.

    The format comes from the bytes, never the name; its header must fit `max_pixels` before decoding."""
    data = np.frombuffer(data, dtype=np.uint8)
    path = shown(str(path))
    if data.size == 0:
        raise ImageError("empty_file", f"{path}: the file is empty")
    kind, name = image_format(data[:HEAD_BYTES].tobytes())
    if kind is None:
        raise ImageError("not_an_image", f"{path}: not an image file")
    if kind == "unsupported":
        raise ImageError("unsupported_format", f"{path}: a {name} image, which OpenCV cannot decode here; "
                                               "convert it to JPEG or PNG")
    _check_size(path, name, data, max_pixels)
    try:
        image = cv2.imdecode(data, cv2.IMREAD_UNCHANGED)
    except cv2.error:  # OpenCV's own checks of the header (e.g. a side over its limit)
        image = None
    if image is None:
        raise ImageError("unreadable", f"{path}: damaged or truncated {name} image")
    if min(image.shape[:2]) < MIN_SIDE:
        raise ImageError("too_small", f"{path}: {image.shape[1]}x{image.shape[0]} px is too small for a hand")
    return to_rgb8(image)


def _check_size(path, name, data, max_pixels):
    """Width and height from the header, read without decoding any pixel."""
    try:
        width, height = pixel_size(name, data)
    except Image.DecompressionBombError:  # beyond even Pillow's own limit
        raise ImageError("too_large", f"{path}: more than {2 * Image.MAX_IMAGE_PIXELS / 1e6:g} megapixels") from None
    except ValueError as error:
        raise ImageError("unreadable", f"{path}: {error}; its size cannot be read") from None
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

"""Find motion clips in a data folder (videos, or folders of numbered frames) and read their frames."""
import re
import stat
import unicodedata
from pathlib import Path

import cv2

from landmarks.errors import UserError
from landmarks.images import IMAGE_SUFFIXES, ImageError, read_rgb

VIDEO_SUFFIXES = {".avi", ".mp4", ".mov", ".mkv", ".webm", ".m4v"}
CLIP_FPS = 30.0


def is_clip(path):
    """A video file, or a folder holding images (the frames, in name order). A pipe or a broken link
    named like a video counts too: it is listed, and `read_frames` refuses it without opening it."""
    path = Path(path)
    if path.is_dir():
        return any(p.suffix.lower() in IMAGE_SUFFIXES for p in path.iterdir())
    return path.suffix.lower() in VIDEO_SUFFIXES


def list_clips(data_dir):
    """[(relative posix path, label)] of every clip in `data_dir/<label>/`, sorted; labels NFC."""
    root = Path(data_dir)
    if not root.is_dir():
        raise UserError(f"data folder {root} does not exist; pass a folder with one subfolder per label")
    found = [(clip.relative_to(root).as_posix(), unicodedata.normalize("NFC", label_dir.name))
             for label_dir in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
             for clip in sorted(label_dir.iterdir()) if not clip.name.startswith(".") and is_clip(clip)]
    if not found:
        raise UserError(f"data folder {root} has no clips; put each label's videos ({', '.join(sorted(VIDEO_SUFFIXES))}) "
                        f"or numbered-frame folders in {root}/<label>/")
    return found


def _frame_number(path):
    """Sort frames by the last number in their name, so frame_2 comes before frame_10."""
    numbers = re.findall(r"\d+", path.stem)
    return (int(numbers[-1]) if numbers else -1, path.name)


def read_frames(path):
    """Yield (t_ms, RGB frame or None when a frame cannot be decoded) for a video file or frame folder."""
    path = Path(path)
    if path.is_dir():
        files = sorted((p for p in path.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES), key=_frame_number)
        for index, file in enumerate(files):
            try:
                yield index * 1000.0 / CLIP_FPS, read_rgb(file)
            except ImageError:
                yield index * 1000.0 / CLIP_FPS, None
        return
    try:
        regular = stat.S_ISREG(path.stat().st_mode)
    except OSError as error:
        raise ImageError("unreadable", f"{path}: {error.strerror or error}") from None
    if not regular:  # opening a pipe to read would wait for a writer for ever
        raise ImageError("not_a_file", f"{path}: not a regular file (a pipe, socket or device)")
    capture = cv2.VideoCapture(str(path))
    if not capture.isOpened():
        raise ImageError("unreadable", f"{path}: cannot be opened as a video")
    try:
        index = 0
        while True:
            ok, bgr = capture.read()
            if not ok:
                return
            yield index * 1000.0 / CLIP_FPS, cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB) if bgr is not None else None
            index += 1
    finally:
        capture.release()

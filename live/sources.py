"""Frames from a camera index, a video file or a folder of images, all behind one iterator."""
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from landmarks.errors import UserError
from landmarks.images import IMAGE_SUFFIXES, ImageError, read_rgb
from landmarks.option_ranges import check_source, is_camera

FOLDER_FPS = 30.0


@dataclass
class Frame:
    index: int
    t_ms: float  # the source's timestamp
    rgb: object  # (H, W, 3) uint8 RGB, or None for a frame that could not be decoded
    decode_ms: float


class FrameSource:
    """Iterate `Frame`s; `tracking` says whether MediaPipe's video (tracking) mode applies."""

    def __init__(self, spec):
        self.spec = str(spec)
        path = Path(self.spec)
        if is_camera(self.spec):
            check_source(self.spec)
            self.kind, self.tracking = "camera", True
        elif path.is_dir():
            self.kind, self.tracking = "folder", False
            self._files = sorted(p for p in path.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)
            if not self._files:
                raise UserError(f"image folder {path} has no images; pass a folder of jpg/png frames")
        elif path.is_file():
            self.kind, self.tracking = "video", True
        else:
            raise UserError(f"source {self.spec} is not a camera index, a video file or an image folder")
        self._capture = None
        self.read = 0  # frames the source delivered
        self.stated = 0  # frames a video file says it has (0: unknown)
        self.ended = False  # the source ran out (rather than the run stopping early)
        if self.kind != "folder":
            self._capture = cv2.VideoCapture(int(self.spec) if self.kind == "camera" else self.spec)
            if not self._capture.isOpened():
                what = f"camera {self.spec}" if self.kind == "camera" else f"video {self.spec}"
                raise UserError(f"{what} cannot be opened; check that it exists and is readable")
            if self.kind == "video":
                self.stated = max(0, int(self._capture.get(cv2.CAP_PROP_FRAME_COUNT) or 0))

    def __iter__(self):
        return self._folder_frames() if self.kind == "folder" else self._capture_frames()

    def _folder_frames(self):
        for index, path in enumerate(self._files):
            start = cv2.getTickCount()
            try:
                rgb = read_rgb(path)
            except ImageError:
                rgb = None
            yield Frame(index, index * 1000.0 / FOLDER_FPS, rgb, _ms_since(start))

    def _capture_frames(self):
        index, last_t = 0, -1.0
        while True:
            start = cv2.getTickCount()
            ok, bgr = self._capture.read()
            if not ok:
                self.ended = True
                return
            t_ms = self._capture.get(cv2.CAP_PROP_POS_MSEC) if self.kind == "video" else _now_ms()
            t_ms = max(t_ms, last_t + 1.0)  # tracking mode needs strictly increasing timestamps
            last_t = t_ms
            rgb = cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB) if _is_frame(bgr) else None
            self.read += 1
            yield Frame(index, t_ms, rgb, _ms_since(start))
            index += 1

    def shortfall(self):
        """A summary fragment when a video ended before the frame count it states, else ""."""
        if self.kind == "video" and self.ended and self.read < self.stated:
            return (f"; the video ended after {self.read} of the {self.stated} frames it states "
                    "(truncated or damaged)")
        return ""

    def close(self):
        if self._capture is not None:
            self._capture.release()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _is_frame(bgr):
    return isinstance(bgr, np.ndarray) and bgr.ndim == 3 and bgr.shape[2] == 3 and bgr.size > 0


def _ms_since(tick):
    return (cv2.getTickCount() - tick) * 1000.0 / cv2.getTickFrequency()


def _now_ms():
    return cv2.getTickCount() * 1000.0 / cv2.getTickFrequency()

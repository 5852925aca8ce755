"""The window overlay: landmarks, label, confidence bar, fps, spelled text and the word being spelled.

OpenCV's putText only knows ASCII, so text is drawn with Pillow and a Unicode TrueType font
(DejaVu Sans, which matplotlib ships) and alpha-blended into the frame.
"""
from functools import lru_cache
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from landmarks.errors import UserError
from landmarks.points import HandPoint as P
from live.loop import LABEL, NO_HAND

HAND_LINES = [
    (P.WRIST, P.THUMB_CMC), (P.THUMB_CMC, P.THUMB_MCP), (P.THUMB_MCP, P.THUMB_IP), (P.THUMB_IP, P.THUMB_TIP),
    (P.WRIST, P.INDEX_FINGER_MCP), (P.INDEX_FINGER_MCP, P.INDEX_FINGER_PIP),
    (P.INDEX_FINGER_PIP, P.INDEX_FINGER_DIP), (P.INDEX_FINGER_DIP, P.INDEX_FINGER_TIP),
    (P.MIDDLE_FINGER_MCP, P.MIDDLE_FINGER_PIP), (P.MIDDLE_FINGER_PIP, P.MIDDLE_FINGER_DIP),
    (P.MIDDLE_FINGER_DIP, P.MIDDLE_FINGER_TIP), (P.RING_FINGER_MCP, P.RING_FINGER_PIP),
    (P.RING_FINGER_PIP, P.RING_FINGER_DIP), (P.RING_FINGER_DIP, P.RING_FINGER_TIP),
    (P.WRIST, P.PINKY_MCP), (P.PINKY_MCP, P.PINKY_PIP), (P.PINKY_PIP, P.PINKY_DIP), (P.PINKY_DIP, P.PINKY_TIP),
    (P.INDEX_FINGER_MCP, P.MIDDLE_FINGER_MCP), (P.MIDDLE_FINGER_MCP, P.RING_FINGER_MCP),
    (P.RING_FINGER_MCP, P.PINKY_MCP),
]
WHITE, GREEN, AMBER, GRAY = (255, 255, 255), (60, 200, 90), (240, 180, 40), (150, 150, 150)


def unicode_font_path():
    """DejaVuSans.ttf from matplotlib's data folder: it covers Latin, Cyrillic (Kazakh too) and Greek."""
    import matplotlib

    path = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"
    if not path.is_file():
        raise UserError(f"font {path} not found; reinstall matplotlib (pip install -r requirements.txt)")
    return path


class TextPainter:
    """Draws Unicode text into RGB images; each font and each rendered string is made once."""

    def __init__(self, font_path=None, cache_size=256):
        self.font_path = Path(font_path or unicode_font_path())
        self._fonts = {}
        self._mask = lru_cache(maxsize=cache_size)(self._render_mask)

    def font(self, size):
        if size not in self._fonts:
            self._fonts[size] = ImageFont.truetype(str(self.font_path), size)
        return self._fonts[size]

    def _render_mask(self, text, size):
        """The text's coverage as a (h, w) float32 alpha mask in 0..1.

        Row 0 is the font's ascender line (or the ink's top, if higher), so every string drawn at
        the same y shares one baseline.
        """
        font = self.font(size)
        left, top, right, bottom = font.getbbox(text)
        top, bottom = min(top, 0), max(bottom, sum(font.getmetrics()))
        mask = Image.new("L", (max(1, right - left), max(1, bottom - top)), 0)
        ImageDraw.Draw(mask).text((-left, -top), text, font=font, fill=255)
        return np.asarray(mask, dtype=np.float32) / 255.0

    def size_of(self, text, size):
        """(width, height) in pixels of `text` drawn at `size`."""
        mask = self._mask(text, size)
        return mask.shape[1], mask.shape[0]

    def draw(self, image, text, xy, size, color=WHITE):
        """Blend `text` into `image` (H, W, 3 uint8, changed in place) with its top-left at `xy`."""
        if not text:
            return
        mask = self._mask(text, size)
        x, y = int(xy[0]), int(xy[1])
        height, width = image.shape[:2]
        x0, y0, x1, y1 = max(x, 0), max(y, 0), min(x + mask.shape[1], width), min(y + mask.shape[0], height)
        if x0 >= x1 or y0 >= y1:
            return
        alpha = mask[y0 - y : y1 - y, x0 - x : x1 - x, None]
        region = image[y0:y1, x0:x1]
        region[:] = (region * (1.0 - alpha) + np.asarray(color, np.float32) * alpha).astype(np.uint8)


def draw_landmarks(image, landmarks):
    """The hand skeleton; `landmarks` are (21, 3) fractions of the image size."""
    height, width = image.shape[:2]
    points = np.round(landmarks[:, :2] * (width, height)).astype(int)
    for start, end in HAND_LINES:
        cv2.line(image, tuple(points[start]), tuple(points[end]), GREEN, 2, cv2.LINE_AA)
    for point in points:
        cv2.circle(image, tuple(point), 3, WHITE, -1, cv2.LINE_AA)


def shade(image, top, bottom):
    """Darken a full-width band so text stays readable on any background."""
    band = image[max(top, 0) : max(bottom, 0)]
    band[:] = band // 3


class Overlay:
    """Everything the window shows, drawn onto the RGB frame."""

    def __init__(self, painter=None):
        self.painter = painter or TextPainter()

    def draw(self, rgb, result, text, fps, word=""):
        """Draw onto `rgb` (changed in place) and return it. `word`: the decoder's guess of the word in
        progress, drawn after the committed `text` in another colour."""
        height, width = rgb.shape[:2]
        scale = max(height, 240) / 480  # text and bars follow the frame size
        big, small = int(40 * scale), int(22 * scale)
        shade(rgb, 0, int(64 * scale))
        shade(rgb, height - int(48 * scale), height)
        if result.hand is not None:
            draw_landmarks(rgb, result.hand.landmarks)
        self._draw_answer(rgb, result, big, small, scale)
        fps_text = f"{fps:.0f} fps"
        self.painter.draw(rgb, fps_text, (width - self.painter.size_of(fps_text, small)[0] - 10, 8), small, GRAY)
        self._draw_text_line(rgb, text, word, int(28 * scale), height - int(40 * scale))
        return rgb

    def _draw_text_line(self, rgb, text, word, size, top):
        """The spelled text, the guess of the word in progress and a cursor after them (the end of a
        long line stays visible)."""
        if word and text:
            word = " " + word
        line = text + word
        room = rgb.shape[1] - 30
        while line and self.painter.size_of(line, size)[0] > room:  # a few tries: cut in proportion
            keep = int(len(line) * room / self.painter.size_of(line, size)[0])
            line = line[len(line) - min(keep, len(line) - 1):]
        text, word = line[: max(len(line) - len(word), 0)], line[max(len(line) - len(word), 0):]
        self.painter.draw(rgb, text, (10, top), size)
        left = 10 + (self.painter.size_of(text, size)[0] if text else 0)
        self.painter.draw(rgb, word, (left, top), size, AMBER)
        cursor = left + (self.painter.size_of(word, size)[0] if word else 0) + 4
        cv2.line(rgb, (cursor, top), (cursor, top + size), WHITE, 2)

    def _draw_answer(self, rgb, result, big, small, scale):
        if result.state == NO_HAND:
            self.painter.draw(rgb, "no hand", (10, 10), small, GRAY)
            return
        shown = result.label if result.state == LABEL else "?"
        color = GREEN if result.state == LABEL else AMBER
        self.painter.draw(rgb, shown, (10, 6), big, color)
        left = 20 + max(self.painter.size_of(shown, big)[0], int(30 * scale))
        bar_width, bar_top, bar_bottom = int(200 * scale), int(18 * scale), int(42 * scale)
        cv2.rectangle(rgb, (left, bar_top), (left + bar_width, bar_bottom), GRAY, 1)
        filled = left + int(round(bar_width * result.confidence))
        cv2.rectangle(rgb, (left, bar_top), (filled, bar_bottom), color, -1)
        self.painter.draw(rgb, f"{result.confidence:.0%}", (left + bar_width + 10, bar_top), small)

"""The `collect` window: the frame with its landmarks, the label to sign (any script), progress and keys.

Text and landmarks are drawn by live/render.py, the same code the `live` window uses.
"""
import math

import cv2
import numpy as np

from collection.session import COUNTDOWN, DONE
from live.render import AMBER, GRAY, GREEN, WHITE, TextPainter, draw_landmarks, shade
from live.window import CvWindow

WINDOW = "handsign collect"
VIEW_HEIGHT = 480  # small frames (e.g. 100x100 photos) are enlarged so the text fits
COUNTDOWN_FPS = 30  # the countdown is counted in frames; shown as seconds of a 30 fps camera
KEYS_HELP = "space pause · r redo · q quit"


def status_line(status):
    if status.paused:
        return f"paused, {status.saved}/{status.count} saved: space resumes"
    if status.phase == COUNTDOWN:
        return f"get ready: {math.ceil(status.countdown_left / COUNTDOWN_FPS)}"
    if status.phase == DONE:
        return "done"
    return f"recording {status.saved}/{status.count}"


class CollectView:
    def __init__(self, painter=None):
        self.painter = painter or TextPainter()

    def compose(self, rgb, hand, status):
        """A new RGB image for one frame; the frame itself is left as it was (it may be saved)."""
        if rgb is None:
            image = np.zeros((VIEW_HEIGHT, VIEW_HEIGHT * 4 // 3, 3), np.uint8)
        else:
            scale = max(1.0, VIEW_HEIGHT / rgb.shape[0])
            image = cv2.resize(rgb, None, fx=scale, fy=scale, interpolation=cv2.INTER_LINEAR)
        if hand is not None:
            draw_landmarks(image, hand.landmarks)
        height = image.shape[0]
        big, small = height // 6, height // 22
        shade(image, 0, big + small + 16)  # dark bands keep the text readable on any background
        shade(image, height - 2 * small - 20, height)
        self.painter.draw(image, status.label or "", (12, 4), big, WHITE)
        self.painter.draw(image, f"{status.position}/{status.total}", (14, big + 10), small, GRAY)
        color = AMBER if status.paused or status.phase == COUNTDOWN else GREEN
        self.painter.draw(image, status_line(status), (12, height - 2 * small - 14), small, color)
        self.painter.draw(image, KEYS_HELP, (12, height - small - 6), small, GRAY)
        return image


class CollectWindow(CvWindow):
    """The `collect` window; `show` returns the key pressed (" ", "r", "q", ...) or None."""

    def __init__(self, view=None):
        super().__init__(WINDOW)
        self.view = view or CollectView()

    def show(self, rgb, hand, status):
        key = self.present(self.view.compose(rgb, hand, status))
        if key in (self.CLOSED, 27):
            return "q"  # Esc or closing the window: same as quitting
        return chr(key).lower() if key is not None else None

"""The `collect` window: the frame with its landmarks, the label to sign (any script), progress and keys.

Text and landmarks are drawn by live/render.py, the same code the `live` window uses.
"""
import math

import cv2
import numpy as np

from landmarks.errors import UserError
from live.collect_session import COUNTDOWN, DONE
from live.render import AMBER, GRAY, GREEN, WHITE, TextPainter, draw_landmarks
from live.window import has_display

WINDOW = "handsign collect"
VIEW_HEIGHT = 480  # small frames (e.g. 100x100 photos) are enlarged so the text fits
COUNTDOWN_FPS = 30  # the countdown is counted in frames; shown as seconds of a 30 fps camera
KEYS_HELP = "space pause · r redo · q quit"


def check_display():
    if not has_display():
        raise UserError("there is no display to open the collect window on; pass --headless, "
                        "or run under a desktop or `xvfb-run`")


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
        image[: big + small + 16] //= 3  # dark bands keep the text readable on any background
        image[height - 2 * small - 20:] //= 3
        self.painter.draw(image, status.label or "", (12, 4), big, WHITE)
        self.painter.draw(image, f"{status.position}/{status.total}", (14, big + 10), small, GRAY)
        color = AMBER if status.paused or status.phase == COUNTDOWN else GREEN
        self.painter.draw(image, status_line(status), (12, height - 2 * small - 14), small, color)
        self.painter.draw(image, KEYS_HELP, (12, height - small - 6), small, GRAY)
        return image


class CollectWindow:
    """An OpenCV window; `show` returns the key pressed (" ", "r", "q", ...) or None."""

    def __init__(self, view=None):
        check_display()
        self.view = view or CollectView()
        cv2.namedWindow(WINDOW, cv2.WINDOW_AUTOSIZE)

    def show(self, rgb, hand, status):
        cv2.imshow(WINDOW, cv2.cvtColor(self.view.compose(rgb, hand, status), cv2.COLOR_RGB2BGR))
        code = cv2.waitKey(1)
        if code >= 0 and code & 0xFF == 27 or cv2.getWindowProperty(WINDOW, cv2.WND_PROP_VISIBLE) < 1:
            return "q"  # Esc or closing the window: same as quitting
        return chr(code & 0xFF).lower() if code >= 0 else None

    def close(self):
        try:
            cv2.destroyWindow(WINDOW)
            cv2.waitKey(1)  # lets the GUI thread actually remove the window
        except cv2.error:
            pass  # already closed with the mouse

"""The OpenCV window of `live`: shows the overlay and turns key presses into actions."""
import os
import sys
import time

import cv2

from landmarks.errors import UserError
from live.render import Overlay

QUIT, CLEAR, BACKSPACE = "quit", "clear", "backspace"
KEYS = {ord("q"): QUIT, 27: QUIT, ord("c"): CLEAR, 8: BACKSPACE, 127: BACKSPACE}  # 27 Esc; 8/127 backspace


def has_display():
    """False where opening a window would abort the process (Linux without X11 or Wayland)."""
    if not sys.platform.startswith("linux"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


class Window:
    """One window for the whole run; use as a `with` block."""

    def __init__(self, title="handsign live", overlay=None):
        if not has_display():
            raise UserError("there is no display to open a window on; pass --headless (with --output FILE), "
                            "or run under a desktop or `xvfb-run`")
        self.title = title
        self.overlay = overlay or Overlay()
        self._fps, self._last = 0.0, None
        cv2.namedWindow(self.title, cv2.WINDOW_AUTOSIZE)

    def show(self, rgb, result, text):
        """Draw and show one frame; return QUIT, CLEAR, BACKSPACE or None."""
        self._tick()
        self.overlay.draw(rgb, result, text, self._fps)
        cv2.imshow(self.title, cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR))
        key = cv2.waitKey(1)
        if cv2.getWindowProperty(self.title, cv2.WND_PROP_VISIBLE) < 1:
            return QUIT  # closed with the mouse
        return KEYS.get(key & 0xFF) if key >= 0 else None

    def _tick(self):
        """Frames per second as shown: an exponential average, so the number is readable."""
        now = time.perf_counter()
        if self._last is not None and now > self._last:
            current = 1.0 / (now - self._last)
            self._fps = current if self._fps == 0 else 0.9 * self._fps + 0.1 * current
        self._last = now

    def close(self):
        try:
            cv2.destroyWindow(self.title)
            cv2.waitKey(1)  # lets the GUI thread actually remove the window
        except cv2.error:
            pass  # already closed with the mouse

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

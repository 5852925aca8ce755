"""The OpenCV window of `live`: shows the overlay and turns key presses into actions."""
import os
import subprocess
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


def require_display(headless_option):
    """Call before opening a camera: a clear error where no window can open."""
    if not has_display():
        raise UserError(f"there is no display to open a window on; pass {headless_option}, "
                        "or run under a desktop or `xvfb-run`")
    if sys.platform.startswith("linux"):
        reason = window_fails()
        if reason:
            display = os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
            raise UserError(f"no window opens on display {display} ({reason}); pass {headless_option}, "
                            "or fix DISPLAY (or run under `xvfb-run`)")


PROBE_SECONDS = 20
_PROBE = "import cv2; cv2.namedWindow('handsign'); cv2.waitKey(1); cv2.destroyAllWindows(); cv2.waitKey(1)"


def window_fails():
    """Why a window cannot open here, or "": Qt aborts the whole process (exit 134) on a display it
    cannot reach, so a child process tries first."""
    try:
        tried = subprocess.run([sys.executable, "-c", _PROBE], capture_output=True, text=True, errors="replace",
                               timeout=PROBE_SECONDS)
    except subprocess.TimeoutExpired:
        return f"no window within {PROBE_SECONDS} s"
    if tried.returncode == 0:
        return ""
    lines = [line.strip() for line in tried.stderr.splitlines() if line.strip()]
    return lines[0] if lines else f"the window test ended with exit code {tried.returncode}"


class CvWindow:
    """An OpenCV window that shows RGB frames and reports the key pressed; use as a `with` block."""

    CLOSED = -1  # `present` returns this when the window was closed with the mouse

    def __init__(self, title):
        self.title = title
        cv2.namedWindow(self.title, cv2.WINDOW_AUTOSIZE)

    def present(self, rgb):
        """Show `rgb`; return the key code pressed (0-255), None, or CLOSED."""
        cv2.imshow(self.title, cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR))
        code = cv2.waitKey(1)
        if cv2.getWindowProperty(self.title, cv2.WND_PROP_VISIBLE) < 1:
            return self.CLOSED
        return code & 0xFF if code >= 0 else None

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


class Window(CvWindow):
    """The `live` window: the overlay, and keys turned into actions."""

    def __init__(self, title="handsign live", overlay=None):
        super().__init__(title)
        self.overlay = overlay or Overlay()
        self._fps, self._last = 0.0, None

    def show(self, rgb, result, text, word=""):
        """Draw and show one frame; return QUIT, CLEAR, BACKSPACE or None."""
        self._tick()
        self.overlay.draw(rgb, result, text, self._fps, word)
        key = self.present(rgb)
        return QUIT if key == self.CLOSED else KEYS.get(key)

    def _tick(self):
        """Frames per second as shown: an exponential average, so the number is readable."""
        now = time.perf_counter()
        if self._last is not None and now > self._last:
            current = 1.0 / (now - self._last)
            self._fps = current if self._fps == 0 else 0.9 * self._fps + 0.1 * current
        self._last = now

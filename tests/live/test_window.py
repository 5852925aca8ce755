"""Window mode: key handling with a stand-in window, and a real run under a virtual X display (Xvfb)."""
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import cv2
import numpy as np
import pytest

from live import app, window
from live.render import TextPainter
from live.smoothing import LABEL, Speller
from tests.live.live_helpers import photo_of, to_frame, train_on, write_folder

REPO = Path(__file__).resolve().parents[2]
KAZAKH = dict(zip("0123456789", "ӘҒҚҢӨҰҮҺІЖ"))  # Kazakh letters as labels for the ten digit signs


class ScriptedWindow:
    """Stands in for the OpenCV window: returns the given key actions in order."""

    def __init__(self, actions):
        self.actions, self.texts = list(actions), []

    def show(self, rgb, result, text):
        self.texts.append(text)
        return self.actions.pop(0)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        pass


class ScriptedRecognizer:
    """Answers the given labels in order, always sure."""

    def __init__(self, labels):
        self.labels = list(labels)

    def process(self, frame):
        return SimpleNamespace(index=frame.index, t_ms=frame.t_ms, hand=None, state=LABEL,
                               label=self.labels.pop(0), confidence=1.0, timings={}, latency_ms=0.0)


def test_keys_delete_clear_and_quit(monkeypatch):
    scripted = ScriptedWindow([None, window.BACKSPACE, None, window.CLEAR, None, window.QUIT, None])
    monkeypatch.setattr(window, "Window", lambda: scripted)
    frames = [SimpleNamespace(index=i, t_ms=float(i), rgb=np.zeros((4, 4, 3), np.uint8)) for i in range(7)]
    times = SimpleNamespace(add=lambda result: None, skipped=0)
    log = SimpleNamespace(write=lambda result, text: None)
    recognizer = ScriptedRecognizer(["Қ", "Қ", "Ә", "Ә", "Ә", "Қ", "Қ"])
    app._windowed(frames, recognizer, Speller(hold=1, space_after=5), log, times)
    # Each frame's text is shown before its key acts. After c the held Ә is not spelled again.
    assert scripted.texts == ["Қ", "Қ", "Ә", "Ә", "", "Қ"]
    assert scripted.actions == [None]  # q stopped the run: the last frame was never shown


@pytest.mark.parametrize("code, action", [(ord("q"), window.QUIT), (27, window.QUIT), (ord("c"), window.CLEAR),
                                          (8, window.BACKSPACE), (127, window.BACKSPACE)],
                         ids=["q", "esc", "c", "backspace", "delete"])
def test_key_codes(code, action):
    assert window.KEYS[code] == action


@pytest.fixture(scope="module")
def virtual_display():
    """A fresh Xvfb display, or skip."""
    if shutil.which("Xvfb") is None:
        pytest.skip("Xvfb is not installed (apt-get install xvfb); the window test needs a virtual display")
    if "GUI:                           NONE" in cv2.getBuildInformation():
        pytest.skip("this OpenCV build has no GUI backend")
    read_end, write_end = os.pipe()
    server = subprocess.Popen(["Xvfb", "-displayfd", str(write_end), "-screen", "0", "1024x768x24", "-nolisten", "tcp"],
                              pass_fds=(write_end,), stderr=subprocess.DEVNULL)
    os.close(write_end)
    number = b""
    while not number.endswith(b"\n") and server.poll() is None:
        number += os.read(read_end, 16)
    os.close(read_end)
    if server.poll() is not None:
        pytest.skip("Xvfb did not start")
    yield f":{number.decode().strip()}"
    server.terminate()
    server.wait(timeout=10)


def best_match(image, mask):
    """Highest normalized correlation of the glyph `mask` anywhere in `image` (a 2-D float array)."""
    return float(cv2.matchTemplate(image, mask, cv2.TM_CCOEFF_NORMED).max())


def lines_in(path):
    """The whole JSON lines written so far."""
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    return [json.loads(line) for line in text[: text.rfind("\n") + 1].splitlines()]


def greenness(screenshot):
    """Green minus red: high on the label, which is drawn in GREEN (60, 200, 90), low around it."""
    rgb = np.asarray(screenshot.convert("RGB"), np.float32)
    return rgb[..., 1] - rgb[..., 0]


def start_live(model, folder, out, display):
    """`live` in window mode on the frames in `folder`."""
    command = [sys.executable, "cli.py", "live", "--model", str(model), "--source", str(folder),
               "--output", str(out), "--min-confidence", "0", "--hold", "3"]
    return subprocess.Popen(command, cwd=REPO, env=dict(os.environ, DISPLAY=display),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def repeated_frame(frame, folder, count=3000):
    """An image folder showing `frame` `count` times (links to one file), so the window stays up until we look."""
    write_folder([frame], folder / "one")
    for index in range(count):
        (folder / f"f{index:05d}.png").symlink_to(folder / "one" / "frame_00000.png")
    return folder


def screenshot_showing(out, process, display, wait=10):
    """(label, screenshot, match score) once the window shows the label the JSON lines name, or `wait`
    seconds after the run got going."""
    from PIL import ImageGrab

    deadline = time.monotonic() + 60  # starting Python and MediaPipe can take a while on a busy machine
    while len(lines_in(out)) < 5 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.1)  # past --hold 3 frames: the letter is spelled too
    label = lines_in(out)[0]["label"] if lines_in(out) else "?"  # every frame shows the same photo
    glyph, deadline = TextPainter()._mask(label, 40), time.monotonic() + wait
    while True:
        screenshot = ImageGrab.grab(xdisplay=display)
        found = best_match(greenness(screenshot), glyph)
        if found > 0.9 or time.monotonic() > deadline or process.poll() is not None:
            return label, screenshot, found
        time.sleep(0.2)  # the window needs a moment to appear


def test_window_shows_cyrillic_letters(virtual_display, tmp_path):
    models = train_on(tmp_path / "train", {"signer014", "signer042", "signer069"}, rename=KAZAKH)
    frames = repeated_frame(to_frame(photo_of("signer000", 3)), tmp_path / "frames")
    # On a bare Xvfb (no window manager) OpenCV's Qt backend now and then maps its window but never
    # paints it -- a plain cv2.imshow script shows the same in about 1 run of 7 -- so retry twice.
    for attempt in range(3):
        out = tmp_path / f"frames{attempt}.jsonl"
        process = start_live(models / "svm.skops", frames, out, virtual_display)
        label, screenshot, found = screenshot_showing(out, process, virtual_display)
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=60)
        assert process.returncode == 130, stderr
        if found > 0.9:
            break
    screenshot.save(tmp_path / "window.png")
    lines = lines_in(out)
    assert label in KAZAKH.values() and {line["label"] for line in lines} == {label}
    assert lines[-1]["text"] == label
    assert found > 0.9, f"the label {label} is not in the screenshot {tmp_path / 'window.png'}"
    painter = TextPainter()
    assert found > best_match(greenness(screenshot), painter._mask("?", 40)) + 0.2
    assert found > best_match(greenness(screenshot), painter._mask("\ue000", 40)) + 0.2  # the missing-glyph box

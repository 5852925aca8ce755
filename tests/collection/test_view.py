"""The collect window's picture, and the keys (space, r, q) driving a real recording through a stand-in window."""
import numpy as np
import pytest
from tqdm import tqdm

import cli
from landmarks.detect import Hand, HandDetector
from landmarks.images import read_rgb
from collection.collect import record
from collection.session import CollectSession
from collection.store import CollectedDataset
from collection.view import CollectView, status_line
from live.sources import FrameSource
from tests.collection.helpers import BLANK, nearest, sample_photos
from tests.live.live_helpers import write_folder

LANDMARKS = np.column_stack([np.linspace(0.3, 0.7, 21), np.linspace(0.6, 0.4, 21), np.zeros(21)]).astype(np.float32)


@pytest.fixture(scope="module")
def view():
    return CollectView()


def status_of(label, countdown=0, paused=False):
    session = CollectSession([label, "Б"], count=30, countdown=countdown, skip=0)
    session.paused = paused
    return session.status()


def test_compose_enlarges_small_frames_and_leaves_the_frame_untouched(view):
    frame = np.full((100, 100, 3), 120, np.uint8)
    image = view.compose(frame, None, status_of("А"))
    assert image.shape == (480, 480, 3)
    assert (frame == 120).all()


def test_the_cyrillic_label_is_drawn_with_real_glyphs(view):
    """A font without Kazakh letters draws the same empty box for Қ and Ң; this one must not."""
    frame = np.full((480, 640, 3), 120, np.uint8)
    pictures = {label: view.compose(frame, None, status_of(label))[:90, :120] for label in ["Қ", "Ң", "К"]}
    assert (pictures["Қ"] != frame[:90, :120] // 3).sum() > 500  # the label changed the top band
    assert (pictures["Қ"] != pictures["Ң"]).any() and (pictures["Қ"] != pictures["К"]).any()


def test_landmarks_are_drawn(view):
    frame = np.full((480, 640, 3), 120, np.uint8)
    hand = Hand(LANDMARKS, "Right", 0.9)
    with_hand = view.compose(frame, hand, status_of("А"))
    without = view.compose(frame, None, status_of("А"))
    x, y = int(0.5 * 640), int(0.5 * 480)  # the middle joint
    assert (with_hand[y - 2:y + 3, x - 2:x + 3] != without[y - 2:y + 3, x - 2:x + 3]).any()


@pytest.mark.parametrize("status, text", [
    (status_of("А", countdown=90), "get ready: 3"),
    (status_of("А", countdown=31), "get ready: 2"),
    (status_of("А"), "recording 0/30"),
    (status_of("А", paused=True), "paused, 0/30 saved: space resumes"),
], ids=["countdown-3", "countdown-2", "recording", "paused"])
def test_status_line(status, text):
    assert status_line(status) == text


def test_without_a_display_the_window_mode_says_pass_headless(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setattr("sys.platform", "linux")
    assert cli.main(["collect", "--labels", "A", "--out", str(tmp_path / "out")]) == 1
    assert "pass --headless" in capsys.readouterr().err


class ScriptedWindow:
    """Stands in for CollectWindow: presses `keys[n]` when showing the n-th frame; keeps what it was shown."""

    def __init__(self, keys):
        self.keys, self.shown, self.view = keys, [], CollectView()

    def show(self, rgb, hand, status):
        self.shown.append((status.label, status.paused, hand is not None))
        self.view.compose(rgb, hand, status)
        return self.keys.get(len(self.shown) - 1)


PHOTOS = sample_photos(0, 6) + sample_photos(1, 6)  # frame k (k >= 1) shows PHOTOS[k - 1]


@pytest.fixture(scope="module")
def frames_folder(tmp_path_factory):
    return write_folder([BLANK] + PHOTOS, tmp_path_factory.mktemp("frames"))


@pytest.fixture(scope="module")
def detector():
    with HandDetector() as hands:
        yield hands


def record_with_keys(out, source, detector, keys):
    session = CollectSession(["Ә", "Б"], count=3, countdown=1, skip=0)
    store = CollectedDataset(out, "ann")
    window = ScriptedWindow(keys)
    with FrameSource(source) as frames, tqdm(disable=True) as bar:
        record(frames, session, store, detector, window, bar)
    store.write_groups()
    return session, store, window


def saved_frames(root, label):
    """The frame number each saved file of `label` came from, in file order."""
    files = sorted((root / label).iterdir())
    return [nearest(read_rgb(path), PHOTOS)[0] + 1 for path in files]


def test_redo_deletes_the_attempt_and_records_the_label_again(tmp_path, frames_folder, detector):
    # frame 0 countdown (blank), 1-2 saved for Ә, r at 2; 3 countdown; 4-6 saved; Б: 7 countdown, 8-10 saved
    session, store, window = record_with_keys(tmp_path, frames_folder, detector, {2: "r"})
    assert session.phase == "done"
    assert sorted(p.name for p in (tmp_path / "Ә").iterdir()) == ["ann_001.jpg", "ann_002.jpg", "ann_003.jpg"]
    assert saved_frames(tmp_path, "Ә") == [4, 5, 6] and saved_frames(tmp_path, "Б") == [8, 9, 10]
    assert sum(len(paths) for paths in store.saved.values()) == 6
    assert [hand for _, _, hand in window.shown[:2]] == [False, True]  # landmarks shown once a hand is found


def test_q_quits_keeping_what_was_saved(tmp_path, frames_folder, detector):
    session, store, _ = record_with_keys(tmp_path, frames_folder, detector, {2: "q"})
    assert session.quit
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.jpg")) == \
        ["Ә/ann_001.jpg", "Ә/ann_002.jpg"]
    assert (tmp_path / "groups.csv").read_text(encoding="utf-8").splitlines()[1:] == \
        ["Ә/ann_001.jpg,ann", "Ә/ann_002.jpg,ann"]


def test_space_pauses_then_counts_down_again(tmp_path, frames_folder, detector):
    # 0 countdown, 1 saved, pause at 1; 2-3 paused; resume at 3; 4 countdown; 5-6 saved
    session, store, window = record_with_keys(tmp_path, frames_folder, detector, {1: " ", 3: " "})
    assert saved_frames(tmp_path, "Ә") == [1, 5, 6]
    assert [paused for _, paused, _ in window.shown[:5]] == [False, False, True, True, False]

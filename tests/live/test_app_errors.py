"""`live` on bad input and on Ctrl-C: one clear sentence and exit 1, or a clean stop with exit 130."""
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

import cli
from classifiers.bundle import Bundle, save_bundle
from landmarks.points import FEATURE_COLUMNS
from tests.live.live_helpers import photo_of, to_frame, write_folder

REPO = Path(__file__).resolve().parents[2]


def tiny_pipeline(width=len(FEATURE_COLUMNS)):
    rows = np.array([[0.0] * width, [1.0] * width, [0.1] * width, [0.9] * width])
    return Pipeline([("scale", StandardScaler()), ("logreg", LogisticRegression())]).fit(rows, ["Ә", "Б", "Ә", "Б"])


def landmark_bundle(name, width=len(FEATURE_COLUMNS), kind="landmarks"):
    pipeline = tiny_pipeline(width)
    return Bundle(name, kind, pipeline, [str(label) for label in pipeline.classes_])


@pytest.fixture(scope="module")
def bundles(tmp_path_factory):
    """A usable landmark bundle, and the unusable kinds, all but one listed in the folder's manifest."""
    folder = tmp_path_factory.mktemp("bundles")
    save_bundle(landmark_bundle("logreg"), folder / "logreg.skops")
    save_bundle(landmark_bundle("hog-svm", kind="image"), folder / "hog-svm.skops")
    save_bundle(landmark_bundle("narrow", width=10), folder / "narrow.skops")
    relabelled = landmark_bundle("relabelled")
    relabelled.labels = relabelled.labels[::-1]
    save_bundle(relabelled, folder / "relabelled.skops")
    tampered = save_bundle(landmark_bundle("tampered"), folder / "tampered.skops")
    tampered.write_bytes(tampered.read_bytes() + b"\0")
    (folder / "stray.skops").write_bytes((folder / "logreg.skops").read_bytes())
    return folder


@pytest.fixture(scope="module")
def frames(tmp_path_factory):
    return write_folder([to_frame(photo_of("signer000", 3))] * 2, tmp_path_factory.mktemp("frames") / "frames")


@pytest.mark.parametrize("model, extra, message", [
    ("hog-svm", [], "reads whole images, not hand landmarks"),
    ("narrow", [], "does not fit this version's landmark features"),
    ("relabelled", [], "lists labels that differ from its classifier's"),
    ("tampered", [], "does not match its SHA-256"),
    ("stray", [], "is not listed in"),
    ("missing", [], "not found; pass a model file or a models folder"),
    ("logreg", ["--letter-ms", "0"], "--letter-ms and --word-gap-ms are milliseconds"),
    ("logreg", ["--lexicon", "tlh"], "--lexicon tlh is not one of"),
    ("logreg", ["--min-confidence", "1.5"], "--min-confidence is a probability"),
], ids=["image-model", "wrong-width", "label-order", "tampered", "unlisted", "missing", "zero-letter-ms", "no-such-list",
          "bad-confidence"])
def test_unusable_model_or_settings(bundles, frames, model, extra, message, capsys):
    argv = ["live", "--model", str(bundles / f"{model}.skops"), "--source", str(frames), "--headless", *extra]
    assert cli.main(argv) == 1
    error = capsys.readouterr().err.strip().splitlines()[-1]
    assert error.startswith("error: ") and message in error


@pytest.mark.parametrize("source, message", [
    ("missing.mp4", "is not a camera index, a video file or an image folder"),
    ("99", "camera 99 cannot be opened"),
    ("junk.avi", "video {dir}/junk.avi cannot be opened"),
    ("empty", "has no images"),
], ids=["missing-file", "no-camera", "not-a-video", "empty-folder"])
def test_unusable_source(bundles, tmp_path, monkeypatch, source, message, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "junk.avi").write_bytes(os.urandom(4096))
    (tmp_path / "empty").mkdir()
    argv = ["live", "--model", str(bundles / "logreg.skops"), "--source", source, "--headless"]
    assert cli.main(argv) == 1
    assert message.format(dir=".").replace("./", "") in capsys.readouterr().err


def test_window_without_a_display_says_to_go_headless(bundles, frames, monkeypatch, capsys):
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setattr(sys, "platform", "linux")
    assert cli.main(["live", "--model", str(bundles / "logreg.skops"), "--source", str(frames)]) == 1
    assert "no display to open a window on; pass --headless" in capsys.readouterr().err


def test_unwritable_output(bundles, frames, tmp_path, capsys):
    argv = ["live", "--model", str(bundles / "logreg.skops"), "--source", str(frames), "--headless",
            "--output", str(tmp_path)]
    assert cli.main(argv) == 1
    err = capsys.readouterr().err
    assert f"--output {tmp_path} is a folder; pass a file name" in err and err.count("\n") == 1


def test_ctrl_c_stops_cleanly_with_every_line_whole(bundles, frames, tmp_path):
    many = tmp_path / "many"
    many.mkdir()
    for index in range(2000):  # links to one photo: a long run that costs no disk
        (many / f"f{index:05d}.png").symlink_to(frames / "frame_00000.png")
    out = tmp_path / "out.jsonl"
    command = [sys.executable, "cli.py", "live", "--model", str(bundles / "logreg.skops"), "--source", str(many),
               "--headless", "--output", str(out)]
    process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while (time.monotonic() < deadline and process.poll() is None
           and (not out.is_file() or out.read_text().count("\n") < 3)):
        time.sleep(0.1)
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert 3 <= len(lines) < 2000
    assert stdout.strip().startswith(f"live: {len(lines)} frames, ")
    assert "interrupted" in stderr

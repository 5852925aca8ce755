"""`live` end to end: real photos in a 640x480 video, a model trained on other signers, the CLI."""
import json
import shutil

import numpy as np
import pytest

import cli
from tests.live.live_helpers import BLANK, photo_of, to_frame, train_without, write_folder, write_video

A, B = VIDEO_SIGNERS = ("signer029", "signer000")
# What the video shows: ((signer, digit) or None for blank frames, how many frames); "slid" shows the
# photo before it again, moved sideways by SLIDE pixels over the first 3 frames: a double digit.
TIMELINE = [((A, 3), 25), ((A, 1), 25), (None, 8), ((B, 4), 25), (None, 30), ((B, 5), 25), ((A, 9), 25),
            ("slid", 25), ((B, 2), 25), (None, 5)]
# 8 blank frames (267 ms at 30 fps) are a drop of the hand inside a word, 30 (1 s) end it.
EXPECTED_TEXT = "314 5992"
SLIDE = 60  # pixels: about 0.4 of the hand's width in these frames
# Trained on only 13 signers (130 photos), the right digit's probability runs from about 0.35 to 0.9
# (chance is 0.1): the label the JSON lines show is sure from 0.3 here (the decoder needs no threshold).
MIN_CONFIDENCE = "0.3"
KEYS = ["frame", "t_ms", "hand", "label", "confidence", "state", "text", "word", "alternatives", "latency_ms"]


def timeline_frames(timeline):
    """(frames, per frame the digit shown or None)."""
    frames, truth, last = [], [], None
    for shown, count in timeline:
        if shown == "slid":
            photo, digit = last
            frames += [to_frame(photo, left=140 - SLIDE * min(i + 1, 3) // 3) for i in range(count)]
            truth += [digit] * count
            continue
        if shown is not None:
            last = (photo_of(*shown), str(shown[1]))
        frames += [BLANK if shown is None else to_frame(last[0])] * count
        truth += [None if shown is None else last[1]] * count
    return frames, truth


@pytest.fixture(scope="module")
def models(tmp_path_factory):
    return train_without(tmp_path_factory.mktemp("live_models"), excluded=set(VIDEO_SIGNERS))


@pytest.fixture(scope="module")
def video(tmp_path_factory):
    frames, truth = timeline_frames(TIMELINE)
    return write_video(frames, tmp_path_factory.mktemp("live_video") / "digits.avi"), truth


@pytest.fixture(scope="module")
def still_frames(tmp_path_factory):
    """Four frames of one photo plus an undecodable file in the middle, as an image folder."""
    folder = write_folder([to_frame(photo_of(A, 5))] * 4, tmp_path_factory.mktemp("live_still") / "frames")
    (folder / "frame_00001b.png").write_bytes(b"\x89PNG\r\n\x1a\n not really")
    return folder


def read_lines(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_video_is_recognized_and_spelled(models, video, tmp_path, capsys):
    path, truth = video
    out = tmp_path / "frames.jsonl"
    code = cli.main(["live", "--model", str(models / "svm.skops"), "--source", str(path), "--headless",
                     "--output", str(out), "--min-confidence", MIN_CONFIDENCE])
    assert code == 0
    lines = read_lines(out)
    assert len(lines) == len(truth)
    assert all(list(line) == KEYS for line in lines)
    assert [line["frame"] for line in lines] == list(range(len(truth)))
    assert np.all(np.diff([line["t_ms"] for line in lines]) > 0)
    shown = [(line, digit) for line, digit in zip(lines, truth) if digit is not None]
    right = sum(line["state"] == "label" and line["label"] == digit for line, digit in shown)
    assert right / len(shown) >= 0.9, f"only {right} of {len(shown)} hand frames got the right label"
    assert lines[-1]["text"] == EXPECTED_TEXT
    ended = [(line["frame"], line["alternatives"][0][0]) for line in lines if line["alternatives"]]
    assert [word for _, word in ended] == EXPECTED_TEXT.split()
    first_blank = sum(count for _, count in TIMELINE[:4])  # the 30 blank frames after "314"
    assert lines[ended[0][0]]["t_ms"] - lines[first_blank]["t_ms"] <= 300  # the word ends soon after the hand leaves
    assert lines[first_blank - 1]["word"] == "314" and lines[first_blank - 1]["text"] == ""
    summary = capsys.readouterr().out.strip().splitlines()[-1]
    assert summary.startswith(f"live: {len(truth)} frames, ") and "detect " in summary and " fps" in summary
    assert " spell " in summary
    assert summary.endswith(f'text: "{EXPECTED_TEXT}"')


def test_folder_frames_in_name_order_and_a_corrupt_one_is_logged(models, still_frames, tmp_path, capsys):
    out = tmp_path / "still.jsonl"
    code = cli.main(["live", "--model", str(models / "svm.skops"), "--source", str(still_frames), "--headless",
                     "--output", str(out), "--min-confidence", "0"])
    assert code == 0
    lines = read_lines(out)
    assert [line["frame"] for line in lines] == [0, 1, 2, 3, 4]
    corrupt = lines.pop(2)  # frame_00001b.png, sorted third, cannot be decoded
    assert (corrupt["state"], corrupt["hand"], corrupt["label"]) == ("corrupt", False, None)
    assert all(line["hand"] and line["state"] == "label" for line in lines)
    assert lines[-1]["text"] == lines[-1]["label"]
    assert "4 frames, 4 with a hand, 1 corrupt skipped" in capsys.readouterr().out


def test_default_model_is_the_best_one_train_saved(models, still_frames, tmp_path, monkeypatch, capsys):
    shutil.copytree(models, tmp_path / "data" / "models")
    monkeypatch.chdir(tmp_path)
    assert cli.main(["live", "--source", str(still_frames), "--headless"]) == 0
    assert "4 frames, 4 with a hand" in capsys.readouterr().out


def test_without_a_trained_model_it_names_the_command(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert cli.main(["live", "--source", str(tmp_path), "--headless"]) == 1
    assert "run `python cli.py train` first" in capsys.readouterr().err

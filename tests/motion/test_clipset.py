"""`make-clips`: generated motion clips, with their signers, ready for `extract-motion`."""
import cv2
import pandas as pd

import cli
from tests.conftest import SAMPLES


def frame_count(video):
    capture = cv2.VideoCapture(str(video))
    try:
        return int(capture.get(cv2.CAP_PROP_FRAME_COUNT))
    finally:
        capture.release()


def test_clips_per_label_motion_and_signer(tmp_path, capsys):
    groups = pd.read_csv(SAMPLES / "groups.csv", dtype=str)
    signer = sorted(groups["group"])[0]
    assert cli.main(["make-clips", str(tmp_path / "clips"), "--photos", str(SAMPLES), "--plan", "j=1:j,one=1:still+shift",
                     "--per-motion", "2", "--signers", signer]) == 0
    made = pd.read_csv(tmp_path / "clips" / "groups.csv", dtype=str)
    assert sorted(made["path"].str.split("/").str[0]) == ["j", "j", "one", "one", "one", "one"]
    assert set(made["group"]) == {signer}
    assert all(frame_count(tmp_path / "clips" / p) == 45 for p in made["path"])
    assert "6 clips from 1 signers" in capsys.readouterr().out


def test_an_unknown_motion_is_refused(tmp_path, capsys):
    assert cli.main(["make-clips", str(tmp_path), "--photos", str(SAMPLES), "--plan", "j=1:loop"]) == 1
    assert "unknown motion 'loop'" in capsys.readouterr().err


def test_the_word_video_spells_jazz(massey, tmp_path, capsys):
    video = tmp_path / "jazz.avi"
    assert cli.main(["make-clips", str(video), "--photos", str(massey), "--word-video", "--signers", "hand4"]) == 0
    assert frame_count(video) > 4 * 45
    assert "hand4 spelling jazz" in capsys.readouterr().out

import numpy as np
import pandas as pd
import pytest

import cli
from landmarks.errors import UserError
from motion.clips import list_clips, read_frames
from motion.extract import failures_path, sequences_path
from motion.features import feature_columns
from motion.synth import write_frames, write_video


def blank_clip(frames=20):
    return [np.full((480, 640, 3), 90, np.uint8) for _ in range(frames)]


def test_videos_and_numbered_frame_folders_are_clips(tmp_path):
    write_video(blank_clip(3), tmp_path / "J" / "a.avi")
    write_frames(blank_clip(3), tmp_path / "J" / "b")
    (tmp_path / "J" / "notes.txt").write_text("not a clip")
    (tmp_path / "J" / "empty").mkdir()
    assert list_clips(tmp_path) == [("J/a.avi", "J"), ("J/b", "J")]


def test_frames_are_read_in_number_order(tmp_path):
    frames = [np.full((20, 30, 3), value, np.uint8) for value in (10, 200, 100)]
    folder = tmp_path / "clip"
    folder.mkdir()
    import cv2

    for name, frame in zip(["f_2.png", "f_10.png", "f_1.png"], frames):
        cv2.imwrite(str(folder / name), frame)
    assert [int(rgb[0, 0, 0]) for _, rgb in read_frames(folder)] == [100, 10, 200]


def test_a_folder_without_clips_is_one_clear_error(tmp_path):
    (tmp_path / "J").mkdir()
    with pytest.raises(UserError, match="has no clips"):
        list_clips(tmp_path)


def test_clips_without_a_hand_are_listed_failures_and_the_table_has_motion_features(tmp_path, massey, capsys):
    from motion.clipset import make_clip_set

    make_clip_set(massey, tmp_path / "clips", "j=i:j", per_motion=1, signers=["hand4"], seed=5, as_video=False)
    write_video(blank_clip(), tmp_path / "clips" / "j" / "empty.avi")
    out = tmp_path / "motion.csv"
    assert cli.main(["extract-motion", str(tmp_path / "clips"), "--out", str(out), "--workers", "1"]) == 0
    assert "2 clips seen, 1 rows written (1 too_few_hands)" in capsys.readouterr().out
    table = pd.read_csv(out)
    assert list(table["path"]) == ["j/hand4_j_000"] and bool(table["moving"][0])
    assert set(feature_columns()) <= set(table.columns)
    assert list(pd.read_csv(failures_path(out))["reason"]) == ["too_few_hands"]
    sequence = np.load(sequences_path(out))["clip0"]
    assert sequence.shape == (45, 21, 3) and np.isfinite(sequence).all(axis=(1, 2)).sum() >= 40
    # A re-run reuses every clip, failures included.
    assert cli.main(["extract-motion", str(tmp_path / "clips"), "--out", str(out), "--workers", "1"]) == 0
    assert "2 reused" in capsys.readouterr().out

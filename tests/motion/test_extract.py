import os
import shutil
from contextlib import contextmanager
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

import cli
from landmarks.errors import UserError
from landmarks.journal import journal_path
from motion import clip_record
from motion import extract as motion_extract
from motion.clips import list_clips, read_frames
from motion.extract import failures_path, sequences_path
from motion.features import feature_columns
from motion.synth import write_frames, write_video
from tests.conftest import CtrlCAt


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


def run_motion(clips, out, *more):
    return cli.main(["extract-motion", str(clips), "--out", str(out), "--workers", "1", *more])


def outputs(out):
    """The bytes of the table, failures file and sequences an extract-motion run wrote to `out`."""
    return [path.read_bytes() for path in (out, failures_path(out), sequences_path(out))]


@pytest.fixture(scope="module")
def clip_run(massey, tmp_path_factory):
    """Four generated clips and a blank one, extracted once: what an interrupted or damaged run must give back."""
    from motion.clipset import make_clip_set

    root = tmp_path_factory.mktemp("clip_run") / "clips"
    make_clip_set(massey, root, "j=i:j,i=i:still", per_motion=2, signers=["hand4"], seed=5)
    write_video(blank_clip(), root / "j" / "empty.avi")
    out = root.parent / "whole.csv"
    assert run_motion(root, out) == 0
    return root, out, outputs(out)


def copy_outputs(whole, out):
    for source, target in [(whole, out), (failures_path(whole), failures_path(out)),
                           (sequences_path(whole), sequences_path(out)), (whole.with_suffix(".json"), out.with_suffix(".json"))]:
        shutil.copy(source, target)


def test_ctrl_c_keeps_finished_clips_and_the_rerun_reuses_them(clip_run, tmp_path, monkeypatch, capsys):
    root, _, expected = clip_run
    step = CtrlCAt(clip_record.process_clip, at=3)
    monkeypatch.setattr(clip_record, "process_clip", step)
    out = tmp_path / "m.csv"
    assert run_motion(root, out) == 130
    assert len(pd.read_csv(out)) + len(pd.read_csv(failures_path(out))) == 2
    assert not journal_path(out).exists()
    step.calls, step.at = [], None
    capsys.readouterr()
    assert run_motion(root, out) == 0
    line = capsys.readouterr().out.strip().splitlines()[-1]
    assert line.startswith("extract-motion: 5 clips seen") and "2 reused" in line
    assert len(step.calls) == 3 and outputs(out) == expected


@pytest.mark.parametrize("damage", [
    lambda out: out.write_bytes(out.read_bytes()[:len(out.read_bytes()) // 2]),
    lambda out: sequences_path(out).write_bytes(b"PK\x03\x04 not a zip"),
], ids=["table-cut", "sequences-replaced"])
def test_damaged_earlier_output_is_named_and_rebuilt(clip_run, tmp_path, capsys, damage):
    root, whole, expected = clip_run
    out = tmp_path / "m.csv"
    copy_outputs(whole, out)
    damage(out)
    capsys.readouterr()
    assert run_motion(root, out) == 0
    stdout = capsys.readouterr().out
    notes = [line for line in stdout.splitlines() if line.startswith("note:")]
    assert len(notes) == 1 and "rebuilding" in notes[0] and "0 reused" in stdout
    assert outputs(out) == expected


@pytest.mark.parametrize("option, value, message", [
    ("--out", "{tmp}/folder.csv", "is a folder"),
    ("--out", "{tmp}/motion.txt", "must be a .csv file"),
    ("--out", "{tmp}/file/motion.csv", "cannot write into"),
], ids=["out-is-a-folder", "out-not-csv", "out-under-a-file"])  # --workers: tests/test_robustness_inputs.py
def test_bad_options_stop_before_any_work(tmp_path, capsys, option, value, message):
    (tmp_path / "file").write_text("x")
    (tmp_path / "folder.csv").mkdir()
    argv = ["extract-motion", str(tmp_path / "missing"), "--out", str(tmp_path / "m.csv"), option,
            value.format(tmp=tmp_path)]
    assert cli.main(argv) == 1  # the missing data folder would be the error once work had started
    error = capsys.readouterr().err.strip().splitlines()
    assert len(error) == 1 and message in error[0]


def test_more_workers_than_cores_are_capped_with_a_note(tmp_path, capsys, monkeypatch):
    write_video(blank_clip(3), tmp_path / "clips" / "J" / "a.avi")
    used = []

    @contextmanager
    def no_detection(step, workers, count, chunk):
        used.append(workers)
        yield SimpleNamespace(results=lambda *args: iter(()))

    monkeypatch.setattr(motion_extract, "open_workers", no_detection)
    assert cli.main(["extract-motion", str(tmp_path / "clips"), "--out", str(tmp_path / "m.csv"),
                     "--workers", "9999"]) == 0
    assert used == [os.cpu_count()] and f"using {os.cpu_count()}" in capsys.readouterr().out


def test_a_table_whose_sidecar_has_the_old_mediapipe_key_is_reused(clip_run, tmp_path, capsys):
    import json

    root, whole, expected = clip_run
    out = tmp_path / "m.csv"
    copy_outputs(whole, out)
    sidecar = json.loads(out.with_suffix(".json").read_text())
    sidecar["mediapipe"] = sidecar.pop("mediapipe_version")  # as extract-motion wrote it before
    out.with_suffix(".json").write_text(json.dumps(sidecar))
    capsys.readouterr()
    assert run_motion(root, out) == 0
    assert "5 reused" in capsys.readouterr().out and outputs(out) == expected
    assert "mediapipe" not in json.loads(out.with_suffix(".json").read_text())  # one name from now on

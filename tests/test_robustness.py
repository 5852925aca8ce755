"""Bad input and faults against every command, built here from the shipped samples and bytes written
here: the exit code, one clear line and no traceback, a complete failures file, nothing finished lost."""
import os
import signal
import subprocess
import sys
import time
import zipfile
from contextlib import contextmanager
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

import cli
from classifiers.bundle import Bundle, save_bundle
from landmarks import extract as extract_module
from landmarks import image_record
from landmarks.extract import failures_path
from landmarks.journal import committed_count, journal_path
from landmarks.points import FEATURE_COLUMNS
from motion.clipset import make_clip_set
from motion.extract import sequences_path
from tests.conftest import REPO, CtrlCAt, copy_samples
from tests.landmarks.test_images import png_header
from tests.live.live_helpers import photo_of, to_frame, write_video


def run(capsys, *argv):
    """(exit code, stdout, stderr) of `cli.py argv`, checking that no traceback was printed."""
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def one_line(err):
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


def read_failures(out):
    return pd.read_csv(failures_path(out), dtype=str, keep_default_na=False).set_index("path")["reason"]


# --- extract: zero rows, Ctrl-C, checks before work ---------------------------------------------------


def test_only_unreadable_images_gives_an_empty_table_and_every_failure(tmp_path, capsys):
    (tmp_path / "d" / "A").mkdir(parents=True)
    (tmp_path / "d" / "A" / "text.jpg").write_text("not a photo")
    (tmp_path / "d" / "A" / "empty.png").write_bytes(b"")
    code, out, _ = run(capsys, "extract", tmp_path / "d", "--out", tmp_path / "f.csv", "--workers", "1")
    assert code == 0 and "0 rows written" in out
    assert pd.read_csv(tmp_path / "f.csv").empty and set(FEATURE_COLUMNS) <= set(pd.read_csv(tmp_path / "f.csv"))
    assert dict(read_failures(tmp_path / "f.csv")) == {"A/empty.png": "empty_file", "A/text.jpg": "not_an_image"}


def test_no_hand_anywhere_exits_0(tmp_path, capsys):
    import cv2

    (tmp_path / "d" / "A").mkdir(parents=True)
    for n in range(2):
        cv2.imwrite(str(tmp_path / "d" / "A" / f"blank{n}.png"), np.full((120, 120, 3), 60 * n, np.uint8))
    code, out, _ = run(capsys, "extract", tmp_path / "d", "--out", tmp_path / "f.csv", "--workers", "1")
    assert code == 0 and "0 rows written, 2 no hand" in out
    assert set(read_failures(tmp_path / "f.csv")) == {"no_hand"}


def test_ctrl_c_before_the_first_image_finishes(tmp_path, capsys, monkeypatch):
    copy_samples(tmp_path / "d", per_label=1, labels={"1", "2"})

    def interrupted(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(image_record, "process_image", interrupted)
    code, _, err = run(capsys, "extract", tmp_path / "d", "--out", tmp_path / "f.csv", "--workers", "1")
    assert code == 130 and "interrupted" in one_line(err)
    assert pd.read_csv(tmp_path / "f.csv").empty and failures_path(tmp_path / "f.csv").is_file()
    assert not journal_path(tmp_path / "f.csv").exists()


def no_work(monkeypatch):
    """Make any image work fail the test: the checks below must stop the run before it."""
    def started(*args, **kwargs):
        raise AssertionError("work started despite bad arguments")

    monkeypatch.setattr(extract_module, "open_workers", started)


def no_detection(used=None):
    """In place of `open_workers`: a pool that detects nothing, noting the worker count it was given."""
    @contextmanager
    def pool(step, workers, count):
        (used if used is not None else []).append(workers)
        yield SimpleNamespace(results=lambda *args: iter(()))

    return pool


@pytest.mark.parametrize("make_out, message", [
    (lambda tmp: tmp, "is a folder"),
    (lambda tmp: (tmp / "file").write_text("x") and tmp / "file" / "f.csv", "cannot write into"),
], ids=["out-is-a-folder", "out-under-a-file"])
def test_unwritable_out_stops_before_work(tmp_path, capsys, monkeypatch, samples_dir, make_out, message):
    no_work(monkeypatch)
    code, _, err = run(capsys, "extract", samples_dir, "--out", make_out(tmp_path))
    assert code == 1 and message in one_line(err)


@pytest.mark.parametrize("workers", ["0", "-1"])
def test_workers_below_one_is_an_error(tmp_path, capsys, monkeypatch, samples_dir, workers):
    no_work(monkeypatch)
    code, _, err = run(capsys, "extract", samples_dir, "--out", tmp_path / "f.csv", "--workers", workers)
    assert code == 1 and f"--workers {workers} starts no process" in one_line(err)


def test_more_workers_than_cores_are_capped_with_a_note(tmp_path, capsys, monkeypatch):
    copy_samples(tmp_path / "d", per_label=1, labels={"1"})
    used = []
    monkeypatch.setattr(extract_module, "open_workers", no_detection(used))
    code, out, _ = run(capsys, "extract", tmp_path / "d", "--out", tmp_path / "f.csv", "--workers", "1000")
    assert code == 0 and used == [os.cpu_count()] and f"using {os.cpu_count()}" in out


def task_like(path, compress=False):
    """A zip with the members of a hand landmarker .task, holding garbage instead of models."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED) as task:
        task.writestr("hand_detector.tflite", b"x" * 100)
        task.writestr("hand_landmarks_detector.tflite", b"x" * 100)
    return path


@pytest.mark.parametrize("make, message", [
    (lambda tmp: (tmp / "m.task").write_text("not a zip") and tmp / "m.task", "is not a MediaPipe .task file"),
    (lambda tmp: task_like(tmp / "m.task", compress=True), "is a compressed zip"),
    (lambda tmp: task_like(tmp / "m.task"), "MediaPipe cannot load hand model"),
], ids=["not-a-zip", "compressed-zip", "garbage-models"])
def test_bad_hand_model_with_two_workers_stops_at_once(tmp_path, capsys, samples_dir, make, message):
    code, _, err = run(capsys, "extract", samples_dir, "--out", tmp_path / "f.csv", "--workers", "2",
                       "--hand-model", make(tmp_path))
    assert code == 1 and message in one_line(err)
    assert not (tmp_path / "f.csv").exists() and not journal_path(tmp_path / "f.csv").exists()  # nothing written


@pytest.mark.parametrize("content, message", [
    (bytes(range(256)) * 4, "is not UTF-8 text"),
    (b"file,signer\na,b\n", "needs columns path,group"),
], ids=["binary", "wrong-columns"])
def test_bad_groups_file_stops_before_work(tmp_path, capsys, monkeypatch, samples_dir, content, message):
    no_work(monkeypatch)
    (tmp_path / "g.csv").write_bytes(content)
    code, _, err = run(capsys, "extract", samples_dir, "--out", tmp_path / "f.csv", "--groups", tmp_path / "g.csv")
    assert code == 1 and message in one_line(err)


def test_duplicate_and_missing_group_rows_are_counted(tmp_path, capsys, monkeypatch):
    copy_samples(tmp_path / "d", per_label=2, labels={"1"})
    first, second = sorted(p.name for p in (tmp_path / "d" / "1").iterdir())
    (tmp_path / "g.csv").write_text(f"path,group\n1/{first},a\n1/{first},b\n")
    monkeypatch.setattr(extract_module, "open_workers", no_detection())
    code, out, _ = run(capsys, "extract", tmp_path / "d", "--out", tmp_path / "f.csv", "--groups", tmp_path / "g.csv")
    assert code == 0 and "groups file: 1 images without a row, 1 duplicate rows" in out


# --- extract: bounded memory, nothing skipped silently, damaged earlier outputs --------------------------


def test_huge_and_awkward_files_are_listed_with_their_own_reasons(tmp_path, capsys):
    root = copy_samples(tmp_path / "d", per_label=1, labels={"1"})
    label = root / "1"
    (label / "huge.png").write_bytes(png_header(32000, 32000))
    (label / "gone.jpg").symlink_to(label / "nowhere.jpg")
    (label / "loop.jpg").symlink_to(label / "loop.jpg")
    os.mkfifo(label / "pipe.jpg")
    (label / "x.jpg").mkdir()
    code, out, _ = run(capsys, "extract", root, "--out", tmp_path / "f.csv", "--workers", "1")
    assert code == 0 and "1 rows written" in out
    assert dict(read_failures(tmp_path / "f.csv")) == {
        "1/huge.png": "too_large", "1/gone.jpg": "broken_link", "1/loop.jpg": "broken_link",
        "1/pipe.jpg": "not_a_file", "1/x.jpg": "not_a_file"}


@pytest.fixture(scope="module")
def small_run(tmp_path_factory):
    """Two photos extracted once: the table every damaged-output case must get back."""
    root = copy_samples(tmp_path_factory.mktemp("small") / "d", per_label=1, labels={"3", "4"})
    (root / "4" / "bad.jpg").write_text("not a photo")
    out = root.parent / "f.csv"
    assert cli.main(["extract", str(root), "--out", str(out), "--workers", "1"]) == 0
    return root, out, {p: p.read_bytes() for p in root.parent.iterdir() if p.is_file()}


def cut(path):
    data = path.read_bytes()
    path.write_bytes(data[:len(data) * 2 // 3])


@pytest.mark.parametrize("damage", [
    lambda out: cut(out),
    lambda out: out.write_bytes(os.urandom(3000)),
    lambda out: out.with_suffix(".json").write_text("{cut"),
    lambda out: cut(failures_path(out)),
    lambda out: failures_path(out).write_text("path,reason\n4/bad.jpg\n\x00\x01"),
], ids=["table-cut", "table-replaced", "sidecar-damaged", "failures-cut", "failures-replaced"])
def test_damaged_earlier_output_is_named_and_rebuilt(tmp_path, capsys, small_run, damage):
    root, out, good = small_run
    for path, data in good.items():
        path.write_bytes(data)
    before = {p: p.stat().st_mtime_ns for p in root.rglob("*")}
    damage(out)
    code, stdout, _ = run(capsys, "extract", root, "--out", out, "--workers", "1")
    notes = [line for line in stdout.splitlines() if line.startswith("note:")]
    assert code == 0 and len(notes) == 1 and "rebuilding" in notes[0] and "0 reused" in stdout
    assert out.read_bytes() == good[out] and failures_path(out).read_bytes() == good[failures_path(out)]
    assert {p: p.stat().st_mtime_ns for p in root.rglob("*")} == before  # the images are never touched


# --- train ------------------------------------------------------------------------------------------------


def feature_table(path, bad_values):
    """A table `train` reads: 3 labels x 6 rows of separable features, then one row per value in `bad_values`."""
    rng = np.random.default_rng(0)
    rows = []
    for n in range(18):
        label = "ABC"[n % 3]
        rows.append({"path": f"{label}/{n}.jpg", "label": label, "group": "",
                     **dict(zip(FEATURE_COLUMNS, rng.normal("ABC".index(label), 0.1, len(FEATURE_COLUMNS))))})
    for n, value in enumerate(bad_values):
        rows.append({**rows[n], "path": f"A/bad{n}.jpg", FEATURE_COLUMNS[5]: value})
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


def test_train_leaves_out_rows_with_bad_features_and_counts_them(tmp_path, capsys):
    table = feature_table(tmp_path / "f.csv", ["nan", "inf", "-inf", "hello"])
    code, out, _ = run(capsys, "train", table, "--classifiers", "logreg,logreg", "--folds", "3",
                       "--out", tmp_path / "m")
    assert code == 0 and "note: 4 rows of" in out and "first: A/bad0.jpg" in out
    comparison = pd.read_csv(tmp_path / "m" / "report" / "comparison.csv")
    assert list(comparison["classifier"]) == ["logreg"] and comparison["n_samples"].item() == 18


# --- live and collect ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    rng = np.random.default_rng(1)
    from sklearn.linear_model import LogisticRegression

    X = rng.normal(size=(20, len(FEATURE_COLUMNS)))
    pipeline = LogisticRegression().fit(X, ["A", "B"] * 10)
    return save_bundle(Bundle("logreg", "landmarks", pipeline, ["A", "B"]), tmp_path_factory.mktemp("m") / "logreg.skops")


def test_live_says_when_a_video_ends_before_its_frame_count(tmp_path, capsys, model):
    video = write_video([to_frame(photo_of("signer000", 3))] * 40, tmp_path / "v.avi")
    video.write_bytes(video.read_bytes()[:video.stat().st_size // 2])
    code, out, _ = run(capsys, "live", "--model", model, "--source", video, "--headless",
                       "--output", tmp_path / "run.jsonl")
    lines = (tmp_path / "run.jsonl").read_text().splitlines()
    assert code == 0 and f"the video ended after {len(lines)} of the 40 frames it states" in out
    assert 0 < len(lines) < 40


def test_collect_refuses_an_unwritable_out_before_the_countdown(tmp_path, capsys, samples_dir):
    (tmp_path / "file").write_text("x")
    code, _, err = run(capsys, "collect", "--labels", "A", "--source", samples_dir / "1", "--headless",
                       "--out", tmp_path / "file" / "data")
    assert code == 1 and "cannot write into" in one_line(err)


# --- kill -9 in the middle of extract -------------------------------------------------------------------------


def kill_9_once_committed(command, out, at_least):
    """Run `command`, kill -9 it once the journal of table `out` holds `at_least` results; how many it holds then."""
    process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while committed_count(out) < at_least and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert not out.exists()  # killed before it wrote anything but the journal
    return committed_count(out)


def rerun_resumes(command, committed):
    rerun = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0 and "Traceback" not in rerun.stderr
    assert f"{committed} reused" in rerun.stdout and f"{committed} of the reused were resumed" in rerun.stdout


def photos(tmp_path, request):
    return copy_samples(tmp_path / "d", per_label=3)  # 30


def clips(tmp_path, request):
    root = tmp_path / "clips"
    make_clip_set(request.getfixturevalue("massey"), root, "j=i:j,i=i:still", per_motion=3, signers=["hand4"], seed=5)
    return root  # 6


@pytest.mark.parametrize("command, make, at_least, total, outputs", [
    ("extract", photos, 8, 30, [failures_path]),
    ("extract-motion", clips, 2, 6, [failures_path, sequences_path]),
], ids=["photos", "clips"])
def test_kill_9_loses_only_work_in_flight_and_the_rerun_matches(tmp_path, request, command, make, at_least, total,
                                                                  outputs):
    root = make(tmp_path, request)
    whole = tmp_path / "whole.csv"
    assert cli.main([command, str(root), "--out", str(whole), "--workers", "1"]) == 0
    out = tmp_path / "killed.csv"
    argv = [sys.executable, "cli.py", command, str(root), "--out", str(out), "--workers", "1"]
    committed = kill_9_once_committed(argv, out, at_least)
    assert at_least <= committed < total
    rerun_resumes(argv, committed)
    for written in [lambda table: table, *outputs]:  # same rows, same values, to the last digit
        assert written(out).read_bytes() == written(whole).read_bytes()
    assert not journal_path(out).exists()


# --- a re-run after Ctrl-C reuses every finished row, whatever mix of failures ---------------------------------


def test_rerun_after_ctrl_c_reuses_every_row_whatever_mix_of_failures(tmp_path, capsys, monkeypatch):
    import cv2

    root = copy_samples(tmp_path / "d", per_label=2, labels={"1", "2"})
    (root / "1" / "gone.jpg").symlink_to(root / "1" / "nowhere.jpg")  # a listing problem: no file key
    (root / "1" / "text.jpg").write_text("not a photo")
    cv2.imwrite(str(root / "2" / "0blank.png"), np.full((120, 120, 3), 90, np.uint8))  # no hand
    whole = tmp_path / "whole.csv"
    assert run(capsys, "extract", root, "--out", whole, "--workers", "1")[0] == 0
    step = CtrlCAt(image_record.process_image, at=5)
    monkeypatch.setattr(image_record, "process_image", step)
    out = tmp_path / "f.csv"
    assert run(capsys, "extract", root, "--out", out, "--workers", "1")[0] == 130
    written = read_failures(out)
    assert dict(written) == {"1/gone.jpg": "broken_link", "1/text.jpg": "not_an_image", "2/0blank.png": "no_hand"}
    keys = pd.read_csv(failures_path(out), dtype=str, keep_default_na=False)[["file_size", "file_mtime_ns"]]
    assert keys.apply(lambda column: column.str.fullmatch(r"\d*")).all().all()  # integers, or empty for the link
    step.calls, step.at = [], None
    code, stdout, _ = run(capsys, "extract", root, "--out", out, "--workers", "1")
    assert code == 0 and "4 reused" in stdout and len(step.calls) == 2
    assert out.read_bytes() == whole.read_bytes() and failures_path(out).read_bytes() == failures_path(whole).read_bytes()

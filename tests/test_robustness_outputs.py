"""Outputs against every command, built here: a device, FIFO or folder where a file goes, another command's
files, a read-only or full file system, names too long, Ctrl-C. Each case: the exit code, one line and no
traceback, and nothing finished lost or destroyed."""
import contextlib
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import time

import numpy as np
import pandas as pd
import pytest

from classifiers.bundle import Bundle, save_bundle
from landmarks.files import atomic_path
from landmarks.points import FEATURE_COLUMNS
from tests.conftest import REPO, copy_samples
from tests.test_robustness import one_line, run

ROOT = getattr(os, "geteuid", lambda: -1)() == 0  # no geteuid on Windows
ROOT_ONLY = pytest.mark.skipif(not ROOT, reason="mounting a small file system needs root (on Linux)")


def save_model(path, labels=("1", "2"), kind="landmarks"):
    """A logistic regression bundle over `labels`, trained on random features."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline

    rng = np.random.default_rng(1)
    pipeline = Pipeline([("logreg", LogisticRegression())]).fit(rng.normal(size=(20, len(FEATURE_COLUMNS))),
                                                                list(labels) * (20 // len(labels)))
    return save_bundle(Bundle("logreg", kind, pipeline, list(labels)), path)


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    """A landmark model of the labels of `photos`."""
    return save_model(tmp_path_factory.mktemp("m") / "logreg.skops")


@pytest.fixture(scope="module")
def photos(tmp_path_factory):
    """Two labelled photos of digits, named as `groups` expects."""
    return copy_samples(tmp_path_factory.mktemp("photos") / "d", per_label=1, labels={"1", "2"})


def commands(model, photos, out):
    """Every command that writes one file, given `out` as that file."""
    return {
        "extract": ["extract", photos, "--out", out, "--workers", "1"],
        "predict": ["predict", photos, "--model", model, "--output", out, "--workers", "1"],
        "export": ["export", "--model", model, "--out", out],
        "groups": ["groups", photos, "--out", out],
        "live": ["live", "--model", model, "--source", photos / "1", "--headless", "--output", out],
        "make-clips": ["make-clips", out, "--photos", photos, "--word-video"],
    }


FILE_COMMANDS = ["extract", "predict", "export", "groups", "live", "make-clips"]


def fifo(tmp):
    if not hasattr(os, "mkfifo"):
        pytest.skip("this system has no named pipes")
    os.mkfifo(tmp / "pipe.csv")
    return tmp / "pipe.csv", stat.S_ISFIFO


def device(tmp):
    if not ROOT:
        pytest.skip("making a device node needs root")
    os.mknod(tmp / "null.csv", stat.S_IFCHR | 0o666, os.makedev(1, 3))  # the same device as /dev/null
    return tmp / "null.csv", stat.S_ISCHR


@pytest.mark.parametrize("make", [fifo, device], ids=["fifo", "device"])
@pytest.mark.parametrize("command", FILE_COMMANDS)
def test_a_special_file_as_out_is_refused_and_kept(tmp_path, capsys, model, photos, make, command):
    target, still = make(tmp_path)
    code, _, err = run(capsys, *commands(model, photos, target)[command])
    assert code == 1 and "not a regular file" in one_line(err)
    assert still(os.stat(target).st_mode)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="this system has no named pipes")
def test_atomic_write_never_replaces_a_fifo(tmp_path):
    os.mkfifo(tmp_path / "pipe")
    with pytest.raises(ValueError, match="is a FIFO, not a regular file"):
        with atomic_path(tmp_path / "pipe") as temp:
            temp.write_text("x")
    assert stat.S_ISFIFO(os.stat(tmp_path / "pipe").st_mode) and os.listdir(tmp_path) == ["pipe"]


@pytest.mark.parametrize("command", ["predict", "export", "groups"])
def test_a_folder_as_out_is_refused(tmp_path, capsys, model, photos, command):
    (tmp_path / "x.csv").mkdir()
    code, _, err = run(capsys, *commands(model, photos, tmp_path / "x.csv")[command])
    assert code == 1 and "is a folder" in one_line(err)


@pytest.mark.parametrize("command", ["predict", "export", "groups"])
def test_another_commands_file_is_not_replaced(tmp_path, capsys, model, photos, command):
    table = tmp_path / "features.csv"
    table.write_text("path,label,group,x0\n1/a.jpg,1,,0.5\n")
    code, _, err = run(capsys, *commands(model, photos, table)[command])
    assert code == 1 and "this command did not write" in one_line(err)
    assert table.read_text() == "path,label,group,x0\n1/a.jpg,1,,0.5\n"


def test_groups_replaces_its_own_file(tmp_path, capsys, photos):
    assert run(capsys, "groups", photos, "--out", tmp_path / "g.csv")[0] == 0
    assert run(capsys, "groups", photos, "--out", tmp_path / "g.csv")[0] == 0


@pytest.mark.parametrize("command", FILE_COMMANDS)
def test_a_name_too_long_is_one_line(tmp_path, capsys, model, photos, command):
    code, _, err = run(capsys, *commands(model, photos, tmp_path / ("n" * 300 + ".csv"))[command])
    assert code == 1 and "304 bytes" in one_line(err) and "shorter name" in err


@pytest.mark.parametrize("option", ["--labels", "--signer"])
def test_collect_refuses_a_label_or_signer_too_long_for_a_file_name(tmp_path, capsys, samples_dir, option):
    given = {"--labels": "A", "--signer": "signer1", option: "Ж" * 130}
    code, _, err = run(capsys, "collect", "--source", samples_dir / "1", "--headless", "--out", tmp_path / "c",
                       *(x for pair in given.items() for x in pair))
    assert code == 1 and "260 bytes long" in one_line(err) and not (tmp_path / "c").exists()


# --- bench must not replace the working data ----------------------------------------------------------------


def test_bench_refuses_a_folder_holding_other_files(tmp_path, capsys, photos):
    data = tmp_path / "data"
    (data / "models").mkdir(parents=True)
    (data / "features.csv").write_text("path,label,group\n")
    (data / "models" / "svm.skops").write_bytes(b"model")
    code, _, err = run(capsys, "bench", photos, "--out", data)
    assert code == 1 and "bench did not write" in one_line(err)
    assert (data / "features.csv").read_text() == "path,label,group\n"
    assert (data / "models" / "svm.skops").read_bytes() == b"model"
    assert sorted(p.name for p in data.iterdir()) == ["features.csv", "models"]


# --- read-only and full file systems -----------------------------------------------------------------------


@contextlib.contextmanager
def mounted(folder, size="4m", read_only=False):
    """A small tmpfs at `folder` for the test's duration."""
    folder.mkdir(parents=True, exist_ok=True)
    options = f"size={size}" + (",ro" if read_only else "")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({done.stderr.strip()})")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def fill(folder, leave_kb):
    """Fill the file system of `folder` until about `leave_kb` KiB are free."""
    free = shutil.disk_usage(folder).free // 1024
    with open(folder / "filler", "wb") as handle:
        handle.write(b"\0" * max(0, free - leave_kb) * 1024)


@ROOT_ONLY
@pytest.mark.parametrize("command", FILE_COMMANDS + ["train", "evaluate", "collect", "bench"])
def test_read_only_file_system_is_one_line(tmp_path, capsys, model, photos, command):
    with mounted(tmp_path / "ro", read_only=True) as ro:
        out = ro / "out" / "f.csv"
        argv = {**commands(model, photos, out),
                "train": ["train", tmp_path / "missing.csv", "--out", ro / "models"],
                "evaluate": ["evaluate", photos, "--model", model, "--out", ro / "ev"],
                "collect": ["collect", "--labels", "A", "--source", photos / "1", "--headless", "--out", ro / "c"],
                "bench": ["bench", photos, "--out", ro / "bench"]}[command]
        code, _, err = run(capsys, *argv)
        assert code == 1 and "read-only file system" in one_line(err)


@ROOT_ONLY
def test_extract_on_a_full_disk_twice_then_with_space_keeps_every_row(tmp_path, capsys):
    root = copy_samples(tmp_path / "d", per_label=2)
    whole = tmp_path / "whole.csv"
    assert run(capsys, "extract", root, "--out", whole, "--workers", "1")[0] == 0
    with mounted(tmp_path / "full", size="1m") as disk:
        fill(disk, leave_kb=40)
        for _ in range(2):
            code, _, err = run(capsys, "extract", root, "--out", disk / "f.csv", "--workers", "1")
            assert code == 1 and "no space left on the device" in one_line(err)
            assert not [p for p in os.listdir(disk) if p.endswith(".tmp")]
        (disk / "filler").unlink()
        code, out, _ = run(capsys, "extract", root, "--out", disk / "f.csv", "--workers", "1")
        assert code == 0 and (disk / "f.csv").read_bytes() == whole.read_bytes()


@ROOT_ONLY
@pytest.mark.parametrize("command", ["predict", "export", "groups"])
def test_a_full_disk_is_one_line_and_leaves_no_temp_file(tmp_path, capsys, model, photos, command):
    with mounted(tmp_path / "full", size="1m") as disk:
        fill(disk, leave_kb=0)
        code, _, err = run(capsys, *commands(model, photos, disk / "f.csv")[command])
        assert code == 1 and "no space left on the device" in one_line(err)
        assert sorted(os.listdir(disk)) == ["filler"]


# --- train: classifiers that cannot train on the data are skipped ---------------------------------------------


def table(path, per_label, labels="ABC", scale=0.1):
    """A feature table of `per_label` separable rows per label, no groups."""
    rng = np.random.default_rng(0)
    rows = [{"path": f"{label}/{n}.jpg", "label": label, "group": "",
             **dict(zip(FEATURE_COLUMNS, rng.normal(labels.index(label), scale, len(FEATURE_COLUMNS))))}
            for n in range(per_label) for label in labels]
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


def test_knn_with_fewer_samples_than_neighbours_is_skipped_and_the_others_train(tmp_path, capsys):
    code, out, _ = run(capsys, "train", table(tmp_path / "f.csv", 2), "--folds", "2", "--classifiers", "knn,logreg",
                       "--out", tmp_path / "m")
    assert code == 0 and "note: knn skipped: a training fold has only 3 samples, fewer than its 5 neighbours" in out
    comparison = pd.read_csv(tmp_path / "m" / "report" / "comparison.csv")
    assert list(comparison["classifier"]) == ["logreg"] and not (tmp_path / "m" / "knn.skops").exists()


def test_no_classifier_that_can_train_is_one_line(tmp_path, capsys):
    code, _, err = run(capsys, "train", table(tmp_path / "f.csv", 2), "--folds", "2", "--classifiers", "knn",
                       "--out", tmp_path / "m")
    assert code == 1 and "no classifier can train on" in one_line(err) and "knn (a training fold" in err


def test_search_with_too_few_images_per_label_for_its_inner_folds_is_one_line(tmp_path, capsys):
    code, _, err = run(capsys, "train", table(tmp_path / "f.csv", 4), "--folds", "2", "--search",
                       "--classifiers", "logreg", "--out", tmp_path / "m")
    assert code == 1 and "--search tunes on 3 inner folds" in one_line(err)


def test_search_keeps_only_the_neighbour_counts_every_fit_can_have(tmp_path, capsys):
    code, out, err = run(capsys, "train", table(tmp_path / "f.csv", 6), "--folds", "3", "--search",
                         "--classifiers", "knn", "--out", tmp_path / "m")
    assert code == 0 and "skipped" not in out and "FitFailedWarning" not in err
    assert pd.read_csv(tmp_path / "m" / "report" / "comparison.csv")["classifier"].tolist() == ["knn"]


# --- evaluate: models that cannot score the folder ---------------------------------------------------------------


def test_evaluate_a_model_that_knows_none_of_the_labels_is_one_line(tmp_path, capsys, photos, monkeypatch):
    monkeypatch.setattr("inference.evaluate_folder.detect_images", lambda *a: pytest.fail("work started"))
    letters = save_model(tmp_path / "m" / "logreg.skops", labels=("A", "B"))
    code, _, err = run(capsys, "evaluate", photos, "--model", letters, "--out", tmp_path / "ev")
    assert code == 1 and "knows none of the labels" in one_line(err) and "(1, 2)" in err


def test_evaluate_refuses_a_motion_model(tmp_path, capsys, photos):
    motion = save_model(tmp_path / "m" / "logreg.skops", kind="motion")
    code, _, err = run(capsys, "evaluate", photos, "--model", motion, "--out", tmp_path / "ev")
    assert code == 1 and "is a motion model" in one_line(err) and "evaluate-motion" in err


def test_evaluate_where_no_photo_shows_a_hand_reports_it(tmp_path, capsys, model):
    import cv2

    (tmp_path / "d" / "1").mkdir(parents=True)
    for n in range(2):
        cv2.imwrite(str(tmp_path / "d" / "1" / f"blank{n}.png"), np.full((100, 100, 3), 90 * n, np.uint8))
    code, out, _ = run(capsys, "evaluate", tmp_path / "d", "--model", model, "--out", tmp_path / "ev",
                       "--workers", "1")
    evaluation = pd.read_csv(tmp_path / "ev" / "evaluation.csv")
    assert code == 0 and evaluation["n_classified"].tolist() == [0] and evaluation["n_images"].tolist() == [2]


# --- Ctrl-C: what a command says it kept, it kept --------------------------------------------------------------


def children(pid):
    """The process ids whose parent is `pid` (its workers)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    if int(handle.read().rsplit(")", 1)[1].split()[1]) == pid:
                        found.append(int(entry))
            except (OSError, IndexError, ValueError):
                continue
    return found


def detector_loaded(pid):
    """Whether a worker of `pid` has mapped a hand model (.task) into memory: its detector is ready."""
    for child in children(pid):
        try:
            with open(f"/proc/{child}/maps") as handle:
                if ".task" in handle.read():
                    return True
        except OSError:
            continue
    return False


def interrupt(argv, ready, timeout=120):
    """Run `cli.py argv` in a subprocess, send it SIGINT once `ready(process)` holds; (exit code, stdout, stderr)."""
    command = [sys.executable, "cli.py", *map(str, argv)]
    process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + timeout
    while process.poll() is None and not ready(process) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert process.poll() is None, "the command finished before it could be interrupted"
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=timeout)
    assert "Traceback" not in stderr
    return process.returncode, stdout, stderr


def many_links(folder, photo, count):
    """`count` links to one photo under folder/1/: a long run that costs no disk."""
    (folder / "1").mkdir(parents=True)
    for index in range(count):
        (folder / "1" / f"p{index:04d}.jpg").symlink_to(photo)
    return folder


def workers_busy_for(seconds):
    """Ready `seconds` after a worker's detector is loaded: it has been detecting that long."""
    started = {}

    def ready(process):
        if not detector_loaded(process.pid):
            return False
        started.setdefault("at", time.monotonic())
        return time.monotonic() - started["at"] > seconds
    return ready


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="watches the workers through /proc")
def test_ctrl_c_in_predict_saves_the_images_labelled_so_far(tmp_path, model, samples_dir):
    folder = many_links(tmp_path / "d", sorted((samples_dir / "1").iterdir())[0], 3000)
    out = tmp_path / "p.csv"
    code, _, err = interrupt(["predict", folder, "--model", model, "--output", out, "--workers", "2"],
                             workers_busy_for(3))
    line = one_line(err)
    assert code == 130 and line.startswith("interrupted; ")
    if "no results were written" in line:
        assert not out.exists()
    else:
        saved = pd.read_csv(out)
        assert f"the {len(saved)} of 3000 images labelled so far were saved to {out}" in line
        assert 0 < len(saved) < 3000 and set(saved["state"]) <= {"label", "unsure", "no_hand"}


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="watches the workers through /proc")
def test_ctrl_c_in_evaluate_says_no_report_was_written(tmp_path, model, samples_dir):
    folder = many_links(tmp_path / "d", sorted((samples_dir / "1").iterdir())[0], 1500)
    (tmp_path / "m").mkdir()
    code, _, err = interrupt(["evaluate", folder, "--model", model, "--out", tmp_path / "ev", "--workers", "2"],
                             workers_busy_for(2))
    assert code == 130 and "no report was written" in one_line(err)
    assert not (tmp_path / "ev" / "evaluation.csv").exists()


def test_ctrl_c_in_train_keeps_each_finished_model_with_its_report_row(tmp_path, capsys):
    features = table(tmp_path / "f.csv", 400, scale=2.0)
    models = tmp_path / "m"
    comparison = models / "report" / "comparison.csv"
    code, _, err = interrupt(["train", features, "--classifiers", "logreg,mlp,svm,rf", "--out", models],
                             lambda process: comparison.is_file())
    line = one_line(err)
    finished = int(line.split("interrupted; ")[1].split(" of 4 classifiers had finished")[0])
    listed = pd.read_csv(comparison)["classifier"].tolist()
    assert code == 130 and 1 <= finished < 4 and len(listed) == finished and listed[0] in ("logreg", "mlp", "svm")
    assert sorted(p.stem for p in models.glob("*.skops")) == sorted(listed)
    code, out, _ = run(capsys, "predict", tmp_path / "f.csv", "--model", models)
    assert code == 0 and "1 unreadable" in out  # the default model loads; a CSV is no photo


# --- more outputs: extract over another command's file, full disks mid-run ------------------------------------


def test_extract_does_not_replace_a_file_that_is_not_a_feature_table(tmp_path, capsys, photos, monkeypatch):
    monkeypatch.setattr("landmarks.extract.open_workers", lambda *a, **k: pytest.fail("work started"))
    groups = tmp_path / "groups.csv"
    groups.write_text("path,group\n1/a.jpg,signer1\n")
    code, _, err = run(capsys, "extract", photos, "--out", groups)
    assert code == 1 and "this command did not write" in one_line(err)
    assert groups.read_text() == "path,group\n1/a.jpg,signer1\n" and os.listdir(tmp_path) == ["groups.csv"]


@ROOT_ONLY
def test_train_on_a_disk_that_fills_lists_only_saved_models(tmp_path, capsys):
    features = table(tmp_path / "f.csv", 30)
    with mounted(tmp_path / "full", size="1m") as disk:
        fill(disk, leave_kb=150)
        code, _, err = run(capsys, "train", features, "--classifiers", "logreg,rf,svm,mlp", "--folds", "3",
                           "--out", disk / "m")
        assert code == 1 and "no space left on the device" in one_line(err)
        comparison = disk / "m" / "report" / "comparison.csv"
        listed = pd.read_csv(comparison)["classifier"].tolist() if comparison.exists() else []
        assert all((disk / "m" / f"{name}.skops").is_file() for name in listed)
        assert not [p for p in disk.rglob("*.tmp")]


@ROOT_ONLY
def test_live_on_a_disk_that_fills_keeps_every_line_written(tmp_path, capsys, model, samples_dir):
    folder = many_links(tmp_path / "d", sorted((samples_dir / "1").iterdir())[0], 300)
    with mounted(tmp_path / "full", size="1m") as disk:
        fill(disk, leave_kb=8)
        code, _, err = run(capsys, "live", "--model", model, "--source", folder / "1", "--headless",
                           "--output", disk / "run.jsonl")
        assert code == 1 and "no space left on the device" in one_line(err)
        lines = (disk / "run.jsonl").read_text().splitlines()
        complete = [line for line in lines if line.endswith("}")]
        assert len(complete) >= len(lines) - 1 and all(json.loads(line)["frame"] >= 0 for line in complete)

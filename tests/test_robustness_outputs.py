"""Outputs against every command, built here: a device, FIFO or folder where a file goes, another command's
files, a read-only or full file system, names too long, Ctrl-C. Each case: the exit code, one line and no
traceback, and nothing finished lost or destroyed."""
import contextlib
import os
import shutil
import stat
import subprocess

import numpy as np
import pytest

from classifiers.bundle import Bundle, save_bundle
from landmarks.files import atomic_path
from landmarks.points import FEATURE_COLUMNS
from tests.conftest import copy_samples
from tests.test_robustness import one_line, run

ROOT_ONLY = pytest.mark.skipif(os.geteuid() != 0, reason="mounting a small file system needs root")


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline

    rng = np.random.default_rng(1)
    pipeline = Pipeline([("logreg", LogisticRegression())]).fit(rng.normal(size=(20, len(FEATURE_COLUMNS))), ["A", "B"] * 10)
    return save_bundle(Bundle("logreg", "landmarks", pipeline, ["A", "B"]), tmp_path_factory.mktemp("m") / "logreg.skops")


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
    }


FILE_COMMANDS = ["extract", "predict", "export", "groups", "live"]


def fifo(tmp):
    os.mkfifo(tmp / "pipe.csv")
    return tmp / "pipe.csv", stat.S_ISFIFO


def device(tmp):
    if os.geteuid() != 0:
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

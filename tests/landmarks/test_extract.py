from importlib import metadata
from pathlib import Path

import cv2
import numpy as np
import pandas as pd
import pytest

import cli
from landmarks import extract as extract_module
from landmarks import image_record
from landmarks.extract import failures_path
from landmarks.points import FEATURE_COLUMNS, RAW_COLUMNS, WORLD_COLUMNS
from landmarks.sidecar import read_sidecar
from tests.conftest import copy_samples

KAZAKH = {"0": "Ә", "1": "Қ", "2": "Ң"}


def run(data_dir, out, *more):
    return cli.main(["extract", str(data_dir), "--out", str(out), "--workers", "1", *more])


def read_table(out):
    return pd.read_csv(out, dtype={"path": str, "label": str, "group": str}, keep_default_na=False)


def add_bad_files(root, photo):
    """Every kind of awkward input the extractor must report or handle, in one label folder."""
    bad = root / "Қ"
    (bad / "zero.jpg").write_bytes(b"")
    (bad / "text.jpg").write_text("not a photo")
    (bad / "cut.jpg").write_bytes(photo.read_bytes()[:200])
    (bad / "dot.png").write_bytes(cv2.imencode(".png", np.zeros((1, 1, 3), np.uint8))[1].tobytes())
    image = cv2.imread(str(photo))
    cv2.imwrite(str(bad / "gray.png"), cv2.cvtColor(image, cv2.COLOR_BGR2GRAY))
    cv2.imwrite(str(bad / "deep.png"), image.astype(np.uint16) * 257)
    cv2.imwrite(str(bad / "alpha.png"), cv2.cvtColor(image, cv2.COLOR_BGR2BGRA))
    cv2.imwrite(str(bad / "huge.jpg"), cv2.resize(image, (3000, 3000)))


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    root = copy_samples(tmp_path_factory.mktemp("data"), per_label=3, labels=set(KAZAKH), rename=KAZAKH)
    add_bad_files(root, next((root / "Ә").iterdir()))
    out = root.parent / "features.csv"
    assert run(root, out) == 0
    return root, out


def test_rows_keep_unicode_labels_and_all_columns(extracted):
    root, out = extracted
    table = read_table(out)
    assert set(table["label"]) == set(KAZAKH.values())
    assert ({"path", "label", "group", "handedness", "score", *RAW_COLUMNS, *WORLD_COLUMNS, *FEATURE_COLUMNS}
            <= set(table.columns))
    assert all((root / path).is_file() for path in table["path"])
    up = table[["palm_up_x", "palm_up_y", "palm_up_z"]].to_numpy()
    np.testing.assert_allclose(np.linalg.norm(up, axis=1), 1.0, atol=1e-5)
    # World landmarks are metres around the hand's centre: a hand spans a few centimetres, not pixels.
    world = table[WORLD_COLUMNS].to_numpy().reshape(-1, 21, 3)
    assert 0.02 < np.ptp(world[:, :, :2], axis=1).max(axis=1).min() and np.abs(world).max() < 0.3


def test_bad_files_are_listed_with_reasons(extracted):
    _, out = extracted
    failures = pd.read_csv(failures_path(out), keep_default_na=False).set_index("path")["reason"]
    assert failures["Қ/zero.jpg"] == "empty_file"
    assert failures["Қ/text.jpg"] == "not_an_image"
    assert failures["Қ/dot.png"] == "too_small"
    assert failures.get("Қ/cut.jpg", "no_hand") in {"unreadable", "no_hand"}


def test_awkward_but_valid_images_get_rows(extracted):
    _, out = extracted
    paths = set(read_table(out)["path"])
    assert {"Қ/deep.png", "Қ/alpha.png", "Қ/huge.jpg"} <= paths
    failures = pd.read_csv(failures_path(out), keep_default_na=False).set_index("path")["reason"]
    # The palm detector may not see a hand without colour; decoding must still succeed.
    assert "Қ/gray.png" in paths or failures["Қ/gray.png"] == "no_hand"


def test_sidecar_records_versions_and_normalization(extracted):
    _, out = extracted
    sidecar = read_sidecar(out)
    assert sidecar["mediapipe_version"] == metadata.version("mediapipe")
    assert sidecar["detector"]["backend"] == "mediapipe_tasks_tracked" and sidecar["detector"]["hand_model"] == "full"
    assert sidecar["normalization"]["name"] and "mirror_left" in sidecar["normalization"]["settings"]


def test_summary_line(extracted, capsys):
    root, out = extracted
    run(root, out)
    line = capsys.readouterr().out.strip().splitlines()[-1]
    assert line.startswith("extract: 17 images seen") and "images/s" in line


def test_rerun_reuses_everything_without_detecting(extracted, monkeypatch, capsys):
    root, out = extracted
    before = read_table(out)
    def no_detection(*args, **kwargs):
        raise AssertionError("a re-run over unchanged files must not run the detector")

    monkeypatch.setattr(extract_module.HandDetector, "__init__", no_detection)
    assert run(root, out) == 0
    assert "17 reused" in capsys.readouterr().out
    pd.testing.assert_frame_equal(read_table(out), before)


def test_changed_file_is_processed_again(tmp_path):
    root = copy_samples(tmp_path / "data", per_label=2, labels={"3", "4"})
    out = tmp_path / "f.csv"
    assert run(root, out) == 0
    changed = sorted((root / "3").iterdir())[0]
    changed.write_bytes(b"now broken")
    assert run(root, out) == 0
    failures = pd.read_csv(failures_path(out), keep_default_na=False)
    assert failures.set_index("path").loc[f"3/{changed.name}", "reason"] == "not_an_image"
    assert f"3/{changed.name}" not in set(read_table(out)["path"])


def test_table_without_world_landmarks_is_extracted_again(tmp_path, capsys):
    root = copy_samples(tmp_path / "data", per_label=1, labels={"5"})
    out = tmp_path / "f.csv"
    assert run(root, out) == 0
    read_table(out).drop(columns=WORLD_COLUMNS).to_csv(out, index=False)  # as written before world landmarks
    capsys.readouterr()
    assert run(root, out) == 0
    assert "0 reused" in capsys.readouterr().out
    assert set(WORLD_COLUMNS) <= set(read_table(out).columns)


def test_interrupted_run_keeps_rows_and_resumes(tmp_path, monkeypatch):
    root = copy_samples(tmp_path / "data", per_label=3, labels={"6", "7"})
    out = tmp_path / "f.csv"
    real = image_record.process_image
    calls = []

    def interrupt_on_fourth(*args):
        calls.append(args[1])
        if len(calls) == 4:
            raise KeyboardInterrupt
        return real(*args)

    monkeypatch.setattr(image_record, "process_image", interrupt_on_fourth)
    assert run(root, out) == 130
    assert len(read_table(out)) + len(pd.read_csv(failures_path(out))) == 3
    calls.clear()
    assert run(root, out) == 0
    assert len(calls) == 3  # only the images the first run did not finish
    assert len(read_table(out)) + len(pd.read_csv(failures_path(out))) == 6


def test_groups_file_fills_the_group_column(tmp_path):
    root = copy_samples(tmp_path / "data", per_label=2, labels={"8", "9"})
    groups = tmp_path / "groups.csv"
    pd.DataFrame({"path": ["8/" + p.name for p in sorted((root / "8").iterdir())],
                  "group": ["alice", "bob"]}).to_csv(groups, index=False)
    assert run(root, tmp_path / "f.csv", "--groups", str(groups)) == 0
    table = read_table(tmp_path / "f.csv").set_index("path")
    assert sorted(table.loc[table["label"] == "8", "group"]) == ["alice", "bob"]
    assert set(table.loc[table["label"] == "9", "group"]) == {""}


def test_parallel_workers_give_the_same_rows(tmp_path):
    root = copy_samples(tmp_path / "data", per_label=2, labels={"1", "2"})
    assert run(root, tmp_path / "one.csv") == 0
    assert cli.main(["extract", str(root), "--out", str(tmp_path / "two.csv"), "--workers", "2"]) == 0
    one, two = read_table(tmp_path / "one.csv"), read_table(tmp_path / "two.csv")
    assert list(one["path"]) == list(two["path"])
    np.testing.assert_allclose(one[FEATURE_COLUMNS], two[FEATURE_COLUMNS], atol=1e-5)


def test_task_file_backend_extracts(tmp_path, task_file):
    root = copy_samples(tmp_path / "data", per_label=2, labels={"4", "5"})
    assert run(root, tmp_path / "f.csv", "--hand-model", str(task_file)) == 0
    assert len(read_table(tmp_path / "f.csv")) >= 3
    assert read_sidecar(tmp_path / "f.csv")["detector"]["hand_model"] == task_file.name


@pytest.mark.parametrize("make, message", [
    (lambda root: root / "missing", "does not exist"),
    (lambda root: root, "has no label folders"),
], ids=["missing", "empty"])
def test_unusable_data_dir_exits_1(tmp_path, capsys, make, message):
    assert run(make(tmp_path), tmp_path / "f.csv") == 1
    error = capsys.readouterr().err
    assert message in error and "Traceback" not in error and len(error.strip().splitlines()) == 1


def test_a_run_hashes_each_hand_model_file_once(tmp_path, monkeypatch):
    import sys

    from landmarks import files

    root = copy_samples(tmp_path / "data", per_label=1, labels={"1", "2"})
    cv2.imwrite(str(root / "2" / "blank.png"), np.full((120, 120, 3), 90, np.uint8))  # missed: the retry runs too
    real, hashed = files.file_sha256, []

    def counted(path):
        hashed.append(Path(path).name)
        return real(path)

    for module in list(sys.modules.values()):  # wherever the hashing function was imported to
        if getattr(module, "file_sha256", None) is real:
            monkeypatch.setattr(module, "file_sha256", counted)
    assert run(root, tmp_path / "f.csv") == 0
    assert sorted(hashed) == ["hand_landmarker_full.task", "hand_landmarker_lite.task"]
    assert set(pd.read_csv(failures_path(tmp_path / "f.csv"))["reason"]) == {"no_hand"}

"""`predict`: one result per image, with states, in CSV, JSON lines or a table."""
import json
from pathlib import Path

import cv2
import numpy as np
import pandas as pd
import pytest

import cli
from classifiers.bundle import bundle_file
from inference.apply import Applied
from inference.predict import COLUMNS, image_files, results_table, write_results
from landmarks.errors import UserError
from tests.classifiers.helpers import single_threaded_math  # noqa: F401 -- autouse fixture
from tests.conftest import SAMPLES


def test_folders_are_searched_recursively_in_order(tmp_path):
    for name in ("b/deep/2.png", "b/1.JPG", "a.jpeg", "b/notes.txt", "b/.hidden.png"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"")
    found = image_files([tmp_path / "b", tmp_path / "a.jpeg", tmp_path / "b" / "1.JPG"])
    assert [Path(p).relative_to(tmp_path).as_posix() for p in found] == ["b/1.JPG", "b/deep/2.png", "a.jpeg"]


@pytest.mark.parametrize("make, message", [(lambda d: d / "nope.jpg", "does not exist"),
                                          (lambda d: d, "no image files")], ids=["missing", "no-images"])
def test_nothing_to_predict_is_a_user_error(tmp_path, make, message):
    with pytest.raises(UserError, match=message):
        image_files([make(tmp_path)])


def tiny_applied():
    probabilities = np.array([[0.7, 0.2, 0.1], [0.3, 0.25, 0.45], [np.nan] * 3, [np.nan] * 3])
    return Applied(["a.png", "b.png", "c.png", "d.png"], np.array(["hand", "hand", "no_hand", "unreadable"]),
                   np.array(["x", "z", "", ""]), probabilities, ["x", "y", "z"])


def test_results_have_states_and_top3():
    table = results_table(tiny_applied(), min_confidence=0.6)
    assert list(table.columns) == COLUMNS
    assert table["state"].tolist() == ["label", "unsure", "no_hand", "unreadable"]
    assert table["label"].tolist() == ["x", "z", "", ""]
    assert table.loc[1, ["top1", "top2", "top3"]].tolist() == ["z", "x", "y"]
    assert table.loc[1, "confidence"] == pytest.approx(0.45)


def test_csv_and_json_lines(tmp_path):
    table = results_table(tiny_applied(), min_confidence=0.6)
    write_results(table, tmp_path / "r.csv")
    assert pd.read_csv(tmp_path / "r.csv", keep_default_na=False)["state"].tolist() == table["state"].tolist()
    write_results(table, tmp_path / "r.jsonl")
    lines = [json.loads(line) for line in (tmp_path / "r.jsonl").read_text(encoding="utf-8").splitlines()]
    assert lines[0] == {"path": "a.png", "label": "x", "state": "label", "confidence": 0.7,
                        "top3": [["x", 0.7], ["y", 0.2], ["z", 0.1]]}
    assert lines[2] == {"path": "c.png", "label": "", "state": "no_hand", "confidence": None, "top3": []}


@pytest.fixture(scope="module")
def mixed_folder(tmp_path_factory):
    """A real photo, a photo without a hand and a damaged file."""
    folder = tmp_path_factory.mktemp("mixed")
    photo = sorted((SAMPLES / "5").glob("*.JPG"))[0]
    (folder / "five.jpg").write_bytes(photo.read_bytes())
    cv2.imwrite(str(folder / "wall.png"), np.full((200, 200, 3), 120, np.uint8))
    (folder / "broken.jpg").write_bytes(b"\xff\xd8 truncated")
    return folder


def test_landmark_model_on_a_mixed_folder(held_out, mixed_folder, tmp_path, capsys):
    out = tmp_path / "out.jsonl"
    assert cli.main(["predict", str(mixed_folder), "--model", str(bundle_file(held_out.models, "logreg")),
                     "--output", str(out), "--workers", "1", "--min-confidence", "0"]) == 0
    lines = {Path(r["path"]).name: r for r in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    assert lines["five.jpg"]["state"] == "label" and lines["five.jpg"]["label"] == "5"
    assert (lines["wall.png"]["state"], lines["broken.jpg"]["state"]) == ("no_hand", "unreadable")
    assert "1 label, 0 unsure, 1 no_hand, 1 unreadable" in capsys.readouterr().out


def test_overriding_the_hand_model_warns_in_one_line(held_out, mixed_folder, capsys):
    assert cli.main(["predict", str(mixed_folder / "five.jpg"), "--model", str(bundle_file(held_out.models, "svm")),
                     "--hand-model", "lite", "--workers", "1"]) == 0
    captured = capsys.readouterr()
    assert captured.err.strip().splitlines() == [
        "warning: --hand-model lite overrides the hand model this model was trained with (full); "
        "expect lower accuracy"]
    assert "five.jpg" in captured.out  # the table on stdout


def test_image_baseline_predicts_without_detection(image_model, mixed_folder, tmp_path):
    out = tmp_path / "out.csv"
    photos = [str(p) for p in sorted((SAMPLES / "1").glob("*.JPG"))[:2]]
    assert cli.main(["predict", *photos, str(mixed_folder / "broken.jpg"), "--model", str(image_model),
                     "--output", str(out), "--min-confidence", "0"]) == 0
    table = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert table["label"].tolist() == ["1", "1", ""]  # photos it was trained on
    assert table["state"].tolist() == ["label", "label", "unreadable"]


def test_unknown_output_suffix_is_refused_before_work(tmp_path, capsys):
    assert cli.main(["predict", str(tmp_path), "--output", str(tmp_path / "r.xlsx")]) == 1
    assert ".csv or .jsonl" in capsys.readouterr().err


@pytest.mark.parametrize("extra, message", [(["--workers", "0"], "--workers 0 starts no process"),
                                            (["--output", "/proc/nowhere/r.csv"], "pass a writable --output")],
                         ids=["no-workers", "unwritable-output"])
def test_bad_arguments_stop_before_work(tmp_path, capsys, extra, message):
    assert cli.main(["predict", str(tmp_path), *extra]) == 1
    assert message in capsys.readouterr().err

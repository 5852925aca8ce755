"""`collect --headless` on a video of real hand photos, then `extract` and `train` on what it saved."""
import pandas as pd
import pytest

import cli
from landmarks.images import read_rgb
from tests.collection.helpers import DISTRACTOR_DIGIT, nearest, sample_photos, session_frames
from tests.live.live_helpers import write_video

LABELS = ["A", "B", "C"]  # recorded with photos of digits 0, 1, 2
COUNT, SKIP, COUNTDOWN = 3, 2, 3


def collect(out, source, signer, *extra):
    return cli.main(["collect", "--headless", "--labels", ",".join(LABELS), "--source", str(source),
                     "--count", str(COUNT), "--skip", str(SKIP), "--countdown", str(COUNTDOWN),
                     "--out", str(out), "--signer", signer, *extra])


def photos_for(run):
    """Run 0, 1, 2 records photos 0-2, 3-5, 6-8 of each digit: different pictures every run."""
    return [sample_photos(digit, COUNT, start=COUNT * run) for digit in range(len(LABELS))]


def video_for(run, folder):
    frames = session_frames(photos_for(run), COUNTDOWN, SKIP, sample_photos(DISTRACTOR_DIGIT, 1)[0])
    frames += sample_photos(DISTRACTOR_DIGIT, 4, start=1)  # after the last label: must be ignored
    return write_video(frames, folder / f"run{run}.avi")


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    """Three headless runs into one folder: ann twice (numbering must continue), then bob."""
    root = tmp_path_factory.mktemp("collect")
    out = root / "dataset"
    codes = [collect(out, video_for(0, root), "ann")]
    first_run = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*.jpg")}
    codes += [collect(out, video_for(1, root), "ann"), collect(out, video_for(2, root), "bob")]
    return {"out": out, "root": root, "codes": codes, "first_run": first_run}


def test_every_run_succeeds(collected):
    assert collected["codes"] == [0, 0, 0]


def test_each_label_gets_count_frames_per_run_numbered_on(collected):
    for label in LABELS:
        names = sorted(p.name for p in (collected["out"] / label).iterdir())
        assert names == ["ann_001.jpg", "ann_002.jpg", "ann_003.jpg", "ann_004.jpg", "ann_005.jpg",
                         "ann_006.jpg", "bob_001.jpg", "bob_002.jpg", "bob_003.jpg"]


def test_earlier_files_are_not_overwritten(collected):
    out = collected["out"]
    assert len(collected["first_run"]) == len(LABELS) * COUNT
    for relpath, data in collected["first_run"].items():
        assert (out / relpath).read_bytes() == data


@pytest.mark.parametrize("signer, run, first", [("ann", 0, 1), ("ann", 1, 4), ("bob", 2, 1)],
                         ids=["ann-run1", "ann-run2", "bob"])
def test_saved_frames_are_the_label_photos_once_each_never_blank_or_countdown(collected, signer, run, first):
    """Blank frames, countdown frames (another digit) and held repeats were all skipped."""
    for label, photos in zip(LABELS, photos_for(run)):
        saved = [read_rgb(collected["out"] / label / f"{signer}_{first + k:03d}.jpg") for k in range(COUNT)]
        matches = [nearest(image, photos) for image in saved]
        assert [index for index, _ in matches] == list(range(COUNT))
        assert max(diff for _, diff in matches) < 6  # JPEG noise only: not a blank, not a distractor
        assert min(image.std() for image in saved) > 20


def test_groups_csv_names_every_saved_file_with_its_signer(collected):
    out = collected["out"]
    groups = pd.read_csv(out / "groups.csv", dtype=str, keep_default_na=False)
    assert list(groups.columns) == ["path", "group"]
    on_disk = {p.relative_to(out).as_posix(): p.name.split("_")[0] for p in out.rglob("*.jpg")}
    assert dict(zip(groups["path"], groups["group"])) == on_disk
    assert not list(out.rglob("*.tmp"))


def test_extract_then_train_run_on_the_result(collected):
    out, root = collected["out"], collected["root"]
    features, models = root / "features.csv", root / "models"
    assert cli.main(["extract", str(out), "--out", str(features), "--workers", "1"]) == 0
    table = pd.read_csv(features, dtype=str, keep_default_na=False)
    assert len(table) == 3 * len(LABELS) * COUNT
    assert sorted(set(table["label"])) == LABELS
    assert table.groupby("group").size().to_dict() == {"ann": 18, "bob": 9}  # read from DIR/groups.csv

    assert cli.main(["train", str(features), "--classifiers", "svm,knn", "--folds", "2", "--out", str(models)]) == 0
    from classifiers.bundle import load_bundle

    assert load_bundle(models / "svm.skops").labels == LABELS
    comparison = pd.read_csv(models / "report" / "comparison.csv")
    assert sorted(comparison["classifier"]) == ["knn", "svm"]


def test_source_ending_early_keeps_the_frames_and_names_the_missing_labels(tmp_path, capsys):
    photos = sample_photos(0, 2)
    video = write_video(session_frames([photos], COUNTDOWN, SKIP, photos[0]), tmp_path / "short.avi")
    assert collect(tmp_path / "out", video, "ann") == 0
    assert sorted(p.name for p in (tmp_path / "out" / "A").iterdir()) == ["ann_001.jpg", "ann_002.jpg"]
    assert "the source ended before these labels were complete: A 2/3, B 0/3, C 0/3" in capsys.readouterr().out
    assert len(pd.read_csv(tmp_path / "out" / "groups.csv")) == 2


def test_ctrl_c_keeps_what_was_saved_and_exits_130(tmp_path, monkeypatch):
    import collection.collect
    from live.sources import FrameSource

    class InterruptedSource(FrameSource):
        def __iter__(self):  # Ctrl-C just after B's first save (frames: see session_frames)
            for frame in super().__iter__():
                if frame.index == 19:
                    raise KeyboardInterrupt
                yield frame

    monkeypatch.setattr(collection.collect, "FrameSource", InterruptedSource)
    video = write_video(session_frames(photos_for(0), COUNTDOWN, SKIP, photos_for(0)[2][0]), tmp_path / "v.avi")
    assert collect(tmp_path / "out", video, "ann") == 130
    saved = sorted(p.relative_to(tmp_path / "out").as_posix() for p in (tmp_path / "out").rglob("*.jpg"))
    assert saved == ["A/ann_001.jpg", "A/ann_002.jpg", "A/ann_003.jpg", "B/ann_001.jpg"]
    groups = pd.read_csv(tmp_path / "out" / "groups.csv", dtype=str)
    assert sorted(groups["path"]) == saved


def test_a_second_run_merges_into_groups_csv_keeping_other_rows(tmp_path):
    out = tmp_path / "out"
    (out / "A").mkdir(parents=True)
    (out / "groups.csv").write_text("path,group\nA/old.jpg,carol\n", encoding="utf-8")
    photos = sample_photos(0, 1)
    assert cli.main(["collect", "--headless", "--labels", "A", "--source", str(write_video(photos, tmp_path / "v.avi")),
                     "--count", "1", "--countdown", "0", "--out", str(out), "--signer", "dan"]) == 0
    groups = pd.read_csv(out / "groups.csv", dtype=str)
    assert dict(zip(groups["path"], groups["group"])) == {"A/dan_001.jpg": "dan", "A/old.jpg": "carol"}

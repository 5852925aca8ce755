import numpy as np
import pytest

from landmarks.errors import UserError
from landmarks.groups import read_groups
from landmarks.images import read_rgb
from collection.store import CollectedDataset

FRAME = np.tile(np.arange(0, 240, 10, dtype=np.uint8)[None, :, None], (16, 1, 3))  # 16x24 gradient


def groups_of(root):
    return read_groups(root / "groups.csv")


def test_saves_numbered_jpegs_in_label_folders(tmp_path):
    store = CollectedDataset(tmp_path, "ann")
    assert [store.save("Қ", FRAME), store.save("Қ", FRAME), store.save("B", FRAME)] == \
        ["Қ/ann_001.jpg", "Қ/ann_002.jpg", "B/ann_001.jpg"]
    assert np.abs(read_rgb(tmp_path / "Қ" / "ann_001.jpg").astype(int) - FRAME).mean() < 3
    assert not list(tmp_path.rglob("*.tmp"))


def test_numbering_continues_after_the_signers_highest_file(tmp_path):
    (tmp_path / "A").mkdir()
    for name in ["ann_007.jpg", "ann_2.jpg", "annie_050.jpg", "bob_099.jpg"]:
        (tmp_path / "A" / name).write_bytes(b"kept")
    assert CollectedDataset(tmp_path, "ann").save("A", FRAME) == "A/ann_008.jpg"
    assert CollectedDataset(tmp_path, "annie").save("A", FRAME) == "A/annie_051.jpg"
    assert all((tmp_path / "A" / name).read_bytes() == b"kept" for name in ["ann_007.jpg", "bob_099.jpg"])


def test_discarding_an_attempt_deletes_only_this_runs_files_of_that_label(tmp_path):
    (tmp_path / "A").mkdir()
    (tmp_path / "A" / "ann_001.jpg").write_bytes(b"earlier run")
    store = CollectedDataset(tmp_path, "ann")
    store.save("B", FRAME)
    store.save("A", FRAME)
    store.save("A", FRAME)
    store.discard_attempt("A")
    assert sorted(p.name for p in (tmp_path / "A").iterdir()) == ["ann_001.jpg"]
    assert store.save("A", FRAME) == "A/ann_002.jpg"
    store.write_groups()
    assert groups_of(tmp_path) == {"A/ann_002.jpg": "ann", "B/ann_001.jpg": "ann"}


def test_groups_csv_is_merged_with_existing_rows(tmp_path):
    (tmp_path / "groups.csv").write_text("path,group\nZ/old.jpg,carol\nA/bob_001.jpg,bob\n", encoding="utf-8")
    store = CollectedDataset(tmp_path, "ann")
    store.save("A", FRAME)
    store.write_groups()
    store.save("A", FRAME)
    store.write_groups()
    assert groups_of(tmp_path) == {"A/ann_001.jpg": "ann", "A/ann_002.jpg": "ann",
                                   "A/bob_001.jpg": "bob", "Z/old.jpg": "carol"}


def test_nothing_saved_writes_no_groups_file(tmp_path):
    CollectedDataset(tmp_path, "ann").write_groups()
    assert not (tmp_path / "groups.csv").exists()


@pytest.mark.parametrize("signer, message", [("a/b", "signer id 'a/b'"), ("", "is empty"), ("a b", "holds a space")],
                         ids=["slash", "empty", "space"])
def test_bad_signer_ids_are_rejected(tmp_path, signer, message):
    with pytest.raises(UserError, match=message):
        CollectedDataset(tmp_path, signer)


def test_a_broken_groups_file_stops_before_recording(tmp_path):
    (tmp_path / "groups.csv").write_text("file,signer\nx.jpg,a\n", encoding="utf-8")
    with pytest.raises(UserError, match="needs columns path,group"):
        CollectedDataset(tmp_path, "ann")

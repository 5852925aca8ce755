import pytest

from landmarks.journal import Journal, journal_path

ROW = {"path": "a/1.jpg", "score": 0.1 + 0.2, "file_size": 3, "file_mtime_ns": 1795252086506553383}


def test_committed_results_survive_without_close(tmp_path):
    first = Journal(tmp_path / "j.sqlite", {"detector": 1})
    first.add("row", ROW)
    first.add("failure", {"path": "b/2.jpg", "reason": "no_hand"})
    # No close: as after kill -9, a second connection must see both.
    assert Journal(tmp_path / "j.sqlite", {"detector": 1}).entries() == {
        "a/1.jpg": ("row", ROW), "b/2.jpg": ("failure", {"path": "b/2.jpg", "reason": "no_hand"})}
    first.close()


def test_floats_and_big_integers_come_back_exactly(tmp_path):
    Journal(tmp_path / "j.sqlite", {}).add("row", ROW)
    kind, record = Journal(tmp_path / "j.sqlite", {}).entries()["a/1.jpg"]
    assert record["score"] == 0.1 + 0.2 and record["file_mtime_ns"] == 1795252086506553383


def test_other_settings_start_empty(tmp_path):
    Journal(tmp_path / "j.sqlite", {"detector": 1}).add("row", ROW)
    assert Journal(tmp_path / "j.sqlite", {"detector": 2}).entries() == {}


@pytest.mark.parametrize("content", [b"garbage" * 100, b"SQLite format 3\x00" + b"\xff" * 5000],
                         ids=["not-sqlite", "damaged-pages"])
def test_a_damaged_journal_is_named_and_restarted(tmp_path, content):
    path = tmp_path / "j.sqlite"
    path.write_bytes(content)
    journal = Journal(path, {})
    assert "is damaged" in journal.note and journal.entries() == {}
    journal.add("row", ROW)
    assert list(journal.entries()) == ["a/1.jpg"]


def test_remove_deletes_every_file(tmp_path):
    journal = Journal(journal_path(tmp_path / "features.csv"), {})
    journal.add("row", ROW)
    journal.remove()
    assert list(tmp_path.iterdir()) == []

import pytest

from landmarks.groups import GroupsError, digit_sequence_groups, read_groups, read_groups_counted


def make_photos(root, numbers_by_digit):
    for digit, numbers in numbers_by_digit.items():
        (root / digit).mkdir(parents=True, exist_ok=True)
        for n in numbers:
            (root / digit / f"IMG_{n}.JPG").write_bytes(b"x")


def test_new_signer_whenever_the_digit_does_not_increase(tmp_path):
    # signer A: 0,1,2 (n=10..12); signer B: 0,2 (n=13,14); signer C: 1 (n=15) after B's 2
    make_photos(tmp_path, {"0": [10, 13], "1": [11, 15], "2": [12, 14]})
    groups = digit_sequence_groups(tmp_path)
    assert groups["0/IMG_10.JPG"] == groups["1/IMG_11.JPG"] == groups["2/IMG_12.JPG"]
    assert groups["0/IMG_13.JPG"] == groups["2/IMG_14.JPG"] != groups["0/IMG_10.JPG"]
    assert groups["1/IMG_15.JPG"] not in {groups["0/IMG_10.JPG"], groups["0/IMG_13.JPG"]}


def test_rule_refuses_other_layouts(tmp_path):
    make_photos(tmp_path, {"A": [1]})
    with pytest.raises(GroupsError, match="only fits that layout"):
        digit_sequence_groups(tmp_path)


def test_shared_digits_have_220_signers(shared_digits):
    assert len(set(digit_sequence_groups(shared_digits).values())) == 220


def test_read_groups_needs_path_and_group(tmp_path):
    (tmp_path / "g.csv").write_text("file,signer\na.jpg,1\n")
    with pytest.raises(GroupsError, match="needs columns path,group"):
        read_groups(tmp_path / "g.csv")
    with pytest.raises(GroupsError, match="not found"):
        read_groups(tmp_path / "none.csv")


@pytest.mark.parametrize("content, message", [
    (b"\xff\xfe\x00\x01binary\x80\x81", "is not UTF-8 text"),
    (b"", "cannot be read as a CSV"),
], ids=["binary", "empty"])
def test_unreadable_groups_files_are_one_sentence(tmp_path, content, message):
    (tmp_path / "g.csv").write_bytes(content)
    with pytest.raises(GroupsError, match=message):
        read_groups(tmp_path / "g.csv")


def test_duplicate_rows_are_counted_and_the_last_counts(tmp_path):
    (tmp_path / "g.csv").write_text("path,group\na.jpg,1\nb.jpg,2\na.jpg,3\n")
    assert read_groups_counted(tmp_path / "g.csv") == ({"a.jpg": "3", "b.jpg": "2"}, 1)

import pytest

import cli
from landmarks.errors import UserError
from collection.alphabets import available_alphabets, load_alphabet, load_alphabet_marks, parse_labels


def test_shipped_alphabets_are_files_in_data_alphabets():
    assert {"digits", "kazakh"} <= set(available_alphabets())
    assert load_alphabet("digits") == [str(d) for d in range(10)]


def test_a_new_alphabet_is_just_a_file(tmp_path):
    (tmp_path / "greek.txt").write_text("\ufeff# Greek capitals\nΑ\n\n  Β  \nΓ\n", encoding="utf-8")
    assert load_alphabet("greek", tmp_path) == ["Α", "Β", "Γ"]


def test_labels_are_nfc_normalized_so_folders_match_across_systems():
    decomposed = "\u0418\u0306"  # И + combining breve, as macOS may spell Й
    assert parse_labels(f"{decomposed},Ә") == ["\u0419", "Ә"]


@pytest.mark.parametrize("text, labels", [("A,B,C", ["A", "B", "C"]), (" А , Ә ", ["А", "Ә"]),
                                          ("hello world", ["hello world"])], ids=["plain", "spaces", "inner-space"])
def test_parse_labels(text, labels):
    assert parse_labels(text) == labels


@pytest.mark.parametrize("text, message", [
    ("", "has no labels"),
    (" , ", "has no labels"),
    ("A,,B", "label '' .* is empty"),
    ("A/B", "character folder names cannot have"),
    ("what?", "character folder names cannot have"),
    (".hidden", "starts with a dot"),
    ("end.", "ends with a space or a dot"),
    ("CON", "device name"),
    ("Ә,ә", "repeats 'Ә'"),
], ids=["empty", "only-commas", "empty-item", "slash", "question-mark", "dot", "trailing-dot", "device", "case-repeat"])
def test_bad_labels_are_rejected(text, message):
    with pytest.raises(UserError, match=message):
        parse_labels(text)


def test_unknown_alphabet_names_the_available_ones(tmp_path):
    (tmp_path / "runes.txt").write_text("ᚠ\n", encoding="utf-8")
    with pytest.raises(UserError, match=r"unknown alphabet 'klingon'; available: runes, or pass your own as FILE.txt"):
        load_alphabet("klingon", tmp_path)


def test_an_alphabet_can_be_a_file_anywhere(tmp_path):
    (tmp_path / "my letters.TXT").write_text("Α~\nΒ\n", encoding="utf-8")
    assert load_alphabet_marks(str(tmp_path / "my letters.TXT")) == (["Α", "Β"], {"Α"})
    with pytest.raises(UserError, match=r"alphabet file .*missing.txt not found"):
        load_alphabet(str(tmp_path / "missing.txt"))


def test_non_utf8_alphabet_file_says_so(tmp_path):
    (tmp_path / "latin1.txt").write_bytes("Ä\n".encode("latin-1"))
    with pytest.raises(UserError, match="not UTF-8"):
        load_alphabet("latin1", tmp_path)


@pytest.mark.parametrize("argv, message", [
    (["--alphabet", "klingon"], "unknown alphabet 'klingon'; available: asl, digits, kazakh"),
    (["--labels", ""], "--labels has no labels"),
    (["--labels", "A/B"], "label 'A/B'"),
    ([], "say what to record"),
    (["--labels", "A", "--count", "0"], "--count 0 saves nothing"),
    (["--labels", "A", "--signer", "a/b"], "signer id 'a/b'"),
    (["--labels", "A", "--source", "no/such/video.mp4"], "source no/such/video.mp4 is not"),
], ids=["unknown-alphabet", "empty-labels", "bad-label", "no-labels", "zero-count", "bad-signer", "bad-source"])
def test_bad_input_is_one_sentence_and_exit_1(tmp_path, capsys, argv, message):
    assert cli.main(["collect", "--headless", "--out", str(tmp_path / "out"), *argv]) == 1
    error = capsys.readouterr().err.strip()
    assert error.startswith("error: ") and message in error and "\n" not in error
    assert not (tmp_path / "out").exists()  # nothing recorded, nothing created


def test_motion_letters_are_marked_with_a_tilde(tmp_path):
    (tmp_path / "mixed.txt").write_text("# И moves into Й\nИ\nЙ~\nZ ~\n", encoding="utf-8")
    assert load_alphabet_marks("mixed", tmp_path) == (["И", "Й", "Z"], {"Й", "Z"})
    assert load_alphabet("mixed", tmp_path) == ["И", "Й", "Z"]


def test_shipped_alphabets_mark_their_motion_letters():
    kazakh, moving = load_alphabet_marks("kazakh")
    assert len(kazakh) == 42 and {"Й", "Ё", "Щ", "Ъ"} <= moving and "И" not in moving
    assert load_alphabet_marks("asl")[1] == {"j", "z"}

import pytest

from landmarks.errors import UserError
from spellbench.wordlists import (character_labels, label_characters, label_text, listed_names, read_words,
                                  spellable, spells_a_letter)
from spelling.lexicon import Lexicon


@pytest.mark.parametrize("label,characters,text", [("a", ("a",), "a"), ("0-o", ("0", "o"), "o"), ("Қ", ("қ",), "қ"),
                                                   ("7", ("7",), "7"), ("space", (), "space")],
                         ids=["letter", "digit-and-letter", "cyrillic", "digit", "word"])
def test_what_a_label_folder_spells(label, characters, text):
    assert label_characters(label) == characters and label_text(label) == text


def test_letters_only_keeps_shared_folders():
    assert [spells_a_letter(label) for label in ["a", "0-o", "7", "space"]] == [True, True, False, False]
    assert character_labels(["0-o", "o", "1"]) == {"0": ["0-o"], "o": ["0-o", "o"], "1": ["1"]}


def test_words_without_photos_are_skipped_and_named():
    kept, warnings = spellable(["jazz", "apple"], {"a", "p", "l", "e"}, "word")
    assert kept == ["apple"] and warnings == ["warning: word 'jazz' skipped: no photos for j, z"]


def test_names_the_list_holds_are_named():
    lexicon = Lexicon({"apple": 3, "anna": 1})
    assert listed_names(["anna", "ottilie"], lexicon) == [
        "warning: name 'anna' is in the word list words; it is scored as a name all the same, pick one the list "
        "does not hold"]
    assert listed_names(["anna"], None) == []


def test_word_files_lower_case_once_each(tmp_path):
    path = tmp_path / "words.txt"
    path.write_text("# comment\nApple 12\napple\nАлма\n\n", encoding="utf-8")
    assert read_words(path, "word") == ["apple", "алма"]


def test_a_missing_word_file_is_named(tmp_path):
    with pytest.raises(UserError, match="word list .*missing.txt not found"):
        read_words(tmp_path / "missing.txt", "word")

import pytest

from landmarks.errors import UserError
from spellbench.wordlists import listed_names, read_words, spellable
from spelling.lexicon import Lexicon


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

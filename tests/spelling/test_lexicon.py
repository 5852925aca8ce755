import math

import pytest

from landmarks.errors import UserError
from spelling.lexicon import Lexicon, load_lexicon, read_word_file

FREQUENCIES = {"apple": 50, "apply": 30, "ample": 5, "happy": 80, "hay": 10, "school": 40, "cool": 60}


@pytest.fixture(scope="module")
def lexicon():
    return Lexicon(FREQUENCIES, name="tiny")


def test_membership_ignores_case_and_spaces(lexicon):
    assert "Apple " in lexicon and "appel" not in lexicon


def test_list_words_are_scored_by_frequency(lexicon):
    assert lexicon.logprob("happy") > lexicon.logprob("apple") > lexicon.logprob("ample")
    total = sum(FREQUENCIES.values())
    assert lexicon.logprob("hay") == pytest.approx(math.log(0.8) + math.log(10 / total))


def test_an_unlisted_word_gets_the_character_model_and_the_out_of_list_share(lexicon):
    assert lexicon.logprob("zed") == pytest.approx(math.log(0.2) + lexicon.chars.logprob("zed"))
    assert lexicon.logprob("appy") > lexicon.logprob("qxzv")  # word-like beats random


def test_neighbours_nearest_then_most_frequent(lexicon):
    assert lexicon.neighbours("aple") == ["apple", "ample", "apply"]  # ample: 1 edit, apply: 2
    assert lexicon.neighbours("hapy", max_edits=1) == ["happy", "hay"]
    assert lexicon.neighbours("apple", max_edits=0) == ["apple"]


def test_completions_most_frequent_first(lexicon):
    assert lexicon.completions("ap") == ["apple", "apply"]
    assert lexicon.completions("a", limit=1) == ["apple"]
    assert lexicon.completions("apple") == [] and lexicon.completions("zz") == []


def test_a_word_file_with_and_without_frequencies(tmp_path):
    path = tmp_path / "words.txt"
    path.write_text("# a comment\nҚазақ\t7\nалма 3\nкітап\n\n", encoding="utf-8")
    assert read_word_file(path) == {"Қазақ": 7.0, "алма": 3.0, "кітап": 3.0}
    lexicon = load_lexicon(path)
    assert "қазақ" in lexicon and lexicon.name == "words.txt"
    assert lexicon.logprob("қазақ") > lexicon.logprob("кітап") == pytest.approx(lexicon.logprob("алма"))


def test_none_is_no_lexicon():
    assert load_lexicon("none") is None


@pytest.mark.parametrize("spec,word", [("en", "school"), ("ru", "школа"), ("kk", "мектеп")], ids=["en", "ru", "kk"])
def test_the_shipped_lists_load(spec, word):
    lexicon = load_lexicon(spec)
    assert word in lexicon and len(lexicon) > 40_000 and lexicon.name == spec


@pytest.mark.parametrize("content,message", [("apple 1 2\n", "line 1 has 3 fields"), ("apple -1\n", "not a positive"),
                                             ("apple x\n", "not a positive"), ("# only\n", "holds no words"),
                                             (b"\xff\xfe\x00", "not UTF-8")],
                         ids=["fields", "negative", "text", "empty", "binary"])
def test_bad_word_files_are_refused(tmp_path, content, message):
    path = tmp_path / "bad.txt"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    with pytest.raises(UserError, match=message):
        load_lexicon(path)


def test_an_unknown_name_is_refused():
    with pytest.raises(UserError, match="is not one of en, ru, kk, none or a word file"):
        load_lexicon("klingon")

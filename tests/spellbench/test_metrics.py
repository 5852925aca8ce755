import pytest

from spellbench.metrics import char_errors, double_letters, doubles_spelled_twice, word_errors


@pytest.mark.parametrize("reference,hypothesis,errors", [("apple", "apple", 0), ("apple", "aple", 1),
                                                         ("apple", "", 5), ("", "ab", 2), ("happy", "hqppy", 1)],
                         ids=["right", "double-lost", "nothing", "inserted", "substituted"])
def test_char_errors(reference, hypothesis, errors):
    assert char_errors(reference, hypothesis) == errors


@pytest.mark.parametrize("reference,hypothesis,errors", [("apple", "apple", 0), ("apple", "aple", 1),
                                                         ("apple", "ap ple", 2), ("apple", "", 1)],
                         ids=["right", "wrong", "split", "nothing"])
def test_word_errors(reference, hypothesis, errors):
    assert word_errors(reference, hypothesis) == errors


def test_double_letters_counts_each_pair_once():
    assert double_letters("coffee") == [2, 4] and double_letters("aaa") == [0] and double_letters("cat") == []


@pytest.mark.parametrize("reference,hypothesis,expected", [("coffee", "coffee", (2, 2)), ("coffee", "cofee", (2, 1)),
                                                           ("apple", "aple", (1, 0)), ("apple", "appie", (1, 1)),
                                                           ("happy", "", (1, 0))],
                         ids=["both", "one-lost", "lost", "other-error", "nothing"])
def test_doubles_spelled_twice(reference, hypothesis, expected):
    assert doubles_spelled_twice(reference, hypothesis) == expected

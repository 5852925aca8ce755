import pytest

from spelling.edit_index import EditIndex, levenshtein

WORDS = ["apple", "apply", "ample", "happy", "hay", "school", "schools", "cool", "қазақ", "a"]


@pytest.mark.parametrize("a,b,distance", [("apple", "apple", 0), ("aple", "apple", 1), ("hapy", "happy", 1),
                                          ("abcd", "axcy", 2), ("", "ab", 2), ("kitten", "sitting", 3)],
                         ids=["same", "deletion", "double", "two-substitutions", "empty", "three"])
def test_levenshtein(a, b, distance):
    assert levenshtein(a, b, 5) == distance


def test_levenshtein_stops_past_the_limit():
    assert levenshtein("kitten", "sitting", 1) == 2


@pytest.mark.parametrize("query", ["aple", "hapy", "schol", "xyz", "", "казак", "qqqqqqq", "a"],
                         ids=["missing", "double-lost", "missing-o", "far", "empty", "cyrillic", "long-far", "short"])
@pytest.mark.parametrize("max_edits", [0, 1, 2])
def test_near_finds_exactly_the_words_a_brute_force_finds(query, max_edits):
    expected = sorted((levenshtein(query, w, max_edits), i) for i, w in enumerate(WORDS)
                      if levenshtein(query, w, max_edits) <= max_edits)
    assert EditIndex(WORDS).near(query, max_edits) == expected


def test_more_than_two_edits_is_refused():
    with pytest.raises(ValueError, match="max_edits must be from 0 to 2"):
        EditIndex(WORDS).near("apple", 3)

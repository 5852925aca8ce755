import itertools
import math

import pytest

from spelling.char_model import CharModel


def test_word_like_strings_score_above_random_ones():
    model = CharModel(["cat", "car", "cart", "care", "bat", "bar", "tar", "rat"], order=3)
    assert model.logprob("cat") > model.logprob("tca")
    assert model.logprob("bart") > model.logprob("trab")


def test_probabilities_over_all_strings_sum_to_about_one():
    model = CharModel(["ab", "ba", "aab", "b"], order=3)
    mass = sum(math.exp(model.logprob("".join(s))) for n in range(8) for s in itertools.product("ab", repeat=n))
    assert 0.98 < mass <= 1.0 + 1e-9


@pytest.mark.parametrize("word", ["", "zzz", "кот"], ids=["empty", "unseen-letters", "other-script"])
def test_any_string_gets_a_finite_log_probability(word):
    assert math.isfinite(CharModel(["ab", "ba"], order=2).logprob(word))


def test_an_order_below_one_is_refused():
    with pytest.raises(ValueError, match="order must be at least 1"):
        CharModel(["ab"], order=0)

from types import SimpleNamespace

import pandas as pd
import pytest

from landmarks.errors import UserError
from spellbench.signers import used_labels


def table(labels):
    """A stand-in for a loaded landmark table: only `all_images` is read."""
    return SimpleNamespace(all_images=pd.DataFrame({"label": labels}))


@pytest.mark.parametrize("all_labels, leave_out, expected", [
    (False, (), ["0-o", "a", "i", "j"]),
    (False, ("j",), ["0-o", "a", "i"]),
    (True, ("j", "a"), ["0-o", "7", "i"]),
], ids=["letters", "letters-without-j", "every-label-without-j-and-a"])
def test_used_labels(all_labels, leave_out, expected):
    assert used_labels(table(["a", "i", "j", "7", "0-o", "a"]), all_labels, leave_out) == expected


def test_leaving_out_a_label_that_is_not_a_folder_says_so():
    with pytest.raises(UserError, match=r"--leave-out q: no such label folder; the folders are 7, a"):
        used_labels(table(["a", "7"]), False, ("q",))

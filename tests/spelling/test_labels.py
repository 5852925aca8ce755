import pytest

from spelling.labels import label_characters, label_text, spells_a_letter


@pytest.mark.parametrize("label,characters,text", [("a", ("a",), "a"), ("0-o", ("0", "o"), "o"), ("Қ", ("қ",), "Қ"),
                                                   ("7", ("7",), "7"), ("space", (), "space")],
                         ids=["letter", "digit-and-letter", "cyrillic", "digit", "word"])
def test_what_a_label_folder_spells(label, characters, text):
    assert label_characters(label) == characters and label_text(label) == text


def test_letters_only_keeps_shared_folders():
    assert [spells_a_letter(label) for label in ["a", "0-o", "7", "space"]] == [True, True, False, False]

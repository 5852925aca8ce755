"""What a label folder spells: its name, one character; a folder `A-B` (two single characters) holds a
shape that stands for either (Massey's `0-o`: the digit 0 and the letter o look alike). Shared by `live`
and `bench-spelling`, so both write the same text for a label."""
import unicodedata

from spelling.lexicon import normalize


def label_characters(label, keep_case=False):
    """The characters a label folder spells: "a" -> ("a",), "0-o" -> ("0", "o"), "space" -> ();
    lower case (as words are matched) unless `keep_case`."""
    label = unicodedata.normalize("NFC", str(label)).strip() if keep_case else normalize(label)
    if len(label) == 1:
        return (label,)
    parts = label.split("-")
    if len(parts) == 2 and all(len(p) == 1 for p in parts):
        return tuple(parts)
    return ()


def spells_a_letter(label):
    return any(c.isalpha() for c in label_characters(label))


def label_text(label):
    """What the decoder writes for `label`: its letter when it stands for a letter and a digit, else the
    label, in the label's own case (a folder `Ң` writes Ң)."""
    characters = label_characters(label, keep_case=True)
    letters = [c for c in characters if c.isalpha()]
    return letters[0] if letters else (characters[0] if characters else str(label))

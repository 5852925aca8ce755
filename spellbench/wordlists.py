"""What the benchmark spells: label folders as characters, and the words and names it can spell with them.

A label folder names the character it spells; a folder `A-B` (two single characters) holds a shape that
spells either (Massey's `0-o`: the digit 0 and the letter o look alike), and words use the one they contain.
"""
import unicodedata
from pathlib import Path

from landmarks.errors import UserError



def _spelling_dir():
    """data/spelling in a checkout; in an installed package the same files sit in spellbench/word_files."""
    checkout = Path(__file__).resolve().parent.parent / "data" / "spelling"
    return checkout if checkout.is_dir() else Path(__file__).resolve().parent / "word_files"


SPELLING_DIR = _spelling_dir()
DEFAULT_WORDS = SPELLING_DIR / "words_en.txt"
DEFAULT_NAMES = SPELLING_DIR / "names_en.txt"


def read_words(path, what):
    """Words of a list file (one a line, anything after a tab or space ignored, # comments), lower case."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise UserError(f"{what} list {path} not found; pass a file with one word per line") from None
    except (OSError, UnicodeDecodeError) as error:
        raise UserError(f"{what} list {path} cannot be read as UTF-8 text ({error}); pass a file with one word "
                        "per line") from None
    words = []
    for line in text.splitlines():
        parts = line.split()
        if parts and not parts[0].startswith("#"):
            words.append(unicodedata.normalize("NFC", parts[0]).lower())
    return list(dict.fromkeys(words))


def spellable(words, characters, what):
    """(words every character of which has photos, warning lines for the others)."""
    kept, warnings = [], []
    for word in words:
        missing = sorted({c for c in word if c not in characters})
        if missing:
            warnings.append(f"warning: {what} {word!r} skipped: no photos for {', '.join(missing)}")
        else:
            kept.append(word)
    return kept, warnings


def listed_names(names, lexicon):
    """Warning lines for names the word list holds (they then test word repair, not names kept)."""
    if lexicon is None:
        return []
    return [f"warning: name {name!r} is in the word list {lexicon.name}; it is scored as a name all the same, "
            "pick one the list does not hold" for name in names if name in lexicon]

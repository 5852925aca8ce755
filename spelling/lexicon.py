"""Word lists for the spelling decoder: membership, word log-probabilities, near words, completions.

`load_lexicon("en" | "ru" | "kk" | FILE | "none")`. The shipped lists (data/lexicons/, how each was made
in its README) and a user's FILE share one format: one word per line, optionally a frequency after a
tab or space; lines starting with # are comments. Words are compared in lower case (NFC).
"""
import bisect
import math
import unicodedata
from functools import lru_cache
from pathlib import Path

import numpy as np

from landmarks.errors import UserError
from spelling.char_model import CharModel
from spelling.edit_index import EditIndex

SHIPPED = ("en", "ru", "kk")
NONE = "none"
# P(a spelled word is not in the list). Fingerspelling is for names and rare words far more often than
# their share of text, so this is much higher than a corpus's out-of-vocabulary rate.
OOV_PROBABILITY = 0.2


def _lexicons_dir():
    """data/lexicons in a checkout; in an installed package the same files sit in spelling/lexicon_files."""
    checkout = Path(__file__).resolve().parent.parent / "data" / "lexicons"
    return checkout if checkout.is_dir() else Path(__file__).resolve().parent / "lexicon_files"


LEXICONS_DIR = _lexicons_dir()


def normalize(word):
    return unicodedata.normalize("NFC", str(word)).strip().lower()


class Lexicon:
    """A word list with frequencies (uniform when it has none) and a character model for other words."""

    def __init__(self, frequencies, name="words", oov_probability=OOV_PROBABILITY, char_order=4):
        """`frequencies`: {word: count or relative frequency > 0}."""
        counts = {}
        for word, frequency in frequencies.items():
            word = normalize(word)
            if word:
                counts[word] = counts.get(word, 0.0) + float(frequency)
        if not counts:
            raise ValueError("a lexicon needs at least one word")
        if not 0.0 < oov_probability < 1.0:
            raise ValueError(f"oov_probability must lie between 0 and 1, not {oov_probability}")
        self.name = name
        total = sum(counts.values())
        in_list = math.log1p(-oov_probability)
        self._logprob = {w: in_list + math.log(c / total) for w, c in counts.items()}
        self._oov = math.log(oov_probability)
        self.words = sorted(counts, key=lambda w: (-counts[w], w))  # most frequent first
        self._alphabetical = sorted(self.words)
        self._alphabetical_counts = np.array([counts[w] for w in self._alphabetical])
        self._rank = {w: i for i, w in enumerate(self.words)}
        self.chars = CharModel(self.words, order=char_order)
        self._index = EditIndex(self.words)

    def __len__(self):
        return len(self.words)

    def __contains__(self, word):
        return normalize(word) in self._logprob

    def logprob(self, word):
        """In the list: log P(in list) + log relative frequency. Not in it: log P(not in list) + the
        character model's log-probability, so names compete on the same scale as list words."""
        word = normalize(word)
        found = self._logprob.get(word)
        return found if found is not None else self._oov + self.chars.logprob(word)

    def neighbours(self, word, max_edits=2):
        """List words within `max_edits` (0..2) insertions, deletions or substitutions of `word`,
        nearest first, then most frequent first (the word itself, when listed, comes first)."""
        found = self._index.near(normalize(word), max_edits)
        return [self.words[i] for _, i in sorted(found)]  # indices follow frequency rank

    def completions(self, prefix, limit=3):
        """Up to `limit` list words longer than `prefix` that start with it, most frequent first."""
        prefix = normalize(prefix)
        low = bisect.bisect_left(self._alphabetical, prefix)
        high = bisect.bisect_left(self._alphabetical, prefix + "\U0010ffff")
        candidates = [i for i in range(low, high) if len(self._alphabetical[i]) > len(prefix)]
        if not candidates or limit < 1:
            return []
        counts = self._alphabetical_counts[candidates]
        best = np.argsort(-counts, kind="stable")[:limit]  # ties: alphabetical
        return [self._alphabetical[candidates[i]] for i in best]


def read_word_file(path):
    """{word: frequency} from a word file; words without a frequency get the smallest one given (1 if none)."""
    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as error:
        raise UserError(f"word list {path} cannot be read ({error.strerror or error}); pass a readable file") from None
    except UnicodeDecodeError:
        raise UserError(f"word list {path} is not UTF-8 text; save it as UTF-8, one word per line") from None
    given, bare = {}, []
    for number, line in enumerate(text.splitlines(), 1):
        parts = line.split()
        if not parts or parts[0].startswith("#"):
            continue
        if len(parts) > 2:
            raise UserError(f"word list {path} line {number} has {len(parts)} fields; write one word per line, "
                            "optionally a frequency after it")
        if len(parts) == 1:
            bare.append(parts[0])
            continue
        try:
            frequency = float(parts[1])
        except ValueError:
            frequency = float("nan")
        if not (math.isfinite(frequency) and frequency > 0):
            raise UserError(f"word list {path} line {number}: frequency {parts[1]!r} is not a positive number")
        given[parts[0]] = given.get(parts[0], 0.0) + frequency
    floor = min(given.values(), default=1.0)
    words = {**{w: floor for w in bare if w not in given}, **given}
    if not words:
        raise UserError(f"word list {path} holds no words; write one word per line")
    return words


def load_lexicon(spec):
    """A Lexicon for "en", "ru", "kk" (shipped lists) or a word FILE; None for "none"."""
    spec = str(spec).strip()
    if spec.lower() == NONE:
        return None
    if spec.lower() in SHIPPED:
        path = LEXICONS_DIR / f"{spec.lower()}.txt"
        if not path.is_file():
            raise UserError(f"the shipped word list {path} is missing; reinstall handsign or pass a word FILE")
        return _load(str(path), path.stat().st_mtime_ns, spec.lower())
    path = Path(spec)
    if not path.is_file():
        raise UserError(f"--lexicon {spec} is not one of {', '.join(SHIPPED)}, {NONE} or a word file; "
                        "pass a shipped list or a file with one word per line")
    return _load(str(path.resolve()), path.stat().st_mtime_ns, path.name)


@lru_cache(maxsize=4)
def _load(path, mtime_ns, name):  # mtime in the key: an edited file is read again
    return Lexicon(read_word_file(path), name=name)

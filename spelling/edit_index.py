"""Words within a small edit distance of a string, fast: a deletion index (the SymSpell idea).

Two strings within Levenshtein distance d share a string reachable from each by at most d deletions.
Every word's deletions (up to two) are hashed once into one sorted int64 array (about 36 entries per
8-letter word: ~20 MB for 50k words, where a dict of strings would take ~10 times that); a query hashes
its own deletions, finds candidates by binary search and keeps those whose true distance fits.

The hashes are polynomial (sum of code point * B**position, mod 2**64), so the hash of a string with
characters i and j deleted comes from prefix sums in three vector operations per (i, j): the whole
index of 50k words builds in well under a second.
"""
import numpy as np

DEPTH = 2  # deletions indexed per word: the largest max_edits a query may ask for
_B = np.uint64(0x9E3779B97F4A7C15)  # odd, so it has an inverse mod 2**64
_B_INVERSE = np.uint64(pow(int(_B), -1, 2**64))


def codepoints(words, width):
    """(len(words), width) uint64 code points, 0 after each word's end (words no longer than width)."""
    lengths = np.array([len(w) for w in words], np.int64)
    flat = np.frombuffer("".join(words).encode("utf-32-le"), np.uint32)
    rows = np.repeat(np.arange(len(words)), lengths)
    columns = np.arange(len(flat)) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    out = np.zeros((len(words), width), np.uint64)
    out[rows, columns] = flat
    return out


def _prefix_sums(codes, shift):
    """Column k: sum over m < k of codes[:, m] * B**(m - shift), mod 2**64 (a leading 0 column)."""
    width = codes.shape[1]
    powers = np.empty(width, np.uint64)
    powers[0] = np.uint64(pow(int(_B_INVERSE), shift, 2**64))
    with np.errstate(over="ignore"):
        for k in range(1, width):
            powers[k] = powers[k - 1] * _B
        terms = codes * powers
        return np.concatenate([np.zeros((len(codes), 1), np.uint64), np.cumsum(terms, axis=1, dtype=np.uint64)], 1)


def deletion_hashes(words, depth=DEPTH):
    """(hashes, row) of every string made from each word by deleting up to `depth` (<= 2) characters."""
    lengths = np.array([len(w) for w in words], np.int64)
    by_length = np.argsort(-lengths, kind="stable")  # longest first: "words longer than i" is a prefix
    lengths = lengths[by_length]
    width = int(lengths.max(initial=0)) + 1
    codes = codepoints([words[i] for i in by_length], width)
    s0, s1, s2 = (_prefix_sums(codes, shift) for shift in range(3))
    longer = [int(np.sum(lengths > i)) for i in range(width)]  # words with a character at position i
    hashes, owners = [s0[:, width]], [by_length]
    with np.errstate(over="ignore"):
        for i in range(width - 1 if depth >= 1 else 0):
            n = longer[i]
            before = s0[:n, i]
            hashes.append(before + s1[:n, width] - s1[:n, i + 1])  # character i deleted
            owners.append(by_length[:n])
            for j in range(i + 1, width - 1 if depth >= 2 else i + 1):
                m = longer[j]
                middle = s1[:m, j] - s1[:m, i + 1]
                hashes.append(before[:m] + middle + s2[:m, width] - s2[:m, j + 1])  # i and j deleted
                owners.append(by_length[:m])
    return np.concatenate(hashes).view(np.int64), np.concatenate(owners)


def levenshtein(a, b, limit):
    """Edit distance of a and b (insert, delete, substitute), or limit + 1 once it must exceed `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


class EditIndex:
    """`near(word, max_edits)`: (distance, index) of the `words` within max_edits (<= 2) of word."""

    def __init__(self, words):
        self.words = list(words)
        hashes, owners = deletion_hashes(self.words)
        order = np.argsort(hashes)
        self._hashes, self._owners = hashes[order], owners[order].astype(np.int32)

    def near(self, word, max_edits=2):
        """[(distance, index)] of the words within `max_edits` of `word`, nearest first."""
        if not 0 <= max_edits <= DEPTH:
            raise ValueError(f"max_edits must be from 0 to {DEPTH}, not {max_edits}")
        keys = np.unique(deletion_hashes([word], max_edits)[0])
        left = np.searchsorted(self._hashes, keys, "left")
        right = np.searchsorted(self._hashes, keys, "right")
        candidates = set()
        for lo, hi in zip(left.tolist(), right.tolist()):
            candidates.update(self._owners[lo:hi].tolist())
        found = []
        for index in candidates:
            distance = levenshtein(word, self.words[index], max_edits)
            if distance <= max_edits:
                found.append((distance, index))
        return sorted(found)

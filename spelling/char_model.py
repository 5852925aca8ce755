"""A character n-gram model of words: how word-like a string is, for words no list holds (names).

Interpolated Witten-Bell smoothing over orders 1..n, trained on word *types* (each list word once:
an unseen word looks more like a rare word than like "the"), with a uniform floor over the
characters seen plus the end of the word, so any string gets a finite log-probability.
Counting is vectorized (each n-gram packed into one integer), so 50k words train in a fraction of a second.
"""
import math

import numpy as np

START, END = 1, 2  # symbol ids: the pad before a word, the end after it; letters are 3.. (0: never seen)


class CharModel:
    def __init__(self, words, order=4):
        if order < 1:
            raise ValueError(f"order must be at least 1, not {order}")
        self.order = order
        words = [w for w in words if w]
        self.alphabet = sorted(set("".join(words)))
        self._ids = {c: i + 3 for i, c in enumerate(self.alphabet)}
        self._bits = max(2, int(len(self.alphabet) + 3).bit_length())
        if self._bits * order > 62:
            raise ValueError(f"{len(self.alphabet)} distinct characters are too many for order {order}")
        self._uniform = 1.0 / (len(self.alphabet) + 1)  # + END
        self._grams, self._seen, self._types = self._count(words)

    def _symbols(self, words):
        """(len(words), order - 1 + longest + 1) ids: START pads, the word, END, then 0."""
        pad = self.order - 1
        width = pad + max(len(w) for w in words) + 1
        out = np.zeros((len(words), width), np.int64)
        out[:, :pad] = START
        for row, word in enumerate(words):
            out[row, pad:pad + len(word) + 1] = [*(self._ids[c] for c in word), END]
        return out

    def _count(self, words):
        """Per context length h (0..order-1): {gram code: count}, {context code: count}, {context code: types}."""
        grams, seen, types = [], [], []
        if not words:
            return [{}] * self.order, [{}] * self.order, [{}] * self.order
        symbols = self._symbols(words)
        pad = self.order - 1
        for h in range(self.order):
            codes = np.zeros((len(words), symbols.shape[1] - pad), np.int64)
            for back in range(h, -1, -1):  # the symbol h places back first: it lands in the high bits
                codes = (codes << self._bits) | symbols[:, pad - back:symbols.shape[1] - back]
            codes = codes[symbols[:, pad:] != 0]
            unique, counts = np.unique(codes, return_counts=True)
            contexts = unique >> self._bits
            context_codes, where = np.unique(contexts, return_inverse=True)
            grams.append(dict(zip(unique.tolist(), counts.tolist())))
            seen.append(dict(zip(context_codes.tolist(), np.bincount(where, counts).astype(int).tolist())))
            types.append(dict(zip(context_codes.tolist(), np.bincount(where).tolist())))
        return grams, seen, types

    def logprob(self, word):
        """Natural-log probability of `word` followed by the end of the word."""
        ids = [START] * (self.order - 1) + [self._ids.get(c, 0) for c in word] + [END]
        total = 0.0
        for i in range(self.order - 1, len(ids)):
            p, context = self._uniform, 0
            for h in range(self.order):  # history lengths 0, 1, ...: Witten-Bell from short to long
                if h:
                    context |= ids[i - h] << (self._bits * (h - 1))
                seen = self._seen[h].get(context, 0)
                if not seen:
                    break  # a longer history that was never seen adds nothing either
                types = self._types[h][context]
                p = (self._grams[h].get((context << self._bits) | ids[i], 0) + types * p) / (seen + types)
            total += math.log(p)
        return total

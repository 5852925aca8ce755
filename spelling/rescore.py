"""Word end: candidates from the free decode and the word list, ranked by evidence plus word prior.

Each candidate is scored by forced alignment: the same states and costs as spelling.lattice, but
restricted to the candidate's letters in order, run for all candidates at once (per frame a few numpy
operations on a (candidates, letters) array). The free decode's best word aligns to its own free
score, so a list word is compared with it on equal terms: it wins only when its word-list prior
outweighs what the frames say against it.
"""
import numpy as np

from spelling.lattice import NEG


def rank(lattice, texts, lexicon, options):
    """[(word, probability)] best first; [] when nothing was spelled."""
    hypotheses = ["".join(texts[i] for i in path) for path in lattice.hypotheses(options.hypotheses)]
    if not hypotheses or not hypotheses[0]:  # the best path spelled nothing
        return []
    hypotheses = list(dict.fromkeys(word for word in hypotheses if word))
    limit = max(options.max_candidates, len(hypotheses))
    candidates = dict.fromkeys(hypotheses)  # ordered, and a set for the look-ups below
    if lexicon is not None:
        for neighbour in (n for word in hypotheses for n in lexicon.neighbours(word, options.max_edits)):
            if len(candidates) >= limit:
                break
            candidates.setdefault(neighbour)
    candidates = list(candidates)
    scores = align_scores(lattice.frames, texts, candidates, lattice.insert_cost, lattice.double_cost,
                          lattice.held_at_start)
    scores = np.where(scores > NEG / 2, scores * evidence_scale(lattice.frames, len(lattice.best()), options), NEG)
    totals = [(word, score + (options.lm_weight * lexicon.logprob(word) if lexicon is not None else 0.0))
              for word, score in zip(candidates, scores) if score > NEG / 2]
    if not totals:
        return [(hypotheses[0], 1.0)]
    totals.sort(key=lambda item: -item[1])
    top = np.array([total for _, total in totals])
    probabilities = np.exp(top - top.max())
    probabilities /= probabilities.sum()
    return [(word, round(float(p), 4)) for (word, _), p in zip(totals, probabilities)]


def evidence_scale(frames, letters, options):
    """What each candidate's alignment score (frames and letter costs alike) is multiplied by at a word's
    end: 1, or less when the word's letters were on average held longer than `evidence_ms` (a held
    letter's frames are near copies of each other)."""
    held = sum(frame.weight for frame in frames) * options.reference_frame_ms
    return min(1.0, max(letters, 1) * options.evidence_ms / held) if held > 0 else 1.0


def symbols(texts):
    """(distinct texts, per label the index of its text): labels that spell the same text share a symbol."""
    distinct = list(dict.fromkeys(texts))
    return distinct, np.array([distinct.index(text) for text in texts], np.int64)


def tokenize(word, distinct):
    """The word as symbol indices (longest text first at each place), or None if it cannot be spelled."""
    longest = sorted(range(len(distinct)), key=lambda i: -len(distinct[i]))
    out, place = [], 0
    while place < len(word):
        match = next((i for i in longest if distinct[i] and word.startswith(distinct[i], place)), None)
        if match is None:
            return None
        out.append(match)
        place += len(distinct[match])
    return out


def align_scores(frames, texts, words, insert_cost, double_cost, held=-1):
    """The best path score of each word over `frames` (spelling.lattice.Frame); NEG if it cannot align.
    `held`: a label the word starts inside, unspelled (after a clear), whose frames the start may keep."""
    distinct, of_label = symbols(texts)
    tokens = [tokenize(word, distinct) for word in words]
    usable = [i for i, token in enumerate(tokens) if token]
    scores = np.full(len(words), NEG)
    if not usable or not frames:
        return scores
    width = max(len(tokens[i]) for i in usable)
    syms = np.zeros((len(usable), width), np.int64)
    valid = np.zeros((len(usable), width), bool)
    for row, i in enumerate(usable):
        syms[row, : len(tokens[i])] = tokens[i]
        valid[row, : len(tokens[i])] = True
    same_prev = np.zeros_like(valid)
    same_prev[:, 1:] = syms[:, 1:] == syms[:, :-1]
    evidence = _symbol_evidence(frames, of_label, len(distinct))
    held_symbol = of_label[held] if 0 <= held < len(of_label) else -1
    start = np.zeros(len(usable))
    letter = np.full(syms.shape, NEG)
    blank = np.full(syms.shape, NEG)
    for t, frame in enumerate(frames):
        double = of_label[frame.double] if frame.double >= 0 else -1
        exits = np.maximum(letter, blank)
        enter = np.concatenate([start[:, None], exits[:, :-1]], axis=1) - insert_cost
        if double < 0:
            enter -= np.where(same_prev, double_cost, 0.0)  # a repeat nobody saw
            stay = exits
        else:  # a repeat of `double` seen here: any path that does not start it here pays
            enter -= np.where(syms == double, 0.0, double_cost)
            stay = exits - double_cost
            start = start - double_cost
            if frame.forced:  # a motion letter starts anew on its first frame
                stay = np.where(syms == double, NEG, stay)
        letter = np.where(valid, np.maximum(stay, enter) + evidence[t][syms], NEG)
        blank = stay + frame.blank
        start = start + (max(frame.blank, evidence[t][held_symbol]) if held_symbol >= 0 else frame.blank)
    lengths = valid.sum(axis=1)
    final = np.maximum(letter, blank)[np.arange(len(usable)), lengths - 1]
    scores[usable] = np.where(final > NEG / 2, final, NEG)
    return scores


def _symbol_evidence(frames, of_label, count):
    """(frames, symbols): per symbol the best evidence among the labels that spell it."""
    evidence = np.stack([frame.logp for frame in frames])
    out = np.full((len(frames), count), NEG)
    for symbol in range(count):
        out[:, symbol] = evidence[:, of_label == symbol].max(axis=1)
    return out

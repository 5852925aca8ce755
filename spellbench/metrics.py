"""Errors of a spelled word against what was signed: characters, words, and double letters spelled twice."""


def alignment(reference, hypothesis):
    """Levenshtein alignment of two sequences: (edits, [(i, j)] reference/hypothesis positions that match)."""
    n, m = len(reference), len(hypothesis)
    cost = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n + 1):
        cost[i][0] = i
    for j in range(m + 1):
        cost[0][j] = j
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            cost[i][j] = min(cost[i - 1][j] + 1, cost[i][j - 1] + 1,
                             cost[i - 1][j - 1] + (reference[i - 1] != hypothesis[j - 1]))
    matched, i, j = [], n, m
    while i and j:  # back from the end, preferring matches and substitutions
        if cost[i][j] == cost[i - 1][j - 1] + (reference[i - 1] != hypothesis[j - 1]):
            if reference[i - 1] == hypothesis[j - 1]:
                matched.append((i - 1, j - 1))
            i, j = i - 1, j - 1
        elif cost[i][j] == cost[i - 1][j] + 1:
            i -= 1
        else:
            j -= 1
    return cost[n][m], matched[::-1]


def char_errors(reference, hypothesis):
    return alignment(reference, hypothesis)[0]


def word_errors(reference, hypothesis):
    """Word substitutions, deletions and insertions (the numerator of the word error rate)."""
    return alignment(reference.split(), hypothesis.split())[0]


def double_letters(word):
    """Positions i where word[i] == word[i + 1] (each doubled pair once: "coffee" -> [2, 4])."""
    found, i = [], 0
    while i < len(word) - 1:
        if word[i] == word[i + 1]:
            found.append(i)
            i += 2
        else:
            i += 1
    return found


def doubles_spelled_twice(reference, hypothesis):
    """(double letters in reference, of them spelled twice: both letters matched in place)."""
    pairs = double_letters(reference)
    matched = {i for i, _ in alignment(reference, hypothesis)[1]}
    return len(pairs), sum(i in matched and i + 1 in matched for i in pairs)

"""Rebuild the shipped word lists `data/lexicons/{en,ru,kk}.txt` from their maintained sources.

    en, ru: the most frequent alphabetic words of wordfreq (PyPI; data CC BY-SA 4.0), each with its
            frequency in occurrences per billion words. Needs `pip install -r requirements-lexicons.txt`.
    kk:     the headwords of Debian's hunspell-kk dictionary (kk_KZ.dic; GPL-2+ / LGPL-2.1+ / MPL-1.1+),
            without frequencies (the dictionary has none, so every word weighs the same).
            Needs `apt-get install hunspell-kk` (or pass --kk-dic FILE).

    python scripts/build_lexicons.py                 # all three
    python scripts/build_lexicons.py --only kk --kk-dic /usr/share/hunspell/kk_KZ.dic

Inflected Kazakh forms (hunspell's affix rules expand the 54k headwords to 1.5M forms) are left out to
keep the repository small; a user who wants them passes their own FILE to --lexicon.
"""
import argparse
import re
import sys
import unicodedata
from importlib import metadata
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "data" / "lexicons"
TOP = 50_000
# Letters a word may hold: the alphabet of each language, lower case (others are loan spellings,
# numbers, or tokenizer pieces).
LETTERS = {"en": "abcdefghijklmnopqrstuvwxyz",
           "ru": "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
           "kk": "аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя"}
# One-letter tokens wordfreq keeps from contractions and initials ("don't" -> "don", "t"); real words stay.
SINGLE_LETTER_WORDS = {"en": {"a", "i"}, "ru": set("авикосуя"), "kk": set()}
KK_DIC = "/usr/share/hunspell/kk_KZ.dic"


def is_word(word, language):
    return (len(word) > 1 or word in SINGLE_LETTER_WORDS[language]) and all(c in LETTERS[language] for c in word)


def wordfreq_words(language, top=TOP):
    """[(word, occurrences per billion words)], most frequent first."""
    import wordfreq

    words = []
    for word in wordfreq.iter_wordlist(language, wordlist="best"):
        word = unicodedata.normalize("NFC", word)
        if is_word(word, language):
            words.append((word, max(1, round(wordfreq.word_frequency(word, language) * 1e9))))
            if len(words) == top:
                break
    return words


def hunspell_headwords(dic):
    """Lower-case headwords of a hunspell .dic (one `word/FLAGS` a line after the count line)."""
    lines = Path(dic).read_text(encoding="utf-8-sig").splitlines()[1:]
    words = {unicodedata.normalize("NFC", re.split(r"[/\t ]", line, maxsplit=1)[0]) for line in lines if line.strip()}
    return sorted(w for w in words if is_word(w, "kk"))  # capitalized (proper) nouns fail the lower-case test


def write(language, rows, header):
    path = OUT / f"{language}.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    body = "\n".join(f"{w}\t{f}" if f is not None else w for w, f in rows)
    path.write_text("".join(f"# {line}\n" for line in header) + body + "\n", encoding="utf-8")
    print(f"{path}: {len(rows)} words")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=["en", "ru", "kk"], action="append", help="build only these lists")
    parser.add_argument("--kk-dic", default=KK_DIC, help="hunspell-kk's kk_KZ.dic (default: %(default)s)")
    args = parser.parse_args(argv)
    for language in args.only or ["en", "ru", "kk"]:
        if language == "kk":
            if not Path(args.kk_dic).is_file():
                sys.exit(f"{args.kk_dic} not found; `apt-get install hunspell-kk` or pass --kk-dic FILE")
            write("kk", [(w, None) for w in hunspell_headwords(args.kk_dic)],
                  ["Kazakh headwords of hunspell-kk (Debian package hunspell-kk 1.1-3, kk_KZ.dic), lower case.",
                   "License: GPL-2+ or LGPL-2.1+ or MPL-1.1+ (2009 Akmaral Mussayeva, Laszlo Nemeth, Rail Aliev).",
                   "Built by scripts/build_lexicons.py; see data/lexicons/README.md. No frequencies."])
        else:
            version = metadata.version("wordfreq")
            write(language, wordfreq_words(language),
                  [f"The {TOP} most frequent alphabetic {language} words of wordfreq {version}, with occurrences "
                   "per billion words.",
                   "Data: wordfreq by Robyn Speer, CC BY-SA 4.0 (sources incl. SUBTLEX, Wikipedia, OpenSubtitles, "
                   "Google Books Ngrams).",
                   "Built by scripts/build_lexicons.py; see data/lexicons/README.md."])
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""bench-spelling end to end on real photos: a Cyrillic-labelled set made from the shipped digit samples."""
import json

import pandas as pd
import pytest

import cli
import spellbench.run
from tests.live.live_helpers import copy_signers

# Digit shapes standing in for Kazakh letters: a user's own recorded alphabet, folder names in Cyrillic.
KAZAKH = dict(zip("0123456789", "алмтсенқук"))
SIGNERS = {"signer000", "signer014", "signer029"}


@pytest.fixture(scope="module")
def kazakh_bench(tmp_path_factory):
    root = tmp_path_factory.mktemp("kazakh")
    photos = copy_signers(root / "photos", SIGNERS, KAZAKH)
    (root / "words.txt").write_text("алма\nқала\nаққу\nжол\n", encoding="utf-8")  # жол: no photos of ж
    (root / "names.txt").write_text("аслан\n", encoding="utf-8")
    args = ["bench-spelling", str(photos), "--words", str(root / "words.txt"), "--names", str(root / "names.txt"),
            "--lexicon", "kk", "--letters-per-second", "3", "--fps", "15", "--signers", "signer000",
            "--workers", "1", "--out", str(root / "out")]
    return root, args, cli.main(args)


def test_it_spells_cyrillic_words_end_to_end(kazakh_bench, capsys):
    root, _, code = kazakh_bench
    assert code == 0
    words = pd.read_csv(root / "out" / "spelling_words.csv", keep_default_na=False)
    assert sorted(set(words["word"])) == ["алма", "аслан", "аққу", "қала"]
    assert set(words["lexicon"]) == {"none", "kk"} and set(words["kind"]) == {"word", "name"}
    spelled = "".join(words["spelled"])
    assert spelled and set(spelled) <= set(KAZAKH.values()) | {" "}  # Cyrillic letters out, nothing else
    table = pd.read_csv(root / "out" / "spelling.csv", keep_default_na=False)
    assert set(table["signer"]) == {"all", "signer000"} and table["cer"].between(0, 1).all()  # fractions
    # Digit photos of 3 signers make a weak alphabet (half the frames read right), but the words are spelled
    # better than any one-letter answer could (алма -> а: 3 edits in 4).
    pooled = table[(table["signer"] == "all") & (table["kind"] == "word")]
    assert len(pooled) == 2 and (pooled["cer"] <= 0.6).all()
    report = (root / "out" / "spelling.md").read_text(encoding="utf-8")
    assert "| kk | word | 3 | 15 |" in report and (root / "out" / "spelling.png").stat().st_size > 0


def test_a_rerun_reuses_the_observed_videos(kazakh_bench, monkeypatch, capsys):
    root, args, _ = kazakh_bench
    before = (root / "out" / "spelling_words.csv").read_text(encoding="utf-8")

    def no_detection(*_):
        raise AssertionError("a rerun must not read the videos again")

    monkeypatch.setattr(spellbench.run, "observe", no_detection)
    assert cli.main(args) == 0
    assert (root / "out" / "spelling_words.csv").read_text(encoding="utf-8") == before
    assert "word 'жол' skipped: no photos for ж" in capsys.readouterr().out


def test_a_rerun_trains_nothing_and_a_damaged_channel_is_made_again(kazakh_bench, monkeypatch):
    root, args, _ = kazakh_bench
    before = (root / "out" / "spelling_words.csv").read_text(encoding="utf-8")
    [saved] = (root / "out" / "observations").glob("*/signer000/channel.json")
    kept = json.loads(saved.read_text(encoding="utf-8"))
    assert len(kept) == len(kept[0]) >= 2  # the held-out signer's model's reading channel
    trained = []
    real = spellbench.run.train_without
    monkeypatch.setattr(spellbench.run, "train_without", lambda *a: trained.append(a) or real(*a))
    assert cli.main(args) == 0 and trained == []  # the videos and the channel are cached
    saved.write_text("[[1, 0", encoding="utf-8")  # a half-written file
    assert cli.main(args) == 0 and len(trained) == 1
    assert json.loads(saved.read_text(encoding="utf-8")) == kept
    assert (root / "out" / "spelling_words.csv").read_text(encoding="utf-8") == before


@pytest.mark.parametrize("extra,message", [(["--fps", "25"], "pass rates that divide 30"),
                                           (["--letters-per-second", "fast"], "comma list of numbers"),
                                           (["--classifier", "hog-svm"], "not a landmark classifier"),
                                           (["--lexicon", "klingon"], "is not one of en, ru, kk, none"),
                                           (["--signers", "nobody"], "no such signer")],
                         ids=["fps", "speed", "classifier", "lexicon", "signer"])
def test_bad_options_exit_1_with_one_line(kazakh_bench, extra, message, capsys):
    _, args, _ = kazakh_bench
    assert cli.main(args + extra) == 1
    assert message in capsys.readouterr().err

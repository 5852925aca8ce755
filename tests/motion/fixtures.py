"""Generated clips from the shared Massey ASL photos, made once per test session.

Training clips come from signers hand1 and hand3, test clips and the word video from hand4, so every
figure is on a signer the models never saw. Few clips per kind keep the suite fast.
"""
import shutil

import pytest

TRAIN_SIGNERS, TEST_SIGNER = ["hand1", "hand3"], "hand4"
TRAIN_PLAN = "j=i:j,z=d:z,i=i:still+shift,d=d:still+shift"
TEST_PLAN = "j=i:j,z=d:z,i=i:still,d=d:still"
STATIC_LABELS = ["a", "d", "i"]
# JAZZ with the shapes at hand: J is I drawing a hook, Z is D drawing a Z, A is held still.
WORD = "jazz"
WORD_LETTERS = [("i", "j"), ("a", "still"), ("d", "z"), ("d", "z")]


@pytest.fixture(scope="session")
def motion_models(massey, tmp_path_factory):
    """(models folder, motion table) trained on clips of TRAIN_SIGNERS."""
    import cli
    from motion.clipset import make_clip_set

    root = tmp_path_factory.mktemp("motion_train")
    make_clip_set(massey, root / "clips", TRAIN_PLAN, per_motion=4, signers=TRAIN_SIGNERS, seed=11)
    table = root / "motion.csv"
    assert cli.main(["extract-motion", str(root / "clips"), "--out", str(table), "--workers", "1"]) == 0
    assert cli.main(["train", str(table), "--folds", "2", "--classifiers", "motion-svm,motion-logreg",
                     "--out", str(root / "models")]) == 0
    return root / "models", table


@pytest.fixture(scope="session")
def test_clips(massey, tmp_path_factory):
    from motion.clipset import make_clip_set

    out = tmp_path_factory.mktemp("motion_test") / "clips"
    make_clip_set(massey, out, TEST_PLAN, per_motion=3, signers=[TEST_SIGNER], seed=12)
    return out


@pytest.fixture(scope="session")
def static_models(massey, tmp_path_factory):
    """Static letters a, d, i trained on the photos of TRAIN_SIGNERS, in the same folder layout `train` makes."""
    from classifiers.train import train
    from landmarks.extract import extract
    from landmarks.groups import read_groups, write_groups

    root = tmp_path_factory.mktemp("static_train")
    kept = {}
    for rel, signer in read_groups(massey / "groups.csv").items():
        if signer in TRAIN_SIGNERS and rel.split("/")[0] in STATIC_LABELS:
            (root / "photos" / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(massey / rel, root / "photos" / rel)
            kept[rel] = signer
    write_groups(kept, root / "photos" / "groups.csv")
    extract(root / "photos", root / "features.csv", workers=1)
    train(root / "features.csv", classifiers="svm", folds=2, out=root / "models")
    return root / "models"

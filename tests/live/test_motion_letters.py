"""`live --headless` on a generated video spelling a word with static and motion letters."""
import json

import pytest

import cli
from classifiers.bundle import bundle_file
from motion.clipset import word_frames
from motion.synth import write_video
from tests.motion.fixtures import TEST_SIGNER, WORD, WORD_LETTERS


@pytest.fixture(scope="session")
def word_video(massey, tmp_path_factory):
    frames = word_frames(massey, WORD_LETTERS, TEST_SIGNER, seed=21)
    return write_video(frames, tmp_path_factory.mktemp("word") / f"{WORD}.avi")


def spell(video, static_models, extra, tmp_path):
    out = tmp_path / "run.jsonl"
    assert cli.main(["live", "--source", str(video), "--headless", "--output", str(out),
                     "--model", str(bundle_file(static_models, "svm")), *extra]) == 0
    return json.loads(out.read_text(encoding="utf-8").splitlines()[-1])["text"]


def test_live_spells_a_word_with_static_and_motion_letters(word_video, static_models, motion_models, tmp_path):
    motion_model = bundle_file(motion_models[0] / "motion", "motion-logreg")
    assert spell(word_video, static_models, ["--motion-model", str(motion_model)], tmp_path) == WORD


def test_without_motion_the_moving_letters_are_not_spelled(word_video, static_models, motion_models, tmp_path):
    # --no-motion wins over a given motion model, which would spell j and z (the test above)
    motion_model = bundle_file(motion_models[0] / "motion", "motion-logreg")
    text = spell(word_video, static_models, ["--motion-model", str(motion_model), "--no-motion"], tmp_path)
    assert "j" not in text and "z" not in text and "a" in text

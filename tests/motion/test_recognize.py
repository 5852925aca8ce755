"""Motion letters on clips of a signer not in training, decided exactly as `live` decides."""
import pytest

from classifiers.bundle import bundle_file
from motion.evaluate import evaluate_clips, summarize
from motion.recognize import MotionRecognizer, load_motion_model


@pytest.fixture(scope="session")
def clip_results(motion_models, test_clips):
    models, _ = motion_models
    recognizer = MotionRecognizer(load_motion_model(bundle_file(models / "motion", "motion-logreg")))
    table = evaluate_clips(recognizer, test_clips)
    return table, summarize(table, recognizer.motion_labels).set_index("label")


@pytest.mark.parametrize("letter", ["j", "z"])
def test_motion_letters_are_recognized(clip_results, letter):
    table, summary = clip_results
    assert summary.loc[letter, "recognized"] >= 0.95, table[table["label"] == letter].to_string()


@pytest.mark.parametrize("still", ["i", "d"])
def test_still_shapes_are_not_taken_for_motion_letters(clip_results, still):
    table, summary = clip_results
    assert summary.loc[still, "false_motion"] <= 0.02, table[table["label"] == still].to_string()

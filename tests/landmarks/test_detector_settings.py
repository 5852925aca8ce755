"""Which hand model predict/evaluate/live detect with: the trained one, and a warning where it differs."""
import pytest

from landmarks.detect import HandDetector
from landmarks.detector_settings import detector_for
from landmarks.errors import UserError


def test_the_trained_hand_model_is_used_silently():
    chosen, warning = detector_for(HandDetector.settings_for("lite"))
    assert (chosen.name, warning) == ("lite", None)


def test_old_bundles_without_settings_use_what_is_asked():
    assert [(str(chosen), warning) for chosen, warning in (detector_for({}), detector_for({}, "lite"))] == [
        ("full", None), ("lite", None)]


def test_overriding_the_hand_model_warns_naming_both():
    chosen, warning = detector_for(HandDetector.settings_for("full"), "lite")
    assert chosen.name == "lite"
    assert warning == ("warning: --hand-model lite overrides the hand model this model was trained with (full); "
                       "expect lower accuracy")


def test_the_same_model_file_passed_again_is_no_override(task_file):
    trained = HandDetector.settings_for(task_file)
    chosen, warning = detector_for(trained, str(task_file))
    assert (chosen.path, warning) == (task_file, None)


def test_a_users_task_file_must_be_passed_again(task_file):
    with pytest.raises(UserError, match="my_hand_landmarker.task; pass that file with --hand-model"):
        detector_for(HandDetector.settings_for(task_file))


@pytest.mark.parametrize("key, value", [("pad_fraction", 0.3), ("hand_model_sha256", "0" * 64)],
                         ids=["padding", "model-file-changed"])
def test_other_differences_name_the_setting(key, value):
    trained = {**HandDetector.settings_for("full"), key: value}
    chosen, warning = detector_for(trained)
    assert chosen.name == "full"
    assert f"{key} {value} -> " in warning and warning.count("\n") == 0

"""Detect as the training table was detected: the hand model a trained model expects, and what differs."""
import sys
from pathlib import Path

from landmarks.detect import HandDetector
from landmarks.errors import UserError
from landmarks.hand_models import MODELS, resolve_hand_model


def detector_for(trained, hand_model=None):
    """(the HandModelFile to detect with, resolved once here; one warning line or None).

    trained:    a bundle's `detector` dict (`HandDetector.settings_for(...)` of its training table;
                empty for bundles that predate it: then nothing is checked).
    hand_model: the user's `--hand-model` ("full", "lite" or a .task path), or None for the trained one.
    """
    overridden = hand_model is not None
    if not overridden:
        name = trained.get("hand_model")
        if name is not None and name not in MODELS:
            raise UserError(f"this model was trained on landmarks from the hand model file {name}; "
                            "pass that file with --hand-model")
        hand_model = name
    hand_model = resolve_hand_model(hand_model)
    if not trained:
        return hand_model, None
    trained, actual = _comparable(trained), _comparable(HandDetector.settings_for(hand_model))
    differs = [key for key in sorted(set(trained) | set(actual)) if trained.get(key) != actual.get(key)]
    if not differs:
        return hand_model, None
    if overridden and trained.get("hand_model") != actual["hand_model"]:
        return hand_model, (f"warning: --hand-model {actual['hand_model']} overrides the hand model this model "
                            f"was trained with ({trained.get('hand_model')}); expect lower accuracy")
    changes = ", ".join(f"{key} {trained.get(key)} -> {actual.get(key)}" for key in differs)
    return hand_model, (f"warning: detection differs from this model's training table ({changes}); "
                        "re-run `python cli.py extract` and `train` for the best accuracy")


def _comparable(settings):
    """A user's .task file is recorded by name and hash; where it lies (the retry's path) does not matter."""
    retry = settings.get("last_retry")
    if isinstance(retry, dict) and retry.get("hand_model") is not None:
        return {**settings, "last_retry": {**retry, "hand_model": Path(str(retry["hand_model"])).name}}
    return settings


def warn(line):
    if line:
        print(line, file=sys.stderr, flush=True)

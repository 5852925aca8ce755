"""`evaluate-motion`: a trained motion model on clips of a signer it never saw, through the command."""
import pandas as pd

import cli
from classifiers.bundle import bundle_file


def test_a_models_folder_scores_its_best_motion_model(motion_models, test_clips, tmp_path, capsys):
    models, _ = motion_models
    assert cli.main(["evaluate-motion", str(test_clips), "--model", str(models), "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "signers hand4" in out and "| j | 3 | motion | 1.0000 |" in out, out
    clips = pd.read_csv(tmp_path / "motion_clips.csv", dtype=str, keep_default_na=False)
    assert len(clips) == 12 and set(clips["label"]) == {"d", "i", "j", "z"}


def test_a_model_file_is_scored_as_given(motion_models, test_clips, tmp_path, capsys):
    model = bundle_file(motion_models[0] / "motion", "motion-svm")
    assert cli.main(["evaluate-motion", str(test_clips), "--model", str(model), "--out", str(tmp_path)]) == 0
    assert f"model {model};" in capsys.readouterr().out


def test_a_folder_without_a_motion_model_is_refused(tmp_path, capsys):
    assert cli.main(["evaluate-motion", str(tmp_path), "--model", str(tmp_path), "--out", str(tmp_path / "o")]) == 1
    assert "no motion model in" in capsys.readouterr().err

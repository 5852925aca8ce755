"""`evaluate`: trained models on a labelled folder of new photos (typically signers they never saw)."""
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from inference.apply import HAND, apply_model, hand_model_for
from classifiers.bundle import load_bundle
from classifiers.evaluate import Evaluation
from classifiers.model_path import every_model, resolve_model
from classifiers.models_folder import LANDMARK, MODELS_DIR
from landmarks.detect_many import detect_images
from landmarks.errors import UserError
from landmarks.groups import groups_file_for, read_groups
from landmarks.images import scan_labelled_images

SUMMARY_COLUMNS = ["model", "classifier", "input", "n_images", "n_classified", "accuracy", "end_to_end_accuracy",
                   "macro_f1", "unknown_label_images"]


@dataclass
class Photos:
    """The labelled folder: relative paths, labels and signer groups ("" when unknown)."""

    root: Path
    paths: list
    labels: np.ndarray
    groups: np.ndarray


def read_folder(data_dir, groups_file=None):
    """Every file under the folder: what the walk cannot read (a broken link, a pipe, a non-UTF-8 name)
    stays in, so it is counted and listed as unreadable rather than dropped."""
    images, problems = scan_labelled_images(data_dir)
    images = sorted(images + [(path, label) for path, label, reason, _ in problems if reason != "hidden"])
    groups_file = groups_file_for(data_dir, groups_file)
    groups = read_groups(groups_file) if groups_file else {}
    paths = [p for p, _ in images]
    return Photos(Path(data_dir), paths, np.array([label for _, label in images], dtype=str),
                  np.array([groups.get(p, "") for p in paths], dtype=str))


def model_files(models=(), all_models=False):
    """Model files from --model arguments (none: the models folder), each as classifiers.model_path
    resolves it (a FILE as given, a DIR its best landmark model); with --all a DIR gives every model in it."""
    files = []
    for given in models or [MODELS_DIR]:
        files += every_model(given) if all_models and Path(given).is_dir() else [resolve_model(given, LANDMARK)]
    return list(dict.fromkeys(files))


def model_names(files):
    """A short unique name per file: its stem, with its folder where two stems clash."""
    stems = [f.stem for f in files]
    return [f"{f.parent.name}-{f.stem}" if stems.count(f.stem) > 1 else f.stem for f in files]


@dataclass
class Scored:
    """One model's results on the folder (only images whose label the model knows are scored)."""

    name: str
    bundle: object
    labels: np.ndarray  # (N,) str: the true labels
    known: np.ndarray  # (N,) bool: the image's label is one of the model's labels
    found: np.ndarray  # (N,) str: HAND (classified), no_hand or unreadable
    predicted: np.ndarray  # (N,) str

    def evaluation(self):
        """An Evaluation over the scored images that reached the classifier."""
        classified = self.known & (self.found == HAND)
        return Evaluation(self.labels[classified], self.predicted[classified], 0.0)

    def summary(self, photos):
        evaluation = self.evaluation()
        n_known = int(self.known.sum())
        unknown = photos.labels[~self.known]
        return {"model": self.name, "classifier": self.bundle.name, "input": self.bundle.input,
                "n_images": n_known, "n_classified": len(evaluation.y_true),
                "accuracy": evaluation.accuracy if len(evaluation.y_true) else float("nan"),
                "end_to_end_accuracy": evaluation.end_to_end_accuracy(n_known),
                "macro_f1": evaluation.macro_f1 if len(evaluation.y_true) else float("nan"),
                "unknown_label_images": len(unknown)}

    def per_signer(self, photos):
        """Per signer group: images, classified, accuracy on classified and end to end."""
        table = pd.DataFrame({"group": photos.groups, "known": self.known,
                              "classified": self.known & (self.found == HAND),
                              "correct": self.known & (self.predicted == photos.labels)})
        table = table[table["known"]].groupby("group", sort=True)
        out = table.agg(n_images=("known", "size"), n_classified=("classified", "sum"), correct=("correct", "sum"))
        out["accuracy"] = out["correct"] / out["n_classified"].where(out["n_classified"] > 0)
        out["end_to_end_accuracy"] = out["correct"] / out["n_images"]
        return out.drop(columns="correct").reset_index()

    def predictions(self, photos):
        return pd.DataFrame({"path": photos.paths, "label": photos.labels, "group": photos.groups,
                             "predicted": self.predicted, "state": self.found})


def check_scorable(path, bundle, photos):
    """A model `evaluate` can score on these photos: a static one that knows at least one of their labels."""
    if bundle.input not in ("landmarks", "image"):
        raise UserError(f"model {path} is a {bundle.input} model; evaluate scores photos with landmark or image "
                        "models (score clips with `python cli.py evaluate-motion`)")
    if not np.isin(photos.labels, np.asarray(bundle.labels, dtype=str)).any():
        ours = sorted(set(photos.labels.tolist()))
        raise UserError(f"model {path} knows none of the labels in {photos.root} ({', '.join(ours[:5])}"
                        f"{', ...' if len(ours) > 5 else ''}); pass a folder of labels it was trained on")


def score_models(files, photos, hand_model=None, workers=None):
    """A Scored per model file; images are detected once per distinct hand model."""
    bundles = [load_bundle(f) for f in files]  # every model checked before any work starts
    for path, bundle in zip(files, bundles):
        check_scorable(path, bundle, photos)
    detections = {}
    scored = []
    for name, bundle in zip(model_names(files), bundles):
        found_by = None
        if bundle.input == "landmarks":
            chosen = hand_model_for(bundle, hand_model)
            if chosen not in detections:
                detections[chosen] = detect_images(photos.root, photos.paths, chosen, workers)
            found_by = detections[chosen]
        applied = apply_model(bundle, photos.root, photos.paths, found_by)
        known = np.isin(photos.labels, np.asarray(bundle.labels, dtype=str))
        scored.append(Scored(name, bundle, photos.labels, known, applied.found, applied.predicted))
    return scored

"""Leave one signer out: the landmark table of every photo (cached), a model trained without one signer,
and that signer's photos of each character (with or without a detected hand: a photo the detector
misses simply fails in the video, as it would for that signer)."""
from collections import defaultdict
from pathlib import Path

import numpy as np

from classifiers.bundle import Bundle
from classifiers.dataset import load_dataset
from classifiers.evaluate import cross_validate
from classifiers.folds import assign_folds
from classifiers.registry import REGISTRY, make
from landmarks.errors import UserError
from landmarks.extract import extract
from landmarks.points import RAW_COLUMNS
from spelling.labels import label_characters, spells_a_letter

TABLE = "landmarks.csv"


def landmark_table(photos_dir, out, groups=None, hand_model=None, workers=None):
    """The Dataset of PHOTOS_DIR, extracted into OUT/landmarks.csv; a rerun reuses every unchanged photo."""
    summary = extract(photos_dir, Path(out) / TABLE, workers=workers, groups_file=groups, hand_model=hand_model)
    print(summary.line())
    return load_dataset(Path(out) / TABLE)


def check_classifier(name):
    if name not in REGISTRY or REGISTRY[name].input != "landmarks":
        names = ", ".join(n for n, e in REGISTRY.items() if e.input == "landmarks")
        raise UserError(f"--classifier {name} is not a landmark classifier; choose one of {names}")
    return name


def used_labels(dataset, all_labels=False, leave_out=()):
    """Labels to train on: every label folder, or (default) those that spell a letter (`0-o` counts);
    never those in `leave_out` (UserError naming one that is not a label folder)."""
    labels = sorted(set(dataset.all_images["label"]))
    unknown = [label for label in leave_out if label not in labels]
    if unknown:
        raise UserError(f"--leave-out {','.join(unknown)}: no such label folder; the folders are {', '.join(labels)}")
    labels = [label for label in labels if label not in leave_out]
    return labels if all_labels else [label for label in labels if spells_a_letter(label)]


def signers(dataset):
    """The signer groups, checked: leaving one out needs at least two."""
    groups = sorted(set(dataset.all_images["group"]) - {""})
    if len(groups) < 2:
        raise UserError("bench-spelling leaves one signer out, so it needs photos of at least two signers: pass "
                        "--groups FILE (a CSV path,group) or put a groups.csv in PHOTOS_DIR")
    return groups


def train_without(dataset, signer, labels, classifier):
    """A landmark Bundle of `classifier` fitted on every other signer's photos of `labels`, with the
    temperature and reading channel `train` would keep (from out-of-fold probabilities, folds by signer), as
    live reads it."""
    rows = dataset.rows
    keep = (rows["group"] != signer).to_numpy() & rows["label"].isin(labels).to_numpy()
    X, y, groups = dataset.features[keep], dataset.labels[keep], rows["group"].to_numpy(str)[keep]
    if len(set(y)) < 2:
        raise UserError(f"without signer {signer} fewer than two labels have photos with a hand; "
                        "add photos of more signers")
    temperature, channel = 1.0, []  # one training signer: nothing to calibrate on without seeing that signer
    if len(set(groups)) >= 2:
        fold_of = np.asarray(assign_folds(y, groups, min(len(set(groups)), 5)))
        evaluation = cross_validate(make(classifier), X, y, fold_of, groups, probabilities=True)
        temperature = evaluation.temperature
        channel = evaluation.channel(temperature)
    pipeline = make(classifier).fit(X, y)
    return Bundle(classifier, "landmarks", pipeline, [str(c) for c in pipeline.classes_], temperature=temperature,
                  channel=channel,
                  table_sha256=dataset.table_sha256, detector=dict(dataset.sidecar.get("detector") or {}))


def photos_by_character(dataset, signer, labels, photos_dir):
    """{character: [(photo path, (21, 3) landmarks or None)]} of `signer` over the label folders in `labels`."""
    found = defaultdict(list)
    images = dataset.all_images
    failed = dataset.failures
    unreadable = set(failed.loc[~failed["reason"].isin(["no_hand", "bad_features"]), "path"])
    mine = images[(images["group"] == signer) & images["label"].isin(labels) & ~images["path"].isin(unreadable)]
    raw = dataset.rows.set_index("path")[RAW_COLUMNS]
    for path, label in zip(mine["path"], mine["label"]):
        marks = raw.loc[path].to_numpy(float).reshape(21, 3) if path in raw.index else None
        for character in label_characters(label):
            found[character].append((Path(photos_dir) / path, marks))
    return {c: sorted(photos, key=lambda p: str(p[0])) for c, photos in found.items()}

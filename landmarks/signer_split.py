"""`split-signers`: a labelled folder split by signer into a training folder and a folder of held-out signers.

Every image of a signer goes to the same side, so `evaluate` on the held-out folder scores signers the
models never saw. Files are hard-linked where possible (copied otherwise); each side gets its own
groups.csv, which `extract` and `evaluate` read.
"""
import os
import shutil
from pathlib import Path

import numpy as np

from landmarks.errors import UserError
from landmarks.groups import read_groups, write_groups
from landmarks.images import list_labelled_images
from landmarks.option_ranges import MAX_SEED, check_range


def split(data_dir, groups_file, fraction, seed=0):
    """({relpath: group} to train on, {relpath: group} held out), whole signers on each side."""
    images = [path for path, _ in list_labelled_images(data_dir)]
    groups = read_groups(groups_file)
    missing = [p for p in images if not groups.get(p)]
    if missing:
        raise UserError(f"{len(missing)} images have no signer in {groups_file} (e.g. {missing[0]}); "
                        "every image needs one to hold signers out")
    signers = sorted({groups[p] for p in images})
    if not 0 < fraction < 1 or round(fraction * len(signers)) < 1:
        raise UserError(f"--fraction {fraction} of {len(signers)} signers holds out none; pass a fraction in (0, 1)")
    held = set(np.random.default_rng(seed).choice(signers, round(fraction * len(signers)), replace=False))
    train = {p: groups[p] for p in images if groups[p] not in held}
    test = {p: groups[p] for p in images if groups[p] in held}
    return train, test


def check_empty(target):
    target = Path(target)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise UserError(f"{target} is not an empty folder; pass a new folder")


def place(data_dir, chosen, target):
    """Link (or copy) the chosen images into target/<label>/..., with target/groups.csv."""
    target = Path(target)
    for relpath in chosen:
        destination = target / relpath
        destination.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(Path(data_dir) / relpath, destination)
        except OSError:
            shutil.copy2(Path(data_dir) / relpath, destination)
    write_groups(chosen, target / "groups.csv")


def split_signers(data_dir, train_dir, test_dir, groups_file=None, fraction=0.2, seed=0):
    """Split and place both sides (both folders checked before anything is written) -> one summary line."""
    check_range("--seed", seed, 0, MAX_SEED)
    for folder in (train_dir, test_dir):
        check_empty(folder)
    train, test = split(data_dir, groups_file or Path(data_dir) / "groups.csv", fraction, seed)
    place(data_dir, train, train_dir)
    place(data_dir, test, test_dir)
    return (f"split-signers: {len(set(train.values()))} signers ({len(train)} images) -> {train_dir}; "
            f"{len(set(test.values()))} held out ({len(test)} images) -> {test_dir}")

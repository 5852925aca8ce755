"""Split a labelled folder by signer into a training folder and a folder of held-out signers.

    python scripts/hold_out_signers.py DATA_DIR --groups FILE --fraction 0.2 --train DIR --test DIR [--seed 0]

Every image of a signer goes to the same side. Files are hard-linked where possible (copied otherwise);
each output folder gets its own groups.csv, which `extract` and `evaluate` read. Then:
`extract` + `train` on the training folder, `evaluate` on the held-out one.
"""
import argparse
import os
import shutil
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from landmarks.errors import UserError  # noqa: E402
from landmarks.groups import read_groups, write_groups  # noqa: E402
from landmarks.images import list_labelled_images  # noqa: E402


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


def place(data_dir, chosen, target):
    """Link (or copy) the chosen images into target/<label>/..., with target/groups.csv."""
    target = Path(target)
    if target.exists() and any(target.iterdir()):
        raise UserError(f"{target} is not empty; pass a new folder")
    for relpath in chosen:
        destination = target / relpath
        destination.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(Path(data_dir) / relpath, destination)
        except OSError:
            shutil.copy2(Path(data_dir) / relpath, destination)
    write_groups(chosen, target / "groups.csv")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir")
    parser.add_argument("--groups", default=None, help="CSV path,group (default: DATA_DIR/groups.csv)")
    parser.add_argument("--fraction", type=float, default=0.2, help="share of signers held out (default: 0.2)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--train", required=True)
    parser.add_argument("--test", required=True)
    args = parser.parse_args(argv)
    try:
        train, test = split(args.data_dir, args.groups or Path(args.data_dir) / "groups.csv", args.fraction, args.seed)
        place(args.data_dir, train, args.train)
        place(args.data_dir, test, args.test)
    except UserError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"hold_out_signers: {len(set(train.values()))} signers ({len(train)} images) -> {args.train}; "
          f"{len(set(test.values()))} held out ({len(test)} images) -> {args.test}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

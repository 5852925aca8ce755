"""Motion letters on clips from signers not in training (a figure for the README, not a test).

    python scripts/eval_motion.py TRAIN_CLIPS TEST_CLIPS [--work DIR] [--classifiers motion-svm]

Extracts the training clips (`extract-motion`), trains the motion classifiers (`train`), then runs
every test clip through the same spotter and classifier `live` uses and prints, per label, the share
of motion clips spelled as their letter and the share of still clips spelled as any motion letter.
"""
import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import cli  # noqa: E402
from classifiers.report import markdown_table  # noqa: E402
from landmarks.groups import read_groups  # noqa: E402
from motion.evaluate import evaluate_clips, summarize  # noqa: E402
from motion.recognize import MotionRecognizer, load_motion_model  # noqa: E402
from motion.train import best_motion_model  # noqa: E402


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("train_clips")
    parser.add_argument("test_clips")
    parser.add_argument("--work", default="data/motion_eval", help="tables and models go here")
    parser.add_argument("--classifiers", default=None)
    parser.add_argument("--folds", type=int, default=2)
    args = parser.parse_args(argv)
    work = Path(args.work)
    train_signers = set(read_groups(Path(args.train_clips) / "groups.csv").values())
    test_signers = set(read_groups(Path(args.test_clips) / "groups.csv").values())
    if train_signers & test_signers:
        print(f"error: signers {sorted(train_signers & test_signers)} are in both sets", file=sys.stderr)
        return 1
    table = work / "motion.csv"
    for command in (["extract-motion", args.train_clips, "--out", str(table)],
                    ["train", str(table), "--folds", str(args.folds), "--out", str(work / "models"),
                     *(["--classifiers", args.classifiers] if args.classifiers else [])]):
        if cli.main(command) != 0:
            return 1
    bundle = load_motion_model(best_motion_model(work / "models"))
    recognizer = MotionRecognizer(bundle)
    clips = evaluate_clips(recognizer, args.test_clips)
    clips.to_csv(work / "test_clips.csv", index=False)
    summary = summarize(clips, recognizer.motion_labels)
    print(f"model {bundle.name}, trained on signers {sorted(train_signers)}, tested on {sorted(test_signers)}")
    print(markdown_table(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())

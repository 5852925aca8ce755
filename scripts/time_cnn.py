"""Time and score the reference CNN on signer-grouped folds: `python scripts/time_cnn.py [DATA_DIR]`.

Prints one line per fold (fit seconds, predict seconds, accuracy) and the mean; the figures quoted
in the CNN's design notes came from here; `bench --cnn` gives the figures in the README.
"""
import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from classifiers.cnn import CNNClassifier, require_torch  # noqa: E402
from classifiers.folds import assign_folds, splits_from  # noqa: E402
from landmarks.groups import digit_sequence_groups  # noqa: E402

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "sign-language-digits" / "images"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", nargs="?", default=DEFAULT_DATA)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--run-folds", type=int, default=None, help="stop after this many folds")
    parser.add_argument("--epochs", type=int, default=None)
    parser.add_argument("--batch-size", type=int, default=None)
    parser.add_argument("--learning-rate", type=float, default=None)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--no-augment", action="store_true")
    args = parser.parse_args(argv)
    require_torch()

    groups = digit_sequence_groups(args.data_dir)
    paths = np.array([str(Path(args.data_dir) / p) for p in groups])
    labels = np.array([Path(p).parent.name for p in groups])
    signers = np.array(list(groups.values()))
    chosen = {"epochs": args.epochs, "batch_size": args.batch_size, "learning_rate": args.learning_rate,
              "seed": args.seed}
    params = {k: v for k, v in chosen.items() if v is not None}
    if args.no_augment:
        params["augment"] = False
    model = CNNClassifier(verbose=True, **params)
    print(f"{len(paths)} images, {len(set(signers))} signers, {model.get_params()}")

    scores, fit_times = [], []  # the same folds as `train` and `bench`
    for fold, (train, test) in enumerate(splits_from(assign_folds(labels, signers, args.folds)), start=1):
        started = time.perf_counter()
        model.fit(paths[train], labels[train])
        fitted = time.perf_counter()
        accuracy = float(np.mean(model.predict(paths[test]) == labels[test]))
        predicted = time.perf_counter()
        scores.append(accuracy)
        fit_times.append(fitted - started)
        print(f"fold {fold}: train {len(train)}, test {len(test)}, fit {fitted - started:.1f} s, "
              f"predict {predicted - fitted:.1f} s, accuracy {accuracy:.4f}", flush=True)
        if args.run_folds and fold >= args.run_folds:
            break
    print(f"mean accuracy {np.mean(scores):.4f} (sd {np.std(scores):.4f}), "
          f"mean fit {np.mean(fit_times):.1f} s over {len(scores)} folds")
    return 0


if __name__ == "__main__":
    sys.exit(main())

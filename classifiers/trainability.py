"""Whether a classifier can train on these folds at all, said before it starts: one line per classifier
that cannot (it is skipped and the others train), one error when no classifier can; and the loop over
classifiers that reports each finished one at once, so Ctrl-C keeps every finished model on record."""
import numpy as np
from tqdm import tqdm

from classifiers.evaluate import INNER_FOLDS, tuned
from landmarks.errors import Interrupted, UserError

NEIGHBOURS = "knn__n_neighbors"  # the grid key of knn's neighbour count


class CannotTrain(UserError):
    """This classifier cannot train on these folds; `train` skips it with this line."""


def smallest_training_set(fold_of, search):
    """The fewest samples any fit sees: an outer training fold, or with --search an inner one."""
    fold_of = np.asarray(fold_of)
    smallest = min(int(np.sum(fold_of != k)) for k in np.unique(fold_of))
    return smallest - -(-smallest // INNER_FOLDS) if search else smallest


def check_search_folds(y, fold_of):
    """--search splits each training fold into INNER_FOLDS stratified folds: some label needs that many images."""
    y, fold_of = np.asarray(y, dtype=str), np.asarray(fold_of)
    for k in np.unique(fold_of):
        most = np.unique(y[fold_of != k], return_counts=True)[1].max()
        if most < INNER_FOLDS:
            raise UserError(f"--search tunes on {INNER_FOLDS} inner folds, but a training fold has at most {most} "
                            "images of any label; add images, lower --folds or drop --search")


def neighbour_limit(model, grid, fold_of, search):
    """(grid with only the neighbour counts every fit can have, reason to skip or None) for a k-NN `model`;
    other models come back unchanged."""
    steps = dict(getattr(model, "steps", []))
    if "knn" not in steps:
        return grid, None
    smallest = smallest_training_set(fold_of, search)
    counts = grid.get(NEIGHBOURS, []) if search else [steps["knn"].n_neighbors]
    usable = [n for n in counts if n <= smallest]
    if not usable:
        return grid, (f"a training fold has only {smallest} samples, fewer than its {min(counts)} neighbours; "
                      "add images or lower --folds")
    return ({**grid, NEIGHBOURS: usable} if search else grid), None


def model_for(entry, fold_of, groups, search):
    """A registry entry's model for these folds (tuned with --search), or CannotTrain."""
    model = entry.factory()
    grid, reason = neighbour_limit(model, entry.grid, fold_of, search)
    if reason:
        raise CannotTrain(reason)
    return tuned(model, grid, groups) if search else model


def train_each(names, run, write_report, out, source):
    """[run(name) for each name], skipping with a line each one the estimator refuses (ValueError) or that
    cannot train (CannotTrain); `write_report(finished)` after each, so the report always lists every
    saved model. Returns (finished results, the last report's text)."""
    finished, skipped, text = [], [], ""
    try:
        for name in tqdm(names, desc="train", unit="model", disable=None):
            try:
                result = run(name)
            except ValueError as error:  # UserErrors are about the whole run, not this classifier
                if isinstance(error, UserError) and not isinstance(error, CannotTrain):
                    raise
                reason = (str(error).strip() or type(error).__name__).splitlines()[0]
                skipped.append(f"{name} ({reason})")
                tqdm.write(f"note: {name} skipped: {reason}")
                continue
            finished.append(result)
            text = write_report(finished)
    except KeyboardInterrupt:
        raise Interrupted(f"{len(finished)} of {len(names)} classifiers had finished; their models and report rows "
                          f"are in {out}" if finished else "no classifier had finished; nothing was written") from None
    if not finished:
        raise UserError(f"no classifier can train on {source}: {'; '.join(skipped)}")
    return finished, text

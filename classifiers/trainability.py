"""Whether a classifier can train on these folds at all, said before it starts: one line per classifier
that cannot (it is skipped and the others train), one error when no classifier can."""
import numpy as np

from classifiers.evaluate import INNER_FOLDS
from landmarks.errors import UserError

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

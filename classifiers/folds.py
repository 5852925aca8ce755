"""One fold assignment per image, shared by every classifier so all are tested on the same images."""
import numpy as np
from sklearn.model_selection import StratifiedGroupKFold, StratifiedKFold

from landmarks.errors import UserError


def assign_folds(labels, groups, folds, seed=0):
    """Fold number (0..folds-1) of each image; grouped when `groups` has values (no group on two sides).

    labels, groups: (N,) sequences of str; an empty group string means "unknown".
    """
    labels = np.asarray(labels, dtype=str)
    groups = np.asarray(groups, dtype=str)
    fold_of = np.empty(len(labels), dtype=int)
    if (groups != "").any():
        filled = signer_ids(groups)
        if len(np.unique(filled)) < folds:
            raise UserError(f"only {len(np.unique(filled))} signer groups for --folds={folds}; lower --folds")
        splitter = StratifiedGroupKFold(n_splits=folds, shuffle=True, random_state=seed)
        splits = splitter.split(np.zeros(len(labels)), labels, filled)
    else:
        splits = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed).split(np.zeros(len(labels)), labels)
    for fold, (_, test) in enumerate(splits):
        fold_of[test] = fold
    return fold_of


def signer_ids(groups):
    """`groups` with each empty group replaced by a unique id: an image without a group is its own signer."""
    groups = np.asarray(groups, dtype=str)
    return np.where(groups != "", groups, [f"__image{i}" for i in range(len(groups))])


def splits_from(fold_of):
    """(train indices, test indices) per fold, for `cross_val_predict`-style loops and GridSearchCV."""
    return [(np.flatnonzero(fold_of != k), np.flatnonzero(fold_of == k)) for k in np.unique(fold_of)]

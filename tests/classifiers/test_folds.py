import numpy as np
import pytest

from classifiers.folds import assign_folds, signer_ids, splits_from
from landmarks.errors import UserError

# Four signers, each showing A, B and C twice.
LABELS = list("AABBCC" * 4)
GROUPS = [signer for signer in ["ann", "bob", "cem", "dia"] for _ in range(6)]


def groups_on_both_sides(fold_of, groups):
    groups = np.asarray(groups)
    return [g for train, test in splits_from(fold_of) for g in set(groups[test]) & set(groups[train])]


@pytest.mark.parametrize("folds", [2, 3, 4], ids=["2-folds", "3-folds", "4-folds"])
def test_grouped_folds_never_split_a_signer(folds):
    fold_of = assign_folds(LABELS, GROUPS, folds)
    assert sorted(np.unique(fold_of)) == list(range(folds))
    for signer in set(GROUPS):
        assert len(set(fold_of[np.asarray(GROUPS) == signer])) == 1, signer
    assert groups_on_both_sides(fold_of, GROUPS) == []


def test_images_without_a_group_count_as_their_own_signer():
    groups = ["ann"] * 6 + [""] * 6
    fold_of = assign_folds(LABELS[:12], groups, 3)
    assert len(set(fold_of[:6])) == 1  # ann's six images stay together
    assert len(set(fold_of)) == 3  # possible only if the six ungrouped images are spread out


def test_ungrouped_folds_are_stratified():
    labels = list("AAAAAABBBBBBCCCCCC")
    fold_of = assign_folds(labels, [""] * len(labels), 3)
    for fold in range(3):
        in_fold = np.asarray(labels)[fold_of == fold]
        assert sorted(in_fold) == list("AABBCC"), fold


def test_folds_are_reproducible_and_seeded():
    labels = list("AAAAAABBBBBBCCCCCC") * 2
    first = assign_folds(labels, [""] * len(labels), 3)
    assert np.array_equal(first, assign_folds(labels, [""] * len(labels), 3))
    assert any(not np.array_equal(first, assign_folds(labels, [""] * len(labels), 3, seed=s)) for s in (1, 2, 3))


@pytest.mark.parametrize("groups, folds, match", [
    (["ann"] * 12 + ["bob"] * 12, 3, "only 2 signer groups for --folds=3"),
    (["ann"] * 24, 2, "only 1 signer groups for --folds=2"),
], ids=["two-signers-three-folds", "one-signer"])
def test_too_few_groups_is_a_user_error(groups, folds, match):
    with pytest.raises(UserError, match=match):
        assign_folds(LABELS, groups, folds)


def test_splits_from_partitions_the_images():
    fold_of = np.array([1, 0, 2, 1, 0, 2, 2])
    splits = splits_from(fold_of)
    assert [test.tolist() for _, test in splits] == [[1, 4], [0, 3], [2, 5, 6]]
    for train, test in splits:
        assert sorted(train.tolist() + test.tolist()) == list(range(7))


def test_signer_ids_fill_only_the_empty_groups_with_unique_ids():
    ids = signer_ids(["ann", "", "ann", ""])
    assert ids[0] == ids[2] == "ann"
    assert len({ids[1], ids[3], "ann"}) == 3

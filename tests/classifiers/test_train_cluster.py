"""`train --search --scheduler`: the grid search's fits run on Dask workers and pick what a local search picks."""
import pandas as pd
import pytest

import cli
from classifiers.bundle import SUFFIX, load_bundle
from classifiers.registry import REGISTRY
from tests.classifiers.helpers import single_threaded_math  # noqa: F401 (autouse)
from tests.classifiers.helpers import write_groups_for
from tests.conftest import copy_samples

LABELS = ["0", "1", "2"]
PER_LABEL = 6  # six signers: --search needs three in each training fold
CLASSIFIERS = "logreg,svm"
SAME = ["classifier", "n_samples", "accuracy", "end_to_end_accuracy", "macro_f1"]


@pytest.fixture(scope="module")
def features(tmp_path_factory):
    root = tmp_path_factory.mktemp("cluster_train")
    data = copy_samples(root / "data", per_label=PER_LABEL, labels=LABELS)
    write_groups_for(data)
    assert cli.main(["extract", str(data), "--out", str(root / "features.csv"), "--workers", "1"]) == 0
    return root / "features.csv"


def train(features, out, *more):
    return cli.main(["train", str(features), "--classifiers", CLASSIFIERS, "--folds", "2", "--search",
                     "--out", str(out), *more])


def test_search_on_the_cluster_matches_the_local_search(features, dask_cluster, tmp_path):
    from distributed import get_task_stream

    address, client = dask_cluster
    assert train(features, tmp_path / "local") == 0
    with get_task_stream(client) as stream:
        assert train(features, tmp_path / "dask", "--scheduler", address) == 0
    assert len(stream.data) > 0  # the fits really ran on the workers
    # Rows are ranked by accuracy, ties by measured predict time, which varies: compare by name.
    local, dask = (pd.read_csv(tmp_path / name / "report" / "comparison.csv").sort_values("classifier", ignore_index=True)
                   for name in ("local", "dask"))
    pd.testing.assert_frame_equal(dask[SAME], local[SAME])
    for name in CLASSIFIERS.split(","):
        chosen = [{key: load_bundle(tmp_path / run / f"{name}{SUFFIX}").pipeline.get_params()[key]
                   for key in REGISTRY[name].grid} for run in ("local", "dask")]
        assert chosen[0] == chosen[1]


def test_scheduler_without_search_exits_1(features, tmp_path, capsys):
    code = cli.main(["train", str(features), "--classifiers", "knn", "--scheduler", "local", "--out", str(tmp_path)])
    assert code == 1
    assert "add --search" in capsys.readouterr().err

import importlib.util

import pandas as pd
import pytest

import cli
from classifiers.bench import BENCH_COLUMNS
from tests.conftest import copy_samples

EXPECTED_COLUMNS = ["method", "input", "accuracy", "end_to_end_accuracy", "macro_f1", "train_seconds",
                    "infer_ms_per_image", "model_bytes"]
HAS_TORCH = importlib.util.find_spec("torch") is not None


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    return copy_samples(tmp_path_factory.mktemp("bench") / "data", per_label=4, labels={"0", "1", "2", "3"})


@pytest.fixture(scope="module")
def bench_run(tiny):
    """One tiny benchmark, with the CNN when PyTorch is installed."""
    out = tiny.parent / "bench"
    code = cli.main(["bench", str(tiny), "--folds", "2", "--out", str(out)] + (["--cnn", "--cnn-epochs", "2"] if HAS_TORCH else []))
    return code, out, pd.read_csv(out / "benchmark.csv", dtype={"method": str})


def test_tiny_run_writes_table_report_and_plot(bench_run):
    code, out, table = bench_run
    assert code == 0
    assert list(table.columns) == EXPECTED_COLUMNS == BENCH_COLUMNS
    assert {"svm", "knn", "logreg", "rf", "mlp", "hog-svm", "orb-bovw"} <= set(table["method"])
    assert table["end_to_end_accuracy"].is_monotonic_decreasing
    landmarks, images = table[table["input"] == "landmarks"], table[table["input"] == "image"]
    # Landmark methods pay for hand detection on every image, so they cost more than their predict alone.
    assert (landmarks["infer_ms_per_image"] > 1.0).all() and (images["infer_ms_per_image"] > 0).all()
    text = (out / "benchmark.md").read_text(encoding="utf-8")
    assert "cores" in text and "workers=1" in text and "WITHOUT signer groups" in text
    assert (out / "benchmark.png").stat().st_size > 0


@pytest.mark.skipif(not HAS_TORCH, reason="PyTorch is not installed (pip install -r requirements-cnn.txt)")
def test_cnn_joins_the_same_table(bench_run):
    _, _, table = bench_run
    cnn = table.set_index("method").loc["cnn"]
    assert cnn["input"] == "image" and 0 <= cnn["accuracy"] <= 1 and cnn["model_bytes"] > 0


def test_cnn_without_torch_says_how_to_install_before_any_work(tiny, tmp_path, monkeypatch, capsys):
    import classifiers.cnn as cnn_module
    from landmarks.errors import UserError

    def missing():
        raise UserError("--cnn needs PyTorch: pip install -r requirements-cnn.txt")

    monkeypatch.setattr(cnn_module, "require_torch", missing)
    assert cli.main(["bench", str(tiny), "--folds", "2", "--cnn", "--out", str(tmp_path / "b")]) == 1
    assert "pip install -r requirements-cnn.txt" in capsys.readouterr().err
    assert not (tmp_path / "b").exists()

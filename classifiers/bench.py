"""`bench`: extraction, every classifier and optionally the reference CNN, on the same folds."""
import os
import platform
import shutil
import tempfile
from pathlib import Path

import joblib
import pandas as pd

from classifiers import report
from classifiers.dataset import load_dataset
from classifiers.evaluate import cross_validate, predict_ms_per_sample
from classifiers.folds import assign_folds
from classifiers.models_folder import STATIC, ranking_file
from classifiers.selection import ranked
from classifiers.train import train, training_sets
from landmarks.extract import extract
from landmarks.errors import UserError
from landmarks.files import check_writable_folder, write_csv, write_text
from landmarks.option_ranges import MAX_FOLDS, check_range

BENCH_COLUMNS = ["method", "input", "accuracy", "end_to_end_accuracy", "macro_f1", "train_seconds",
                 "infer_ms_per_image", "model_bytes"]


def cpu_name():
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def time_extraction(data_dir, out, groups):
    """Extract from scratch with 1 worker, then with all cores into `out`: [(workers, ExtractSummary)]."""
    runs = []
    with tempfile.TemporaryDirectory() as scratch:
        for workers in sorted({1, os.cpu_count() or 1}):
            target = Path(scratch) / "one.csv" if workers == 1 and (os.cpu_count() or 1) > 1 else Path(out)
            for stale in Path(target).parent.glob(Path(target).stem + ".*"):
                stale.unlink()  # a reused table would time nothing
            runs.append((workers, extract(data_dir, target, workers=workers, groups_file=groups)))
    return runs


def scaling_lines(runs):
    return [f"workers={workers}: {s.seen / s.seconds:.1f} images/s ({s.seen} images, {s.rows} with a hand, "
            f"{s.seconds:.1f} s)" for workers, s in runs]


def cnn_row(dataset, data_dir, folds, epochs):
    from classifiers.cnn import CNNClassifier, require_torch

    require_torch()
    everything = dataset.all_images
    fold_of = assign_folds(everything["label"], everything["group"], folds)
    X, y, groups, image_folds = training_sets(dataset, Path(data_dir), dict(zip(everything["path"], fold_of)))["image"]
    evaluation = cross_validate(CNNClassifier(epochs=epochs, verbose=True), X, y, image_folds, groups)
    final = CNNClassifier(epochs=epochs).fit(X, y)  # the model a user would keep, for its size and latency
    with tempfile.TemporaryDirectory() as scratch:
        joblib.dump(final, Path(scratch) / "cnn.joblib")
        size = (Path(scratch) / "cnn.joblib").stat().st_size
    return {"method": "cnn", "input": "image", "accuracy": evaluation.accuracy,
            "end_to_end_accuracy": evaluation.accuracy, "macro_f1": evaluation.macro_f1,
            "train_seconds": evaluation.train_seconds,
            "infer_ms_per_image": predict_ms_per_sample(final, X, 50), "model_bytes": size}


def claim_out(out):
    """bench replaces OUT/features.csv and all of OUT/models: only a new or empty folder, or an earlier
    bench's (it holds benchmark.md, written first), may be OUT; never `data`, where the working table and
    models live."""
    out = check_writable_folder(Path(out))
    if out.is_dir() and not (out / "benchmark.md").is_file():
        others = sorted(p.name for p in out.iterdir())
        if others:
            raise UserError(f"--out {out} already holds {', '.join(others[:3])}{', ...' if len(others) > 3 else ''}, "
                            "which bench did not write (it replaces OUT/features.csv and OUT/models); "
                            "pass a new or empty folder, or an earlier bench's")
    write_text("# Benchmark\n\nRunning, or interrupted: run `python cli.py bench` again.\n", out / "benchmark.md")
    return out


def bench(data_dir, groups=None, folds=5, cnn=False, out="data/bench", cnn_epochs=20):
    """Run the benchmark and write benchmark.csv, benchmark.md and a PNG; returns the Markdown."""
    check_range("--folds", folds, 2, MAX_FOLDS)
    check_range("--cnn-epochs", cnn_epochs, 1, 1000)
    if cnn:  # say so before minutes of other work, not after
        from classifiers.cnn import require_torch

        require_torch()
    out = claim_out(out)
    features = out / "features.csv"
    runs = time_extraction(data_dir, features, groups)
    scaling = scaling_lines(runs)
    detect_ms = 1000.0 * runs[0][1].seconds / runs[0][1].seen  # decode + pad + detect, one core
    models = out / "models"
    shutil.rmtree(models, ignore_errors=True)
    train(features, images=data_dir, folds=folds, out=models)
    rows = [{"method": r.classifier, "input": r.input, "accuracy": r.accuracy,
             "end_to_end_accuracy": r.end_to_end_accuracy, "macro_f1": r.macro_f1,
             "train_seconds": r.train_seconds,
             # landmark methods pay for detection on every image; image baselines read the file themselves
             "infer_ms_per_image": r.predict_ms_per_sample + (detect_ms if r.input == "landmarks" else 0.0),
             "model_bytes": r.model_bytes}
            for r in pd.read_csv(ranking_file(models, STATIC)).itertuples()]
    dataset = load_dataset(features)
    if cnn:
        rows.append(cnn_row(dataset, data_dir, folds, cnn_epochs))
    table = ranked(pd.DataFrame(rows, columns=BENCH_COLUMNS), time="infer_ms_per_image")
    write_csv(table, out / "benchmark.csv")
    report.plot_accuracy_vs_latency(table, out / "benchmark.png", x="infer_ms_per_image",
                                    xlabel="inference per image, detection or decoding included (ms, log scale)")
    text = _markdown(table, data_dir, groups, folds, cnn, out, scaling, dataset.has_groups)
    write_text(text, out / "benchmark.md")
    return text


def _markdown(table, data_dir, groups, folds, cnn, out, scaling, grouped):
    command = " ".join(["python cli.py bench", str(data_dir)] + ([f"--groups {groups}"] if groups else [])
                       + ([f"--folds {folds}"] if folds != 5 else []) + (["--cnn"] if cnn else [])
                       + ([f"--out {out}"] if str(out) != "data/bench" else []))
    split = ("grouped by signer (no signer in both train and test)" if grouped else
             "WITHOUT signer groups (the same signer may be in train and test: optimistic)")
    return (f"# Benchmark\n\n- machine: {cpu_name()}, {os.cpu_count()} cores\n- dataset: `{data_dir}`\n"
            f"- split: {folds} folds, the same for every method, {split}\n- command: `{command}`\n"
            f"- extraction: {'; '.join(scaling)}\n"
            "- train_seconds: mean fit time of one fold; infer_ms_per_image: one image at a time, landmark "
            "methods including hand detection, image methods including decoding and resizing\n\n"
            + report.markdown_table(table))


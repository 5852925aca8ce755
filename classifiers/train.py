"""`train`: cross-validate every classifier on the same folds, save each refit model, write the report."""
import time
from contextlib import nullcontext
from pathlib import Path

import numpy as np

from classifiers import breakdown, report
from classifiers.bundle import Bundle, bundle_file, save_bundle
from classifiers.dataset import check_trainable, left_out_note, load_dataset
from classifiers.evaluate import cross_validate, fit, predict_ms_per_sample
from classifiers.folds import assign_folds
from classifiers.models_folder import MODELS_DIR, report_folder
from classifiers.registry import REGISTRY, parse_names
from classifiers.trainability import check_search_folds, model_for, train_each
from landmarks.cluster import connect, require_distributed
from landmarks.scheduler_check import check_scheduler
from landmarks.errors import UserError


def image_folder(dataset, images):
    """The folder the image baselines read: --images, else the one `extract` read (from the sidecar)."""
    folder = images or dataset.sidecar.get("data_dir")
    if folder and Path(folder).is_dir():
        return Path(folder)
    if images:
        raise UserError(f"image folder {images} not found; pass the folder `extract` read with --images")
    return None


def training_sets(dataset, folder, fold_by_path):
    """{input kind: (X, y, groups, fold numbers)} for the landmark table and, if found, the images."""
    rows = dataset.rows
    sets = {"landmarks": (dataset.features, dataset.labels, rows["group"].to_numpy(str),
                          np.array([fold_by_path[p] for p in rows["path"]]))}
    if folder is not None:
        unusable = ~dataset.failures["reason"].isin(["no_hand", "bad_features"])  # image itself is bad
        usable = dataset.all_images[~dataset.all_images["path"].isin(dataset.failures.loc[unusable, "path"])]
        paths = np.array([str(folder / p) for p in usable["path"]], dtype=object)
        sets["image"] = (paths, usable["label"].to_numpy(str), usable["group"].to_numpy(str),
                         np.array([fold_by_path[p] for p in usable["path"]]))
    return sets


def run_one(name, data, dataset, search, out, backend=None):
    """Cross-validate, refit on everything, save the bundle and this classifier's report files.

    Returns (comparison row, per-group table, confused-pairs table)."""
    entry = REGISTRY[name]
    X, y, groups, fold_of = data
    model = model_for(entry, fold_of, groups, search)
    # Probabilities only for landmark models: those feed live's spelling decoder (image baselines would
    # run their feature steps twice more per fold).
    evaluation = cross_validate(model, X, y, fold_of, groups, backend, probabilities=entry.input == "landmarks")
    temperature = evaluation.temperature
    final = fit(model, X, y, groups, backend)
    pipeline = final.best_estimator_ if search else final
    # Landmark classifiers never see the images without a hand: they count as errors, in their group too.
    population = dataset.all_images["group"].to_numpy(str) if entry.input == "landmarks" else groups
    end_to_end = evaluation.end_to_end_accuracy(len(population))
    metrics = {"accuracy": evaluation.accuracy, "end_to_end_accuracy": end_to_end,
               "macro_f1": evaluation.macro_f1, "calibration_error_raw": evaluation.calibration_error(),
               "calibration_error": evaluation.calibration_error(temperature),
               "folds": int(fold_of.max() + 1)}
    labels = [str(c) for c in pipeline.classes_]
    path = save_bundle(Bundle(name, entry.input, pipeline, labels, metrics=metrics, temperature=temperature,
                              channel=evaluation.channel(temperature),  # classes: np.unique(y), as classes_
                              table_sha256=dataset.table_sha256, detector=dict(dataset.sidecar.get("detector") or {})),
                       bundle_file(out, name))
    report_dir = report_folder(out)
    report.write_csv(report.per_class_table(y, evaluation.y_pred, labels), report_dir / f"{name}_per_class.csv")
    report.plot_confusion(y, evaluation.y_pred, labels, f"{name}: cross-validated", report_dir / f"{name}_confusion.png")
    per_group = breakdown.group_accuracy(y, evaluation.y_pred, groups, population)
    pairs = breakdown.confused_pairs(y, evaluation.y_pred)
    row = {"classifier": name, "input": entry.input, "n_samples": len(y), **metrics,
           "train_seconds": evaluation.train_seconds,
           "predict_ms_per_sample": predict_ms_per_sample(pipeline, X, 100 if entry.input == "landmarks" else 20),
           "model_bytes": path.stat().st_size, **breakdown.summary(per_group, pairs)}
    return row, per_group, pairs


def train(features, images=None, classifiers=None, folds=5, search=False, out=MODELS_DIR, scheduler=None):
    """Train and compare; returns the Markdown comparison. `scheduler` ("local" or an address) runs the
    --search fits on a Dask cluster."""
    started = time.monotonic()
    if scheduler is not None:
        if not search:
            raise UserError("--scheduler spreads the --search fits over a Dask cluster; add --search")
        require_distributed()
        check_scheduler(scheduler)
    names = parse_names(classifiers)
    dataset = load_dataset(features)
    note = left_out_note(dataset)
    if note:
        print(note)
    everything = dataset.all_images
    check_trainable(dataset.labels, folds)
    fold_of = assign_folds(everything["label"], everything["group"], folds)
    folder = image_folder(dataset, images)
    if folder is None and any(REGISTRY[n].input == "image" for n in names):
        if classifiers:
            raise UserError("image baselines need the image folder; pass it with --images")
        names = [n for n in names if REGISTRY[n].input == "landmarks"]
        print("note: no image folder found, so hog-svm and orb-bovw are skipped (pass --images)")
    sets = training_sets(dataset, folder, dict(zip(everything["path"], fold_of)))
    if search:
        for _, y, _, fold_numbers in sets.values():
            check_search_folds(y, fold_numbers)
    preamble = _preamble(dataset, folds, _command(features, images, classifiers, folds, search, out))

    def run(name):
        return name, *run_one(name, sets[REGISTRY[name].input], dataset, search, out,
                              backend="dask" if scheduler else None)

    with connect(scheduler) if scheduler else nullcontext():  # the search's fits go to the cluster's workers
        finished, text = train_each(names, run, lambda done: _write_report(done, out, preamble), out, features)
    return text + f"\ntrained {len(finished)} classifiers in {time.monotonic() - started:.1f} s; report in {report_folder(out)}"


def _write_report(finished, out, preamble):
    """The report of the classifiers finished so far: [(name, comparison row, per-group table, pairs)]."""
    appendix = report.write_breakdown({n: g for n, _, g, _ in finished}, {n: p for n, _, _, p in finished},
                                      report_folder(out))
    return report.write_comparison([row for _, row, _, _ in finished], report_folder(out), preamble, appendix)


def _preamble(dataset, folds, command):
    split = (f"{folds}-fold cross-validation grouped by signer (no signer in both train and test)"
             if dataset.has_groups else
             f"{folds}-fold stratified cross-validation WITHOUT signer groups: the same signer may be in "
             "train and test, so these figures are optimistic")
    n_total, n_rows = len(dataset.all_images), len(dataset.rows)
    return (f"# Classifier comparison\n\n- dataset: `{dataset.source}`: {n_total} images, {n_rows} with a "
            f"detected hand ({n_total - n_rows} counted as errors in end_to_end_accuracy)\n- split: {split}\n"
            f"- command: `{command}`\n- train_seconds: mean fit time of one fold; predict_ms_per_sample: "
            "one sample at a time, as in the live loop (image baselines include reading the image); "
            "calibration_error_raw and calibration_error: expected calibration error of the cross-validated "
            "probabilities (10 bins) before and after the temperature the model file keeps ("
            "landmark models, whose probabilities `live`'s spelling decoder reads; 0 = the confidence is "
            "how often it is right)\n")


def _command(features, images, classifiers, folds, search, out):
    parts = ["python cli.py train", str(features)]
    parts += [f"--images {images}"] if images else []
    parts += [f"--classifiers {classifiers}"] if classifiers else []
    parts += [f"--folds {folds}"] if folds != 5 else []
    parts += ["--search"] if search else []
    parts += [f"--out {out}"] if str(out) != MODELS_DIR else []
    return " ".join(parts)

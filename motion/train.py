"""`train` on a motion table: cross-validate the motion classifiers by signer, save bundles, report."""
import time
from pathlib import Path

import numpy as np
import pandas as pd

from classifiers import report
from classifiers.bundle import Bundle, bundle_file, file_sha256, save_bundle
from classifiers.dataset import check_trainable
from classifiers.evaluate import cross_validate, fit, predict_ms_per_sample
from classifiers.folds import assign_folds
from classifiers.models_folder import MODELS_DIR, MOTION, kind_folder, report_folder
from classifiers.selection import ranked
from classifiers.trainability import check_search_folds, model_for, train_each
from landmarks.errors import UserError
from landmarks.read_back import check_object, numeric, read_table
from landmarks.sidecar import checked_sidecar, read_sidecar, sidecar_path
from motion import features as mf
from motion.extract import failures_path
from motion.registry import REGISTRY, parse_names

KIND = MOTION.inputs[0]
# A label is a motion letter when at least this share of its clips hold a movement.
MOTION_SHARE = 0.8


def is_motion_table(path):
    return (read_sidecar(path) or {}).get("kind") == KIND


def load_motion_table(path):
    """(rows, failures, sidecar) of a table `extract-motion` wrote, each checked against what it writes."""
    path = Path(path)
    if not path.is_file() or not is_motion_table(path):
        raise UserError(f"motion table {path} not found; run `python cli.py extract-motion DATA_DIR --out {path}` first")
    fix = "re-run `python cli.py extract-motion` to rebuild it"
    sidecar = checked_sidecar(path, fix)
    check_object(sidecar, {}, sidecar_path(path), fix, required=["settings"])
    check_object(sidecar["settings"], {"steps": int, "shape_at": list, "detector": dict}, sidecar_path(path), fix,
                 required=["steps", "shape_at"])
    text = {"path": str, "label": str, "group": str, "moving": str}
    rows = numeric(read_table(path, [*text, *mf.feature_columns()], fix, text), mf.feature_columns(), path, fix)
    failed = failures_path(path)
    failures = (read_table(failed, ["path", "label", "group", "reason"], fix) if failed.exists()
                else pd.DataFrame(columns=["path", "label", "group", "reason"]))
    return rows, failures, sidecar


def motion_labels(rows):
    """Labels whose clips mostly move (J, Z, Й ...), as opposed to still or merely shifted static shapes."""
    share = rows.groupby("label")["moving"].apply(lambda m: np.mean(m.astype(str) == "True"))
    return sorted(label for label, value in share.items() if value >= MOTION_SHARE)


def train_motion(table, classifiers=None, folds=3, search=False, out=MODELS_DIR):
    """Train and compare the motion classifiers; returns the Markdown comparison."""
    started = time.monotonic()
    names = parse_names(classifiers)
    rows, failures, sidecar = load_motion_table(table)
    labels = rows["label"].to_numpy(str)
    check_trainable(labels, folds)
    moving = motion_labels(rows)
    if not moving:
        raise UserError(f"no label in {table} has moving clips; record motion letters as clips (collect) first")
    everything = pd.concat([rows[["path", "label", "group"]], failures[["path", "label", "group"]]], ignore_index=True)
    fold_of = dict(zip(everything["path"], assign_folds(everything["label"], everything["group"], folds)))
    X = rows[mf.feature_columns()].to_numpy(np.float32)
    groups = rows["group"].to_numpy(str)
    data = (X, labels, groups, np.array([fold_of[p] for p in rows["path"]]))
    settings = {**sidecar["settings"], "motion_labels": moving}
    if search:
        check_search_folds(labels, data[3])
    digest = file_sha256(table)
    results, text = train_each(
        names, lambda name: _run_one(name, data, search, out, len(everything), settings, digest),
        lambda done: _write_report(done, report_folder(out), table, len(everything), len(rows), moving, folds),
        out, table)
    return text + f"\ntrained {len(results)} motion classifiers in {time.monotonic() - started:.1f} s"


def _run_one(name, data, search, out, n_clips, settings, digest):
    entry = REGISTRY[name]
    X, y, groups, fold_of = data
    model = model_for(entry, fold_of, groups, search)
    evaluation = cross_validate(model, X, y, fold_of, groups, probabilities=True)
    final = fit(model, X, y, groups)
    pipeline = final.best_estimator_ if search else final
    metrics = {"accuracy": evaluation.accuracy, "end_to_end_accuracy": evaluation.end_to_end_accuracy(n_clips),
               "macro_f1": evaluation.macro_f1,
               # The motion recognizer reads raw probabilities (no temperature), so both figures are the raw one.
               "calibration_error_raw": evaluation.calibration_error(),
               "calibration_error": evaluation.calibration_error(),
               "folds": int(fold_of.max() + 1)}
    labels = [str(c) for c in pipeline.classes_]
    bundle = Bundle(name, KIND, pipeline, labels, normalization={"name": mf.NAME, "settings": settings},
                    metrics=metrics, table_sha256=digest, detector=settings.get("detector", {}))
    path = save_bundle(bundle, bundle_file(kind_folder(out, MOTION), name))
    report_dir = report_folder(out)
    report.write_csv(report.per_class_table(y, evaluation.y_pred, labels), report_dir / f"{name}_per_class.csv")
    report.plot_confusion(y, evaluation.y_pred, labels, f"{name}: cross-validated", report_dir / f"{name}_confusion.png")
    return {"classifier": name, "input": KIND, "n_samples": len(y), **metrics,
            "train_seconds": evaluation.train_seconds, "predict_ms_per_sample": predict_ms_per_sample(pipeline, X, 50),
            "model_bytes": path.stat().st_size}


def _write_report(results, report_dir, table, n_clips, n_rows, moving, folds):
    frame = pd.DataFrame(results, columns=report.COMPARISON_COLUMNS)
    frame = ranked(frame)
    report.write_csv(frame, report_dir / f"{MOTION.report}.csv")
    text = (f"# Motion classifier comparison\n\n- dataset: `{table}`: {n_clips} clips, {n_rows} with enough "
            f"frames with a hand\n- motion letters: {', '.join(moving)}\n- split: {folds}-fold cross-validation "
            "grouped by signer\n\n" + report.markdown_table(frame))
    report.write_text(text, report_dir / f"{MOTION.report}.md")
    return text


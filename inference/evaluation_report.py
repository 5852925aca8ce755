"""`evaluate`'s report: the comparison of models on new photos, per class, per signer, confusion, as CSV/MD/PNG."""
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from classifiers import report
from classifiers.selection import ranked
from inference.apply import HAND
from inference.evaluate_folder import SUMMARY_COLUMNS, model_files, read_folder, score_models
from landmarks.errors import Interrupted
from landmarks.files import check_writable_folder, write_text
from landmarks.preflight import check_workers


def write_model_files(scored, photos, out):
    """<name>_predictions.csv, _per_class.csv, _per_signer.csv (with groups) and _confusion.png."""
    classified = scored.known & (scored.found == HAND)
    y_true, y_pred = photos.labels[classified], scored.predicted[classified]
    seen = set(y_true) | set(y_pred)
    labels = [label for label in scored.bundle.labels if label in seen]  # the folder's labels, not all the model's
    report.write_csv(scored.predictions(photos), out / f"{scored.name}_predictions.csv")
    per_class = report.per_class_table(y_true, y_pred, labels)
    report.write_csv(per_class, out / f"{scored.name}_per_class.csv")
    if not labels:  # nothing classified (no hand in any photo): the summary says so, no matrix to draw
        return per_class
    with warnings.catch_warnings():  # a folder of one label is fine: its matrix is 1 x 1
        warnings.filterwarnings("ignore", message="A single label was found", category=UserWarning)
        report.plot_confusion(y_true, y_pred, labels, f"{scored.name} on {photos.root.name}",
                              out / f"{scored.name}_confusion.png")
    return per_class


def per_signer_table(scored, photos, out):
    """Each model's per-signer CSV, and one table: signer, images, end-to-end accuracy per model."""
    columns = []
    for s in scored:
        signers = s.per_signer(photos)
        report.write_csv(signers, out / f"{s.name}_per_signer.csv")
        columns.append(signers.set_index("group")["end_to_end_accuracy"].rename(s.name))
    counts = scored[0].per_signer(photos).set_index("group")["n_images"]
    return pd.concat([counts, *columns], axis=1).reset_index()


def unknown_labels(scored, photos):
    """{label: (images, [models that do not know it])} for the folder's labels some model does not know."""
    unknown = {}
    for s in scored:
        for label in np.unique(photos.labels[~s.known]):
            unknown.setdefault(label, (int(np.sum(photos.labels == label)), []))[1].append(s.name)
    return unknown


def markdown(table, photos, command, unknown, per_class, signers):
    n_signers = len(set(photos.groups) - {""})
    lines = [f"# Evaluation on `{photos.root}`\n",
             f"- {len(photos.paths)} images, {len(set(photos.labels))} labels"
             + (f", {n_signers} signer groups" if n_signers else ", signers unknown"),
             f"- command: `{command}`",
             "- accuracy: on images with a detected hand (image models: every readable image); "
             "end_to_end_accuracy counts images without one as errors; macro_f1 on the former",
             ]
    if unknown:
        lines.append("- labels a model does not know (not scored for it): " + "; ".join(
            f"{label} ({count} images; {', '.join(models)})" for label, (count, models) in unknown.items()))
    text = "\n".join(lines) + "\n\n" + report.markdown_table(table)
    if signers is not None:
        text += "\n## End-to-end accuracy per signer\n\n" + report.markdown_table(signers)
    for name, classes in per_class.items():
        text += f"\n## {name}: per class\n\n" + report.markdown_table(classes)
    return text


def evaluate(options):
    """Score the models EvaluateOptions `options` name on its labelled folder, write the report to its
    out folder; returns the Markdown."""
    check_writable_folder(options.out)
    workers = check_workers(options.workers)
    files = model_files(options.models, options.all_models)
    photos = read_folder(options.data_dir, options.groups)
    try:
        scored = score_models(files, photos, options.hand_model, workers)
    except KeyboardInterrupt:
        raise Interrupted("no report was written (it needs every photo scored); run evaluate again") from None
    out = Path(options.out)
    try:
        per_class = {s.name: write_model_files(s, photos, out) for s in scored}
        table = ranked(pd.DataFrame([s.summary(photos) for s in scored], columns=SUMMARY_COLUMNS))
        signers = per_signer_table(scored, photos, out) if (photos.groups != "").any() else None
        report.write_csv(table, out / "evaluation.csv")
        text = markdown(table, photos, options.command(), unknown_labels(scored, photos), per_class, signers)
        write_text(text, out / "evaluation.md")
    except KeyboardInterrupt:
        raise Interrupted(f"the report in {out} is incomplete; run evaluate again") from None
    return text

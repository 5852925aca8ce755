"""`predict`: label image files with a trained model; one result per image to CSV, JSON lines or a table."""
import json
from pathlib import Path

import numpy as np
import pandas as pd

from inference.apply import HAND, apply_model, detect_for_model
from classifiers.bundle import load_bundle
from classifiers.model_path import resolve_model
from classifiers.models_folder import LANDMARK
from landmarks.errors import Interrupted, UserError
from landmarks.files import atomic_path, check_writable_file, write_csv
from landmarks.images import looks_like_image, shown, walk_files
from landmarks.preflight import check_workers

COLUMNS = ["path", "label", "confidence", "top1", "p1", "top2", "p2", "top3", "p3", "state"]
# How a results file this command wrote begins (JSON lines, CSV): any other file there is not replaced.
_START = {False: b'{"path": ', True: ",".join(COLUMNS[:3]).encode()}


def image_files(paths):
    """Image files given directly or found in folders (recursively), in the order given, folders sorted.

    In a folder, every file named or starting like an image gets a result, and so does what cannot be
    read (a pipe, a link that leads nowhere, a name that is not UTF-8, shown escaped): unreadable."""
    found = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            problems = []
            files = [str(p) for p in walk_files(path, path, problems, "", set()) if looks_like_image(p)]
            found += sorted(files + [str(path / where) for where, _, reason, _ in problems if reason != "hidden"])
        elif path.is_file():
            found.append(str(path))  # named on purpose: a non-image is reported as unreadable
        else:
            raise UserError(f"{path} does not exist; pass image files or folders of images")
    if not found:
        raise UserError(f"no image files in {', '.join(map(str, paths))}")
    return list(dict.fromkeys(found))


def results_table(applied, min_confidence):
    """One row per image: COLUMNS. `label` is the model's prediction; `state` is `unsure` where the
    probability of that label is below `min_confidence`, `no_hand` or `unreadable` where there is none."""
    labels = np.asarray(applied.labels, dtype=object)
    column_of = {label: index for index, label in enumerate(applied.labels)}
    rows = []
    for path, found, label, probabilities in zip(applied.paths, applied.found, applied.predicted,
                                                 applied.probabilities):
        row = dict.fromkeys(COLUMNS, "")
        row.update(path=path, state=found)
        if found == HAND:
            order = np.argsort(-probabilities, kind="stable")[:3]
            confidence = float(probabilities[column_of[label]])
            row.update(label=label, confidence=round(confidence, 6),
                       state="label" if confidence >= min_confidence else "unsure")
            for rank, index in enumerate(order, start=1):
                row.update({f"top{rank}": labels[index], f"p{rank}": round(float(probabilities[index]), 6)})
        rows.append(row)
    return pd.DataFrame(rows, columns=COLUMNS)


def write_results(table, output):
    """CSV for .csv, JSON lines for .jsonl/.json (top 3 as [[label, p], ...]), atomically."""
    suffix = Path(output).suffix.lower()
    if suffix == ".csv":
        write_csv(table, output)
        return
    with atomic_path(output) as temp, open(temp, "w", encoding="utf-8") as handle:
        for row in table.to_dict("records"):
            record = {"path": row["path"], "label": row["label"], "state": row["state"],
                      "confidence": row["confidence"] if row["label"] != "" else None,
                      "top3": [[row[f"top{r}"], row[f"p{r}"]] for r in (1, 2, 3) if row[f"top{r}"] != ""]}
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")


def labelled(bundle, files, detections, min_confidence):
    table = results_table(apply_model(bundle, ".", files, detections), min_confidence)
    table["path"] = table["path"].map(shown)
    return table


def save_finished(bundle, files, detections, min_confidence, output):
    """After Ctrl-C: write the images detected so far to `output`; returns what was kept, truthfully."""
    done = [f for f in files if f in (detections or {})]
    if output is None or not done:
        return "no results were written" + ("" if output else " (without --output they are only printed at the end)")
    write_results(labelled(bundle, done, detections, min_confidence), output)
    if len(done) == len(files):
        return f"all {len(files)} images were labelled and saved to {output}"
    return f"the {len(done)} of {len(files)} images labelled so far were saved to {output}"


def predict(options):
    """Label every image PredictOptions `options` name; write its output file (or return the table as
    text); returns (table, text)."""
    output, min_confidence = options.output, options.min_confidence
    if output is not None:
        check_writable_file(output, "--output", starts_with=_START[Path(output).suffix.lower() == ".csv"])
    workers = check_workers(options.workers)
    files = image_files(options.paths)
    bundle = load_bundle(resolve_model(options.model, LANDMARK))
    detections = {} if bundle.input == "landmarks" else None
    try:
        if detections is not None:
            detect_for_model(bundle, ".", files, options.hand_model, workers, found=detections)
        table = labelled(bundle, files, detections, min_confidence)
    except KeyboardInterrupt:
        raise Interrupted(save_finished(bundle, files, detections, min_confidence, output)) from None
    if output is not None:
        write_results(table, output)
    counts = table["state"].value_counts()
    summary = (f"predict: {len(table)} images with {bundle.name}: " +
               ", ".join(f"{counts.get(s, 0)} {s}" for s in ("label", "unsure", "no_hand", "unreadable")) +
               (f" -> {output}" if output else ""))
    text = summary if output else table.to_string(index=False) + "\n" + summary
    return table, text

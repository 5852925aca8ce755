"""Which saved model a command uses: `--model FILE|DIR`, one meaning everywhere (predict, evaluate, live,
export, live's motion model), and the best model of a kind in a models folder."""
from pathlib import Path

from classifiers.bundle import SUFFIX, BundleError, bundle_file
from classifiers.models_folder import LANDMARK, MODELS_DIR, kind_folder, ranking_file
from classifiers.selection import ranked
from landmarks.read_back import numeric, read_table

RANKED_NUMBERS = ["end_to_end_accuracy", "accuracy", "predict_ms_per_sample"]


def best_model(models_dir, kind):
    """The saved model of `kind` that train's table ranks first (`classifiers.selection.ranked`: best
    cross-validated end-to-end accuracy, ties to the faster), or None when `models_dir` has none."""
    table_file = ranking_file(models_dir, kind)
    if not table_file.is_file():
        return None
    fix = f"retrain with `python cli.py train --out {models_dir}`, which rewrites it"
    table = numeric(read_table(table_file, ["classifier", "input", "end_to_end_accuracy"], fix), RANKED_NUMBERS,
                    table_file, fix, allow_empty=True)
    folder = kind_folder(models_dir, kind)
    table = table[table["input"].isin(kind.inputs)]
    table = table[[bundle_file(folder, name).is_file() for name in table["classifier"]]]
    return None if table.empty else bundle_file(folder, ranked(table).iloc[0]["classifier"])


def resolve_model(given=None, kind=LANDMARK):
    """The model file `--model given` names: a FILE is that model; a DIR is the best saved model of
    `kind` in it (`best_model`); None is the default models folder."""
    folder = Path(MODELS_DIR if given is None else given)
    if folder.is_file():
        return folder
    if given is not None and not folder.is_dir():
        raise BundleError(f"model {folder} not found; pass a model file or a models folder "
                          "(`python cli.py train --out DIR` writes one)")
    best = best_model(folder, kind)
    if best is None:
        raise BundleError(f"no {kind.name} model in {folder}; {kind.fix}")
    return best


def every_model(models_dir):
    """Every static model file in `models_dir` (not its motion/ subfolder), sorted by name."""
    folder = Path(models_dir)
    files = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix == SUFFIX) if folder.is_dir() else []
    if not files:
        raise BundleError(f"no model files in {folder}; run `python cli.py train --out {folder}` first")
    return files

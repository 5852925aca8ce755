"""The models folder `train` writes: its default and its layout (light: the CLI reads it for --help).

DIR/<name>.skops are the static models (landmark or image input), DIR/motion/<name>.skops the motion
models (apart, so that DIR's own files are the static ones), DIR/report/comparison.csv and
motion_comparison.csv train's tables, which the ranking rule reads (classifiers/model_path.py).
"""
from dataclasses import dataclass
from pathlib import Path

MODELS_DIR = "data/models"  # the default models folder, of `train --out` and of every --model
REPORT_DIR = "report"


@dataclass(frozen=True)
class ModelKind:
    """Which saved models a command can use."""

    name: str  # in messages
    inputs: tuple  # Bundle.input values
    subdir: str  # where `train` saves them inside the models folder
    report: str  # train's comparison table in DIR/report/, without .csv
    fix: str  # how to get one


TRAIN = "run `python cli.py train` first"
LANDMARK = ModelKind("landmark", ("landmarks",), "", "comparison", TRAIN)
STATIC = ModelKind("static", ("landmarks", "image"), "", "comparison", TRAIN)
MOTION = ModelKind("motion", ("motion",), "motion", "motion_comparison",
                   "train one with `python cli.py train MOTION_TABLE` (a table from `extract-motion`) "
                   "or pass a model file")


def kind_folder(models_dir, kind):
    """Where `train` saves models of `kind` in `models_dir`."""
    return Path(models_dir) / kind.subdir


def report_folder(models_dir):
    return Path(models_dir) / REPORT_DIR


def ranking_file(models_dir, kind):
    """Train's comparison table of the models of `kind` in `models_dir`."""
    return report_folder(models_dir) / f"{kind.report}.csv"

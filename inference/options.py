"""What `predict`, `evaluate` and `export` are asked to do: frozen options, checked when built (at the CLI
edge), one default each; `live` shares the confidence threshold."""
from dataclasses import dataclass
from pathlib import Path

from landmarks.errors import UserError

# Below this smoothed probability a label is called unsure (predict and live).
MIN_CONFIDENCE = 0.6
PREDICT_SUFFIXES = (".csv", ".jsonl", ".json")
EXPORT_FORMATS = ("onnx",)


def check_probability(value, flag="--min-confidence"):
    if not 0.0 <= value <= 1.0:
        raise UserError(f"{flag} is a probability; pass a value from 0 to 1, not {value}")


@dataclass(frozen=True)
class PredictOptions:
    paths: tuple  # image files or folders (searched recursively)
    model: str | None = None  # FILE, or DIR for its best landmark model; None: the models folder
    output: str | None = None  # .csv or .jsonl; None: a table on stdout
    min_confidence: float = MIN_CONFIDENCE
    workers: int | None = None  # detection processes; None: all cores
    hand_model: str | None = None  # full, lite or a .task file; None: as the model was trained

    def __post_init__(self):
        if not self.paths:
            raise UserError("name the images to label: image files or folders")
        if self.output is not None and Path(self.output).suffix.lower() not in PREDICT_SUFFIXES:
            raise UserError(f"--output {self.output}: name a .csv or .jsonl file")
        check_probability(self.min_confidence)


@dataclass(frozen=True)
class EvaluateOptions:
    data_dir: str  # DATA_DIR/<label>/<image>
    models: tuple = ()  # FILEs and DIRs (each its best landmark model); empty: the models folder
    all_models: bool = False  # every model in each DIR instead of its best
    groups: str | None = None  # CSV path,group; None: DATA_DIR/groups.csv when present
    out: str = "data/evaluation"  # the report folder
    workers: int | None = None
    hand_model: str | None = None

    def command(self):
        """The command line that gives this report, for the report itself."""
        return " ".join(["python cli.py evaluate", str(self.data_dir), *(f"--model {m}" for m in self.models),
                         *(["--all"] if self.all_models else []),
                         *([f"--groups {self.groups}"] if self.groups else []), f"--out {self.out}",
                         *([f"--hand-model {self.hand_model}"] if self.hand_model else [])])


@dataclass(frozen=True)
class ExportOptions:
    out: str  # the file to write
    model: str | None = None  # FILE, or DIR for its best landmark model; None: the models folder
    format: str = "onnx"

    def __post_init__(self):
        if self.format not in EXPORT_FORMATS:
            raise UserError(f"unknown export format {self.format!r}; use --format {' or '.join(EXPORT_FORMATS)}")

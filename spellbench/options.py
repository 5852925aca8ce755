"""bench-spelling's settings: one frozen dataclass, checked once where the command line builds it."""
from dataclasses import dataclass
from pathlib import Path

from landmarks.errors import UserError
from spellbench.signers import check_classifier
from spellbench.video import BASE_FPS
from spellbench.wordlists import DEFAULT_NAMES, DEFAULT_WORDS

DEFAULT_OUT = "data/bench-spelling"
# logreg: the best end-to-end accuracy on unseen Massey signers (README's ranking: logreg 0.835, rf 0.819,
# svm 0.800), fits in seconds per held-out signer, and its probabilities come from a log-loss fit, which
# is what the decoder adds up over frames.
DEFAULT_CLASSIFIER = "logreg"


def parse_numbers(text, option, kind=float):
    """"1.5,3,5" -> (1.5, 3.0, 5.0); each above 0, each once."""
    try:
        values = tuple(dict.fromkeys(kind(part) for part in str(text).split(",") if part.strip()))
    except ValueError:
        raise UserError(f"{option} takes a comma list of numbers, such as 1.5,3,5; not {text!r}") from None
    if not values or min(values) <= 0:
        raise UserError(f"{option} takes numbers above 0, not {text!r}")
    return values


@dataclass(frozen=True)
class BenchOptions:
    photos_dir: Path
    out: Path = Path(DEFAULT_OUT)
    groups: Path = None  # default: PHOTOS_DIR/groups.csv
    words: Path = DEFAULT_WORDS
    names: Path = DEFAULT_NAMES  # () or None: no names
    lexicon: str = "en"  # decoded without a word list and with this one ("none": without only)
    speeds: tuple = (1.5, 3.0, 5.0)  # letters per second
    fps: tuple = (30, 15)
    classifier: str = DEFAULT_CLASSIFIER
    all_labels: bool = False  # train on every label folder, not only those that spell a letter
    signers: tuple = None  # hold out only these (default: each signer in turn)
    leave_out: tuple = ()  # label folders not trained on (letters that move: live's motion model spells them)
    hand_model: str = None
    workers: int = None  # extraction processes
    seed: int = 0

    def __post_init__(self):
        if not Path(self.photos_dir).is_dir():
            raise UserError(f"photo folder {self.photos_dir} not found; pass a folder with one subfolder per label")
        for fps in self.fps:
            step = BASE_FPS / fps
            if fps > BASE_FPS or abs(step - round(step)) > 1e-9:
                raise UserError(f"--fps {fps:g}: the videos are made at {BASE_FPS:g} fps and thinned by dropping "
                                f"frames, so pass rates that divide {BASE_FPS:g} (30, 15, 10, 6, 5, ...)")
        if any(speed > 15 for speed in self.speeds):
            raise UserError("--letters-per-second above 15 leaves less than two frames per letter at 30 fps")
        check_classifier(self.classifier)

    def command(self):
        """The command line that reruns this benchmark."""
        parts = ["python cli.py bench-spelling", str(self.photos_dir), f"--lexicon {self.lexicon}",
                 f"--letters-per-second {','.join(f'{s:g}' for s in self.speeds)}",
                 f"--fps {','.join(f'{f:g}' for f in self.fps)}", f"--classifier {self.classifier}",
                 f"--words {self.words}", f"--names {self.names or 'none'}", f"--out {self.out}"]
        parts += [f"--groups {self.groups}"] if self.groups else []
        parts += [f"--signers {','.join(self.signers)}"] if self.signers else []
        parts += ["--all-labels"] if self.all_labels else []
        parts += [f"--leave-out {','.join(self.leave_out)}"] if self.leave_out else []
        parts += [f"--hand-model {self.hand_model}"] if self.hand_model else []
        return " ".join(parts)

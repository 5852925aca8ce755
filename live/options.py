"""What `live` is asked to do: frozen options, checked when built (at the CLI edge), one default each."""
from dataclasses import dataclass

from inference.options import MIN_CONFIDENCE, check_probability
from landmarks.errors import UserError


@dataclass(frozen=True)
class LiveOptions:
    model: str | None = None  # FILE, or DIR for the best landmark model in it; None: the models folder
    source: str = "0"  # camera index, video file or image folder
    headless: bool = False
    output: str | None = None  # JSON lines, one per frame
    min_confidence: float = MIN_CONFIDENCE
    smooth: int = 5  # frames to average probabilities over
    hold: int = 10  # frames a label must hold to be spelled
    space_after: int = 20  # frames without a hand that spell a space
    motion_model: str | None = None  # FILE or DIR; None: beside the static model, if any
    no_motion: bool = False  # static letters only
    hand_model: str | None = None  # full, lite or a .task file; None: as the model was trained

    def __post_init__(self):
        if self.smooth < 1 or self.hold < 1 or self.space_after < 1:
            raise UserError("--smooth, --hold and --space-after count frames; each must be at least 1")
        check_probability(self.min_confidence)

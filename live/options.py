"""What `live` is asked to do: frozen options, checked when built (at the CLI edge), one default each."""
from dataclasses import dataclass

from inference.options import MIN_CONFIDENCE, check_probability
from landmarks.errors import UserError
from landmarks.option_ranges import check_source
from spelling.options import DecoderOptions


@dataclass(frozen=True)
class LiveOptions:
    model: str | None = None  # FILE, or DIR for the best landmark model in it; None: the models folder
    source: str = "0"  # camera index, video file or image folder
    headless: bool = False
    output: str | None = None  # JSON lines, one per frame
    min_confidence: float = MIN_CONFIDENCE
    letter_ms: float = DecoderOptions.letter_ms  # the decoder's, in milliseconds (spelling.decoder)
    word_gap_ms: float = DecoderOptions.word_gap_ms
    lexicon: str = "none"  # en, ru, kk, a word FILE or none
    motion_model: str | None = None  # FILE or DIR; None: beside the static model, if any
    no_motion: bool = False  # static letters only
    hand_model: str | None = None  # full, lite or a .task file; None: as the model was trained

    def __post_init__(self):
        if not (self.letter_ms > 0 and self.word_gap_ms > 0):
            raise UserError(f"--letter-ms and --word-gap-ms are milliseconds; each must be above 0, "
                            f"not {self.letter_ms} and {self.word_gap_ms}")
        check_probability(self.min_confidence)
        check_source(self.source)

    def decoder_options(self):
        """The spelling decoder's settings: live's flags over the decoder's defaults."""
        return DecoderOptions(letter_ms=self.letter_ms, word_gap_ms=self.word_gap_ms)

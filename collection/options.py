"""What `collect` is asked to do: frozen options, checked when built (at the CLI edge), one default each."""
from dataclasses import dataclass

from landmarks.errors import UserError
from landmarks.option_ranges import check_range, check_source

MIN_CLIP_FRAMES = 8  # fewer cannot show a movement to the motion features
MAX_CLIP_FRAMES = 900  # 30 s at 30 fps


@dataclass(frozen=True)
class CollectOptions:
    alphabet: str | None = None  # a shipped alphabet's name or a FILE.txt
    labels: str | None = None  # comma list; `J~` marks a motion label
    source: str = "0"  # camera index, video file or image folder
    count: int = 30  # frames with a hand to save per label
    out: str = "data/collected"
    signer: str = "signer1"  # recorded in DIR/groups.csv
    skip: int = 4  # frames to skip at least between two saved frames (no near-duplicates)
    countdown: int = 90  # frames of countdown before each label, never saved (3 s at 30 fps)
    clips: int = 5  # clips per motion label
    clip_frames: int = 45  # frames per clip (1.5 s at 30 fps)
    headless: bool = False
    hand_model: str | None = None  # full (None), lite or a .task file

    def __post_init__(self):
        if self.count < 1:
            raise UserError(f"--count {self.count} saves nothing; pass 1 or more frames per label")
        if self.skip < 0 or self.countdown < 0:
            raise UserError("--skip and --countdown count frames; pass 0 or more")
        if self.clips < 1 or self.clip_frames < MIN_CLIP_FRAMES:
            raise UserError(f"--clips must be at least 1 and --clip-frames at least {MIN_CLIP_FRAMES} frames "
                            "(45 is about 1.5 s)")
        check_range("--count", self.count, 1, 10_000, "frames")
        check_range("--skip", self.skip, 0, 1_000, "frames")
        check_range("--countdown", self.countdown, 0, 10_000, "frames")
        check_range("--clips", self.clips, 1, 1_000)
        check_range("--clip-frames", self.clip_frames, MIN_CLIP_FRAMES, MAX_CLIP_FRAMES,
                    "frames (a clip is held in memory)")
        check_source(self.source)

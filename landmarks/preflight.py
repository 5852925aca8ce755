"""Checks `extract` makes before any work starts: each bad argument is one sentence, nothing started."""
import os

from landmarks.detect import HandDetector
from landmarks.errors import UserError
from landmarks.hand_models import MODELS


def check_workers(workers):
    """--workers as a process count: 1 to the number of cores (more is capped, with a note)."""
    cores = os.cpu_count() or 1
    if workers is None:
        return cores
    if workers < 1:
        raise UserError(f"--workers {workers} starts no process; pass 1 to {cores} (this machine's cores)")
    if workers > cores:
        print(f"note: --workers {workers} is more than the {cores} cores here; using {cores}")
        return cores
    return workers


def check_hand_model_opens(hand_model):
    """Load a `.task` file given by path once, here: a worker that cannot would fail only later."""
    if hand_model is None or str(hand_model) in MODELS:
        return  # shipped, and checked against its SHA-256
    try:
        HandDetector(hand_model=hand_model).close()
    except Exception as error:  # noqa: BLE001 -- MediaPipe's native loader raises several kinds
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise UserError(f"MediaPipe cannot load hand model {hand_model} ({reason}); pass a working "
                        "hand landmarker .task file") from None


def check_max_pixels(max_pixels):
    if max_pixels is not None and max_pixels <= 0:
        raise UserError(f"--max-megapixels must be more than 0, not {max_pixels / 1e6:g}")

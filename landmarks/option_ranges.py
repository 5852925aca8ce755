"""Numeric options against sane ranges, checked where the options are built, before any work starts:
a huge count would otherwise allocate or loop without bound, NaN would switch a limit off, a negative
seed would end in numpy's traceback."""
import math
from pathlib import Path

from landmarks.errors import UserError

MAX_SEED = 2**32 - 1  # numpy's SeedSequence takes any non-negative int; this keeps seeds portable
MAX_FOLDS = 100  # cross-validation folds: each trains every classifier once
MAX_CAMERA = 999  # OpenCV's camera indices are small (backends add their own offsets in the hundreds)


def check_range(flag, value, low, high, unit=""):
    """`value` when it is a finite number from `low` to `high`; a UserError naming `flag` otherwise."""
    if not (isinstance(value, (int, float)) and math.isfinite(value) and low <= value <= high):
        raise UserError(f"{flag} {value} is out of range; pass {low:g} to {high:g}{f' {unit}' if unit else ''}")
    return value


def is_camera(spec):
    """A camera index: ASCII digits only (str.isdigit also takes ² and other digits int() refuses)."""
    return spec.isascii() and spec.isdigit()


def check_source(spec):
    """A camera index in range, or something that exists (a file or folder is checked when opened)."""
    spec = str(spec)
    if is_camera(spec):
        check_range("--source", int(spec), 0, MAX_CAMERA, "(a camera index), or pass a video file or image folder")
    elif not Path(spec).exists():
        raise UserError(f"source {spec} is not a camera index, a video file or an image folder")

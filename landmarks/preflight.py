"""Checks `extract` makes before any work starts: each bad argument is one sentence, nothing started."""
import os

from landmarks.errors import UserError
from landmarks.option_ranges import check_range


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


MAX_MEGAPIXELS = 1000  # beyond, one image could take more memory than a machine has (12 GB as float RGB)


def check_max_pixels(max_pixels):
    if max_pixels is not None and max_pixels <= 0:
        raise UserError(f"--max-megapixels must be more than 0, not {max_pixels / 1e6:g}")
    if max_pixels is not None:
        check_range("--max-megapixels", max_pixels / 1e6, 0, MAX_MEGAPIXELS)

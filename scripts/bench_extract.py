"""Print extraction speed with 1 worker and with all cores, and how fast an unchanged re-run is.

    python scripts/bench_extract.py [DATA_DIR]     (default: the shared digits, else data/samples)
"""
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from landmarks.extract import extract  # noqa: E402

SHARED = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "sign-language-digits" / "images"


def main():
    data_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else (SHARED if SHARED.is_dir() else Path("data/samples"))
    cores = os.cpu_count() or 1
    print(f"dataset: {data_dir}; cores: {cores}")
    with tempfile.TemporaryDirectory() as scratch:
        for workers in sorted({1, cores}):
            out = Path(scratch) / f"w{workers}.csv"
            summary = extract(data_dir, out, workers=workers)
            rate = summary.seen / summary.seconds
            print(f"workers={workers}: {summary.seen} images, {summary.rows} rows in {summary.seconds:.1f} s "
                  f"= {rate:.1f} images/s")
        started = time.monotonic()
        extract(data_dir, out, workers=cores)
        rerun = time.monotonic() - started
        print(f"unchanged re-run: {rerun:.2f} s = 1/{summary.seconds / rerun:.0f} of the first run")


if __name__ == "__main__":
    main()

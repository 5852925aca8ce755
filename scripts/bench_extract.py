"""Print extraction speed with 1 worker and with all cores, and how fast an unchanged re-run is.

    python scripts/bench_extract.py [DATA_DIR]     (default: the shared digits, else data/samples)
"""
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from classifiers.bench import scaling_lines, time_extraction  # noqa: E402
from landmarks.extract import extract  # noqa: E402

SHARED = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "sign-language-digits" / "images"


def main():
    data_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else (SHARED if SHARED.is_dir() else Path("data/samples"))
    print(f"dataset: {data_dir}; cores: {os.cpu_count()}")
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "features.csv"
        runs = time_extraction(data_dir, out, None)  # from scratch: 1 worker, then all cores into `out`
        print("\n".join(scaling_lines(runs)))
        started = time.monotonic()
        extract(data_dir, out)
        rerun, first = time.monotonic() - started, runs[-1][1].seconds
        print(f"unchanged re-run: {rerun:.2f} s = 1/{first / rerun:.0f} of the first run")


if __name__ == "__main__":
    main()

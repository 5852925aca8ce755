"""kill -9 an `extract` run mid-way, run it again, and compare with an uninterrupted run; print the figures.

    python scripts/kill_extract.py [DATA_DIR] [--after SECONDS] [--groups FILE] [--workers N]

DATA_DIR defaults to the shared digits (else data/samples); --after defaults to 10 s after start.
"""
import argparse
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from landmarks.journal import committed_count  # noqa: E402

SHARED = REPO.parent / "shared" / "datasets" / "sign-language-digits" / "images"


def extract_command(data_dir, out, args):
    command = [sys.executable, "cli.py", "extract", str(data_dir), "--out", str(out)]
    command += ["--groups", args.groups] if args.groups else []
    command += ["--workers", str(args.workers)] if args.workers else []
    return command


def summary(command):
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=True)
    return done.stdout.strip().splitlines()[-1]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", nargs="?", default=str(SHARED if SHARED.is_dir() else REPO / "data" / "samples"))
    parser.add_argument("--after", type=float, default=10.0, help="seconds from start to the kill")
    parser.add_argument("--groups", default=None)
    parser.add_argument("--workers", type=int, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        whole, killed = Path(scratch) / "whole.csv", Path(scratch) / "killed.csv"
        print(f"uninterrupted: {summary(extract_command(args.data_dir, whole, args))}")
        process = subprocess.Popen(extract_command(args.data_dir, killed, args), cwd=REPO,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(args.after)
        process.send_signal(signal.SIGKILL)
        process.wait()
        print(f"killed with SIGKILL {args.after:g} s after start: {committed_count(killed)} images in the journal")
        print(f"re-run: {summary(extract_command(args.data_dir, killed, args))}")
        same = all(a.read_bytes() == b.read_bytes() for a, b in
                   [(whole, killed), (whole.with_name("whole.failures.csv"), killed.with_name("killed.failures.csv"))])
        print(f"final table and failures file {'identical to' if same else 'DIFFERENT from'} the uninterrupted run's")


if __name__ == "__main__":
    main()

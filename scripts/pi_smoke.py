"""A short end-to-end run for slow or emulated machines (a Raspberry Pi, qemu): extract, train, live.

    python scripts/pi_smoke.py [--hand-model full|lite] [--work DIR]

1. `extract` on 20 shipped photos (data/samples: two signers x ten digits), one worker;
2. `train` an SVM on them (2 folds, one signer each);
3. `live --headless` on a 30-frame 640x480 video made from a third signer's photos (digits 1, 2, 3,
   each held 10 frames).
Each step runs through `cli.main` as `python cli.py ...` would; the time of each is printed. Exits
with the first step's non-zero code (1: the one-line message of a user error, e.g. the CPU check),
or 1 when a step's output is not what it should be. Uses only this repository and its requirements.
"""
import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import cli  # noqa: E402
from classifiers.bundle import bundle_file  # noqa: E402
from tests.live.live_helpers import copy_signers, photo_of, to_frame, write_video  # noqa: E402

TRAIN_SIGNERS = ("signer000", "signer014")
VIDEO_SIGNER, VIDEO_DIGITS, HOLD = "signer029", (1, 2, 3), 10


def timed(name, argv):
    """cli.main(argv) with its wall time printed; returns its exit code."""
    print(f"pi_smoke: {name}: python cli.py {' '.join(argv)}", flush=True)
    start = time.perf_counter()
    code = cli.main(argv)
    print(f"pi_smoke: {name}: exit {code} in {time.perf_counter() - start:.1f} s", flush=True)
    return code


def make_video(path):
    frames = [to_frame(photo_of(VIDEO_SIGNER, digit)) for digit in VIDEO_DIGITS for _ in range(HOLD)]
    return write_video(frames, path)


def check_outputs(work):
    """Problems with the steps' outputs (empty when all is well)."""
    problems = []
    rows = (work / "features.csv").read_text(encoding="utf-8").count("\n") - 1
    if rows < 18:
        problems.append(f"extract wrote {rows} rows for 20 photos")
    frames = [json.loads(line) for line in (work / "run.jsonl").read_text(encoding="utf-8").splitlines()]
    hands = sum(bool(frame["hand"]) for frame in frames)
    print(f"pi_smoke: {rows} feature rows; live: {len(frames)} frames, {hands} with a hand, "
          f"labels {sorted({f['label'] for f in frames if f['label']})}", flush=True)
    if len(frames) != HOLD * len(VIDEO_DIGITS) or hands < len(frames) // 2:
        problems.append(f"live saw {hands} hands in {len(frames)} frames")
    return problems


def run(work, hand_model):
    photos = copy_signers(work / "photos", set(TRAIN_SIGNERS))
    video = make_video(work / "video.avi")
    steps = [
        ("extract", ["extract", str(photos), "--out", str(work / "features.csv"), "--workers", "1",
                     "--hand-model", hand_model]),
        ("train", ["train", str(work / "features.csv"), "--classifiers", "svm", "--folds", "2",
                   "--out", str(work / "models")]),
        ("live", ["live", "--headless", "--source", str(video), "--model", str(bundle_file(work / "models", "svm")),
                  "--output", str(work / "run.jsonl"), "--hand-model", hand_model]),
    ]
    for name, argv in steps:
        code = timed(name, argv)
        if code != 0:
            return code
    problems = check_outputs(work)
    for problem in problems:
        print(f"pi_smoke: FAILED: {problem}", file=sys.stderr)
    return 1 if problems else 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hand-model", default="full", choices=("full", "lite"))
    parser.add_argument("--work", default=None, help="folder for the outputs (default: a temporary one)")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    if args.work:
        Path(args.work).mkdir(parents=True, exist_ok=True)
        code = run(Path(args.work), args.hand_model)
    else:
        with tempfile.TemporaryDirectory(prefix="pi_smoke_") as work:
            code = run(Path(work), args.hand_model)
    print(f"pi_smoke: {'passed' if code == 0 else f'exit {code}'} in {time.perf_counter() - start:.1f} s", flush=True)
    return code


if __name__ == "__main__":
    sys.exit(main())

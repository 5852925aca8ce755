"""Per-frame detect time of the old backend (`mp.solutions`, mediapipe 0.10.21) on bench_live's video.

A comparison for README, not part of the product: mediapipe 0.10.21 has wheels for Python 3.9-3.12 on
x86_64 only, so it runs in a venv of its own:

    python3 -m venv /tmp/mp21 && /tmp/mp21/bin/pip install mediapipe==0.10.21 "numpy<2"
    python scripts/bench_live.py --model data/models/logreg.skops --save-video /tmp/bench.avi
    taskset -c 0 /tmp/mp21/bin/python scripts/bench_old_mediapipe.py /tmp/bench.avi

Tracking mode with one hand and the same quarter-side padding as `landmarks/detect.py`.
"""
import sys
import time

import cv2
import mediapipe as mp
import numpy as np


def read_frames(path):
    capture, frames = cv2.VideoCapture(str(path)), []
    while True:
        ok, frame = capture.read()
        if not ok:
            return frames
        frames.append(cv2.cvtColor(frame, cv2.COLOR_BGR2RGB))


def main(argv=None):
    frames = read_frames((argv or sys.argv[1:])[0])
    for complexity, name in ((1, "full"), (0, "lite")):
        hands = mp.solutions.hands.Hands(static_image_mode=False, max_num_hands=1, model_complexity=complexity)
        times = []
        for frame in frames:
            pad = int(round(0.25 * max(frame.shape[:2])))
            padded = cv2.copyMakeBorder(frame, pad, pad, pad, pad, cv2.BORDER_CONSTANT)
            started = time.perf_counter()
            hands.process(padded)
            times.append(time.perf_counter() - started)
        hands.close()
        print(f"mp.solutions {mp.__version__} {name}: detect median {np.median(times) * 1000:.2f} ms "
              f"over {len(frames)} frames")
    return 0


if __name__ == "__main__":
    sys.exit(main())

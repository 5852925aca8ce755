"""Per-frame cost of motion recognition in the `live` loop (a benchmark, not a test).

    python scripts/bench_motion_live.py MODEL MOTION_MODEL VIDEO

Runs the live pipeline (detect, normalize, predict, smooth, spell) over VIDEO twice, pinned to one
core: with the plain Speller and with the MotionSpeller (the spotter's speed check on every frame,
the motion classifier when a movement ends). Prints the whole-frame times of both runs, what the
motion step costs per frame (median, and the frames that ran the classifier), and the per-frame cost
ratio: (mean frame without motion + mean motion step) / mean frame without motion (target: under
1.1). The step is timed inside the run, so the ratio does not depend on two runs' detection noise.
"""
import argparse
import os
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from landmarks.detect import HandDetector  # noqa: E402
from live.app import load_landmark_model  # noqa: E402
from live.loop import Recognizer, fast_predictions  # noqa: E402
from live.smoothing import Speller  # noqa: E402
from live.sources import FrameSource  # noqa: E402
from live.motion_letters import MotionSpeller  # noqa: E402
from motion.recognize import MotionRecognizer, load_motion_model  # noqa: E402


def run(video, model, speller):
    """Per-frame total ms (detection included) and per-frame motion ms, plus the spelled text."""
    totals, motion = [], []
    with FrameSource(video) as source, HandDetector(video=source.tracking) as detector:
        recognizer = Recognizer(model, detector)
        with fast_predictions():
            for frame in source:
                if frame.rgb is None:
                    continue
                result = recognizer.process(frame)
                speller.observe(result, frame)
                speller.update(result.state, result.label)
                totals.append(result.latency_ms)
                motion.append(result.timings.get("motion", 0.0))
    return np.array(totals), np.array(motion), speller.text


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model")
    parser.add_argument("motion_model")
    parser.add_argument("video")
    parser.add_argument("--all-cores", action="store_true")
    args = parser.parse_args(argv)
    if not args.all_cores and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    _, model = load_landmark_model(args.model)
    motion_model = load_motion_model(args.motion_model)
    run(args.video, model, Speller(10, 20))  # warm-up: file cache, model load
    plain, _, text_plain = run(args.video, model, Speller(10, 20))
    speller = MotionSpeller(10, 20, MotionRecognizer(motion_model))
    with_motion, motion, text = run(args.video, model, speller)
    classified = motion > 1.0
    ratio = (plain.mean() + motion.mean()) / plain.mean()
    print(f"{len(plain)} frames; text without motion {text_plain!r}, with motion {text!r}")
    print(f"whole frame without motion: median {np.median(plain):.2f} ms, mean {plain.mean():.2f} ms")
    print(f"whole frame with motion:    median {np.median(with_motion):.2f} ms, mean {with_motion.mean():.2f} ms")
    print(f"motion step: median {np.median(motion):.3f} ms per frame; {classified.sum()} frames ran the classifier "
          f"(median {np.median(motion[classified]) if classified.any() else 0:.2f} ms there)")
    print(f"per-frame cost with motion / without: {ratio:.3f} (target < 1.1: {'ok' if ratio < 1.1 else 'MISSED'}); "
          f"two separate runs' mean frames: {with_motion.mean() / plain.mean():.3f} (detection noise included)")
    return 0 if ratio < 1.1 else 1


if __name__ == "__main__":
    sys.exit(main())

"""Per-stage latency of the `live` loop on 640x480 frames (a benchmark, not a test).

    python scripts/bench_live.py [--model FILE] [--frames 300] [--all-cores] [--hand-models full,lite] [--turn 10]

Without --model it uses the best model in data/models, or trains an SVM on data/samples in a temp
folder. The frames are a 640x480 MJPG video made from the sample photos (each held 30 frames, with
blank frames in between), decoded and tracked exactly as `live --source VIDEO` does. The process is
pinned to one core unless --all-cores is given. Each hand model (default: full and lite, the
low-power setting) runs over the same video in the same process, each with its own decoder and
tracker; they take turns every --turn frames, so a shared machine that slows down or speeds up during
the run slows both alike. Targets: median whole frame <= 33.3 ms (30 fps), normalization + prediction
< 5% of landmark detection, lite <= 0.7 x full.
"""
import argparse
import os
import sys
import tempfile
from contextlib import ExitStack
from itertools import islice
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from landmarks.detect import HandDetector  # noqa: E402
from live.app import load_landmark_model  # noqa: E402
from live.loop import STAGES, Recognizer, StageTimes, fast_predictions  # noqa: E402
from live.sources import FrameSource  # noqa: E402
from tests.live.live_helpers import BLANK, photo_of, sample_groups, to_frame, train_without, write_video  # noqa: E402


def bench_video(path, frames, hold=30, gap=10):
    """A video of `frames` frames cycling through one signer's ten sample photos."""
    signer = sorted(set(sample_groups().values()))[0]
    cycle = []
    for digit in range(10):
        cycle += [to_frame(photo_of(signer, digit))] * hold + [BLANK] * gap
    return write_video([cycle[i % len(cycle)] for i in range(frames)], path)


def pick_model(model, scratch):
    if model:
        return model
    default = REPO / "data" / "models"
    if (default / "report" / "comparison.csv").is_file():
        return None  # load_landmark_model picks the best one there
    print("no trained model in data/models: training an SVM on data/samples (a few seconds)")
    return train_without(scratch, excluded=set()) / "svm.skops"


def run(video, model_path, models_dir, hand_model):
    """One hand model over the video -> path of the classifier, StageTimes."""
    path, times = run_in_turns(video, model_path, models_dir, [hand_model], turn=100)
    return path, times[hand_model]


def run_in_turns(video, model_path, models_dir, hand_models, turn):
    """Several hand models over the video, `turn` frames each in turn -> path, {hand model: StageTimes}."""
    path, model = load_landmark_model(model_path or models_dir)
    times = {hand_model: StageTimes() for hand_model in hand_models}
    with ExitStack() as stack:
        lanes = {}
        for hand_model in hand_models:
            source = stack.enter_context(FrameSource(video))
            detector = stack.enter_context(HandDetector(hand_model=hand_model, video=source.tracking))
            lanes[hand_model] = (iter(source), Recognizer(model, detector))
        with fast_predictions():
            while lanes:
                for hand_model, (frames, recognizer) in list(lanes.items()):
                    taken = list(islice(frames, turn))
                    for frame in taken:
                        if frame.rgb is not None:
                            times[hand_model].add(recognizer.process(frame))
                    if len(taken) < turn:
                        del lanes[hand_model]
    return path, times


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=None)
    parser.add_argument("--frames", type=int, default=300)
    parser.add_argument("--all-cores", action="store_true", help="do not pin the process to one core")
    parser.add_argument("--save-video", default=None, help="also keep the benchmark video here (for scripts/bench_old_mediapipe.py)")
    parser.add_argument("--hand-models", default="full,lite", help="comma list of hand models to time (default: %(default)s)")
    parser.add_argument("--turn", type=int, default=10, help="frames each hand model takes before the next one's turn")
    args = parser.parse_args(argv)
    if not args.all_cores and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    hand_models = list(dict.fromkeys(name.strip() for name in args.hand_models.split(",") if name.strip()))
    if args.turn < 1 or not hand_models:
        parser.error("--turn must be at least 1 frame and --hand-models name at least one model")
    with tempfile.TemporaryDirectory() as scratch:
        video = bench_video(Path(args.save_video or Path(scratch) / "bench.avi"), args.frames)
        model = pick_model(args.model, scratch)
        path, results = run_in_turns(video, model, REPO / "data" / "models", hand_models, args.turn)
    ok = True
    for hand_model, times in results.items():
        ok &= report(hand_model, path, times, cores, alone=len(results) == 1)
    if {"full", "lite"} <= set(results):
        ratio = results["lite"].percentiles("total")[0] / results["full"].percentiles("total")[0]
        print(f"lite / full whole frame: {ratio:.2f} (target <= 0.7: {'ok' if ratio <= 0.7 else 'MISSED'})")
        ok &= ratio <= 0.7
    return 0 if ok else 1


def report(hand_model, path, times, cores, alone):
    print(f"\nhand model {hand_model}; classifier {path}; {times.frames} frames of 640x480, "
          f"{times.with_hand} with a hand; {cores} core(s)")
    print(f"{'stage':<10}{'median ms':>10}{'p95 ms':>10}")
    for stage in (*STAGES, "total"):
        median, p95 = times.percentiles(stage)
        print(f"{stage:<10}{median:>10.3f}{p95:>10.3f}")
    total = times.percentiles("total")[0]
    detect = times.percentiles("detect")[0]
    share = (times.percentiles("features")[0] + times.percentiles("predict")[0]) / detect
    print(f"whole frame: median {total:.1f} ms = {1000 / total:.1f} fps possible "
          f"(target >= 30: {'ok' if 1000 / total >= 30 else 'MISSED'})")
    print(f"features + predict: {share:.1%} of detection (target < 5%: {'ok' if share < 0.05 else 'MISSED'})")
    if alone:  # with models taking turns, the wall clock also counts the others' frames
        print(f"measured throughput {times.fps():.1f} fps")
    return 1000 / total >= 30 and share < 0.05


if __name__ == "__main__":
    sys.exit(main())

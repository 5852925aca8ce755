"""Per-stage latency of the `live` loop (a benchmark, not a test); one entry point for its three comparisons.

    python scripts/bench_live.py [--model FILE] [--frames 300] [--all-cores] [--hand-models full,lite] [--turn 10]
    python scripts/bench_live.py --onnx [--model FILE]
    python scripts/bench_live.py --motion-model FILE --video FILE [--model FILE]

Without --model it uses the best model in data/models, or trains an SVM on data/samples in a temp
folder. The frames are a 640x480 MJPG video made from the sample photos (each held 30 frames, with
blank frames in between), decoded and tracked exactly as `live --source VIDEO` does. The process is
pinned to one core unless --all-cores is given.

Hand models (the default): each hand model (default: full and lite, the low-power setting) runs over the
same video in the same process, each with its own decoder and tracker; they take turns every --turn
frames, so a shared machine that slows down or speeds up during the run slows both alike. Targets:
median whole frame <= 33.3 ms (30 fps), normalization + prediction < 5% of landmark detection,
lite <= 0.7 x full.

--onnx: the model exported to ONNX and run by docs/examples/onnx_example.py (MediaPipe + onnxruntime,
the normalization inside the graph) next to `live`'s scikit-learn path, on the same video with the hand
model it was trained with; prints the median ms per frame of detection and of normalize + classify.

--motion-model: VIDEO through the loop twice, without and with motion letters (the
spotter's speed check on every frame, the motion classifier when a movement ends). Prints both runs'
whole-frame times, the motion step's cost per frame, and the per-frame cost ratio (mean frame without
motion + mean motion step) / mean frame without motion (target: under 1.1). The step is timed inside
the run, so the ratio does not depend on two runs' detection noise.
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile
from contextlib import ExitStack
from itertools import islice
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from inference.export_onnx import export  # noqa: E402
from inference.options import ExportOptions  # noqa: E402
from landmarks.detect import HandDetector  # noqa: E402
from landmarks.detector_settings import detector_for  # noqa: E402
from live.app import load_landmark_model  # noqa: E402
from live.loop import STAGES, Recognizer, StageTimes, fast_predictions  # noqa: E402
from live.motion_letters import MotionLetters  # noqa: E402
from live.sources import FrameSource  # noqa: E402
from live.spell import steps  # noqa: E402
from motion.recognize import MotionRecognizer, load_motion_model  # noqa: E402
from spelling.decoder import SpellingDecoder  # noqa: E402
from tests.live.live_helpers import BLANK, photo_of, sample_groups, to_frame, train_without, write_video  # noqa: E402

MODELS = REPO / "data" / "models"
ONNX_EXAMPLE = REPO / "docs" / "examples" / "onnx_example.py"
ONNX_SUMMARY = re.compile(r"(\d+) frames, (\d+) with a hand; median ms per frame: detect ([\d.]+), onnx model ([\d.]+)")


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
    if (MODELS / "report" / "comparison.csv").is_file():
        return None  # load_landmark_model picks the best one there
    print("no trained model in data/models: training an SVM on data/samples (a few seconds)")
    return train_without(scratch, excluded=set()) / "svm.skops"


def run_in_turns(video, model_path, hand_models, turn):
    """Several hand models over the video, `turn` frames each in turn -> path, {hand model: StageTimes}."""
    path, model = load_landmark_model(model_path or MODELS)
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


def hand_models_bench(hand_models, turn, video, model, cores):
    path, results = run_in_turns(video, model, hand_models, turn)
    ok = True
    for hand_model, times in results.items():
        ok &= report(hand_model, path, times, cores, alone=len(results) == 1)
    if {"full", "lite"} <= set(results):
        ratio = results["lite"].percentiles("total")[0] / results["full"].percentiles("total")[0]
        print(f"lite / full whole frame: {ratio:.2f} (target <= 0.7: {'ok' if ratio <= 0.7 else 'MISSED'})")
        ok &= ratio <= 0.7
    return ok


def onnx_bench(video, model, scratch):
    _, bundle = load_landmark_model(model or MODELS)
    hand_model = detector_for(bundle.detector or {})[0]  # as trained, as the example does
    path, times = run_in_turns(video, model, [hand_model], turn=100)
    times = times[hand_model]
    export(ExportOptions(out=str(Path(scratch) / "model.onnx"), model=str(path)))
    done = subprocess.run([sys.executable, str(ONNX_EXAMPLE), str(Path(scratch) / "model.onnx"), str(video)],
                          capture_output=True, text=True, check=True)  # inherits the pinned core
    frames, hands, detect, classify = ONNX_SUMMARY.search(done.stdout.splitlines()[-1]).groups()
    features, predict = times.percentiles("features")[0], times.percentiles("predict")[0]
    print(f"model {path}; {times.frames} frames of 640x480 ({times.with_hand} with a hand in live, "
          f"{hands} in the example)")
    print(f"{'path':<40}{'detect ms':>10}{'classify ms':>13}")
    print(f"{'scikit-learn (live: normalize+predict)':<40}{times.percentiles('detect')[0]:>10.2f}"
          f"{features + predict:>13.3f}")
    print(f"{'ONNX (docs/examples/onnx_example.py)':<40}{float(detect):>10.2f}{float(classify):>13.3f}")
    return True


def spell_run(video, model, motion=None):
    """Per-frame total ms (detection included) and per-frame motion ms, plus the spelled text."""
    totals, motion_ms = [], []
    decoder = SpellingDecoder(model.labels, channel=model.channel)
    if motion is not None:
        decoder.add_labels(motion.labels)
    with FrameSource(video) as source, HandDetector(video=source.tracking) as detector:
        with fast_predictions():
            for step in steps(source, Recognizer(model, detector), decoder, motion):
                if step.frame.rgb is None:
                    continue
                totals.append(step.result.latency_ms)
                motion_ms.append(step.result.timings.get("motion", 0.0))
    return np.array(totals), np.array(motion_ms), decoder.finish().text


def motion_bench(video, model_path, motion_model_path):
    _, model = load_landmark_model(model_path or MODELS)
    motion_model = load_motion_model(motion_model_path)
    spell_run(video, model)  # warm-up: file cache, model load
    plain, _, text_plain = spell_run(video, model)
    with_motion, motion, text = spell_run(video, model, MotionLetters(MotionRecognizer(motion_model)))
    classified = motion > 1.0
    ratio = (plain.mean() + motion.mean()) / plain.mean()
    print(f"{len(plain)} frames; text without motion {text_plain!r}, with motion {text!r}")
    print(f"whole frame without motion: median {np.median(plain):.2f} ms, mean {plain.mean():.2f} ms")
    print(f"whole frame with motion:    median {np.median(with_motion):.2f} ms, mean {with_motion.mean():.2f} ms")
    print(f"motion step: median {np.median(motion):.3f} ms per frame; {classified.sum()} frames ran the classifier "
          f"(median {np.median(motion[classified]) if classified.any() else 0:.2f} ms there)")
    print(f"per-frame cost with motion / without: {ratio:.3f} (target < 1.1: {'ok' if ratio < 1.1 else 'MISSED'}); "
          f"two separate runs' mean frames: {with_motion.mean() / plain.mean():.3f} (detection noise included)")
    return ratio < 1.1


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=None)
    parser.add_argument("--frames", type=int, default=300)
    parser.add_argument("--all-cores", action="store_true", help="do not pin the process to one core")
    parser.add_argument("--hand-models", default="full,lite", help="comma list of hand models to time (default: %(default)s)")
    parser.add_argument("--turn", type=int, default=10, help="frames each hand model takes before the next one's turn")
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--onnx", action="store_true", help="the exported ONNX model next to live's scikit-learn path")
    which.add_argument("--motion-model", default=None, help="the cost of motion letters per frame (needs --video)")
    parser.add_argument("--video", default=None, help="with --motion-model: the video to spell (e.g. make-clips --word-video)")
    args = parser.parse_args(argv)
    hand_models = list(dict.fromkeys(name.strip() for name in args.hand_models.split(",") if name.strip()))
    if args.turn < 1 or not hand_models:
        parser.error("--turn must be at least 1 frame and --hand-models name at least one model")
    if bool(args.motion_model) != bool(args.video):
        parser.error("--motion-model and --video go together")
    if not args.all_cores and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    with tempfile.TemporaryDirectory() as scratch:
        model = pick_model(args.model, scratch)
        if args.motion_model:
            ok = motion_bench(args.video, model, args.motion_model)
        else:
            video = bench_video(Path(scratch) / "bench.avi", args.frames)
            ok = (onnx_bench(video, model, scratch) if args.onnx
                  else hand_models_bench(hand_models, args.turn, video, model, cores))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

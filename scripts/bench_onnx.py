"""Per-frame time of the exported ONNX model (scripts/onnx_example.py) next to the scikit-learn path of `live`.

    python scripts/bench_onnx.py [--model FILE] [--frames 300] [--all-cores]

The same 640x480 video as scripts/bench_live.py, the same model (default: the best in data/models,
else an SVM trained on data/samples): once through `live`'s loop (normalize with numpy, predict with
scikit-learn), once through scripts/onnx_example.py (MediaPipe + onnxruntime, normalization inside
the graph). Pinned to one core unless --all-cores. Prints the median ms per frame of each stage.
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from inference.export_onnx import export  # noqa: E402
from inference.options import ExportOptions  # noqa: E402
from landmarks.detector_settings import detector_for  # noqa: E402
from live.app import load_landmark_model  # noqa: E402
from scripts.bench_live import bench_video, pick_model, run  # noqa: E402

SUMMARY = re.compile(r"(\d+) frames, (\d+) with a hand; median ms per frame: detect ([\d.]+), onnx model ([\d.]+)")


def onnx_times(onnx_path, video):
    """(frames, with a hand, detect ms, onnx ms) from the example script's last line."""
    done = subprocess.run([sys.executable, str(REPO / "scripts" / "onnx_example.py"), str(onnx_path), str(video)],
                          capture_output=True, text=True, check=True)
    frames, hands, detect, model = SUMMARY.search(done.stdout.splitlines()[-1]).groups()
    return int(frames), int(hands), float(detect), float(model)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=None)
    parser.add_argument("--frames", type=int, default=300)
    parser.add_argument("--all-cores", action="store_true", help="do not pin the processes to one core")
    args = parser.parse_args(argv)
    if not args.all_cores and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # the example's subprocess inherits it
    with tempfile.TemporaryDirectory() as scratch:
        video = bench_video(Path(scratch) / "bench.avi", args.frames)
        model = pick_model(args.model, scratch)
        _, bundle = load_landmark_model(model or REPO / "data" / "models")
        hand_model = detector_for(bundle.detector or {})[0]  # as trained, as the example script does
        path, times = run(video, model, REPO / "data" / "models", hand_model)
        export(ExportOptions(out=str(Path(scratch) / "model.onnx"), model=str(path)))
        frames, hands, detect, model = onnx_times(Path(scratch) / "model.onnx", video)
    features, predict = times.percentiles("features")[0], times.percentiles("predict")[0]
    print(f"model {path}; {times.frames} frames of 640x480 ({times.with_hand} with a hand in live, "
          f"{hands} in the example)")
    print(f"{'path':<40}{'detect ms':>10}{'classify ms':>13}")
    print(f"{'scikit-learn (live: normalize+predict)':<40}{times.percentiles('detect')[0]:>10.2f}"
          f"{features + predict:>13.3f}")
    print(f"{'ONNX (scripts/onnx_example.py)':<40}{detect:>10.2f}{model:>13.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The README's pictures, rebuilt from the shipped samples (a few minutes on one core).

    python scripts/make_figures.py [--out docs/images] [--signer SIGNER] [--digit 7]

1. `python cli.py extract` and `python cli.py train` on data/samples into a scratch folder (the quick
   start's job, with every classifier), then `train`'s accuracy-against-latency plot is copied to
   OUT/accuracy_vs_latency.png.
2. A 640x480 video of one sample signer showing the digits 0-9 (each photo held 30 frames, blank frames
   between) goes through `live`'s loop (detector, recognizer, speller) with the model `train` ranked
   first; the frame in the middle of --digit's hold is drawn with `live`'s overlay (live/render.py) and
   saved as OUT/live.png. The fps shown is the loop's median over the frames so far.
"""
import argparse
import shutil
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import cv2  # noqa: E402

import cli  # noqa: E402
from landmarks.detect import HandDetector  # noqa: E402
from live.app import load_landmark_model  # noqa: E402
from live.loop import Recognizer, StageTimes, fast_predictions  # noqa: E402
from live.render import Overlay  # noqa: E402
from live.sources import FrameSource  # noqa: E402
from live.spell import steps  # noqa: E402
from spelling.decoder import SpellingDecoder  # noqa: E402
from tests.live.live_helpers import BLANK, photo_of, sample_groups, to_frame, write_video  # noqa: E402

HOLD, GAP = 30, 10  # frames per photo, blank frames after it


def train_on_samples(scratch):
    """The quick start's job in `scratch` -> the models folder."""
    table, models = scratch / "features.csv", scratch / "models"
    for argv in (["extract", str(REPO / "data" / "samples"), "--out", str(table), "--workers", "1"],
                 ["train", str(table), "--out", str(models)]):
        if cli.main(argv) != 0:
            raise SystemExit(f"python cli.py {' '.join(argv)} failed")
    return models


def live_frame(models, video, wanted):
    """(rgb, result, text, word, fps) of frame `wanted` of `video`, run through `live`'s loop."""
    _, model = load_landmark_model(models)
    times = StageTimes()
    with FrameSource(str(video)) as source, HandDetector(video=source.tracking) as detector, fast_predictions():
        for step in steps(source, Recognizer(model, detector), SpellingDecoder(model.labels, channel=model.channel), times=times):
            if step.frame.index == wanted:
                fps = 1000.0 / times.percentiles("total")[0]
                return step.frame.rgb, step.result, step.spelled.text, step.spelled.word, fps
    raise SystemExit(f"the video ended before frame {wanted}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(REPO / "docs" / "images"))
    parser.add_argument("--signer", default=None, help="sample signer to film (default: the first)")
    parser.add_argument("--digit", type=int, default=7, help="the digit being signed in the screenshot")
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    signer = args.signer or sorted(set(sample_groups().values()))[0]
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        models = train_on_samples(scratch)
        shutil.copyfile(models / "report" / "accuracy_vs_latency.png", out / "accuracy_vs_latency.png")
        frames = []
        for digit in range(10):
            frames += [to_frame(photo_of(signer, digit))] * HOLD + [BLANK] * GAP
        video = write_video(frames, scratch / "digits.avi")
        rgb, result, text, word, fps = live_frame(models, video, args.digit * (HOLD + GAP) + HOLD * 2 // 3)
    shot = Overlay().draw(rgb.copy(), result, text, fps, word)
    cv2.imwrite(str(out / "live.png"), cv2.cvtColor(shot, cv2.COLOR_RGB2BGR))
    print(f"wrote {out / 'accuracy_vs_latency.png'} and {out / 'live.png'} "
          f"(signer {signer}, shown {result.label!r} at {result.confidence or 0:.0%}, text {text!r})")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""docs/examples/onnx_example.py, the app side of `export`: real photos in a video, MediaPipe and ONNX, no scikit-learn."""
import subprocess
import sys
from collections import Counter

import pytest

import cli
from classifiers.bundle import bundle_file
from tests.conftest import REPO
from tests.live.live_helpers import BLANK, photo_of, to_frame, write_video

SIGNER = "signer000"  # one of the signers the held-out fixture trained on
DIGITS = (2, 5, 7)
HOLD = 6
RUN = ("import runpy, sys; sys.argv = sys.argv[1:]\n"
       "try:\n    runpy.run_path(sys.argv[0], run_name='__main__')\n"
       "finally:\n    print('sklearn imported:', 'sklearn' in sys.modules)")


@pytest.fixture(scope="module")
def example_run(held_out, tmp_path_factory):
    folder = tmp_path_factory.mktemp("onnx_example")
    assert cli.main(["export", "--model", str(bundle_file(held_out.models, "logreg")), "--out", str(folder / "m.onnx")]) == 0
    frames = [BLANK] * 3
    for digit in DIGITS:
        frames += [to_frame(photo_of(SIGNER, digit))] * HOLD
    video = write_video(frames, folder / "digits.avi")
    done = subprocess.run([sys.executable, "-c", RUN, str(REPO / "docs" / "examples" / "onnx_example.py"),
                           str(folder / "m.onnx"), str(video)], capture_output=True, text=True, cwd=folder, timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


def test_runs_without_scikit_learn(example_run):
    assert example_run[-1] == "sklearn imported: False"


def test_every_frame_is_answered_and_timed(example_run):
    frames = [line for line in example_run if line.startswith("frame ")]
    assert len(frames) == 3 + HOLD * len(DIGITS)
    assert example_run[-2].startswith(f"onnx_example: {len(frames)} frames, ")
    assert "median ms per frame: detect " in example_run[-2]


def test_each_shown_digit_is_recognized(example_run):
    frames = [line.split(": ", 1)[1].split()[0] for line in example_run if line.startswith("frame ")]
    assert frames[:3] == ["no", "no", "no"]  # "no hand" on the blank frames
    for index, digit in enumerate(DIGITS):
        shown = frames[3 + index * HOLD: 3 + (index + 1) * HOLD]
        assert Counter(shown).most_common(1)[0][0] == str(digit), shown

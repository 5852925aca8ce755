"""MediaPipe's C++ log lines stay off the terminal unless --verbose."""
import subprocess
import sys

import pytest

from tests.conftest import REPO

NATIVE_LOG_MARKS = ("W0000", "XNNPACK", "absl::InitializeLog", "InitGoogle")


@pytest.mark.parametrize("verbose", [False, True], ids=["quiet", "verbose"])
def test_native_log_lines_only_with_verbose(tmp_path, verbose):
    data = tmp_path / "data"
    one = data / "3"
    one.mkdir(parents=True)
    for photo in sorted((REPO / "data" / "samples" / "3").iterdir())[:2]:
        (one / photo.name).write_bytes(photo.read_bytes())
    command = [sys.executable, "cli.py", *(["--verbose"] if verbose else []), "extract", str(data),
               "--out", str(tmp_path / "f.csv"), "--workers", "2"]  # worker processes too
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    output = done.stdout + done.stderr
    shown = [mark for mark in NATIVE_LOG_MARKS if mark in output]
    assert bool(shown) == verbose, output
    assert "Exception ignored" not in output  # an unclosed HandLandmarker's __del__ at exit

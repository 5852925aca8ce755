"""The output checks of scripts/pi_smoke.py (the run itself is `python scripts/pi_smoke.py`)."""
import json

import pytest

from scripts.pi_smoke import HOLD, VIDEO_DIGITS, check_outputs

FRAMES = HOLD * len(VIDEO_DIGITS)


def write_outputs(work, rows, frames, hands):
    (work / "features.csv").write_text("path,label\n" + "x.jpg,1\n" * rows, encoding="utf-8")
    lines = [{"frame": i, "hand": i < hands, "label": "1" if i < hands else None} for i in range(frames)]
    (work / "run.jsonl").write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")


@pytest.mark.parametrize("rows, frames, hands, problem", [
    (20, FRAMES, FRAMES, None),
    (17, FRAMES, FRAMES, "extract wrote 17 rows for 20 photos"),
    (20, FRAMES, 3, f"live saw 3 hands in {FRAMES} frames"),
    (20, FRAMES - 1, FRAMES - 1, f"live saw {FRAMES - 1} hands in {FRAMES - 1} frames"),
], ids=["ok", "few-rows", "few-hands", "lost-frame"])
def test_check_outputs_names_what_went_wrong(tmp_path, rows, frames, hands, problem):
    write_outputs(tmp_path, rows, frames, hands)
    assert check_outputs(tmp_path) == ([problem] if problem else [])

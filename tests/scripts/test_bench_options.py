"""The benchmarks' modes are checked before any work (the runs themselves are benchmarks, not tests)."""
import pytest

from scripts import bench_extract, bench_live


@pytest.mark.parametrize("argv, message", [
    (["--motion-model", "m.skops"], "--motion-model and --video go together"),
    (["--video", "v.avi"], "--motion-model and --video go together"),
    (["--onnx", "--motion-model", "m.skops", "--video", "v.avi"], "not allowed with argument"),
    (["--turn", "0"], "--turn must be at least 1 frame"),
    (["--hand-models", " , "], "--hand-models name at least one model"),
], ids=["motion-without-video", "video-without-motion", "onnx-and-motion", "turn-zero", "no-hand-model"])
def test_bench_live_refuses_a_mode_it_cannot_run(argv, message, capsys):
    with pytest.raises(SystemExit) as stopped:
        bench_live.main(argv)
    assert stopped.value.code == 2 and message in capsys.readouterr().err


def test_bench_extract_runs_one_measurement_at_a_time(capsys):
    with pytest.raises(SystemExit) as stopped:
        bench_extract.main(["--cluster", "--kill-after", "5"])
    assert stopped.value.code == 2 and "not allowed with argument" in capsys.readouterr().err

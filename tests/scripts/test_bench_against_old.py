"""How scripts/bench_against_old.py reads the two bench_live outputs (the run itself is a benchmark)."""
import pytest

from scripts.bench_against_old import main, medians

NEW = """
hand model full; classifier data/models/logreg.skops; 300 frames of 640x480, 230 with a hand; 1 core(s)
stage      median ms    p95 ms
decode         0.828     1.256
detect        13.837    17.572
total         14.844    18.664
whole frame: median 14.8 ms = 67.4 fps possible (target >= 30: ok)

hand model lite; classifier data/models/logreg.skops; 300 frames of 640x480, 230 with a hand; 1 core(s)
detect         9.598    18.127
total         10.864    18.901
lite / full whole frame: 0.73 (target <= 0.7: MISSED)
"""
OLD = """model data/models/svm.joblib; 300 frames of 640x480, 230 with a hand; 1 core(s)
detect        12.415    17.996
total         14.087    19.384
"""


def test_new_output_is_read_per_hand_model():
    assert medians(NEW) == {"full": {"decode": 0.828, "detect": 13.837, "total": 14.844},
                            "lite": {"detect": 9.598, "total": 10.864}}


@pytest.mark.parametrize("output", [OLD, NEW], ids=["old-names-no-model", "later-commit-names-models"])
def test_old_output_goes_under_one_name_whatever_it_prints(output):
    found = medians(output, only_name="old full")
    assert list(found) == ["old full"] and found["old full"]["detect"] in (12.415, 9.598)


def test_a_missing_old_checkout_is_one_line_before_any_run(tmp_path, capsys):
    with pytest.raises(SystemExit) as stopped:
        main(["--old-checkout", str(tmp_path), "--old-python", str(tmp_path / "python")])
    assert stopped.value.code == 2 and "--old-checkout needs scripts/bench_live.py" in capsys.readouterr().err

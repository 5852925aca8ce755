"""The argument building and table of scripts/check_requirements.py (pip itself is not called)."""
import pytest

from scripts.check_requirements import (PLATFORMS, Check, Outcome, chosen_versions, default_checks, failure_reason,
                                        linux_tags, main, pip_args, table)

CONFLICT = """Collecting numpy==1.25.2 (from -r conf.txt (line 2))
INFO: pip is looking at multiple versions of pandas to determine which version is compatible.

The conflict is caused by:
    The user requested numpy==1.25.2
    pandas 3.0.6 depends on numpy>=1.26.0; python_version < "3.14"

To fix this you could try to:
ERROR: ResolutionImpossible: for help visit https://pip.pypa.io/
"""
MISSING = """ERROR: Could not find a version that satisfies the requirement mediapipe==0.10.18 (from versions: 1.2.2)
ERROR: No matching distribution found for mediapipe==0.10.18
"""


def values_after(args, flag):
    return [args[i + 1] for i, arg in enumerate(args) if arg == flag]


def test_pip_args_resolve_for_the_target_without_installing(tmp_path):
    args = pip_args(Check("req.txt", "3.13", "linux-aarch64"), tmp_path / "t", tmp_path / "r.json")
    assert {"--dry-run", "--only-binary=:all:", "--ignore-installed"} <= set(args)
    assert values_after(args, "--python-version") == ["3.13"]
    assert values_after(args, "--abi") == ["cp313", "abi3", "none"]
    assert values_after(args, "--implementation") == ["cp"]
    assert values_after(args, "--target") == [str(tmp_path / "t")]
    assert values_after(args, "--report") == [str(tmp_path / "r.json")]
    assert "manylinux_2_28_aarch64" in values_after(args, "--platform")
    assert args[-2:] == ["-r", "req.txt"]


@pytest.mark.parametrize("platform, tag", [
    ("linux-x86_64", "manylinux_2_17_x86_64"), ("linux-x86_64", "manylinux_2_36_x86_64"),
    ("macos-arm64", "macosx_11_0_arm64"), ("macos-arm64", "macosx_15_0_arm64"), ("windows-x86_64", "win_amd64"),
], ids=["linux-oldest", "linux-bookworm", "macos-11", "macos-15", "windows"])
def test_each_platform_passes_its_tags(platform, tag):
    assert tag in PLATFORMS[platform]
    assert all(t.endswith(("aarch64", "x86_64", "arm64", "amd64")) for t in PLATFORMS[platform])


def test_linux_tags_span_glibc_versions():
    assert linux_tags("aarch64", glibc_max=18) == ("manylinux_2_17_aarch64", "manylinux_2_18_aarch64",
                                                   "manylinux2014_aarch64")


def test_default_checks_are_16_pairs_and_the_pi4_file_on_aarch64():
    checks = default_checks()
    main_pairs = {(c.python, c.platform) for c in checks if c.requirements.endswith("/requirements.txt")}
    pi4 = [(c.python, c.platform) for c in checks if c.requirements.endswith("requirements-pi4.txt")]
    assert len(main_pairs) == 16
    assert pi4 == [("3.11", "linux-aarch64"), ("3.12", "linux-aarch64")]


@pytest.mark.parametrize("output, reason", [
    (MISSING, "no wheel for mediapipe==0.10.18"),
    (CONFLICT, 'conflict: The user requested numpy==1.25.2; pandas 3.0.6 depends on numpy>=1.26.0; '
               'python_version < "3.14"'),
    ("ERROR: Invalid requirement: 'numpy=='\n", "Invalid requirement: 'numpy=='"),
    ("", "pip failed"),
], ids=["missing-wheel", "conflict", "other-error", "no-output"])
def test_failure_reason_names_the_package(output, reason):
    assert failure_reason(output) == reason


def test_chosen_versions_from_pip_report():
    report = {"install": [{"metadata": {"name": "numpy", "version": "1.26.4"}},
                          {"metadata": {"name": "MediaPipe", "version": "0.10.18"}},
                          {"metadata": {"name": "tqdm", "version": "4.70.1"}}]}
    assert chosen_versions(report) == "mediapipe 0.10.18, numpy 1.26.4, 3 wheels"


def test_table_marks_pass_and_failure_in_order():
    outcomes = [Outcome(Check("/x/requirements.txt", "3.14", "windows-x86_64"), True, "mediapipe 1.2.2"),
                Outcome(Check("/x/requirements-pi4.txt", "3.13", "linux-aarch64"), False, "a | b")]
    assert table(outcomes).splitlines() == [
        "| requirements | python | platform | result | detail |", "|---|---|---|---|---|",
        "| requirements.txt | 3.14 | windows-x86_64 | pass | mediapipe 1.2.2 |",
        "| requirements-pi4.txt | 3.13 | linux-aarch64 | FAIL | a / b |"]


def test_missing_requirements_file_is_one_line_and_exit_1(tmp_path, capsys):
    assert main(["-r", str(tmp_path / "nope.txt"), "--python", "3.11", "--platform", "linux-x86_64"]) == 1
    assert "nope.txt not found" in capsys.readouterr().err

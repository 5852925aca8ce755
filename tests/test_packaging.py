"""`pip install .` gives a `handsign` command that works away from the checkout: models and alphabets inside."""
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.live.live_helpers import photo_of, sample_groups, write_folder

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """The project built as `pip install .` builds it (setuptools from the package index, in isolation)
    and installed without dependencies into a folder of its own."""
    root = tmp_path_factory.mktemp("installed")
    source = root / "source"  # the checkout without its outputs, as a fresh clone would be
    shutil.copytree(REPO, source, ignore=without_outputs)
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    pip_or_fail([*pip, "wheel", str(source), "--no-deps", "-w", str(root / "wheel")])
    wheel = next((root / "wheel").glob("handsign-*.whl"))
    pip_or_fail([*pip, "install", "--no-deps", "--target", str(root / "site"), str(wheel)])
    return root / "site"


def pip_or_fail(command):
    done = subprocess.run(command, capture_output=True, text=True)
    assert done.returncode == 0, (f"pip {command[5]} failed (building the wheel takes setuptools from the package "
                                  f"index):\n{done.stderr[-3000:]}")


def without_outputs(folder, names):
    if Path(folder) == REPO / "data":
        return {name for name in names if name not in {"samples", "alphabets", "lexicons", "spelling"}}
    return {name for name in names if name in {".git", ".venv", "__pycache__", "build"} or name.endswith(".egg-info")}


def run_handsign(site, args, cwd):
    """`handsign ARGS` as the installed entry point runs it, importing nothing from the checkout."""
    env = {**os.environ, "PYTHONPATH": str(site)}
    code = "import sys; from cli import main; sys.exit(main(sys.argv[1:]))"
    return subprocess.run([sys.executable, "-c", code, *args], cwd=cwd, env=env, capture_output=True, text=True)


def test_the_wheel_declares_the_handsign_command(installed):
    entry_points = next(installed.glob("handsign-*.dist-info")).joinpath("entry_points.txt").read_text()
    assert "handsign = cli:main" in entry_points


def test_the_wheel_depends_on_no_test_tool(installed):
    metadata = next(installed.glob("handsign-*.dist-info")).joinpath("METADATA").read_text(encoding="utf-8")
    required = [line.split(":", 1)[1].strip().lower() for line in metadata.splitlines()
                if line.startswith("Requires-Dist:")]
    assert any(r.startswith("scikit-learn") for r in required), required  # the runtime pins are there
    tools = {"pytest", "hypothesis", "import-linter", "ruff"}
    assert not [r for r in required if re.split(r"[=<>!~ ;\[]", r)[0] in tools], required


def test_installed_collect_finds_its_alphabet_and_models(installed, tmp_path):
    signer = sorted(set(sample_groups().values()))[0]
    frames = write_folder([photo_of(signer, digit) for digit in range(10)], tmp_path / "frames")
    done = run_handsign(installed, ["collect", "--alphabet", "digits", "--source", str(frames), "--headless",
                                    "--count", "1", "--skip", "0", "--countdown", "0", "--out", "dataset"], tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert sorted(p.name for p in (tmp_path / "dataset").iterdir() if p.is_dir()) == [str(d) for d in range(10)]


def test_installed_alphabets_are_the_checkouts(installed, tmp_path):
    code = ("from collection.alphabets import ALPHABETS_DIR, available_alphabets; "
            "print(ALPHABETS_DIR); print(*available_alphabets())")
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(installed)},
                          capture_output=True, text=True, check=True)
    folder, names = done.stdout.splitlines()
    assert Path(folder).is_relative_to(installed)
    assert names.split() == sorted(p.stem for p in (REPO / "data" / "alphabets").glob("*.txt"))

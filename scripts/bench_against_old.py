"""Today's live loop against the one before the Tasks API, taking turns on this machine (a benchmark).

README's earlier live-loop figure (full model: 5.69 ms detect, 6.61 ms whole frame) was printed by
`scripts/bench_live.py` of commit 896edbf, on `mp.solutions` of mediapipe 0.10.21, on another day of this
shared machine. This runs that same command and today's `scripts/bench_live.py` in turns, round after
round, so both meet the machine as it is now; the spread between rounds is the noise to compare with.

    git worktree add /tmp/old896 896edbf
    python3.11 -m venv /tmp/mp21 && /tmp/mp21/bin/pip install -r /tmp/old896/requirements.txt
    (cd /tmp/old896 && /tmp/mp21/bin/python cli.py extract && /tmp/mp21/bin/python cli.py train)
    python scripts/bench_against_old.py --old-checkout /tmp/old896 --old-python /tmp/mp21/bin/python --rounds 4

(mediapipe 0.10.21 installs on Python 3.9-3.12 only.)
"""
import argparse
import re
import subprocess
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
STAGE_LINE = re.compile(r"^(decode|detect|features|predict|total)\s+([\d.]+)\s+([\d.]+)\s*$")
COLUMNS = ("old full", "full", "lite")


def medians(output, only_name=None):
    """{hand model: {stage: median ms}} from a bench_live output; `only_name` for the old one, which times
    one model and names none."""
    found, name = {}, only_name
    for line in output.splitlines():
        if line.startswith("hand model ") and only_name is None:
            name = line.split(";")[0].removeprefix("hand model ").strip()
        match = STAGE_LINE.match(line)
        if match:
            found.setdefault(name, {})[match[1]] = float(match[2])
    return found


def bench(command, cwd, names, only_name=None):
    """Run one bench_live (its exit code only says whether targets were met) -> medians of `names`."""
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    found = medians(done.stdout, only_name)
    if not all({"detect", "total"} <= found.get(name, {}).keys() for name in names):
        sys.exit(f"error: {' '.join(map(str, command))} (in {cwd}) printed no detect/total medians for "
                 f"{', '.join(names)}; its output ends:\n{(done.stdout + done.stderr)[-2000:]}")
    return found


def one_round(args):
    old = bench([args.old_python, "scripts/bench_live.py", "--model", args.old_model], args.old_checkout,
                ["old full"], only_name="old full")
    new = bench([sys.executable, "scripts/bench_live.py", "--model", args.model], REPO, ["full", "lite"])
    return {"old full": old["old full"], "full": new["full"], "lite": new["lite"]}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--old-checkout", required=True, help="a checkout of commit 896edbf with data/models trained")
    parser.add_argument("--old-python", required=True, help="a Python with that commit's requirements.txt")
    parser.add_argument("--old-model", default="data/models/svm.joblib", help="in the old checkout (README then: svm)")
    parser.add_argument("--model", default="data/models/logreg.skops", help="for today's bench_live")
    parser.add_argument("--rounds", type=int, default=4)
    args = parser.parse_args(argv)
    if not (Path(args.old_checkout) / "scripts" / "bench_live.py").is_file() or not Path(args.old_python).is_file():
        parser.error("--old-checkout needs scripts/bench_live.py and --old-python an existing Python "
                     "(setup: see this script's docstring)")
    rounds = []
    print(f"{'round':<7}" + "".join(f"{name + ' detect':>16}{name + ' frame':>15}" for name in COLUMNS))
    for number in range(1, args.rounds + 1):
        rounds.append(one_round(args))
        print(f"{number:<7}" + "".join(f"{rounds[-1][name]['detect']:>16.2f}{rounds[-1][name]['total']:>15.2f}"
                                       for name in COLUMNS), flush=True)
    for name in COLUMNS:
        detect = np.array([found[name]["detect"] for found in rounds])
        print(f"{name}: detect median {np.median(detect):.2f} ms, rounds {detect.min():.2f}-{detect.max():.2f} "
              f"(spread {np.ptp(detect):.2f})")
    for stage, what in (("detect", "detect"), ("total", "whole frame")):
        gap = np.array([found["full"][stage] - found["old full"][stage] for found in rounds])
        old = np.median([found["old full"][stage] for found in rounds])
        print(f"full - old full, {what}, per round: {' '.join(f'{g:+.2f}' for g in gap)} ms "
              f"(median {np.median(gap):+.2f} ms = {np.median(gap) / old:+.0%})")
    ratio = np.array([found["lite"]["total"] / found["full"]["total"] for found in rounds])
    print(f"lite / full whole frame, per round: {' '.join(f'{r:.2f}' for r in ratio)} (median {np.median(ratio):.2f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())

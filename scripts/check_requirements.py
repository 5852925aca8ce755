"""Does a requirements file resolve for each Python version and platform? Asks pip, installs nothing.

pip resolves for another interpreter and OS when only binary wheels are allowed: `pip install
--dry-run --only-binary=:all: --python-version X --platform TAG --implementation cp --abi cpXY`
(into a throwaway --target, which pip wants with those options) reports what it would install.
Prints a Markdown table (pass, or the package that fails) and exits 1 when any pair fails.

    python scripts/check_requirements.py                      # requirements.txt: 4 Pythons x 4 platforms,
                                                              # requirements-pi4.txt: 3.11, 3.12 on aarch64
    python scripts/check_requirements.py -r requirements.txt --python 3.13 --platform linux-aarch64

Linux means glibc 2.17 to 2.36 (manylinux tags; 2.36 is Debian 12 / Raspberry Pi OS bookworm),
macOS 11 to 15 on Apple silicon, Windows 64-bit. Needs the package index (about 40 s per pair).
"""
import argparse
import json
import re
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PYTHONS = ("3.11", "3.12", "3.13", "3.14")
PI4_PYTHONS = ("3.11", "3.12")  # mediapipe 0.10.18 has wheels up to 3.12


def linux_tags(arch, glibc_max=36):
    return tuple(f"manylinux_2_{minor}_{arch}" for minor in range(17, glibc_max + 1)) + (f"manylinux2014_{arch}",)


PLATFORMS = {
    "linux-x86_64": linux_tags("x86_64"),
    "linux-aarch64": linux_tags("aarch64"),
    "macos-arm64": tuple(f"macosx_{major}_0_arm64" for major in range(11, 16)),
    "windows-x86_64": ("win_amd64",),
}


@dataclass(frozen=True)
class Check:
    requirements: str  # path as given, shown in the table
    python: str
    platform: str


@dataclass(frozen=True)
class Outcome:
    check: Check
    ok: bool
    detail: str  # pass: the key versions chosen; fail: the package that fails and why


def default_checks():
    main_file, pi4_file = str(REPO / "requirements.txt"), str(REPO / "requirements-pi4.txt")
    checks = [Check(main_file, py, plat) for py in PYTHONS for plat in PLATFORMS]
    checks += [Check(pi4_file, py, "linux-aarch64") for py in PI4_PYTHONS]
    return checks


def pip_args(check, target, report):
    """The pip command line that resolves `check` without installing (wheels only)."""
    abi = "cp" + check.python.replace(".", "")
    args = [sys.executable, "-m", "pip", "install", "--dry-run", "--progress-bar", "off", "--ignore-installed",
            "--only-binary=:all:", "--target", str(target), "--report", str(report),
            "--python-version", check.python, "--implementation", "cp",
            "--abi", abi, "--abi", "abi3", "--abi", "none"]
    for tag in PLATFORMS[check.platform]:
        args += ["--platform", tag]
    return args + ["-r", check.requirements]


def failure_reason(output):
    """The failing package (and why) from pip's output (stdout and stderr), in one line."""
    missing = re.search(r"No matching distribution found for (\S+)", output)
    if missing:
        return f"no wheel for {missing.group(1)}"
    conflict = re.search(r"The conflict is caused by:\n((?:[ \t]+\S.*\n?)+)", output)
    if conflict:
        return "conflict: " + "; ".join(line.strip() for line in conflict.group(1).splitlines())
    errors = [line for line in output.splitlines() if line.startswith("ERROR:")]
    return errors[-1].removeprefix("ERROR: ") if errors else (output.strip().splitlines() or ["pip failed"])[-1]


def chosen_versions(report, names=("mediapipe", "numpy")):
    """'mediapipe 1.2.2, numpy 2.4.6, 34 wheels' from pip's --report JSON."""
    versions = {item["metadata"]["name"].lower(): item["metadata"]["version"] for item in report["install"]}
    shown = [f"{name} {versions[name]}" for name in names if name in versions]
    return ", ".join(shown + [f"{len(versions)} wheels"])


def resolve(check, timeout=900):
    with tempfile.TemporaryDirectory(prefix="check_requirements_") as tmp:
        report = Path(tmp) / "report.json"
        try:
            run = subprocess.run(pip_args(check, Path(tmp) / "target", report), stdout=subprocess.PIPE,
                                 stderr=subprocess.STDOUT, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            return Outcome(check, False, f"pip did not finish in {timeout} s")
        if run.returncode != 0 or not report.is_file():
            return Outcome(check, False, failure_reason(run.stdout))
        return Outcome(check, True, chosen_versions(json.loads(report.read_text(encoding="utf-8"))))


def table(outcomes):
    """A Markdown table, one row per outcome, in the given order."""
    rows = ["| requirements | python | platform | result | detail |", "|---|---|---|---|---|"]
    for out in outcomes:
        c = out.check
        rows.append(f"| {Path(c.requirements).name} | {c.python} | {c.platform} | {'pass' if out.ok else 'FAIL'} "
                    f"| {out.detail.replace('|', '/')} |")
    return "\n".join(rows)


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-r", "--requirements", help="one file to check (default: requirements.txt on every "
                                                     "pair and requirements-pi4.txt on 3.11/3.12 aarch64)")
    parser.add_argument("--python", action="append", choices=PYTHONS, help="repeatable; default: all")
    parser.add_argument("--platform", action="append", choices=list(PLATFORMS), help="repeatable; default: all")
    parser.add_argument("--jobs", type=int, default=4, help="pip processes at once (default: %(default)s)")
    return parser.parse_args(argv)


def selected_checks(args):
    if args.requirements is None and args.python is None and args.platform is None:
        return default_checks()
    return [Check(args.requirements or str(REPO / "requirements.txt"), py, plat)
            for py in args.python or PYTHONS for plat in args.platform or PLATFORMS]


def main(argv=None):
    args = parse_args(argv)
    checks = selected_checks(args)
    missing = sorted({c.requirements for c in checks if not Path(c.requirements).is_file()})
    if missing:
        print(f"check_requirements: {', '.join(missing)} not found; pass an existing file with -r", file=sys.stderr)
        return 1
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        outcomes = list(pool.map(resolve, checks))
    print(table(outcomes))
    failed = sum(not out.ok for out in outcomes)
    print(f"\n{len(outcomes) - failed} of {len(outcomes)} pairs resolve")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

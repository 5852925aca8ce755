"""Refuse, in one sentence, to start a mediapipe the CPU cannot run (it would die with signal 4).

mediapipe 1.x's Linux aarch64 wheels are built for ARMv8.2 (LSE atomics, dot product): a Raspberry
Pi 5 runs them, a Pi 4, Pi 3 or Zero 2 W (ARMv8.0) gets SIGILL, which Python cannot catch. Those
boards need `requirements-pi4.txt` (mediapipe 0.10.18, same Tasks API).
"""
import platform
from importlib import metadata

from landmarks.errors import UserError

ARMV82_FEATURES = {"atomics", "asimddp"}  # /proc/cpuinfo names of LSE and the dot product


def cpu_features(cpuinfo_text):
    """The feature flags listed in /proc/cpuinfo text (aarch64 says `Features`, x86 `flags`)."""
    features = set()
    for line in cpuinfo_text.splitlines():
        key, _, value = line.partition(":")
        if key.strip().lower() in ("features", "flags"):
            features.update(value.split())
    return features


def needs_armv82(mediapipe_version):
    return int(mediapipe_version.split(".")[0]) >= 1


def check_cpu(machine=None, cpuinfo_text=None, mediapipe_version=None):
    """Raise UserError when this aarch64 CPU lacks what the installed mediapipe was compiled for."""
    machine = machine or platform.machine()
    if machine.lower() not in ("aarch64", "arm64"):
        return
    mediapipe_version = mediapipe_version or metadata.version("mediapipe")
    if not needs_armv82(mediapipe_version):
        return
    if cpuinfo_text is None:
        try:
            with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as handle:
                cpuinfo_text = handle.read()
        except OSError:
            return  # macOS arm64 has no /proc/cpuinfo, and every Apple CPU is ARMv8.4 or later
    missing = ARMV82_FEATURES - cpu_features(cpuinfo_text)
    if missing:
        raise UserError(f"this CPU lacks {', '.join(sorted(missing))} (ARMv8.0, e.g. Raspberry Pi 4 or 3), which "
                        f"mediapipe {mediapipe_version} needs; install the Pi 4 requirements instead: "
                        "pip install -r requirements-pi4.txt")

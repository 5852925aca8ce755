"""Rebuild the shipped hand models (`landmarks/models/*.task`) byte for byte from the mediapipe 0.10.21 wheel.

MediaPipe 1.x ships no hand model; the last wheels that did (0.10.21, Apache-2.0) carry the tflite
files the Tasks API `HandLandmarker` needs. A `.task` file is an uncompressed zip of two of them:

    hand_landmarker_full.task  hand_detector.tflite = palm_detection_full.tflite
                               hand_landmarks_detector.tflite = hand_landmark_full.tflite
    hand_landmarker_lite.task  the same palm detector, hand_landmark_lite.tflite

Members are stored (not deflated), 64-byte aligned so TFLite maps them without a copy, with fixed
timestamps, so the same wheel always gives the same bytes (and the SHA-256 in `landmarks/hand_models.py`).

    python scripts/build_hand_models.py                 # fetches the wheel with `pip download`
    python scripts/build_hand_models.py --wheel FILE    # or uses one you have
"""
import argparse
import hashlib
import struct
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from landmarks.hand_models import MODELS, MODELS_DIR  # noqa: E402

WHEEL = "mediapipe==0.10.21"
SOURCES = {  # model name -> {member in the .task: file inside the wheel}
    "full": {"hand_detector.tflite": "mediapipe/modules/palm_detection/palm_detection_full.tflite",
             "hand_landmarks_detector.tflite": "mediapipe/modules/hand_landmark/hand_landmark_full.tflite"},
    "lite": {"hand_detector.tflite": "mediapipe/modules/palm_detection/palm_detection_full.tflite",
             "hand_landmarks_detector.tflite": "mediapipe/modules/hand_landmark/hand_landmark_lite.tflite"},
}
ALIGN = 64
FIXED_TIME = (1980, 1, 1, 0, 0, 0)


def fetch_wheel(folder):
    """Any platform's 0.10.21 wheel carries the same tflite files; this one is the Linux x86_64 cp311."""
    subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
                    "--python-version", "3.11", "--platform", "manylinux_2_28_x86_64", "-d", str(folder), WHEEL],
                   check=True)
    return next(Path(folder).glob("mediapipe-0.10.21-*.whl"))


def _padding(header_end):
    """A well-formed zip extra field (id 0xD935, as Android's zipalign) that pushes the data to ALIGN."""
    pad = (-header_end) % ALIGN
    if pad < 4:
        pad += ALIGN
    return struct.pack("<HH", 0xD935, pad - 4) + b"\0" * (pad - 4)


def write_task(members, target):
    """An uncompressed zip whose member data start on ALIGN-byte boundaries (padding in the extra field)."""
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_STORED) as task:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_STORED
            info.external_attr = 0o644 << 16
            header_end = task.fp.tell() + 30 + len(name.encode())
            info.extra = _padding(header_end)
            task.writestr(info, data)


def build(wheel, out_dir=MODELS_DIR):
    Path(out_dir).mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(wheel) as source:
        license_text = source.read("mediapipe-0.10.21.dist-info/LICENSE")
        for name, members in SOURCES.items():
            target = Path(out_dir) / MODELS[name].file
            write_task({member: source.read(path) for member, path in members.items()}, target)
            digest = hashlib.sha256(target.read_bytes()).hexdigest()
            state = "matches" if digest == MODELS[name].sha256 else "DIFFERS from"
            print(f"{target}: {target.stat().st_size} bytes, sha256 {digest} ({state} landmarks/hand_models.py)")
    (Path(out_dir) / "LICENSE").write_bytes(license_text)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--wheel", default=None, help="a mediapipe 0.10.21 wheel (default: pip download it)")
    parser.add_argument("--out", default=str(MODELS_DIR), help="folder for the .task files")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        build(args.wheel or fetch_wheel(folder), args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())

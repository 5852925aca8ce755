"""Recognize hand signs with an exported ONNX model: MediaPipe + onnxruntime, no scikit-learn.

    python docs/examples/onnx_example.py MODEL.onnx PHOTO_OR_VIDEO [--hand-model full|lite|FILE]

Make the model with `python cli.py export --format onnx --out model.onnx`. Prints one line per frame
(`frame 12: 5 0.97`, or `frame 12: no hand`) and, at the end, the median milliseconds per frame for
detection and for the ONNX model (normalization included). An app needs the same three inputs:
MediaPipe's 21 landmarks, the image size and the handedness; the labels are in the model's metadata.
Detection uses this project's `HandDetector` (MediaPipe's HandLandmarker with the image padded to a
square, see landmarks/detect.py), as `extract` did for the training photos; an app that copies this file
copies `landmarks/` with it (or calls MediaPipe's HandLandmarker with the same padding).
"""
import argparse
import json
import sys
import time
from pathlib import Path

import cv2
import numpy as np
import onnxruntime

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repository, for landmarks/

from landmarks.detect import HandDetector  # noqa: E402  (MediaPipe only)

PHOTO_SUFFIXES = {".jpg", ".jpeg", ".png", ".bmp", ".webp"}


class OnnxSigns:
    """The exported graph: raw landmarks, image size and handedness in; labels and probabilities out."""

    def __init__(self, path):
        self.session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
        meta = self.session.get_modelmeta().custom_metadata_map
        self.labels = json.loads(meta["labels"])
        self.detector = json.loads(meta.get("detector") or "{}")

    def __call__(self, landmarks, width, height, handedness):
        """(label, probability) for one hand: landmarks (21, 3) as MediaPipe gives them."""
        _, probabilities = self.session.run(None, {
            "landmarks": landmarks[None].astype(np.float32),
            "image_size": np.array([[width, height]], np.float32),
            "is_left": np.array([handedness == "Left"], np.float32)})
        best = int(np.argmax(probabilities[0]))
        return self.labels[best], float(probabilities[0, best])


def frames(source):
    """(index, timestamp ms, RGB frame) from a photo or a video."""
    if Path(source).suffix.lower() in PHOTO_SUFFIXES:
        bgr = cv2.imread(str(source))
        if bgr is None:
            sys.exit(f"error: {source} is not a readable photo")
        yield 0, 0.0, cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)
        return
    capture = cv2.VideoCapture(str(source))
    if not capture.isOpened():
        sys.exit(f"error: video {source} cannot be opened")
    fps = capture.get(cv2.CAP_PROP_FPS) or 30.0
    index = 0
    while True:
        ok, bgr = capture.read()
        if not ok:
            break
        yield index, index * 1000.0 / fps, cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)
        index += 1
    capture.release()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model", help="the .onnx file from `python cli.py export`")
    parser.add_argument("source", help="a photo or a video file")
    parser.add_argument("--hand-model", default=None, help="full, lite or a .task file (default: as trained)")
    args = parser.parse_args(argv)
    signs = OnnxSigns(args.model)
    hand_model = args.hand_model or signs.detector.get("hand_model") or "full"
    video = Path(args.source).suffix.lower() not in PHOTO_SUFFIXES
    detect_ms, classify_ms, hands = [], [], 0
    with HandDetector(hand_model=hand_model, video=video) as detector:
        for index, t_ms, rgb in frames(args.source):
            start = time.perf_counter()
            hand = detector.detect(rgb, t_ms)
            detected = time.perf_counter()
            detect_ms.append((detected - start) * 1000.0)
            if hand is None:
                print(f"frame {index}: no hand")
                continue
            label, probability = signs(hand.landmarks, rgb.shape[1], rgb.shape[0], hand.handedness)
            classify_ms.append((time.perf_counter() - detected) * 1000.0)
            hands += 1
            print(f"frame {index}: {label} {probability:.2f}")
    print(f"onnx_example: {len(detect_ms)} frames, {hands} with a hand; median ms per frame: "
          f"detect {np.median(detect_ms) if detect_ms else float('nan'):.2f}, "
          f"onnx model {np.median(classify_ms) if classify_ms else float('nan'):.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

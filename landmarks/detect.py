"""Find one hand in an RGB image with MediaPipe: the bundled model, or a `.task` file via the Tasks API."""
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from landmarks.errors import UserError

# Palm detection runs at 192 px: larger inputs only cost time to resize.
MAX_DETECT_SIDE = 640
# Last try on a still image both padded tries missed: a wider replicated border, a lower detection
# confidence and the lite landmark model found a hand in all 9 shared digit photos the tries before missed.
RETRY = {"min_detection_confidence": 0.2, "model_complexity": 0, "pad_fraction": 0.5}


@dataclass(frozen=True)
class Hand:
    landmarks: np.ndarray  # (21, 3) float32: x / width, y / height of the original image, z in x's unit
    handedness: str  # "Left" or "Right", as MediaPipe says
    score: float


class BundledBackend:
    """`mp.solutions.hands` with the model inside the mediapipe wheel: works offline."""

    def __init__(self, video, min_detection_confidence, model_complexity=1):
        import mediapipe as mp

        self._hands = mp.solutions.hands.Hands(
            # In tracking mode a second allowed hand makes palm detection run on every frame.
            static_image_mode=not video, max_num_hands=1 if video else 2, model_complexity=model_complexity,
            min_detection_confidence=min_detection_confidence,
        )

    def process(self, rgb, timestamp_ms):
        result = self._hands.process(rgb)
        found = zip(result.multi_hand_landmarks or [], result.multi_handedness or [])
        return [(_to_array(marks.landmark), side.classification[0]) for marks, side in found]

    def close(self):
        self._hands.close()


class TaskFileBackend:
    """The Tasks API `HandLandmarker`, loaded from a `.task` bundle on disk."""

    def __init__(self, hand_model, video, min_detection_confidence):
        import mediapipe as mp
        from mediapipe.tasks.python import BaseOptions, vision

        self._mp = mp
        self._video = video
        options = vision.HandLandmarkerOptions(
            base_options=BaseOptions(model_asset_path=str(hand_model)),
            running_mode=vision.RunningMode.VIDEO if video else vision.RunningMode.IMAGE,
            num_hands=1 if video else 2, min_hand_detection_confidence=min_detection_confidence,
        )
        self._landmarker = vision.HandLandmarker.create_from_options(options)

    def process(self, rgb, timestamp_ms):
        image = self._mp.Image(image_format=self._mp.ImageFormat.SRGB, data=rgb)
        if self._video:
            result = self._landmarker.detect_for_video(image, int(timestamp_ms))
        else:
            result = self._landmarker.detect(image)
        return [(_to_array(marks), side[0]) for marks, side in zip(result.hand_landmarks, result.handedness)]

    def close(self):
        self._landmarker.close()


def _to_array(points):
    return np.array([(p.x, p.y, p.z) for p in points], dtype=np.float32)


def _side_name(category):
    return getattr(category, "label", None) or getattr(category, "category_name", "")


def open_backend(hand_model=None, video=False, min_detection_confidence=0.5, model_complexity=1):
    """The bundled model, or a `.task` file (whose model is fixed, so `model_complexity` is ignored)."""
    if hand_model is None:
        return BundledBackend(video, min_detection_confidence, model_complexity)
    path = Path(hand_model)
    if not path.is_file():
        raise UserError(f"hand model {path} not found; pass an existing MediaPipe .task file")
    return TaskFileBackend(path, video, min_detection_confidence)


class HandDetector:
    """The most confident hand in an RGB image, or None. Use as a `with` block.

    Hands touching the border are often missed, so the image is padded first (`pad_fraction` of its
    longer side on every edge). In still-image mode a miss is retried with replicated edges, then
    once more with the `RETRY` settings.
    """

    def __init__(self, hand_model=None, video=False, min_detection_confidence=0.5, pad_fraction=0.25):
        self.hand_model = hand_model
        self.video = video
        self.min_detection_confidence = min_detection_confidence
        self.pad_fraction = pad_fraction
        self._backend = open_backend(hand_model, video, min_detection_confidence)
        self._retry_backend = None  # made on the first still image that both padded tries miss

    @staticmethod
    def settings_for(hand_model=None, min_detection_confidence=0.5, pad_fraction=0.25):
        """What decides the detector's output; an earlier table is reused only if these match."""
        return {
            "backend": "task_file" if hand_model else "bundled",
            "hand_model": Path(hand_model).name if hand_model else None,
            "min_detection_confidence": min_detection_confidence,
            "pad_fraction": pad_fraction,
            "retry_border": "replicate",
            "last_retry": RETRY,
        }

    def detect(self, rgb, timestamp_ms=0):
        small = _shrink(rgb)
        if self.video:  # tracking needs one call per frame with increasing timestamps: no retries
            return self._detect_padded(self._backend, small, self.pad_fraction, cv2.BORDER_CONSTANT, timestamp_ms)
        hand = (self._detect_padded(self._backend, small, self.pad_fraction, cv2.BORDER_CONSTANT, timestamp_ms)
                or self._detect_padded(self._backend, small, self.pad_fraction, cv2.BORDER_REPLICATE, timestamp_ms))
        if hand is None:
            if self._retry_backend is None:
                self._retry_backend = open_backend(self.hand_model, False, RETRY["min_detection_confidence"],
                                                   RETRY["model_complexity"])
            hand = self._detect_padded(self._retry_backend, small, RETRY["pad_fraction"], cv2.BORDER_REPLICATE,
                                       timestamp_ms)
        return hand

    def _detect_padded(self, backend, rgb, pad_fraction, border, timestamp_ms):
        height, width = rgb.shape[:2]
        pad = int(round(pad_fraction * max(height, width)))
        padded = cv2.copyMakeBorder(rgb, pad, pad, pad, pad, border, value=(0, 0, 0))
        found = backend.process(np.ascontiguousarray(padded), timestamp_ms)
        if not found:
            return None
        marks, side = max(found, key=lambda hand: hand[1].score)
        scale = np.array([padded.shape[1] / width, padded.shape[0] / height, padded.shape[1] / width], np.float32)
        offset = np.array([pad / width, pad / height, 0.0], np.float32)
        return Hand((marks * scale - offset).astype(np.float32), _side_name(side), float(side.score))

    def close(self):
        self._backend.close()
        if self._retry_backend is not None:
            self._retry_backend.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _shrink(rgb):
    height, width = rgb.shape[:2]
    factor = MAX_DETECT_SIDE / max(height, width)
    if factor >= 1:
        return rgb
    size = (max(1, round(width * factor)), max(1, round(height * factor)))
    return cv2.resize(rgb, size, interpolation=cv2.INTER_AREA)

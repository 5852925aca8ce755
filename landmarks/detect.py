"""Find one hand in an RGB image with MediaPipe's Tasks `HandLandmarker` and a shipped or given `.task` model."""
import atexit
import weakref
from dataclasses import dataclass
from functools import cache

import cv2
import numpy as np

from landmarks.cpu_check import check_cpu
from landmarks.errors import UserError
from landmarks.hand_models import RETRY_HAND_MODEL, resolve_hand_model
from landmarks.quiet import native_logs_quiet

# Palm detection runs at 192 px: larger inputs only cost time to resize.
MAX_DETECT_SIDE = 640
# Last tries on a still image both padded tries missed: wider replicated borders, a lower detection
# confidence and the lite landmark model find a hand in every shared digit photo the tries before missed.
RETRY = {"min_detection_confidence": 0.2, "hand_model": RETRY_HAND_MODEL, "pad_fractions": [0.5, 1.0]}
# A video frame gets one try (tracking needs one call per frame), so palm detection there uses the
# last still-image try's confidence: at 0.5 some Massey photos appeared in a video frames late or never
# (a word's first letter lost; docs/spelling.md has the bench-spelling figures). The landmark model's
# own hand-presence check still rejects what is not a hand.
VIDEO_DETECTION_CONFIDENCE = RETRY["min_detection_confidence"]
# The landmark model's hand-presence score below which a tracked video hand is dropped (MediaPipe's
# default is 0.5): at 0.5 some Massey letters lost the hand for a whole letter after a cross-dissolve,
# splitting the word in two; a frame of background scores far lower.
VIDEO_PRESENCE_CONFIDENCE = 0.3
# While no hand is tracked, video frames take turns between these paddings (None: `pad_fraction`; 0.0 still
# pads to a square), and
# the one that found the hand tracks it. The padding finds hands at the frame's edge, but it shrinks the
# whole frame for palm detection, and a hand of ordinary webcam size (200-250 px in 640x480) then went
# unfound for a whole letter (bench-spelling: a word's first letter lost, 5.1% -> 2.6% character errors
# on two held-out Massey signers; docs/spelling.md).
VIDEO_PADS = (None, 0.0)


@dataclass(frozen=True)
class Hand:
    landmarks: np.ndarray  # (21, 3) float32: x / width, y / height of the original image, z in x's unit
    handedness: str  # "Left" or "Right", as MediaPipe says
    score: float
    world: np.ndarray = None  # (21, 3) float32 metres, origin near the hand's centre (MediaPipe's world landmarks)


@cache
def _cpu_checked():
    check_cpu()


_open_landmarkers = weakref.WeakSet()


@atexit.register
def _close_all():
    """A landmarker left open prints an ignored TypeError from its __del__ at exit; close it first."""
    for backend in list(_open_landmarkers):
        backend.close()


class TaskBackend:
    """The Tasks API `HandLandmarker` on one `.task` file, always in its tracking (video) mode.

    Stills go through the same graph as video frames (`still`), so a photo in a training table and the
    same hand held in front of a camera give the same landmarks: the landmark model's crop comes from
    palm detection on a first frame, from the previous landmarks on every later one, and the two crops
    give landmarks that differ by up to a tenth of the hand's size.
    """

    def __init__(self, model_path, min_detection_confidence, min_presence_confidence=0.5):
        _cpu_checked()
        import mediapipe as mp
        from mediapipe.tasks.python import BaseOptions, vision

        self._mp = mp
        self._clock = 0  # timestamps for stills, which must increase like a video's
        options = vision.HandLandmarkerOptions(
            base_options=BaseOptions(model_asset_path=str(model_path)),
            running_mode=vision.RunningMode.VIDEO,
            # A second allowed hand would make palm detection run on every frame.
            num_hands=1, min_hand_detection_confidence=min_detection_confidence,
            min_hand_presence_confidence=min_presence_confidence,
        )
        try:
            with native_logs_quiet():
                self._landmarker = vision.HandLandmarker.create_from_options(options)
        except Exception as error:  # noqa: BLE001 -- MediaPipe's native loader raises several kinds
            reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
            raise UserError(f"MediaPipe cannot load hand model {model_path} ({reason}); pass a working "
                            "hand landmarker .task file") from None
        _open_landmarkers.add(self)

    def track(self, rgb, timestamp_ms):
        """[(landmarks (21, 3), world (21, 3), handedness category)] for the hand in a video frame."""
        image = self._mp.Image(image_format=self._mp.ImageFormat.SRGB, data=rgb)
        with native_logs_quiet():
            result = self._landmarker.detect_for_video(image, int(timestamp_ms))
        return [(_to_array(marks), _to_array(world), side[0])
                for marks, world, side in zip(result.hand_landmarks, result.hand_world_landmarks, result.handedness)]

    def still(self, rgb, _timestamp_ms=None):
        """The hand in a still image as a held video frame shows it: a blank frame resets the tracker,
        the first pass finds the hand, the second takes its landmarks from the tracking crop."""
        self._clock += 3
        self.track(_BLANK, self._clock - 2)
        first = self.track(rgb, self._clock - 1)
        return (self.track(rgb, self._clock) or first) if first else first

    def close(self):
        if self._landmarker is not None:
            self._landmarker.close()
            self._landmarker = None
        _open_landmarkers.discard(self)


_BLANK = np.zeros((32, 32, 3), np.uint8)


@cache
def check_task_runs(model_path, min_detection_confidence):
    """Run a given .task once on a blank frame, in a landmarker of its own: a valid zip of the wrong
    models (members swapped) loads, then fails on its first image with MediaPipe's calculator error."""
    backend = TaskBackend(model_path, min_detection_confidence)
    try:
        backend.track(_BLANK, 0)
    except Exception as error:  # noqa: BLE001 -- MediaPipe's graph raises RuntimeError, ValueError, ...
        reason = str(error).strip().splitlines()[0].rstrip(": ") if str(error).strip() else type(error).__name__
        raise UserError(f"MediaPipe cannot run hand model {model_path} on an image ({reason}); pass a working "
                        "hand landmarker .task file") from None
    finally:
        try:
            backend.close()
        except Exception:  # noqa: BLE001 -- a graph that failed may fail again on close; the error above says why
            pass


def _to_array(points):
    return np.array([(p.x, p.y, p.z) for p in points], dtype=np.float32)


class HandDetector:
    """The most confident hand in an RGB image, or None. Use as a `with` block.

    `hand_model`: "full" (default), "lite" (the low-power setting: about half the per-frame time), a
    `.task` file, or the HandModelFile a run resolved these to once. Hands touching the border are often missed, so the image is padded first
    (`pad_fraction` of its longer side on every edge). In still-image mode a miss is retried with
    replicated edges, then once more with the `RETRY` settings (a given `.task` keeps its own model).
    """

    BACKEND = "mediapipe_tasks_tracked"  # recorded in tables and models; the old `mp.solutions` one was "bundled"

    def __init__(self, hand_model=None, video=False, min_detection_confidence=0.5, pad_fraction=0.25):
        self.hand_model = resolve_hand_model(hand_model)
        self.video = video
        self.min_detection_confidence = min_detection_confidence
        self.pad_fraction = pad_fraction
        if self.hand_model.file is not None:  # a given .task: the shipped ones are checked by their SHA-256
            check_task_runs(self.hand_model.path, min_detection_confidence)
        self._backend = (TaskBackend(self.hand_model.path, min(min_detection_confidence, VIDEO_DETECTION_CONFIDENCE),
                                     VIDEO_PRESENCE_CONFIDENCE) if video
                         else TaskBackend(self.hand_model.path, min_detection_confidence))
        self._video_pads = [pad_fraction if pad is None else pad for pad in VIDEO_PADS]
        self._video_try = 0  # the padding the next video frame uses
        self._retry_backend = None  # made on the first still image that both padded tries miss
        # One canvas per padding, so video frames taking turns reuse theirs.
        self._black_borders = {pad: BlackBorder() for pad in {pad_fraction, *self._video_pads}}

    @staticmethod
    def video_settings():
        """What else decides a video frame's hand (a table of video clips is reused only if these match)."""
        return {"min_detection_confidence": VIDEO_DETECTION_CONFIDENCE,
                "min_presence_confidence": VIDEO_PRESENCE_CONFIDENCE,
                "pads": ["pad_fraction" if pad is None else pad for pad in VIDEO_PADS]}

    @staticmethod
    def settings_for(hand_model=None, min_detection_confidence=0.5, pad_fraction=0.25):
        """What decides the detector's output; an earlier table is reused only if these match."""
        model = resolve_hand_model(hand_model)
        return {
            "backend": HandDetector.BACKEND,
            "hand_model": model.name,
            "hand_model_sha256": model.sha256,
            "min_detection_confidence": min_detection_confidence,
            "pad_fraction": pad_fraction,
            "retry_border": "replicate",
            "last_retry": {**RETRY, "hand_model": model.retry_model.setting},
        }

    def detect(self, rgb, timestamp_ms=0):
        small = _shrink(rgb)
        if self.video:  # tracking needs one call per frame with increasing timestamps: no retries
            pad = self._video_pads[self._video_try]
            hand = self._detect_padded(self._backend, small, pad, cv2.BORDER_CONSTANT, timestamp_ms)
            if hand is None:  # nothing tracked: the next frame tries the next padding
                self._video_try = (self._video_try + 1) % len(self._video_pads)
            return hand
        hand = (self._detect_padded(self._backend, small, self.pad_fraction, cv2.BORDER_CONSTANT, timestamp_ms)
                or self._detect_padded(self._backend, small, self.pad_fraction, cv2.BORDER_REPLICATE, timestamp_ms))
        if hand is None:
            if self._retry_backend is None:
                self._retry_backend = TaskBackend(self.hand_model.retry_model.path, RETRY["min_detection_confidence"])
            for pad_fraction in RETRY["pad_fractions"]:
                hand = hand or self._detect_padded(self._retry_backend, small, pad_fraction, cv2.BORDER_REPLICATE,
                                                   timestamp_ms)
        return hand

    def _detect_padded(self, backend, rgb, pad_fraction, border, timestamp_ms):
        height, width = rgb.shape[:2]
        pad = int(round(pad_fraction * max(height, width)))
        # The Tasks API projects landmarks right only on square images (on a 4:3 frame y is squeezed
        # by up to 8% of the hand), so the shorter side gets extra padding.
        pad_x = pad + max(0, height - width) // 2
        pad_y = pad + max(0, width - height) // 2
        pads = (pad_y, pad_y + abs(height - width) % 2 * (width > height),
                pad_x, pad_x + abs(height - width) % 2 * (height > width))
        if border == cv2.BORDER_CONSTANT:
            padded = self._black_borders[pad_fraction].around(rgb, *pads)
        else:
            padded = np.ascontiguousarray(cv2.copyMakeBorder(rgb, *pads, border))
        found = (backend.track if self.video else backend.still)(padded, timestamp_ms)
        if not found:
            return None
        marks, world, side = found[0]
        scale = np.array([padded.shape[1] / width, padded.shape[0] / height, padded.shape[1] / width], np.float32)
        offset = np.array([pad_x / width, pad_y / height, 0.0], np.float32)
        side_name = getattr(side, "category_name", None) or getattr(side, "display_name", "")
        return Hand((marks * scale - offset).astype(np.float32), side_name, float(side.score), world)

    def close(self):
        self._backend.close()
        if self._retry_backend is not None:
            self._retry_backend.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class BlackBorder:
    """`cv2.copyMakeBorder(rgb, top, bottom, left, right, cv2.BORDER_CONSTANT)`, into one reused canvas.

    While frames keep their size (a video) only the middle is rewritten: no new 2.7 MB image to allocate
    and fill per 640x480 frame. The result is valid until the next call.
    """

    def __init__(self):
        self._canvas, self._key = None, None

    def around(self, rgb, top, bottom, left, right):
        height, width = rgb.shape[:2]
        key = (rgb.shape, rgb.dtype, top, bottom, left, right)
        if key != self._key:
            self._canvas = np.zeros((top + height + bottom, left + width + right, *rgb.shape[2:]), rgb.dtype)
            self._key = key
        self._canvas[top:top + height, left:left + width] = rgb
        return self._canvas


def _shrink(rgb):
    height, width = rgb.shape[:2]
    factor = MAX_DETECT_SIDE / max(height, width)
    if factor >= 1:
        return rgb
    size = (max(1, round(width * factor)), max(1, round(height * factor)))
    return cv2.resize(rgb, size, interpolation=cv2.INTER_AREA)

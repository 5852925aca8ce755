"""Motion clips from real photos: a hand photo moved and turned inside a larger frame along a path.

No public motion-letter set is reachable, so clips are built from still photos: an `i` photo drawn
along a J hook, a `d` photo along a Z, or a photo held still with small drift and jitter (a static
letter as a real hand holds it). MediaPipe then finds a real hand in every frame.
"""
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

FRAME_SIZE = (640, 480)  # width, height
CLIP_FRAMES = 45
# Frames held still before and after the stroke, as a signer shows the shape, moves, then stops.
LEAD, TAIL = 5, 5


def _j_hook(t):
    """A J hook, unit size: straight down, then curving toward the little-finger side and up."""
    down = np.clip(t / 0.55, 0, 1)
    curve = np.clip((t - 0.55) / 0.45, 0, 1) * np.pi
    x = np.where(t < 0.55, 0.0, -0.35 * (1 - np.cos(curve)))
    y = np.where(t < 0.55, 0.8 * down, 0.8 + 0.35 * np.sin(curve))
    # The wrist turns as the hook curves (palm toward the signer at the end).
    angle = np.where(t < 0.55, 0.0, -40.0 * (1 - np.cos(curve)) / 2)
    return np.stack([x, y], 1), angle


def _z_strokes(t):
    """A Z, unit size: right along the top, diagonal down-left, right along the bottom."""
    corners = np.array([[0.0, 0.0], [0.9, 0.0], [0.0, 0.8], [0.9, 0.8]])
    lengths = np.linalg.norm(np.diff(corners, axis=0), axis=1)
    where = np.concatenate([[0], np.cumsum(lengths)]) / lengths.sum()
    xy = np.stack([np.interp(t, where, corners[:, 0]), np.interp(t, where, corners[:, 1])], 1)
    return xy, np.zeros(len(t))


def _shift(t):
    """A straight move by one unit (the direction comes from the clip's tilt): a hand changing place."""
    return np.stack([t, np.zeros_like(t)], 1), np.zeros(len(t))


PATHS = {"j": _j_hook, "z": _z_strokes, "shift": _shift}
MOTIONS = (*PATHS, "still")


@dataclass(frozen=True)
class ClipSettings:
    """What varies from clip to clip; `random_settings` draws them."""

    motion: str  # "j", "z" or "still"
    hand_px: float  # side of the photo in the frame
    start: tuple  # (x, y) of the photo's centre at the start, pixels
    size: float  # path size in hand sizes
    tilt: float  # degrees the hand is turned
    heading: float  # degrees the path is turned
    flip: bool  # mirror the photo and path (the other hand)
    drift: float  # still clips: pixels the hand wanders over the clip
    jitter: float  # pixels of frame-to-frame shake
    seed: int


def random_settings(motion, rng):
    if motion not in MOTIONS:
        raise ValueError(f"unknown motion {motion!r}; use one of {', '.join(MOTIONS)}")
    # MediaPipe's palm detector misses many of these photos below ~200 px (tracking then never starts).
    hand_px = rng.uniform(210, 250)
    size = rng.uniform(0.55, 0.75) if motion != "still" else 0.0
    width, height = FRAME_SIZE
    tilt = rng.uniform(-10, 10)
    heading = rng.choice([0.0, 180.0]) + rng.uniform(-50, 50) if motion == "shift" else tilt
    # The path's box (turned by `heading`) plus half a hand on each side must fit in the frame.
    unit = PATHS[motion](np.linspace(0, 1, 50))[0] if motion in PATHS else np.zeros((1, 2))
    box = _turn(unit * size * hand_px, heading)
    low = hand_px * 0.55 - box.min(axis=0)
    high = np.array([width, height]) - hand_px * 0.55 - box.max(axis=0)
    start = rng.uniform(low, np.maximum(high, low + 1))
    return ClipSettings(motion, float(hand_px), tuple(map(float, start)), float(size), float(tilt), float(heading),
                        False, float(rng.uniform(2, 10)), float(rng.uniform(0.3, 1.5)), int(rng.integers(2**31)))


def trajectory(settings, frames=CLIP_FRAMES):
    """(frames, 2) photo centres in pixels and (frames,) rotation angles in degrees."""
    rng = np.random.default_rng(settings.seed)
    moving = frames - LEAD - TAIL
    if settings.motion == "still":
        # A slow random walk scaled to `drift` pixels end to end: a hand held as still as people do.
        walk = np.cumsum(rng.normal(size=(frames, 2)), axis=0)
        walk -= walk[0]
        walk *= settings.drift / max(np.abs(walk).max(), 1e-6)
        offsets, angles = walk, rng.normal(0, 1.0) * np.linspace(0, 1, frames)
    else:
        # Ease in and out, as a hand speeds up and slows down.
        phase = np.clip((np.arange(frames) - LEAD) / max(moving - 1, 1), 0, 1)
        eased = (1 - np.cos(np.pi * phase)) / 2
        unit, angles = PATHS[settings.motion](eased)
        offsets = unit * settings.size * settings.hand_px
    if settings.flip:
        offsets = offsets * [-1, 1]
        angles = -angles
    centres = np.asarray(settings.start) + _turn(offsets, settings.heading) + rng.normal(0, settings.jitter, (frames, 2))
    return centres, angles + settings.tilt + rng.normal(0, 0.5, frames)


def _turn(points, degrees):
    turn = np.deg2rad(degrees)
    return points @ np.array([[np.cos(turn), -np.sin(turn)], [np.sin(turn), np.cos(turn)]]).T


def background_colour(photo):
    """The median colour of the photo's border, so the pasted photo blends into the frame."""
    border = np.concatenate([photo[0], photo[-1], photo[:, 0], photo[:, -1]])
    return tuple(int(v) for v in np.median(border, axis=0))


def render(photo, settings, frames=CLIP_FRAMES):
    """A list of (480, 640, 3) uint8 RGB frames: `photo` (RGB) moved and turned as `settings` say."""
    if settings.flip:
        photo = np.ascontiguousarray(photo[:, ::-1])
    colour = background_colour(photo)
    centres, angles = trajectory(settings, frames)
    scale = settings.hand_px / max(photo.shape[:2])
    centre_in = (photo.shape[1] / 2.0, photo.shape[0] / 2.0)
    cv2.setRNGSeed(settings.seed % (2**31))
    grain = np.empty((FRAME_SIZE[1], FRAME_SIZE[0], 3), np.int16)
    out = []
    for (cx, cy), angle in zip(centres, angles):
        matrix = cv2.getRotationMatrix2D(centre_in, float(angle), scale)
        matrix[:, 2] += (cx - centre_in[0], cy - centre_in[1])
        frame = cv2.warpAffine(photo, matrix, FRAME_SIZE, flags=cv2.INTER_LINEAR,
                               borderMode=cv2.BORDER_CONSTANT, borderValue=colour)
        # Sensor noise, so no two frames are identical.
        cv2.randn(grain, 0, 2)
        out.append(cv2.add(frame, grain, dtype=cv2.CV_8U))
    return out


def write_video(frames, path, fps=30):
    """MJPG video (.avi) of RGB frames."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), fps, FRAME_SIZE)
    if not writer.isOpened():
        raise OSError(f"this OpenCV cannot write MJPG video to {path}")
    for rgb in frames:
        writer.write(cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR))
    writer.release()
    return path


def write_frames(frames, folder):
    """A numbered frame folder: 00000.jpg, 00001.jpg, ..."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for index, rgb in enumerate(frames):
        cv2.imwrite(str(folder / f"{index:05d}.jpg"), cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR),
                    [cv2.IMWRITE_JPEG_QUALITY, 90])
    return folder

"""A fingerspelled word as a video, from real photos (the recipe of SPELLING.md).

Each letter is one photo held for its share of 1 / letters-per-second; the first frames of a letter
cross-dissolve from the previous photo; the second of a double letter is the same photo slid sideways
(a fraction of the hand's width, eased, over ~100 ms) and then held; some holds drift slowly; the hand
is gone (background only) before and after the word. 640x480 MJPG, as motion/synth.py writes clips;
the 15 fps video is every other frame of the 30 fps one.
"""
from dataclasses import dataclass
from itertools import islice

import cv2
import numpy as np

from motion.synth import FRAME_SIZE, background_colour, write_video

BASE_FPS = 30.0
PALM_OF_HAND = 0.4  # wrist to middle-finger knuckle over the longer side of a photo cropped to the hand


@dataclass(frozen=True)
class Recipe:
    """The one place for the recipe's numbers (ms, or shares of the hand's size)."""
    dissolve_ms: float = 65.0  # cross-dissolve into a new letter: two frames at 30 fps
    slide_ms: float = 100.0  # the double letter's slide sideways
    slide: tuple = (0.3, 0.5)  # ... as a share of the hand's width
    drift_share: float = 0.5  # holds that drift
    drift: tuple = (0.03, 0.08)  # ... over the hold, as a share of the hand's size
    jitter: float = 0.02  # where each new letter is held, around the word's place
    lead_ms: float = 200.0  # background only before the word
    gap_ms: float = 500.0  # ... and after it: the hand gone between words
    palm: tuple = (0.17, 0.21)  # wrist to middle-finger knuckle as a share of the frame's height (~200-250 px hands)


@dataclass(frozen=True)
class Photo:
    """A photo and where the hand is in it (pixels), so every photo shows a hand of the same size:
    cropped photos and whole camera frames alike, a fist as large as an open hand."""
    rgb: np.ndarray
    hand_centre: tuple  # (x, y): the centre of the landmarks' box
    palm: float  # wrist to middle-finger knuckle: the same for every hand shape

    @classmethod
    def of(cls, rgb, landmarks=None):
        """`landmarks`: (21, 2+) x, y as fractions of the width and height (extract's raw columns), or None
        when no hand was found: then the whole photo counts as the hand (Massey's photos are crops)."""
        height, width = rgb.shape[:2]
        if landmarks is None:
            return cls(rgb, (width / 2.0, height / 2.0), PALM_OF_HAND * max(width, height))
        points = np.asarray(landmarks, float)[:, :2] * [width, height]
        low, high = points.min(axis=0), points.max(axis=0)
        return cls(rgb, tuple((low + high) / 2.0), float(np.hypot(*(points[9] - points[0]))))


@dataclass(frozen=True)
class Layer:
    photo: int  # index into the word's photos
    alpha: float
    centre: tuple  # (x, y) pixels


def plan(photo_of_letter, letters_per_second, rng, recipe=Recipe()):
    """Per 30 fps frame, the layers it shows ([] = no hand). `photo_of_letter`: one photo index per letter
    (the same index twice in a row is a double letter, signed with a slide)."""
    width, height = FRAME_SIZE
    size = rng.uniform(*recipe.palm) * height / PALM_OF_HAND  # the hand's size: the slide and drift scale with it
    period = 1000.0 / letters_per_second
    base = np.array([rng.uniform(0.4, 0.6) * width, rng.uniform(0.45, 0.55) * height])
    starts, ends, previous = [], [], None
    for i, photo in enumerate(photo_of_letter):
        if i and photo == photo_of_letter[i - 1]:  # double letter: slide sideways, toward the frame's middle
            direction = -1.0 if previous[0] > width / 2 else 1.0
            start = previous + [direction * rng.uniform(*recipe.slide) * size, 0.0]
        else:
            start = base + rng.normal(0, recipe.jitter * size, 2)
        drift = (rng.uniform(*recipe.drift) * size * _unit(rng) if rng.uniform() < recipe.drift_share
                 else np.zeros(2))
        starts.append(start)
        ends.append(start + drift)
        previous = start + drift
    frames = int(round((recipe.lead_ms + len(photo_of_letter) * period + recipe.gap_ms) * BASE_FPS / 1000.0))
    out = []
    for frame in range(frames):
        t = frame * 1000.0 / BASE_FPS - recipe.lead_ms
        i = int(t // period)
        if t < 0 or i >= len(photo_of_letter):
            out.append([])
            continue
        tau = t - i * period
        here = starts[i] + (ends[i] - starts[i]) * (tau / period)
        photo = photo_of_letter[i]
        if i and photo == photo_of_letter[i - 1] and tau < recipe.slide_ms:
            eased = (1 - np.cos(np.pi * (tau + 1000.0 / BASE_FPS) / (recipe.slide_ms + 1000.0 / BASE_FPS))) / 2
            out.append([Layer(photo, 1.0, tuple(ends[i - 1] + (here - ends[i - 1]) * eased))])
        elif i and tau < recipe.dissolve_ms:
            alpha = (tau + 1000.0 / BASE_FPS) / (recipe.dissolve_ms + 1000.0 / BASE_FPS)
            out.append([Layer(photo_of_letter[i - 1], 1 - alpha, tuple(ends[i - 1])), Layer(photo, alpha, tuple(here))])
        else:
            out.append([Layer(photo, 1.0, tuple(here))])
    return out, size


def _unit(rng):
    angle = rng.uniform(0, 2 * np.pi)
    return np.array([np.cos(angle), np.sin(angle)])


def render(photos, layers_per_frame, size, seed):
    """`photos`: Photo objects. RGB (480, 640, 3) frames: each frame's layers blended over the photos' background colour, plus grain."""
    colour = (tuple(int(v) for v in np.median([background_colour(p.rgb) for p in photos], axis=0)) if photos
              else (0, 0, 0))
    width, height = FRAME_SIZE
    blank = np.empty((height, width, 3), np.uint8)
    blank[:] = colour
    cv2.setRNGSeed(seed % (2**31))
    grain = np.empty((height, width, 3), np.int16)
    for layers in layers_per_frame:
        frame = blank
        for number, layer in enumerate(layers):
            placed = _placed(photos[layer.photo], layer.centre, size, colour)
            frame = placed if number == 0 else cv2.addWeighted(frame, 1.0 - layer.alpha, placed, layer.alpha, 0.0)
        cv2.randn(grain, 0, 2)  # sensor noise, so no two frames are identical
        yield cv2.add(frame, grain, dtype=cv2.CV_8U)


def _placed(photo, centre, size, colour):
    """The photo scaled so its hand is `size` pixels, the hand's centre at `centre`."""
    scale = size * PALM_OF_HAND / max(photo.palm, 1.0)
    matrix = np.array([[scale, 0.0, centre[0] - scale * photo.hand_centre[0]],
                       [0.0, scale, centre[1] - scale * photo.hand_centre[1]]])
    return cv2.warpAffine(photo.rgb, matrix, FRAME_SIZE, flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT,
                          borderValue=colour)


def write_word_videos(photos, layers_per_frame, size, seed, paths_by_fps):
    """{fps: path}: the 30 fps video, and each lower rate as every (30 / fps)-th frame of it."""
    for fps, path in paths_by_fps.items():
        step = BASE_FPS / fps
        if abs(step - round(step)) > 1e-9:
            raise ValueError(f"{fps} fps does not divide {BASE_FPS:g}")
        write_video(islice(render(photos, layers_per_frame, size, seed), 0, None, int(round(step))), path, fps)
    return paths_by_fps

"""A labelled set of generated clips: which photos, moved how, written where (with signer groups)."""
from pathlib import Path

import numpy as np
import pandas as pd

from landmarks.errors import UserError
from landmarks.files import write_csv
from landmarks.groups import read_groups
from landmarks.images import read_rgb
from landmarks.option_ranges import MAX_SEED, check_range
from motion.synth import MOTIONS, background_colour, random_settings, render, write_frames, write_video

# ASL from the Massey photos: J is the I shape drawing a hook, Z the D shape (index finger) drawing a Z.
# `shift` clips (a static shape moved in a straight line) teach the classifier that moving is not enough.
ASL_PLAN = "j=i:j,z=d:z,i=i:still+shift,d=d:still+shift,a=a:still"
# JAZZ with the Massey shapes: J is I drawing a hook, Z is D drawing a Z, A is held still.
JAZZ = [("i", "j"), ("a", "still"), ("d", "z"), ("d", "z")]


def parse_plan(text):
    """"j=i:j,i=i:still+shift" -> [(clip label, photo label, [motions])]."""
    plan = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        try:
            label, rest = part.split("=")
            photo_label, motions = rest.split(":")
        except ValueError:
            raise UserError(f"clip plan entry {part!r} is not LABEL=PHOTO_LABEL:MOTION[+MOTION]") from None
        motions = motions.split("+")
        unknown = [m for m in motions if m not in MOTIONS]
        if unknown:
            raise UserError(f"unknown motion {unknown[0]!r} in {part!r}; use {', '.join(MOTIONS)}")
        plan.append((label, photo_label, motions))
    if not plan:
        raise UserError("empty clip plan; give LABEL=PHOTO_LABEL:MOTION entries")
    return plan


def photos_by_signer(photo_root, photo_label, signers=None):
    """{signer: [photo paths]} of one label, from photo_root/groups.csv."""
    groups = read_groups(Path(photo_root) / "groups.csv")
    found = {}
    for rel, signer in sorted(groups.items()):
        if rel.split("/")[0] == photo_label and (signers is None or signer in signers):
            found.setdefault(signer, []).append(Path(photo_root) / rel)
    if not found:
        raise UserError(f"no photos of {photo_label!r} by {', '.join(signers or ['any signer'])} in {photo_root}")
    return found


def make_clip_set(photo_root, out, plan=ASL_PLAN, per_motion=10, signers=None, seed=0, as_video=True):
    """Write `per_motion` clips per (label, motion, signer) to out/<label>/; returns {clip path: signer}.

    Photos are taken in turn from each signer's photos of the label; every clip draws its own
    random size, place, path size, tilt, drift and jitter (motion.synth.random_settings).
    """
    check_range("--per-motion", per_motion, 1, 1000, "clips")
    check_range("--seed", seed, 0, MAX_SEED)
    out = Path(out)
    rng = np.random.default_rng(seed)
    groups = {}
    for label, photo_label, motions in parse_plan(plan) if isinstance(plan, str) else plan:
        for signer, photos in photos_by_signer(photo_root, photo_label, signers).items():
            for motion in motions:
                for k in range(per_motion):
                    photo = photos[(k * 7 + len(groups)) % len(photos)]
                    frames = render(read_rgb(photo), random_settings(motion, rng))
                    name = f"{signer}_{motion}_{k:03d}"
                    if as_video:
                        write_video(frames, out / label / f"{name}.avi")
                        groups[f"{label}/{name}.avi"] = signer
                    else:
                        write_frames(frames, out / label / name)
                        groups[f"{label}/{name}"] = signer
    write_csv(pd.DataFrame({"path": list(groups), "group": list(groups.values())}), out / "groups.csv")
    return groups


def word_frames(photo_root, letters, signer, seed=0, gap=8):
    """RGB frames of one signer spelling a word: per letter (photo label, motion) a clip, with `gap`
    frames without a hand in between (the hand drops between letters). Returns the list of frames."""
    rng = np.random.default_rng(seed)
    frames = []
    for index, (photo_label, motion) in enumerate(letters):
        photos = photos_by_signer(photo_root, photo_label, [signer])[signer]
        photo = read_rgb(photos[(index * 3) % len(photos)])
        clip = render(photo, random_settings(motion, rng))
        blank = np.full_like(clip[0], background_colour(photo))
        frames += [blank] * gap + clip
    return frames + [frames[0]] * gap


def make_word_video(photo_root, out, signer, seed=0):
    """One MJPG video of `signer` spelling JAZZ -> a summary line."""
    check_range("--seed", seed, 0, MAX_SEED)
    write_video(word_frames(photo_root, JAZZ, signer, seed=seed), out)
    return f"make-clips: {signer} spelling jazz -> {out}"

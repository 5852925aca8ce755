"""`evaluate-motion`: how a motion model does on clips it never saw, clip by clip, exactly as `live` would decide."""
from pathlib import Path

import pandas as pd
from tqdm import tqdm

from classifiers.model_path import resolve_model
from classifiers.models_folder import MOTION
from classifiers.report import markdown_table
from landmarks.errors import UserError
from landmarks.files import check_writable_folder, write_csv
from landmarks.groups import groups_file_for, read_groups
from landmarks.hand_models import resolve_hand_model
from motion.clips import list_clips
from motion.clip_record import track_clip
from motion.recognize import MotionRecognizer, clip_events, load_motion_model


def evaluate_clips(recognizer, data_dir, hand_model=None):
    """One row per clip: path, label, group, spelled (the motion letters `live` would add, joined)."""
    groups_file = groups_file_for(data_dir)
    groups = read_groups(groups_file) if groups_file else {}
    hand_model = resolve_hand_model(hand_model)  # hashed once, not once per clip
    rows = []
    for rel, label in tqdm(list_clips(data_dir), desc="evaluate", unit="clip", disable=None):
        marks, sizes, lefts = track_clip(Path(data_dir) / rel, hand_model)
        events = clip_events(recognizer, marks, sizes, lefts)
        rows.append({"path": rel, "label": label, "group": groups.get(rel, ""),
                     "spelled": "".join(e.label for e in events if e.label is not None),
                     "movements": len(events)})
    return pd.DataFrame(rows)


def summarize(table, motion_labels):
    """Per label: clips, and the share spelled as the label itself (motion letters) or as any motion
    letter (static letters: a false alarm, the figure that must stay low)."""
    out = []
    for label, clips in table.groupby("label"):
        if label in motion_labels:
            out.append({"label": label, "clips": len(clips), "kind": "motion",
                        "recognized": float((clips["spelled"] == label).mean()), "false_motion": float("nan")})
        else:
            out.append({"label": label, "clips": len(clips), "kind": "static", "recognized": float("nan"),
                        "false_motion": float((clips["spelled"] != "").mean())})
    return pd.DataFrame(out)


def evaluate_motion(clips_dir, model, out, hand_model=None):
    """Score a motion model on the clips in clips_dir/<label>/; per clip to OUT/motion_clips.csv,
    the per-label summary (markdown) returned."""
    check_writable_folder(out)
    path = resolve_model(model, MOTION)
    recognizer = MotionRecognizer(load_motion_model(path))
    clips = evaluate_clips(recognizer, clips_dir, hand_model)
    if clips.empty:
        raise UserError(f"no clips in {clips_dir}; pass a folder of <label>/<video or frame folder>")
    write_csv(clips, Path(out) / "motion_clips.csv")
    signers = sorted(set(clips["group"]) - {""})
    return (f"model {path}; {len(clips)} clips of signers {', '.join(signers) or '(no groups.csv)'}\n"
            + markdown_table(summarize(clips, recognizer.motion_labels)))

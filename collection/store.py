"""Where `collect` puts frames: DIR/<label>/<signer>_<n>.jpg (clips of motion labels: <signer>_<n>.avi),
plus each file's signer in DIR/groups.csv."""
import os
import re
from pathlib import Path

import cv2

from landmarks.errors import UserError
from landmarks.files import atomic_path, check_writable_folder
from landmarks.groups import read_groups, write_groups
from collection.alphabets import folder_name_problem

JPEG_QUALITY = 95
CLIP_FPS = 30


class CollectedDataset:
    """Numbers continue after the signer's highest existing file, so nothing saved is ever overwritten."""

    def __init__(self, root, signer):
        problem = folder_name_problem(signer) or ("holds a space" if " " in signer else None)
        if problem:
            raise UserError(f"signer id {signer!r} {problem}; pick a short id such as signer1")
        self.root, self.signer = Path(root), signer
        if self.root.exists() and not self.root.is_dir():
            raise UserError(f"output {self.root} is a file; pass a folder with --out")
        check_writable_folder(self.root, "--out")  # before the countdown, not at the first save
        self.groups_file = self.root / "groups.csv"
        if self.groups_file.is_file():
            read_groups(self.groups_file)  # a broken groups.csv stops us before recording, not after
        self._pattern = re.compile(rf"^{re.escape(signer)}_(\d+)\.(?:jpg|avi)$")
        self._next = {}
        self.attempt = {}  # label -> paths saved since the label (re)started, which `redo` deletes
        self.saved = {}  # label -> paths saved in this run and kept

    def next_number(self, label):
        if label not in self._next:
            folder = self.root / label
            numbers = [int(m.group(1)) for p in (folder.iterdir() if folder.is_dir() else [])
                       if (m := self._pattern.match(p.name))]
            self._next[label] = max(numbers, default=0) + 1
        return self._next[label]

    def save(self, label, rgb):
        """Write one RGB frame as the signer's next JPEG for `label`; return its path relative to root."""
        ok, jpeg = cv2.imencode(".jpg", cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY])
        if not ok:
            raise OSError(f"could not encode a frame for {label}")
        target = self._free_target(label, ".jpg")
        with atomic_path(target) as temp:  # imencode + bytes: also works for Cyrillic paths on Windows
            temp.write_bytes(jpeg.tobytes())
        return self._kept(label, target)

    def save_clip(self, label, frames):
        """Write RGB frames as the signer's next MJPG clip (.avi) for `label`; return its relative path."""
        target = self._free_target(label, ".avi")
        temp = target.with_name(f".{target.stem}.partial.avi")  # VideoWriter picks the format by suffix
        height, width = frames[0].shape[:2]
        writer = cv2.VideoWriter(str(temp), cv2.VideoWriter_fourcc(*"MJPG"), CLIP_FPS, (width, height))
        try:
            if not writer.isOpened():
                raise OSError(f"could not write a clip for {label} to {temp}")
            for rgb in frames:
                writer.write(cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR))
            writer.release()
            os.replace(temp, target)
        finally:
            writer.release()
            temp.unlink(missing_ok=True)
        return self._kept(label, target)

    def _free_target(self, label, suffix):
        number = self.next_number(label)
        while any((self.root / label / self._name(number, s)).exists() for s in (".jpg", ".avi")):
            number += 1  # another writer got there first
        (self.root / label).mkdir(parents=True, exist_ok=True)
        self._next[label] = number + 1
        return self.root / label / self._name(number, suffix)

    def _kept(self, label, target):
        relpath = target.relative_to(self.root).as_posix()
        self.attempt.setdefault(label, []).append(relpath)
        self.saved.setdefault(label, []).append(relpath)
        return relpath

    def discard_attempt(self, label):
        """Delete what this run saved for `label` since it last started; earlier runs' files are untouched."""
        for relpath in self.attempt.pop(label, []):
            (self.root / relpath).unlink(missing_ok=True)
            self.saved[label].remove(relpath)
        self._next.pop(label, None)

    def write_groups(self):
        """Merge this run's files into groups.csv, keeping every other row; one atomic rename."""
        ours = {path: self.signer for paths in self.saved.values() for path in paths}
        if not ours:
            return
        merged = read_groups(self.groups_file) if self.groups_file.is_file() else {}
        merged.update(ours)
        write_groups(dict(sorted(merged.items())), self.groups_file)

    def _name(self, number, suffix=".jpg"):
        return f"{self.signer}_{number:03d}{suffix}"

"""Where `collect` puts frames: DIR/<label>/<signer>_<n>.jpg, plus each file's signer in DIR/groups.csv."""
import re
from pathlib import Path

import cv2

from landmarks.errors import UserError
from landmarks.files import atomic_path, check_writable_folder
from landmarks.groups import read_groups, write_groups
from live.alphabets import folder_name_problem

JPEG_QUALITY = 95


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
        self._pattern = re.compile(rf"^{re.escape(signer)}_(\d+)\.jpg$")
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
        number = self.next_number(label)
        while (self.root / label / self._name(number)).exists():  # another writer got there first
            number += 1
        target = self.root / label / self._name(number)
        with atomic_path(target) as temp:  # imencode + bytes: also works for Cyrillic paths on Windows
            temp.write_bytes(jpeg.tobytes())
        self._next[label] = number + 1
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

    def _name(self, number):
        return f"{self.signer}_{number:03d}.jpg"

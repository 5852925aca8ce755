"""Output files written atomically (a temp file beside the target, then renamed over it), and file hashes."""
import hashlib
import json
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path

from landmarks.errors import UserError


def file_sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _umask():
    mask = os.umask(0)
    os.umask(mask)
    return mask


# mkstemp creates 0600 files; outputs get the mode any new file of this user gets (usually 0644).
FILE_MODE = 0o666 & ~_umask()


@contextmanager
def atomic_path(target):
    """Yield a temp path in the target's folder; on success it replaces `target` in one rename."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(handle)
    try:
        yield Path(temp)
        os.chmod(temp, FILE_MODE)
        os.replace(temp, target)
    finally:
        if os.path.exists(temp):
            os.unlink(temp)


def check_writable_folder(folder, option="--out"):
    """Refuse, before any work, a folder that cannot be created or written into; nothing is left behind."""
    folder = existing = Path(folder)
    while not existing.exists() and existing != existing.parent:  # the folder, or the ancestor it would be made in
        existing = existing.parent
    if not existing.is_dir():
        raise UserError(f"cannot write into {folder} ({existing} is a file); pass a writable {option}")
    try:
        handle, probe = tempfile.mkstemp(dir=existing, prefix=".write-check.")
        os.close(handle)
        os.unlink(probe)
    except OSError as error:
        raise UserError(f"cannot write into {folder} ({error.strerror or error}); pass a writable {option}") from None
    return folder


def check_writable_file(target, option="--out"):
    """Refuse, before any work, an output file path that is a folder or lies in an unwritable folder."""
    target = Path(target)
    if target.is_dir():
        raise UserError(f"{option} {target} is a folder; pass a file name such as {target / 'features.csv'}")
    check_writable_folder(target.parent, option)
    return target


def write_csv(frame, target):
    with atomic_path(target) as temp:
        frame.to_csv(temp, index=False)


def write_json(data, target):
    with atomic_path(target) as temp:
        temp.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def write_text(text, target):
    with atomic_path(target) as temp:
        temp.write_text(text, encoding="utf-8")

"""Output files written atomically (a temp file beside the target, then renamed over it), the checks made
on an output before any work, the one wording of a file-system refusal, and file hashes."""
import errno
import hashlib
import json
import os
import stat
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


# The reason and the fix said for each errno a file system answers with; others say the system's words.
_REASONS = {
    errno.EROFS: ("read-only file system", "pass a writable location"),
    errno.EACCES: ("permission denied", "pass a writable location"),
    errno.EPERM: ("not permitted", "pass a writable location"),
    errno.ENOSPC: ("no space left on the device", "free some space or pass another location"),
    errno.EDQUOT: ("disk quota exceeded", "free some space or pass another location"),
    errno.EFBIG: ("file too large for this file system", "pass another location"),
    errno.ENAMETOOLONG: ("name too long", "use a shorter name"),
    errno.EISDIR: ("is a folder", "pass a file name"),
    errno.ENOTDIR: ("a part of the path is a file", "pass a path through folders"),
    errno.ENOENT: ("not found", "check the path"),
}


class OutputError(UserError):
    """The file system refused a read or write; the message names the path, the reason and the fix."""


def os_error_line(error, path=None, doing="write"):
    """`cannot DOING PATH (reason); fix` for an OSError: the one wording of every file-system refusal."""
    where = path if path is not None else (error.filename or "a file")
    reason, fix = _REASONS.get(error.errno, (error.strerror or str(error), "check the path"))
    return f"cannot {doing} {where} ({reason}); {fix}"


def special_kind(path):
    """'a FIFO', 'a device', 'a socket' or 'a folder' for what `path` names (links followed), else None."""
    try:
        mode = os.stat(path).st_mode
    except OSError:  # missing, a broken link, unreadable: nothing there to destroy
        return None
    for test, kind in ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"),
                       (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device")):
        if test(mode):
            return kind
    return None


def refuse_special(target, option="--out"):
    """Never replace a device, FIFO, socket or folder by a file: `--out /dev/null` must not destroy it."""
    kind = special_kind(target)
    if kind:
        raise OutputError(f"{option} {target} is {kind}, not a regular file; pass a file name to write")


@contextmanager
def atomic_path(target):
    """Yield a temp path in the target's folder; on success it replaces `target` in one rename.

    A target that is not a regular file is refused, and any OSError on the way is one OutputError line;
    the temp file never stays behind."""
    target = Path(target)
    refuse_special(target, "output")
    temp = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        # The temp name is at most a few bytes longer than a short target's: a 250-byte name still fits.
        handle, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name[:40]}.", suffix=".tmp")
        os.close(handle)
        yield Path(temp)
        os.chmod(temp, FILE_MODE)
        refuse_special(target, "output")  # it may have appeared while the work ran
        os.replace(temp, target)
    except OSError as error:
        raise OutputError(os_error_line(error, target)) from None
    finally:
        if temp is not None and os.path.exists(temp):
            os.unlink(temp)


def _nearest_existing(path):
    """`path`, or the ancestor it would be made in (os.path swallows every OSError, a too-long name's too)."""
    existing = Path(path)
    while not os.path.exists(existing) and existing != existing.parent:
        existing = existing.parent
    return existing


def check_name_length(path, option="--out"):
    """Refuse a path with a name longer than its file system allows (255 bytes on most)."""
    path = Path(path)
    existing = _nearest_existing(path)
    try:
        limit = os.pathconf(existing, "PC_NAME_MAX")
    except (OSError, ValueError, AttributeError):  # Windows has no pathconf; 255 is NTFS's limit too
        limit = 255
    for part in path.parts[len(existing.parts):]:  # the names still to be made
        if len(os.fsencode(part)) > limit:
            raise OutputError(f"{option}: the name {part[:30]}... is {len(os.fsencode(part))} bytes, more than "
                              f"the {limit} its file system allows; use a shorter name")
    return path


def check_writable_folder(folder, option="--out"):
    """Refuse, before any work, a folder that cannot be created or written into; nothing is left behind."""
    folder = check_name_length(folder, option)
    existing = _nearest_existing(folder)
    if not os.path.isdir(existing):
        raise UserError(f"cannot write into {folder} ({existing} is {special_kind(existing) or 'a file'}); "
                        f"pass a writable {option}")
    try:
        handle, probe = tempfile.mkstemp(dir=existing, prefix=".write-check.")
        os.close(handle)
        os.unlink(probe)
    except OSError as error:
        reason = _REASONS.get(error.errno, (error.strerror or str(error),))[0]
        raise UserError(f"cannot write into {folder} ({reason}); pass a writable {option}") from None
    return folder


def check_writable_file(target, option="--out", starts_with=None):
    """Refuse, before any work, an output file path that is a folder, a device, FIFO or socket, a name too
    long for its file system, or lies in an unwritable folder; with `starts_with` (the first bytes this
    command writes), also an existing file another command wrote (`groups --out data/features.csv`)."""
    target = check_name_length(target, option)
    if os.path.isdir(target):
        raise UserError(f"{option} {target} is a folder; pass a file name such as {target / 'features.csv'}")
    refuse_special(target, option)
    check_writable_folder(target.parent, option)
    if starts_with is not None:
        _check_ours(target, starts_with, option)
    return target


def _check_ours(target, starts_with, option):
    try:
        with open(target, "rb") as handle:
            head = handle.read(len(starts_with))
    except OSError:  # not there (or unreadable: the write will say so)
        return
    if head and head != starts_with:
        raise UserError(f"{option} {target} holds a file this command did not write (it starts {head[:24]!r}); "
                        "pass a new file name, or delete that file first to replace it")


def write_csv(frame, target):
    with atomic_path(target) as temp:
        frame.to_csv(temp, index=False)


def write_json(data, target):
    with atomic_path(target) as temp:
        temp.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def write_text(text, target):
    with atomic_path(target) as temp:
        temp.write_text(text, encoding="utf-8")

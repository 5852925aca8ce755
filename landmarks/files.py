"""Atomic output files: written to a temp file beside the target, then renamed over it."""
import json
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def atomic_path(target):
    """Yield a temp path in the target's folder; on success it replaces `target` in one rename."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(handle)
    try:
        yield Path(temp)
        os.replace(temp, target)
    finally:
        if os.path.exists(temp):
            os.unlink(temp)


def write_csv(frame, target):
    with atomic_path(target) as temp:
        frame.to_csv(temp, index=False)


def write_json(data, target):
    with atomic_path(target) as temp:
        temp.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def write_text(text, target):
    with atomic_path(target) as temp:
        temp.write_text(text, encoding="utf-8")

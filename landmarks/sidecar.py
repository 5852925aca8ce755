"""The JSON sidecar beside a feature table: how the table was made."""
import json
from pathlib import Path


def sidecar_path(table):
    return Path(table).with_suffix(".json")


def read_sidecar(table):
    """The sidecar of `table` as a dict, or None when it is missing or unreadable."""
    path = sidecar_path(table)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None

"""The JSON sidecar beside a feature table: how the table was made."""
from pathlib import Path

from landmarks.read_back import DamagedFile, check_object, read_json

# The fields a sidecar may hold (extract's and extract-motion's), with their JSON types.
FIELDS = {"kind": str, "detector": dict, "normalization": dict, "settings": dict, "data_dir": str,
          "mediapipe_version": str, "mediapipe": str}


def sidecar_path(table):
    return Path(table).with_suffix(".json")


def checked_sidecar(table, fix):
    """The sidecar of `table` as a dict, None when there is none, or DamagedFile (ending in `fix`) when
    it is not the JSON object extract writes."""
    path = sidecar_path(table)
    if not path.exists():
        return None
    sidecar = check_object(read_json(path, fix), FIELDS, path, fix)
    check_object(sidecar.get("normalization", {}), {"name": str, "settings": dict}, path, fix)
    return sidecar


def read_sidecar(table):
    """The sidecar of `table` as a dict, or None when it is missing or damaged (extract rebuilds it)."""
    try:
        return checked_sidecar(table, "")
    except (DamagedFile, OSError):
        return None

"""The hand models shipped in `landmarks/models/`: MediaPipe Tasks `.task` files, checked before use.

Built by `scripts/build_hand_models.py` from the Apache-2.0 mediapipe 0.10.21 wheel (license in
`landmarks/models/LICENSE`); nothing is downloaded at run time.
"""
import zipfile
from dataclasses import dataclass
from pathlib import Path

from landmarks.errors import UserError
from landmarks.files import file_sha256

MODELS_DIR = Path(__file__).resolve().parent / "models"
TASK_MEMBERS = {"hand_detector.tflite", "hand_landmarks_detector.tflite"}


@dataclass(frozen=True)
class HandModel:
    file: str
    sha256: str


MODELS = {
    "full": HandModel("hand_landmarker_full.task", "3c05a595b195902bc153e97a53fb669db9b45ceabccb39902bc0ab3e6db9974c"),
    "lite": HandModel("hand_landmarker_lite.task", "c708f09daddba3aacc5b62273940cc3cf20ef1857445bcd95b8424b8aaac9830"),
}


def shipped_model(name):
    """The path of shipped model `name` ("full" or "lite"), its SHA-256 checked."""
    if name not in MODELS:
        raise UserError(f"unknown hand model {name!r}; choose from {', '.join(MODELS)}")
    path = MODELS_DIR / MODELS[name].file
    if not path.is_file():
        raise UserError(f"shipped hand model {path} is missing; rebuild it with `python scripts/build_hand_models.py`")
    if file_sha256(path) != MODELS[name].sha256:
        raise UserError(f"shipped hand model {path} does not match its SHA-256; rebuild it with "
                        "`python scripts/build_hand_models.py`")
    return path


def check_task_file(path):
    """Refuse a `--hand-model` that MediaPipe could not load, before any detector starts."""
    path = Path(path)
    if not path.is_file():
        raise UserError(f"hand model {path} not found; pass an existing MediaPipe .task file")
    try:
        with zipfile.ZipFile(path) as task:
            infos = {info.filename: info for info in task.infolist()}
            damaged = task.testzip()
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        raise UserError(f"hand model {path} is not a MediaPipe .task file ({error}); pass a .task bundle "
                        "such as landmarks/models/hand_landmarker_full.task") from None
    missing = TASK_MEMBERS - set(infos)
    if missing:
        raise UserError(f"hand model {path} lacks {', '.join(sorted(missing))}; pass a MediaPipe hand landmarker .task")
    if damaged is not None:
        raise UserError(f"hand model {path} is damaged ({damaged} fails its checksum); pass an intact .task file")
    if any(info.compress_type != zipfile.ZIP_STORED for info in infos.values()):
        raise UserError(f"hand model {path} is a compressed zip; MediaPipe needs its members stored "
                        "uncompressed (`zip -0`)")
    return path

"""The hand models shipped in `landmarks/models/`: MediaPipe Tasks `.task` files, checked before use.

Built by `scripts/build_hand_models.py` from the Apache-2.0 mediapipe 0.10.21 wheel (license in
`landmarks/models/LICENSE`); nothing is downloaded at run time. A `--hand-model` setting is resolved
once per run (`resolve_hand_model`: the file checked and hashed) and the `HandModelFile` it gives is
passed down to every detector, worker and sidecar of that run.
"""
import zipfile
from dataclasses import dataclass
from pathlib import Path

from landmarks.errors import UserError
from landmarks.files import file_sha256

MODELS_DIR = Path(__file__).resolve().parent / "models"
TASK_MEMBERS = {"hand_detector.tflite", "hand_landmarks_detector.tflite"}
DEFAULT_HAND_MODEL = "full"
RETRY_HAND_MODEL = "lite"  # the shipped models' last retry on a still image; a user's own .task retries with itself


@dataclass(frozen=True)
class HandModel:
    file: str
    sha256: str


MODELS = {
    "full": HandModel("hand_landmarker_full.task", "3c05a595b195902bc153e97a53fb669db9b45ceabccb39902bc0ab3e6db9974c"),
    "lite": HandModel("hand_landmarker_lite.task", "c708f09daddba3aacc5b62273940cc3cf20ef1857445bcd95b8424b8aaac9830"),
}


@dataclass(frozen=True)
class HandModelFile:
    """A `--hand-model` setting resolved: the file every detector of the run loads, hashed once."""
    setting: str  # as given: "full", "lite" or the path of a .task file (recorded as the retry's model)
    name: str  # what tables record: "full", "lite" or the .task file's name
    sha256: str
    file: str = None  # a user's .task, absolute; None for a shipped model, found beside the code that runs
    retry: "HandModelFile" = None  # the model of the last retry on a still image; None: this one

    @property
    def path(self):
        """The file here; on a Dask worker, a shipped model is the one in that worker's checkout."""
        return Path(self.file) if self.file is not None else MODELS_DIR / MODELS[self.name].file

    @property
    def retry_model(self):
        return self.retry or self

    def __str__(self):
        return self.setting


def resolve_hand_model(hand_model=None):
    """"full" (default), "lite" (shipped, SHA-256 checked) or a `.task` path -> HandModelFile; a
    HandModelFile is returned as it is (resolved already)."""
    if isinstance(hand_model, HandModelFile):
        return hand_model
    setting = str(hand_model or DEFAULT_HAND_MODEL)
    if setting not in MODELS:
        path = check_task_file(setting)
        return HandModelFile(setting, path.name, file_sha256(path), str(path.absolute()))
    retry = None if setting == RETRY_HAND_MODEL else resolve_hand_model(RETRY_HAND_MODEL)
    return HandModelFile(setting, setting, _checked_sha256(setting), retry=retry)


def _checked_sha256(name):
    path = MODELS_DIR / MODELS[name].file
    if not path.is_file():
        raise UserError(f"shipped hand model {path} is missing; rebuild it with `python scripts/build_hand_models.py`")
    if file_sha256(path) != MODELS[name].sha256:
        raise UserError(f"shipped hand model {path} does not match its SHA-256; rebuild it with "
                        "`python scripts/build_hand_models.py`")
    return MODELS[name].sha256


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

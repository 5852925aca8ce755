"""The bytes of a model file: a skops.io archive whose loading cannot run code outside an allow-list.

skops stores objects as a JSON schema plus arrays and rebuilds only types it is told to trust:
scikit-learn's and numpy's own, plus the few listed in EXTRA_TYPES. A file naming any other type
is refused before anything is built. Pickle (what joblib writes) is never read.
"""
import zipfile
from pathlib import Path

import skops.io as sio

from landmarks.errors import UserError

# Every type outside skops' defaults that a pipeline in classifiers/registry.py contains after `fit`.
EXTRA_TYPES = (
    "classifiers.image_features.HOGFeatures",
    "classifiers.image_features.ORBBagOfWords",
    "sklearn.neural_network._stochastic_optimizers.AdamOptimizer",  # mlp
    "sklearn.tree._tree.Tree",  # rf
)
_PICKLE_STARTS = (b"\x80", b"(", b"]", b"}")  # protocol 2+ header, or protocol 0/1 opening a tuple/list/dict
# What loading may unpack, read from the zip directory before anything is decompressed. skops stores
# members uncompressed; a real schema is ~40 KB per forest tree (12 MB at 300 trees), and parsed JSON
# takes up to 20x its size in memory. zipfile cuts a member at its listed size, but only after one
# decompression call, which for deflate can give 1032x its input: so deflated members stay small.
MAX_SCHEMA_BYTES = 32 * 2**20
MAX_TOTAL_BYTES = 512 * 2**20
MAX_MEMBERS = 100_000
MAX_DEFLATED_BYTES = 256 * 2**10
MAX_RATIO = 50  # listed size / packed size of a deflated member

RETRAIN = "retrain with `python cli.py train`"


class ModelFileError(UserError):
    """A file that is not a model file this program may load; the message says what to do."""


def write_model_file(data, path):
    """Write `data` (dicts, lists, strings, numbers, arrays and fitted pipelines) to `path`."""
    sio.dump(data, Path(path))


def read_model_file(path):
    """The object stored at `path`, after checking that it names only allowed types."""
    path = Path(path)
    if not zipfile.is_zipfile(path):
        with open(path, "rb") as handle:
            start = handle.read(1)
        if start.startswith(_PICKLE_STARTS):
            raise ModelFileError(f"model {path} is an old pickle (joblib) model, a format that can run code "
                                 f"when loaded, so it is not read; {RETRAIN}")
        raise ModelFileError(f"model {path} is not a model file this program writes; {RETRAIN}")
    _check_sizes(path)
    try:
        named = sio.get_untrusted_types(file=path)
    except Exception as error:  # noqa: BLE001 -- a damaged archive can fail in many ways
        raise ModelFileError(f"model {path} cannot be read ({type(error).__name__}); {RETRAIN}") from None
    foreign = sorted(set(named) - set(EXTRA_TYPES))
    if foreign:
        raise ModelFileError(f"model {path} names {', '.join(foreign)}, a type this program never saves, "
                             "so it is not loaded; only load models that `python cli.py train` wrote")
    try:
        return sio.load(path, trusted=list(named))
    except Exception as error:  # noqa: BLE001 -- only allowed types are built; any failure means a bad file
        raise ModelFileError(f"model {path} cannot be read ({type(error).__name__}: {error}); {RETRAIN}") from None


def _check_sizes(path):
    """ModelFileError when the zip directory of `path` promises more than a model file ever holds."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (OSError, zipfile.BadZipFile, ValueError) as error:
        raise ModelFileError(f"model {path} cannot be read ({type(error).__name__}); {RETRAIN}") from None
    packed = [m.filename for m in members if m.compress_type != zipfile.ZIP_STORED and not (
        m.compress_type == zipfile.ZIP_DEFLATED and m.compress_size <= MAX_DEFLATED_BYTES
        and m.file_size <= MAX_RATIO * max(m.compress_size, 1))]
    schema = sum(m.file_size for m in members if m.filename == "schema.json")
    if packed or len(members) > MAX_MEMBERS or schema > MAX_SCHEMA_BYTES \
            or sum(m.file_size for m in members) > MAX_TOTAL_BYTES:
        what = (f"its member {packed[0]} is compressed more than a model file ever is" if packed else
                f"it unpacks to more than a model file holds ({MAX_TOTAL_BYTES >> 20} MB, a schema "
                f"{MAX_SCHEMA_BYTES >> 20} MB, {MAX_MEMBERS} members)")
        raise ModelFileError(f"model {path} is not loaded: {what}; {RETRAIN}")

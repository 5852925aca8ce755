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


class ModelFileError(UserError):
    """A file that is not a model file this program may load; the message says what to do."""


def write_model_file(data, path):
    """Write `data` (dicts, lists, strings, numbers, arrays and fitted pipelines) to `path`."""
    sio.dump(data, Path(path))


def read_model_file(path):
    """The object stored at `path`, after checking that it names only allowed types."""
    path = Path(path)
    retrain = "retrain with `python cli.py train`"
    if not zipfile.is_zipfile(path):
        with open(path, "rb") as handle:
            start = handle.read(1)
        if start.startswith(_PICKLE_STARTS):
            raise ModelFileError(f"model {path} is an old pickle (joblib) model, a format that can run code "
                                 f"when loaded, so it is not read; {retrain}")
        raise ModelFileError(f"model {path} is not a model file this program writes; {retrain}")
    try:
        named = sio.get_untrusted_types(file=path)
    except Exception as error:  # noqa: BLE001 -- a damaged archive can fail in many ways
        raise ModelFileError(f"model {path} cannot be read ({type(error).__name__}); {retrain}") from None
    foreign = sorted(set(named) - set(EXTRA_TYPES))
    if foreign:
        raise ModelFileError(f"model {path} names {', '.join(foreign)}, a type this program never saves, "
                             "so it is not loaded; only load models that `python cli.py train` wrote")
    try:
        return sio.load(path, trusted=list(named))
    except Exception as error:  # noqa: BLE001 -- only allowed types are built; any failure means a bad file
        raise ModelFileError(f"model {path} cannot be read ({type(error).__name__}: {error}); {retrain}") from None

"""Detect hands in many image files with `extract`'s own per-image step, worker pool and progress bar."""
from landmarks import extract
from landmarks.preflight import check_hand_model_opens


def detect_images(root, relpaths, hand_model=None, workers=None):
    """{relpath: (kind, record)} for each image under `root` ("row" or "failure", as `extract` records them).

    Paths may also be absolute (with root "."); each record's `path` is the relpath it was given.
    """
    pending = list(dict.fromkeys(str(p) for p in relpaths))
    check_hand_model_opens(hand_model)  # a .task MediaPipe cannot load: one sentence, before the workers start
    produced = extract._run(root, pending, workers, hand_model, desc="detect")
    return {record["path"]: (kind, record) for kind, record in produced}

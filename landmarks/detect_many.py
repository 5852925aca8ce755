"""Detect hands in many image files with `extract`'s own per-image step, worker pool and progress bar."""
from landmarks.image_record import DetectPhotos
from landmarks.preflight import check_hand_model_opens
from landmarks.worker_pool import open_workers


def detect_images(root, relpaths, hand_model=None, workers=None):
    """{relpath: (kind, record)} for each image under `root` ("row" or "failure", as `extract` records them).

    Paths may also be absolute (with root "."); each record's `path` is the relpath it was given.
    """
    pending = list(dict.fromkeys(str(p) for p in relpaths))
    if not pending:
        return {}
    check_hand_model_opens(hand_model)  # a .task MediaPipe cannot load: one sentence, before the workers start
    with open_workers(DetectPhotos(root, hand_model), workers, len(pending)) as pool:
        return {record["path"]: (kind, record) for kind, record in pool.results(pending, "detect", "img")}

"""Detect hands in many image files with `extract`'s own per-image step, worker pool and progress bar."""
from landmarks.hand_models import resolve_hand_model
from landmarks.image_record import DetectPhotos
from landmarks.worker_pool import open_workers


def detect_images(root, relpaths, hand_model=None, workers=None, found=None):
    """{relpath: (kind, record)} for each image under `root` ("row" or "failure", as `extract` records them).

    Paths may also be absolute (with root "."); each record's `path` is the relpath it was given.
    `found`: a dict filled as results arrive, so that a caller still has them after Ctrl-C.
    """
    found = {} if found is None else found
    pending = list(dict.fromkeys(str(p) for p in relpaths))
    if not pending:
        return found
    with open_workers(DetectPhotos(root, resolve_hand_model(hand_model)), workers, len(pending)) as pool:
        for kind, record in pool.results(pending, "detect", "img"):
            found[record["path"]] = (kind, record)
    return found

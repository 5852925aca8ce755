"""`extract --scheduler`: the pending images detected on the workers of a Dask cluster.

Same contract as the local pool (`extract._run`): one (kind, record) per image, made by the same
`process_image`, with a progress bar. Images go out in small batches, a few per worker thread at a
time; a batch on a worker that dies is redone elsewhere by Dask (up to its allowed-failures), and
a batch that keeps killing workers is split so that the one image to blame is named.
"""
import threading
from itertools import islice
from pathlib import Path

from tqdm import tqdm

from landmarks.cluster import check_workers, connect
from landmarks.detect import HandDetector
from landmarks.errors import UserError
from landmarks.extract import failure, process_image
from landmarks.images import ImageError, read_bytes

MAX_BATCH = 8  # about 0.1 s of detection: the scheduler's cost per task stays around 1%
BATCHES_PER_THREAD = 4  # in flight at once: enough to keep workers busy, few bytes held with --send-images

_local = threading.local()


def run(data_dir, pending, workers, hand_model, scheduler, send_images=False):
    """Yield (kind, record) for each pending image, detected on the cluster at `scheduler` ("local" or
    an address); `workers` sizes a local cluster. Without `send_images` the workers read the images at
    the same absolute path as here."""
    if not pending:
        return
    from distributed import KilledWorker, as_completed

    root = Path(data_dir).resolve()
    bar = tqdm(total=len(pending), unit="img", desc="extract (dask)", disable=None)
    try:
        with connect(scheduler, workers) as client:
            check_workers(client, hand_model, None if send_images else root)
            threads = sum(client.nthreads().values())
            size = max(1, min(MAX_BATCH, len(pending) // (threads * BATCHES_PER_THREAD)))
            batches = (pending[i:i + size] for i in range(0, len(pending), size))
            running, jobs_of = as_completed(), {}

            def submit(jobs):
                future = client.submit(process_batch, str(root), jobs, hand_model, pure=False)
                jobs_of[future] = jobs  # kept to split a batch that keeps killing workers
                running.add(future)

            def send_next():
                """Submit the next batch; return the records of its images this machine could not read."""
                unread = []
                for batch in batches:
                    jobs = [job for job in (_job(root, relpath, send_images, unread) for relpath in batch) if job]
                    if jobs:
                        submit(jobs)
                        break
                return unread

            ready = [record for _ in range(threads * BATCHES_PER_THREAD) for record in send_next()]
            while True:
                for result in ready:
                    yield result
                    bar.update()
                if running.is_empty():
                    return
                future = next(running)
                jobs = jobs_of.pop(future)
                try:
                    ready = future.result()
                except KilledWorker:
                    if len(jobs) == 1:
                        raise UserError(f"{root / jobs[0][0]} made Dask workers die again and again; move it out "
                                        "of the data folder and run again (finished rows are kept)") from None
                    for job in jobs:  # each image alone, to find the one to blame
                        submit([job])
                    ready = []
                    continue
                ready += send_next()
    finally:
        bar.close()


def _job(root, relpath, send_images, unread):
    """(relpath, bytes or None, key or None) for a worker; None after a read failure is put in `unread`."""
    if not send_images:
        return relpath, None, None
    stat = (root / relpath).stat()
    key = {"file_size": stat.st_size, "file_mtime_ns": stat.st_mtime_ns}
    try:
        return relpath, read_bytes(root / relpath).tobytes(), key
    except ImageError as error:
        unread.append(failure(relpath, error, key))
        return None


def process_batch(root, jobs, hand_model):
    """[(kind, record)] for [(relpath, bytes or None, key or None)], with this worker thread's detector (runs there)."""
    detector = _detector(hand_model)
    return [process_image(root, relpath, detector, data, key) for relpath, data, key in jobs]


def _detector(hand_model):
    """One HandDetector per worker thread for its whole life (MediaPipe objects cannot be sent)."""
    detectors = _local.__dict__.setdefault("detectors", {})
    if hand_model not in detectors:
        detectors[hand_model] = HandDetector(hand_model=hand_model)
    return detectors[hand_model]

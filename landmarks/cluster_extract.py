"""`extract --scheduler`: the pending images detected on the workers of a Dask cluster.

Same contract as the local pool (landmarks/worker_pool.py): opened, it gives one (kind, record) per
image, made by the same `process_image`, with a progress bar. Images go out in small batches, a few per worker thread at a
time; a batch on a worker that dies is redone elsewhere by Dask (up to its allowed-failures). A
batch that keeps killing workers is split, and its images that still do are tried once more at the end,
alone on the cluster, so that the image named as the culprit really is one.
"""
import threading
from contextlib import contextmanager
from pathlib import Path

from tqdm import tqdm

from landmarks.cluster import check_workers, connect
from landmarks.detect import HandDetector
from landmarks.errors import UserError
from landmarks.image_record import failure, process_image
from landmarks.images import MAX_PIXELS, ImageError, read_bytes

MAX_BATCH = 8  # about 0.1 s of detection: the scheduler's cost per task stays around 1%
BATCHES_PER_THREAD = 4  # in flight at once: enough to keep workers busy, few bytes held with --send-images

_local = threading.local()


@contextmanager
def open_cluster(data_dir, hand_model, max_pixels=MAX_PIXELS, *, scheduler, workers=None, send_images=False):
    """The cluster at `scheduler` ("local" or an address), its workers checked, ready for `results`;
    `workers` sizes a local cluster. Without `send_images` the workers read the images at the same
    absolute path as here."""
    root = Path(data_dir).resolve()
    with connect(scheduler, workers) as client:
        check_workers(client, hand_model, None if send_images else root)
        yield OnCluster(client, root, (hand_model, max_pixels), send_images)


class OnCluster:
    def __init__(self, client, root, settings, send_images):
        self.client, self.root, self.settings, self.send_images = client, root, settings, send_images

    def results(self, pending, desc, unit):
        """Yield (kind, record) for each pending image, in the order they finish."""
        with tqdm(total=len(pending), unit=unit, desc=f"{desc} (dask)", disable=None) as bar:
            for result in _Tasks(self.client, self.root, pending, self.settings, self.send_images).results():
                yield result
                bar.update()


class _Tasks:
    """The pending images as batches on the cluster, a few per worker thread in flight at a time."""

    def __init__(self, client, root, pending, settings, send_images):
        from distributed import as_completed

        self.client, self.root, self.settings, self.send_images = client, root, settings, send_images
        threads = sum(client.nthreads().values())
        size = max(1, min(MAX_BATCH, len(pending) // (threads * BATCHES_PER_THREAD)))
        self.batches = (pending[i:i + size] for i in range(0, len(pending), size))
        self.in_flight = threads * BATCHES_PER_THREAD
        self.running, self.jobs_of = as_completed(), {}
        self.suspects = []  # images whose task died with a worker: tried again alone at the end
        self.culprits = []  # images that killed a worker even alone

    def results(self):
        """Every image's (kind, record), in the order they finish."""
        from distributed import KilledWorker

        ready = [record for _ in range(self.in_flight) for record in self.send_next()]
        while True:
            yield from ready
            ready = []
            if self.running.is_empty():
                ready = self.send_next()
                if self.running.is_empty() and not ready:
                    if not self.suspects:
                        break
                    self.submit([self.suspects.pop()], alone=True)
                continue
            future = next(self.running)
            jobs, alone = self.jobs_of.pop(future)
            try:
                ready = future.result() + self.send_next()
            except KilledWorker:
                if alone:  # nothing else was running: this image is what kills the workers
                    self.culprits.append(jobs[0][0])
                elif len(jobs) > 1:
                    for job in jobs:  # smaller tasks, so that one bad image holds back no others
                        self.submit([job])
                else:
                    self.suspects.append(jobs[0])
                ready = self.send_next()
        if self.culprits:
            named = ", ".join(str(self.root / relpath) for relpath in self.culprits[:3])
            raise UserError(f"{named}{' and others' if len(self.culprits) > 3 else ''} made Dask workers die again "
                            "and again; move them out of the data folder and run again (every other row is kept)")

    def submit(self, jobs, alone=False):
        future = self.client.submit(process_batch, str(self.root), jobs, *self.settings, pure=False)
        self.jobs_of[future] = jobs, alone
        self.running.add(future)

    def send_next(self):
        """Submit the next batch; return the records of its images this machine could not read."""
        unread = []
        for batch in self.batches:
            jobs = [job for job in (_job(self.root, relpath, self.send_images, unread) for relpath in batch) if job]
            if jobs:
                self.submit(jobs)
                break
        return unread


def _job(root, relpath, send_images, unread):
    """(relpath, bytes or None, key or None) for a worker; None after a read failure is put in `unread`."""
    try:
        stat = (root / relpath).stat() if send_images else None
    except OSError:  # gone since the folder was listed: the worker's process_image reports it as for the pool
        stat = None
    if stat is None:
        return relpath, None, None
    key = {"file_size": stat.st_size, "file_mtime_ns": stat.st_mtime_ns}
    try:
        return relpath, read_bytes(root / relpath).tobytes(), key
    except ImageError as error:
        unread.append(failure(relpath, error, key))
        return None


def process_batch(root, jobs, hand_model, max_pixels):
    """[(kind, record)] for [(relpath, bytes or None, key or None)], with this worker thread's detector (runs there)."""
    detector = _detector(hand_model)
    return [process_image(root, relpath, detector, max_pixels, data, key) for relpath, data, key in jobs]


def _detector(hand_model):
    """One HandDetector per worker thread for its whole life (MediaPipe objects cannot be sent)."""
    detectors = _local.__dict__.setdefault("detectors", {})
    if hand_model not in detectors:
        detectors[hand_model] = HandDetector(hand_model=hand_model)
    return detectors[hand_model]

"""One step run over many items in worker processes (or in this one), each result kept as it finishes.

A step is a picklable object with `open()` (once per process: load a detector), `__call__(item)` ->
(kind, record) and `close()`. Photos (landmarks/image_record.py) and clips (motion/clip_record.py) use
the same pool: workers ignore Ctrl-C (the parent saves what finished), exit when the parent is killed
outright, and a worker that dies ends the run with one line. `run_and_keep` commits every result to
the extraction journal the moment it arrives and writes the outputs at the end, also on Ctrl-C.
"""
import multiprocessing
import os
import signal
import threading
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager, nullcontext

from tqdm import tqdm

from landmarks.errors import UserError

CHUNK = 4  # photos per task sent to a worker: small, so a kill loses little


def run_and_keep(engine, items, journal, results, desc, unit, on_new=None):
    """Run `items` on `engine` (a context manager giving `results(items, desc, unit)`), committing each
    (kind, record) to `journal` and `results` as it arrives; `results.save()` at the end, also on Ctrl-C
    or a dead worker, then the journal is deleted.

    Entering `engine` opens the step (a hand model MediaPipe cannot load fails there): nothing is
    written then, and the journal of an interrupted run is kept for the next one. Without items the
    engine is not opened (no detector loads when everything was reused).
    """
    started = False
    try:
        with engine if items else nullcontext() as running:
            started = True
            for kind, record in running.results(items, desc, unit) if items else ():
                journal.add(kind, record)
                results.add(kind, record)
                if on_new is not None:
                    on_new(kind, record)
    finally:
        if started:
            results.save()  # every finished record is kept, and the next run resumes from the table
            journal.remove()  # only once the table holds everything the journal did
        elif journal.entries():
            journal.close()
        else:
            journal.remove()


@contextmanager
def open_workers(step, workers, count, chunk=CHUNK):
    """A pool for `count` items: `workers` processes (at most one per item), or this process for one.

    Entered, the step is open in one process at least, so a step that cannot start fails here."""
    workers = max(1, min(workers or os.cpu_count() or 1, count))
    if workers == 1:
        step.open()
        try:
            yield InProcess(step)
        finally:
            step.close()
        return
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker, initargs=(step,)) as pool:
        try:
            with _worker_deaths_named():
                pool.submit(_opened).result()
            yield Workers(pool, chunk)
        finally:
            pool.shutdown(wait=True, cancel_futures=True)


class InProcess:
    def __init__(self, step):
        self.step = step

    def results(self, items, desc, unit):
        """(kind, record) of each item in turn, with a progress bar labelled `desc`."""
        with tqdm(total=len(items), unit=unit, desc=desc, disable=None) as bar:
            for item in items:
                yield self.step(item)
                bar.update()


class Workers:
    def __init__(self, pool, chunk):
        self.pool, self.chunk = pool, chunk

    def results(self, items, desc, unit):
        """(kind, record) of each item in the order they finish, with a progress bar labelled `desc`."""
        chunks = [items[i:i + self.chunk] for i in range(0, len(items), self.chunk)]
        with tqdm(total=len(items), unit=unit, desc=desc, disable=None) as bar, _worker_deaths_named():
            waiting = {self.pool.submit(_run_chunk, chunk) for chunk in chunks}
            while waiting:
                finished, waiting = wait(waiting, return_when=FIRST_COMPLETED)
                for future in finished:
                    done = future.result()
                    yield from done
                    bar.update(len(done))


@contextmanager
def _worker_deaths_named():
    try:
        yield
    except BrokenProcessPool:
        raise UserError("a worker process stopped (out of memory, or the hand model failed to load); "
                        "run again with --workers 1 to see why; finished work was kept") from None


# Each worker process opens its own copy of the step once, for its whole life.
_step = None


def _start_worker(step):
    global _step
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and saves the results
    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True).start()
    try:
        step.open()
    except UserError as error:  # given back to the parent by the first task, as one line
        _step = error
        return
    _step = step


def _exit_with_parent(parent):
    """A parent killed outright (kill -9) would leave its workers waiting for work forever."""
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(1)


def _opened():
    if isinstance(_step, UserError):
        raise _step


def _run_chunk(items):
    _opened()
    return [_step(item) for item in items]

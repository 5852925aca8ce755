"""Print extraction speed with the local process pool and with a local Dask cluster of as many processes.

    python scripts/bench_cluster.py [DATA_DIR] [--workers N] [--limit N] [--repeat R]

DATA_DIR defaults to the shared digits (else data/samples); --workers to all cores; --limit takes the
first N images only (a quick check); --repeat keeps the best of R runs of each (interleaved). Every run
starts from scratch. The cluster (N worker processes, one thread each, loopback) is started before its runs, as a
running scheduler would be; the pool's time includes starting its processes, as `extract` always does.
The time to start the cluster is printed on its own, and so is a cold `--scheduler local` run.
"""
import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pandas as pd  # noqa: E402

from landmarks.cluster import local_cluster, require_distributed  # noqa: E402
from landmarks.extract import extract  # noqa: E402
from landmarks.images import list_labelled_images  # noqa: E402

SHARED = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "sign-language-digits" / "images"


def subset(data_dir, limit, scratch):
    """`data_dir` itself, or a copy of its first `limit` images (label folders kept)."""
    if not limit:
        return data_dir
    target = Path(scratch) / "subset"
    for relpath, _ in list_labelled_images(data_dir)[:limit]:
        (target / relpath).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(Path(data_dir) / relpath, target / relpath)
    return target


def timed_run(data_dir, out, **options):
    """One from-scratch run: (images/s, seconds)."""
    for stale in Path(out).parent.glob(f"{Path(out).stem}*"):
        stale.unlink()
    started = time.monotonic()
    summary = extract(data_dir, out, **options)
    seconds = time.monotonic() - started
    return summary.seen / seconds, seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", nargs="?", default=str(SHARED if SHARED.is_dir() else "data/samples"))
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    distributed = require_distributed()
    with tempfile.TemporaryDirectory() as scratch:
        data_dir = subset(args.data_dir, args.limit, scratch)
        images = list_labelled_images(data_dir)
        for relpath, _ in images:  # the page cache holds every image for both runs alike
            (Path(data_dir) / relpath).read_bytes()
        print(f"dataset: {args.data_dir} ({len(images)} images); cores: {os.cpu_count()}; processes: {args.workers}")
        started = time.monotonic()
        with local_cluster(args.workers) as cluster, distributed.Client(cluster) as client:
            print(f"dask cluster started in {time.monotonic() - started:.1f} s")
            pool_runs, dask_runs = [], []
            for _ in range(args.repeat):  # interleaved, so that a busier moment hurts both alike
                pool_runs.append(timed_run(data_dir, Path(scratch) / "pool.csv", workers=args.workers))
                dask_runs.append(timed_run(data_dir, Path(scratch) / "dask.csv", scheduler=cluster.scheduler_address))
                client.restart()  # fresh worker processes: each run creates its detectors, as the pool's does
        pool, dask = max(pool_runs), max(dask_runs)
        print(f"local pool, {args.workers} processes: {pool[0]:.1f} images/s ({pool[1]:.1f} s)")
        print(f"dask cluster, {args.workers} processes x 1 thread: {dask[0]:.1f} images/s ({dask[1]:.1f} s)")
        cold = timed_run(data_dir, Path(scratch) / "cold.csv", workers=args.workers, scheduler="local")
        print(f"cold --scheduler local (cluster start included): {cold[0]:.1f} images/s ({cold[1]:.1f} s)")
        same = all(pd.read_csv(Path(scratch) / "pool.csv").equals(pd.read_csv(Path(scratch) / name))
                   for name in ("dask.csv", "cold.csv"))
        print(f"cluster / pool: {dask[0] / pool[0]:.2f} (target >= 0.85); same table as the pool: {'yes' if same else 'NO'}")


if __name__ == "__main__":
    main()

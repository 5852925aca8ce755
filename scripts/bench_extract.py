"""Extraction figures (a benchmark, not a test); one entry point for its three measurements.

    python scripts/bench_extract.py [DATA_DIR]
    python scripts/bench_extract.py [DATA_DIR] --cluster [--workers N] [--limit N] [--repeat R]
    python scripts/bench_extract.py [DATA_DIR] --kill-after SECONDS [--groups FILE] [--workers N]

DATA_DIR defaults to the shared digits (else data/samples). Every run starts from scratch.

Default: speed with 1 worker and with all cores, and how fast an unchanged re-run is.

--cluster: the local process pool against a local Dask cluster of as many processes (--workers, default
all cores; one thread each, loopback). The cluster is started before its runs, as a running scheduler
would be; the pool's time includes starting its processes, as `extract` always does. The time to start
the cluster is printed on its own, and so is a cold `--scheduler local` run. --limit takes the first N
images only (a quick check); --repeat keeps the best of R runs of each (interleaved). Target: the
cluster reaches at least 0.85 times the pool's rate, with the same table.

--kill-after: `extract` killed with SIGKILL that many seconds after it started, then run again, compared
with an uninterrupted run: how many images the journal held, and whether the final table and failures
file are byte-identical.
"""
import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import pandas as pd  # noqa: E402

from classifiers.bench import scaling_lines, time_extraction  # noqa: E402
from landmarks.cluster import local_cluster, require_distributed  # noqa: E402
from landmarks.extract import extract  # noqa: E402
from landmarks.images import list_labelled_images  # noqa: E402
from landmarks.journal import committed_count  # noqa: E402

SHARED = REPO.parent / "shared" / "datasets" / "sign-language-digits" / "images"


def scaling(data_dir):
    print(f"dataset: {data_dir}; cores: {os.cpu_count()}")
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "features.csv"
        runs = time_extraction(data_dir, out, None)  # from scratch: 1 worker, then all cores into `out`
        print("\n".join(scaling_lines(runs)))
        started = time.monotonic()
        extract(data_dir, out)
        rerun, first = time.monotonic() - started, runs[-1][1].seconds
        print(f"unchanged re-run: {rerun:.2f} s = 1/{first / rerun:.0f} of the first run")


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


def cluster_against_pool(data_dir, workers, limit, repeat):
    distributed = require_distributed()
    with tempfile.TemporaryDirectory() as scratch:
        source, data_dir = data_dir, subset(data_dir, limit, scratch)
        images = list_labelled_images(data_dir)
        for relpath, _ in images:  # the page cache holds every image for both runs alike
            (Path(data_dir) / relpath).read_bytes()
        print(f"dataset: {source} ({len(images)} images); cores: {os.cpu_count()}; processes: {workers}")
        started = time.monotonic()
        with local_cluster(workers) as cluster, distributed.Client(cluster) as client:
            print(f"dask cluster started in {time.monotonic() - started:.1f} s")
            pool_runs, dask_runs = [], []
            for run in range(repeat):  # interleaved, so that a busier moment hurts both alike
                if run:  # fresh worker processes: each run creates its detectors, as the pool's does
                    client.restart()
                pool_runs.append(timed_run(data_dir, Path(scratch) / "pool.csv", workers=workers))
                dask_runs.append(timed_run(data_dir, Path(scratch) / "dask.csv", scheduler=cluster.scheduler_address))
        pool, dask = max(pool_runs), max(dask_runs)
        print(f"local pool, {workers} processes: {pool[0]:.1f} images/s ({pool[1]:.1f} s)")
        print(f"dask cluster, {workers} processes x 1 thread: {dask[0]:.1f} images/s ({dask[1]:.1f} s)")
        cold = timed_run(data_dir, Path(scratch) / "cold.csv", workers=workers, scheduler="local")
        print(f"cold --scheduler local (cluster start included): {cold[0]:.1f} images/s ({cold[1]:.1f} s)")
        same = all(pd.read_csv(Path(scratch) / "pool.csv").equals(pd.read_csv(Path(scratch) / name))
                   for name in ("dask.csv", "cold.csv"))
        print(f"cluster / pool: {dask[0] / pool[0]:.2f} (target >= 0.85); same table as the pool: {'yes' if same else 'NO'}")


def extract_command(data_dir, out, groups, workers):
    command = [sys.executable, "cli.py", "extract", str(data_dir), "--out", str(out)]
    command += ["--groups", groups] if groups else []
    command += ["--workers", str(workers)] if workers else []
    return command


def last_line(command):
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=True)
    return done.stdout.strip().splitlines()[-1]


def killed_and_resumed(data_dir, after, groups, workers):
    with tempfile.TemporaryDirectory() as scratch:
        whole, killed = Path(scratch) / "whole.csv", Path(scratch) / "killed.csv"
        print(f"uninterrupted: {last_line(extract_command(data_dir, whole, groups, workers))}")
        process = subprocess.Popen(extract_command(data_dir, killed, groups, workers), cwd=REPO,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(after)
        process.send_signal(signal.SIGKILL)
        process.wait()
        print(f"killed with SIGKILL {after:g} s after start: {committed_count(killed)} images in the journal")
        print(f"re-run: {last_line(extract_command(data_dir, killed, groups, workers))}")
        same = all(a.read_bytes() == b.read_bytes() for a, b in
                   [(whole, killed), (whole.with_name("whole.failures.csv"), killed.with_name("killed.failures.csv"))])
        print(f"final table and failures file {'identical to' if same else 'DIFFERENT from'} the uninterrupted run's")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", nargs="?", default=str(SHARED if SHARED.is_dir() else REPO / "data" / "samples"))
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--cluster", action="store_true", help="the local pool against a local Dask cluster")
    which.add_argument("--kill-after", type=float, default=None, metavar="SECONDS",
                       help="kill -9 extract this long after it started, re-run, compare")
    parser.add_argument("--workers", type=int, default=None, help="processes (default: all cores)")
    parser.add_argument("--limit", type=int, default=None, help="with --cluster: the first N images only")
    parser.add_argument("--repeat", type=int, default=1, help="with --cluster: best of R interleaved runs")
    parser.add_argument("--groups", default=None, help="with --kill-after: extract's --groups")
    args = parser.parse_args(argv)
    if args.cluster:
        cluster_against_pool(args.data_dir, args.workers or os.cpu_count() or 1, args.limit, args.repeat)
    elif args.kill_after is not None:
        killed_and_resumed(args.data_dir, args.kill_after, args.groups, args.workers)
    else:
        scaling(args.data_dir)
    return 0


if __name__ == "__main__":
    sys.exit(main())

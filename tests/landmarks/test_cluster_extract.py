"""`extract --scheduler`: the same table as the local pool, on real photos, even when a worker dies."""
import os
import signal
import sys

import pandas as pd
import pytest

import cli
from landmarks import cluster, cluster_extract
from landmarks.errors import UserError
from landmarks.extract import failures_path
from tests.conftest import copy_samples

PER_LABEL = 4  # 40 photos: a few seconds of detection on two cores


def read_table(out):
    return pd.read_csv(out, dtype={"path": str, "label": str, "group": str}, keep_default_na=False)


def read_failures(out):
    return pd.read_csv(failures_path(out), keep_default_na=False)[["path", "reason", "file_size", "file_mtime_ns"]]


def extract(root, out, *more):
    return cli.main(["extract", str(root), "--out", str(out), "--workers", "2", *more])


@pytest.fixture(scope="module")
def pooled(tmp_path_factory):
    """40 shipped photos plus two bad files, extracted by the local pool of two processes."""
    root = copy_samples(tmp_path_factory.mktemp("data"), per_label=PER_LABEL)
    (root / "0" / "empty.jpg").write_bytes(b"")
    (root / "1" / "text.jpg").write_text("not a photo")
    out = root.parent / "pool.csv"
    assert extract(root, out) == 0
    return root, out


def assert_same_as_pool(pooled, out):
    pd.testing.assert_frame_equal(read_table(out), read_table(pooled[1]))
    pd.testing.assert_frame_equal(read_failures(out), read_failures(pooled[1]))


def test_local_cluster_gives_the_pool_table(pooled, tmp_path):
    pytest.importorskip("distributed", reason="Dask is not installed (pip install -r requirements-cluster.txt)")
    out = tmp_path / "dask.csv"
    assert extract(pooled[0], out, "--scheduler", "local") == 0
    assert len(read_table(out)) == 10 * PER_LABEL
    assert_same_as_pool(pooled, out)


def test_sent_images_give_the_pool_table(pooled, dask_cluster, tmp_path):
    address, _ = dask_cluster
    out = tmp_path / "sent.csv"
    assert extract(pooled[0], out, "--scheduler", address, "--send-images") == 0
    assert_same_as_pool(pooled, out)


def test_rerun_on_the_cluster_reuses_every_row(pooled, dask_cluster, tmp_path, capsys):
    address, _ = dask_cluster
    out = tmp_path / "again.csv"
    assert extract(pooled[0], out, "--scheduler", address) == 0
    capsys.readouterr()
    assert extract(pooled[0], out, "--scheduler", address) == 0
    assert f"{10 * PER_LABEL + 2} reused" in capsys.readouterr().out
    assert_same_as_pool(pooled, out)


def test_a_killed_worker_has_its_images_redone(pooled, dask_cluster, tmp_path, monkeypatch):
    address, client = dask_cluster
    real_results = cluster_extract.OnCluster.results
    killed = []

    def kill_a_busy_worker_after_the_first_image(*args, **kwargs):
        for number, result in enumerate(real_results(*args, **kwargs)):
            if number == 0:
                busy = [worker for worker, keys in client.processing().items() if keys]
                pid = client.run(os.getpid, workers=busy[:1])[busy[0]]
                os.kill(pid, signal.SIGKILL)
                killed.append(pid)
            yield result

    monkeypatch.setattr(cluster_extract.OnCluster, "results", kill_a_busy_worker_after_the_first_image)
    out = tmp_path / "killed.csv"
    assert extract(pooled[0], out, "--scheduler", address) == 0
    assert killed and killed[0] not in client.run(os.getpid).values()  # that process really died
    assert_same_as_pool(pooled, out)  # every row, each once
    client.wait_for_workers(2, timeout=60)  # the nanny restarts it for the tests after this one


def test_workers_that_cannot_see_the_folder_are_refused(dask_cluster, tmp_path):
    _, client = dask_cluster
    with pytest.raises(UserError, match="cannot see .* or pass --send-images"):
        cluster.check_workers(client, None, tmp_path / "nowhere")


def test_unreachable_scheduler_exits_1(pooled, tmp_path, monkeypatch, capsys):
    pytest.importorskip("distributed", reason="Dask is not installed (pip install -r requirements-cluster.txt)")
    monkeypatch.setattr(cluster, "CONNECT_SECONDS", 1)
    assert extract(pooled[0], tmp_path / "f.csv", "--scheduler", "tcp://127.0.0.1:9") == 1
    error = capsys.readouterr().err
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in error and "dask scheduler" in error
    assert len(error.strip().splitlines()) == 1


def test_without_dask_the_scheduler_says_how_to_install_it(tmp_path, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "distributed", None)  # makes `import distributed` fail
    assert extract(tmp_path / "unused", tmp_path / "f.csv", "--scheduler", "local") == 1
    error = capsys.readouterr().err.strip()
    assert "pip install -r requirements-cluster.txt" in error and len(error.splitlines()) == 1


def test_send_images_needs_a_scheduler(tmp_path, capsys):
    assert extract(tmp_path, tmp_path / "f.csv", "--send-images") == 1
    assert "add --scheduler" in capsys.readouterr().err


def test_an_image_that_kills_every_worker_is_named(tmp_path, capsys):
    distributed = pytest.importorskip("distributed", reason="Dask is not installed (pip install -r requirements-cluster.txt)")
    import dask

    class CrashOn(distributed.WorkerPlugin):
        """Set up again in every restarted worker: the worker dies on one image."""

        name = "crash-on-image"

        def __init__(self, relpath):
            self.relpath = relpath

        def setup(self, worker):
            real = cluster_extract.process_image

            def crash_or_process(root, relpath, *more):
                if relpath == self.relpath:
                    os._exit(1)
                return real(root, relpath, *more)

            cluster_extract.process_image = crash_or_process

    root = copy_samples(tmp_path / "data", per_label=3, labels={"5", "6"})
    culprit = sorted(p.name for p in (root / "6").iterdir())[1]
    # One death fails a task, so the test needs two deaths (its batch, then the image alone), not eight.
    with dask.config.set({"distributed.scheduler.allowed-failures": 0}), \
            cluster.local_cluster(2) as local, distributed.Client(local) as client:
        client.register_plugin(CrashOn(f"6/{culprit}"))
        assert extract(root, tmp_path / "f.csv", "--scheduler", local.scheduler_address) == 1
    error = capsys.readouterr().err.strip().splitlines()
    assert len(error) == 1 and f"6/{culprit} made Dask workers die" in error[0]
    every_other = {p.relative_to(root).as_posix() for p in root.glob("*/*.JPG")} - {f"6/{culprit}"}
    assert set(read_table(tmp_path / "f.csv")["path"]) == every_other  # finished before the culprit was named

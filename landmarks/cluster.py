"""A Dask cluster to work on: a running scheduler's address, or `local` (a LocalCluster on this machine).

dask/distributed is an optional extra (requirements-cluster.txt), imported only when a scheduler is given.
"""
import logging
import os
from contextlib import contextmanager
from importlib import metadata

from landmarks.detect import HandDetector
from landmarks.errors import UserError
from landmarks.files import file_sha256
from landmarks.hand_models import resolve_hand_model
from landmarks.scheduler_check import check_scheduler

INSTALL = "pip install -r requirements-cluster.txt"
CONNECT_SECONDS = 10
WORKER_WAIT_SECONDS = 30


def require_distributed():
    """The `distributed` module, or a UserError saying how to install it."""
    try:
        import distributed
    except ImportError:
        raise UserError(f"--scheduler needs Dask (dask and distributed); install them with `{INSTALL}`") from None
    return distributed


@contextmanager
def connect(scheduler, workers=None):
    """A `distributed.Client` on `scheduler`, closed at the end of the block.

    "local" starts a LocalCluster of `workers` processes (default: all cores) with one thread each,
    listening on loopback only; anything else is a running scheduler's address (tcp://host:8786).
    """
    distributed = require_distributed()
    if scheduler == "local":
        with local_cluster(workers) as cluster, distributed.Client(cluster) as client:
            yield client
        return
    check_scheduler(scheduler)  # Dask would hang on, or allocate what a stranger's bytes say
    try:
        client = distributed.Client(scheduler, timeout=CONNECT_SECONDS)
    except (OSError, TimeoutError, ValueError) as error:
        raise UserError(f"cannot reach the Dask scheduler at {scheduler} ({error}); start one with `dask scheduler` "
                        "and pass the tcp://HOST:8786 address it prints, or use --scheduler local") from None
    with client:
        try:
            client.wait_for_workers(1, timeout=WORKER_WAIT_SECONDS)
        except TimeoutError:
            raise UserError(f"the Dask scheduler at {scheduler} has no workers after {WORKER_WAIT_SECONDS} s; "
                            f"start some with `dask worker {scheduler}`") from None
        check_code(client)
        yield client


def local_cluster(workers=None):
    """A LocalCluster of `workers` processes (default: all cores), one thread each, on loopback only
    (its HTTP endpoint too, on a free port), logging only errors."""
    distributed = require_distributed()
    return distributed.LocalCluster(n_workers=workers or os.cpu_count() or 1, threads_per_worker=1, processes=True,
                                    host="127.0.0.1", dashboard_address=None,
                                    scheduler_kwargs={"dashboard_address": "127.0.0.1:0"}, silence_logs=logging.ERROR)


def check_code(client):
    """Fail with one line unless the scheduler (it unpickles the tasks) and every worker import this project."""
    for where, run in (("scheduler", client.run_on_scheduler), ("worker", client.run)):
        try:
            run(project_code_found)
        except Exception as error:  # distributed re-raises a failure to unpickle as a bare Exception
            if "No module named" not in str(error):
                raise
            raise UserError(f"a Dask {where} cannot import this project's code ({error}): start `dask scheduler` "
                            "and every `dask worker` with PYTHONPATH set to a checkout of handsign") from None


def project_code_found():
    """Runs on the scheduler and the workers: unpickling this function imports the project."""
    return True


def check_workers(client, hand_model, data_dir=None):
    """Fail with one line unless every worker runs this code, the same MediaPipe and hand model files
    (the ones `hand_model`, a setting or a HandModelFile, resolves to here), can load them, and (when
    `data_dir` is given) sees the image folder at the same path."""
    hand_model = resolve_hand_model(hand_model)
    version = metadata.version("mediapipe")
    facts = client.run(worker_facts, hand_model, None if data_dir is None else str(data_dir))
    for address, seen in sorted(facts.items()):
        if seen["mediapipe"] != version:
            raise UserError(f"Dask worker {address} has mediapipe {seen['mediapipe']}, this machine "
                            f"{version}; install requirements.txt there")
        if seen["hand_model"] is not None:
            raise UserError(f"Dask worker {address} {seen['hand_model']}; use the same checkout there, and the same "
                            "--hand-model file at the same path")
        if data_dir is not None and not seen["data_dir"]:
            raise UserError(f"Dask worker {address} cannot see {data_dir}: share the image folder at that path "
                            "on every worker, or pass --send-images")


def worker_facts(hand_model, data_dir):
    """What check_workers compares, as found on one worker (runs there): its hand model files hashed
    and loaded once (None when they match and load, else what is wrong)."""
    return {"mediapipe": metadata.version("mediapipe"), "hand_model": _hand_model_problem(hand_model),
            "data_dir": data_dir is not None and os.path.isdir(data_dir)}


def _hand_model_problem(hand_model):
    for model in dict.fromkeys([hand_model, hand_model.retry_model]):
        try:
            found = file_sha256(model.path)
        except OSError as error:
            return f"cannot read hand model {model.path} ({error.strerror or error})"
        if found != model.sha256:
            return f"has another hand model at {model.path} (SHA-256 {found[:12]}..., here {model.sha256[:12]}...)"
    try:
        HandDetector(hand_model=hand_model).close()
    except UserError as error:
        return f"cannot load its hand model: {error}"
    return None

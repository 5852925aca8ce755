"""Keep MediaPipe's and TensorFlow Lite's C++ log lines off the user's terminal unless asked for.

Those lines (`W0000 ...`, `INFO: Created TensorFlow Lite XNNPACK delegate`) are written by native
code straight to file descriptor 2, so no Python logging setting reaches them: the descriptor itself
is pointed at /dev/null while native code runs. `--verbose` (or HANDSIGN_VERBOSE=1, which worker
processes inherit) leaves them alone.
"""
import os
import sys
from contextlib import contextmanager

VERBOSE_ENV = "HANDSIGN_VERBOSE"


def set_verbose(verbose):
    os.environ[VERBOSE_ENV] = "1" if verbose else ""


def is_verbose():
    return bool(os.environ.get(VERBOSE_ENV))


@contextmanager
def native_logs_quiet():
    """Silence file descriptor 2 for the duration of the block (a no-op when verbose)."""
    if is_verbose():
        yield
        return
    sys.stderr.flush()
    saved = os.dup(2)
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 2)
    os.close(null)
    try:
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)

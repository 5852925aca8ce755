"""The worker pool `extract` and `extract-motion` share, with a tiny step instead of a detector."""
import os
from contextlib import contextmanager
from types import SimpleNamespace

import pytest

from landmarks.errors import UserError
from landmarks.worker_pool import open_workers, run_and_keep


class Square:
    """A step: n -> ("row", {path, square, pid}); the process dies on item `die_on`; `open` fails when `broken`."""

    def __init__(self, die_on=None, broken=False):
        self.die_on, self.broken = die_on, broken

    def open(self):
        if self.broken:
            raise UserError("this step cannot open")

    def __call__(self, n):
        if n == self.die_on:
            os._exit(1)
        return "row", {"path": str(n), "square": n * n, "pid": os.getpid()}

    def close(self):
        pass


@pytest.mark.parametrize("workers", [1, 2], ids=["this-process", "two-workers"])
def test_every_item_once_from_the_step(workers):
    with open_workers(Square(), workers, 9) as pool:
        results = list(pool.results(list(range(9)), "test", "item"))
    assert sorted(record["square"] for _, record in results) == [n * n for n in range(9)]
    in_this_process = {record["pid"] for _, record in results} == {os.getpid()}
    assert in_this_process == (workers == 1)


@pytest.mark.parametrize("workers", [1, 2], ids=["this-process", "two-workers"])
def test_a_step_that_cannot_open_fails_on_entering(workers):
    with pytest.raises(UserError, match="this step cannot open"):
        with open_workers(Square(broken=True), workers, 4):
            raise AssertionError("entered a pool whose step cannot open")


def test_a_dead_worker_ends_the_run_in_one_line():
    with open_workers(Square(die_on=5), 2, 9) as pool:
        with pytest.raises(UserError, match="a worker process stopped .* finished work was kept"):
            list(pool.results(list(range(9)), "test", "item"))


class Kept:
    """A run's journal and results, and what `run_and_keep` did with them."""

    def __init__(self, earlier=()):
        self.journaled, self.added, self.saved, self.journal_state = list(earlier), [], False, "open"
        self.journal = SimpleNamespace(add=lambda kind, record: self.journaled.append(record),
                                       entries=lambda: self.journaled, close=lambda: self.end_journal("closed"),
                                       remove=lambda: self.end_journal("removed"))
        self.results = SimpleNamespace(add=lambda kind, record: self.added.append(record), save=self.save)

    def end_journal(self, state):
        self.journal_state = state

    def save(self):
        self.saved = True


@contextmanager
def engine_interrupted_after(n):
    def results(items, desc, unit):
        for item in items[:n]:
            yield "row", {"path": item}
        raise KeyboardInterrupt

    yield SimpleNamespace(results=results)


def test_ctrl_c_keeps_what_finished_and_deletes_the_journal_once_saved():
    kept = Kept()
    with pytest.raises(KeyboardInterrupt):
        run_and_keep(engine_interrupted_after(2), ["a", "b", "c"], kept.journal, kept.results, "test", "item")
    assert kept.added == [{"path": "a"}, {"path": "b"}] == kept.journaled
    assert kept.saved and kept.journal_state == "removed"


@contextmanager
def engine_that_cannot_open():
    raise UserError("MediaPipe cannot load hand model")
    yield


@pytest.mark.parametrize("earlier, state", [([], "removed"), ([{"path": "a"}], "closed")],
                         ids=["empty-journal-removed", "interrupted-runs-journal-kept"])
def test_a_step_that_cannot_open_writes_nothing(earlier, state):
    kept = Kept(earlier)
    with pytest.raises(UserError, match="cannot load"):
        run_and_keep(engine_that_cannot_open(), ["a"], kept.journal, kept.results, "test", "item")
    assert not kept.saved and kept.journal_state == state


def test_without_items_nothing_is_opened_and_the_table_is_written():
    kept = Kept()
    run_and_keep(engine_that_cannot_open(), [], kept.journal, kept.results, "test", "item")
    assert kept.saved and kept.journal_state == "removed"

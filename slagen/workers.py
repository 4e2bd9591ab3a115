"""Worker processes forked from this one, each working through numbered tasks.

Takes a number of tasks and a function doing task ``i`` and gives each task's result as a worker
finishes it. Forking lets the workers start with what this process has made already (the parsed
library, compiled templates, the memo), shared with it copy-on-write. What this module takes care of:

- no thread of this process runs when it forks (a forked child has only the forking thread, and a
  lock another thread held stays locked in it): the caller starts none, and :func:`can_fork` says
  when one runs;
- a worker ends when this process ends, even by SIGKILL: Linux sends it SIGTERM then
  (``PR_SET_PDEATHSIG``); elsewhere it sees before each task that its parent changed, and its pipe
  closes;
- SIGTERM ends a worker as ``SystemExit`` in the middle of what it does, so that its ``finally``
  blocks run (:func:`slagen.output.write_outputs` puts back what it was writing); a second one is
  ignored while it does that; Ctrl-C (SIGINT) ends it the same way, quietly;
- when this process stops early (an exception, or SIGTERM turned into ``SystemExit`` by the
  command line) it ends its workers the same way and waits for them;
- a worker that dies (killed, out of memory) loses the task it was on, given as :class:`Lost`; its
  other tasks go to a new worker.
"""

from __future__ import annotations

import collections
import contextlib
import gc
import multiprocessing
import os
import signal
import sys
import threading
import traceback
from collections.abc import Callable, Iterable, Iterator
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from types import FrameType
from typing import Any, TypeVar

from msgspec import Struct, field

T = TypeVar("T")

_GRACE = 10.0
"""Seconds a worker has to put back what it was writing once told to end, before it is killed."""
_PR_SET_PDEATHSIG = 1


class Lost(Struct, frozen=True):
    """A task whose worker ended before finishing it."""

    exit_code: int | None

    def __str__(self) -> str:
        code = self.exit_code
        if code is not None and code < 0:
            try:
                return f"was killed by signal {-code} ({signal.Signals(-code).name})"
            except ValueError:  # pragma: no cover - a signal Python has no name for
                return f"was killed by signal {-code}"
        return f"ended with exit code {code}"


def can_fork() -> bool:
    """Whether workers can be forked here: the system forks, and no other thread runs in this process."""
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


class _Worker(Struct):
    process: BaseProcess
    connection: Connection
    tasks: collections.deque[int] = field(default_factory=collections.deque)


def in_forked_workers(
    count: int, task: Callable[[int], T], *, workers: int, chunk: int
) -> Iterator[tuple[int, T | Lost]]:
    """Tasks ``0 .. count - 1``, each done by ``task`` in one of ``workers`` forked processes, as they finish.

    Workers are handed ``chunk`` tasks at a time, one chunk ahead. An exception of ``task`` (a bug) is raised here,
    after the other workers have ended.
    """
    context = multiprocessing.get_context("fork")
    waiting: collections.deque[list[int]] = collections.deque(
        list(range(start, min(start + chunk, count))) for start in range(0, count, chunk)
    )
    live: dict[Connection, _Worker] = {}
    parent = os.getpid()
    gc.freeze()  # what the workers inherit (library, compiled templates, the memo) is never collected
    try:
        while waiting or live:
            while waiting and len(live) < workers:
                if threading.active_count() > 1:
                    raise RuntimeError("a thread runs in this process: workers cannot be forked safely")
                ours, theirs = context.Pipe()
                process = context.Process(target=_work, args=(theirs, task, parent, [*live, ours]), daemon=True)
                process.start()
                theirs.close()
                worker = live[ours] = _Worker(process, ours)
                _hand_out(worker, waiting)
                if waiting:  # a second chunk waits in the pipe: the worker never waits for this process
                    _hand_out(worker, waiting)
            for ready in wait(list(live)):
                assert isinstance(ready, Connection)
                worker = live[ready]
                try:
                    kind, index, value = ready.recv()
                except (EOFError, OSError):  # the worker has ended
                    del live[ready]
                    ready.close()
                    worker.process.join()
                    if worker.tasks:
                        lost = worker.tasks.popleft()
                        if worker.tasks:
                            waiting.appendleft(list(worker.tasks))
                        yield lost, Lost(worker.process.exitcode)
                    continue
                if kind == "bug":
                    error, text = value
                    raise error from RuntimeError(f"in a worker process:\n{text}")
                worker.tasks.popleft()
                if waiting and len(worker.tasks) < chunk:  # on its last chunk: the next one queued behind it
                    _hand_out(worker, waiting)
                elif not worker.tasks:
                    _hand_out(worker, waiting)  # nothing left: told to end
                yield index, value
    finally:
        _end(live.values())
        gc.unfreeze()


def _hand_out(worker: _Worker, waiting: collections.deque[list[int]]) -> None:
    """Give ``worker`` its next tasks, or tell it to end (None) when there are none."""
    tasks = waiting.popleft() if waiting else None
    worker.tasks.extend(tasks or ())
    with contextlib.suppress(OSError):  # it has ended already: seen when its pipe is read
        worker.connection.send(tasks)


def _end(running: Iterable[_Worker]) -> None:
    """End workers still running: their pipes closed, SIGTERM, and after a grace time SIGKILL."""
    workers = list(running)
    for worker in workers:
        worker.connection.close()
        if worker.process.is_alive():
            worker.process.terminate()
    for worker in workers:
        worker.process.join(_GRACE)
        if worker.process.is_alive():  # pragma: no cover - a worker that does not end in the grace time
            worker.process.kill()
            worker.process.join()


def _work(connection: Connection, task: Callable[[int], Any], parent: int, inherited: list[Connection]) -> None:
    """A worker's life: tasks from ``connection`` until told to end or the parent is gone."""
    for other in inherited:  # the parent's ends of the pipes: else no worker would see its pipe close
        other.close()
    signal.signal(signal.SIGTERM, _stop)
    if signal.getsignal(signal.SIGINT) is not signal.SIG_IGN:  # as the parent: a background job ignores it
        signal.signal(signal.SIGINT, _stop)  # Ctrl-C reaches every process of the group: the parent says it
    _end_with(parent)
    try:
        while True:
            try:
                tasks = connection.recv()
            except EOFError:
                return
            if tasks is None:
                return
            for index in tasks:
                if os.getppid() != parent:  # the parent has ended (where no death signal comes)
                    return
                try:
                    result = task(index)
                except Exception as exc:  # noqa: BLE001 - a bug: given to the parent to report
                    connection.send(("bug", index, _portable(exc)))
                    return
                connection.send(("done", index, result))
    except BrokenPipeError:  # the parent has gone
        return


def _stop(signum: int, frame: FrameType | None) -> None:
    """SIGTERM or SIGINT: end as SystemExit where the worker is, so that it cleans up; then ignore both."""
    for each in (signal.SIGTERM, signal.SIGINT):
        if signal.getsignal(each) is not signal.SIG_IGN:  # a handler doing nothing: one already on its way
            signal.signal(each, _ignore)  # to SIG_IGN would be raised as an error ("ignored due to race")
    raise SystemExit(128 + signum)


def _ignore(signum: int, frame: FrameType | None) -> None:
    """A signal while the worker ends already."""


def _end_with(parent: int) -> None:
    """Ask Linux for SIGTERM when the parent ends (by SIGKILL too); end now if it has ended already."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGTERM), 0, 0, 0)
        except (OSError, AttributeError):  # pragma: no cover - no prctl: the checks before each task remain
            pass
    if os.getppid() != parent:
        raise SystemExit(0)


def _portable(exc: Exception) -> tuple[Exception, str]:
    """``exc`` as it can travel to the parent (pickled), and this worker's traceback of it."""
    import pickle

    text = "".join(traceback.format_exception(exc))
    try:
        pickle.loads(pickle.dumps(exc))  # noqa: S301 - its own bytes, just made
    except Exception:  # noqa: BLE001 - an exception that does not pickle travels as its text
        return RuntimeError(f"{type(exc).__name__}: {exc}"), text
    return exc, text

"""SIGTERM ends a command the way an error does: cleaned up, with exit code 143.

SIGTERM is what ``kill``, ``timeout``, systemd, ``docker stop`` and CI cancellation send. Python's
default is to die at once, leaving temporary files and, in a batch, workers without a parent. Here
it becomes ``SystemExit(143)`` in the main thread (128 + 15, what a shell reports for a process
ended by SIGTERM), so that every ``finally`` runs: the writer removes its temporaries and puts back
what it had replaced, and a batch ends its workers and waits for them. A second SIGTERM while
that runs is ignored.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from types import FrameType


@contextlib.contextmanager
def ends_cleanly_on_sigterm() -> Iterator[None]:
    """SIGTERM raises ``SystemExit(143)`` inside the block (only in the main thread, where handlers run)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: FrameType | None) -> None:
        signal.signal(signal.SIGTERM, ignore)  # not SIG_IGN: a second one already on its way would be an error
        raise SystemExit(128 + signum)

    def ignore(signum: int, frame: FrameType | None) -> None:
        """A second SIGTERM while the first one's clean-up runs."""

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)

"""A time budget per file, so that no single note can stall an ingest.

Every pattern that runs on note text is linear (``tests/test_linear_patterns.py``), but a budget is the
guarantee: past it, the file fails with a message and the rest of the folder goes on. The budget is
enforced with a timer signal, which interrupts even a regular expression (the engine checks for signals),
so it applies where signals can be delivered: the main thread (``ingest``, ``watch``, the batch commands).
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from ingest.model import IngestError


class OverBudget(IngestError):
    """Reading and splitting one file took longer than its budget."""


@contextmanager
def time_budget(seconds: float) -> Iterator[None]:
    """Raise :class:`OverBudget` in the block once ``seconds`` have passed (0: no budget)."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def expire(*_: object) -> None:
        raise OverBudget(f"reading and splitting the file took over {seconds:g} s, so it was skipped (is it "
                         "machine-generated? raise NOTEWISE_FILE_TIME_BUDGET_S to index it)")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)

"""A time budget per file, so that no single note can stall an ingest, in any thread.

Every pattern that runs on note text is linear (``tests/test_linear_patterns.py``), but a budget is the
guarantee: past it, the file fails with a message and the rest of the folder goes on.

- In the main thread (``ingest``, the batch commands) the budget is a timer signal, which interrupts even a
  regular expression (the engine checks for signals).
- In any other thread (the app's sync, ``watch``) signals cannot be delivered, so a watchdog timer raises
  the same error in the reading thread (``PyThreadState_SetAsyncExc``). It lands between two Python steps:
  a single long call into C (one XML parse, one decompression) ends first, and the expanded-size limits
  (``NOTEWISE_MAX_UNPACKED_BYTES``, ``NOTEWISE_MAX_TEXT_CHARS``, ``NOTEWISE_MAX_LINES``) keep those short.
"""

from __future__ import annotations

import ctypes
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from ingest.model import IngestError


class OverBudget(IngestError):
    """Reading and splitting one file took longer than its budget."""


class _Expired(BaseException):
    """Raised asynchronously in the reading thread by the watchdog; turned into :class:`OverBudget`.

    A BaseException, so that a loader's ``except Exception`` cannot swallow it."""


def _message(seconds: float) -> str:
    return (f"reading and splitting the file took over {seconds:g} s, so it was skipped (is it machine-generated? "
            "raise NOTEWISE_FILE_TIME_BUDGET_S to index it)")


def _set_async_exc(thread_id: int, exc: type[BaseException] | None) -> int:
    return ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id), ctypes.py_object(exc) if exc else None)


@contextmanager
def time_budget(seconds: float) -> Iterator[None]:
    """Raise :class:`OverBudget` in the block once ``seconds`` have passed (0: no budget), in any thread."""
    if seconds <= 0:
        yield
        return
    if threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer"):
        with _signal_budget(seconds):
            yield
        return
    try:
        with _watchdog_budget(seconds):
            yield
    except _Expired:  # in the block, or in the watchdog's own clean-up as the block ended
        raise OverBudget(_message(seconds)) from None


@contextmanager
def _signal_budget(seconds: float) -> Iterator[None]:
    def expire(*_: object) -> None:
        raise OverBudget(_message(seconds))

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextmanager
def _watchdog_budget(seconds: float) -> Iterator[None]:
    target = threading.get_ident()
    guard = threading.Lock()
    state = {"armed": True, "fired": False}

    def fire() -> None:
        with guard:  # never after the block has ended: the lock orders this against the `finally` below
            if state["armed"]:
                state["fired"] = True
                _set_async_exc(target, _Expired)

    timer = threading.Timer(seconds, fire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        with guard:
            state["armed"] = False
            fired = state["fired"]
        timer.cancel()
        if fired:  # raised too late to land in the block: take it back before it lands outside
            _set_async_exc(target, None)

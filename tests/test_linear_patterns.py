"""No pattern that runs on note text can stall an ingest: every compiled regex of the modules that read
notes is fed lines of 10,000 repeated punctuation characters and must finish in well under a second.

A nested quantifier such as ``(?:[-*]+\\s*)*`` backtracks exponentially on a run of dashes (a psql result
table, a Markdown rule): indexing a folder with such a line once never finished. The patterns are found
by introspection, so a pattern added later is checked too.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import signal
import string
import time

import pytest

PACKAGES = ["ingest", "ingest.loaders", "answer", "quiz", "retrieval", "store"]
RUN = 10_000
LIMIT_S = 0.25  # a linear pattern takes a few milliseconds here; a quadratic one takes seconds


def _patterns() -> list[tuple[str, re.Pattern]]:
    found = []
    for package in PACKAGES:
        for info in pkgutil.iter_modules(importlib.import_module(package).__path__):
            module = importlib.import_module(f"{package}.{info.name}")
            found += [(f"{module.__name__}.{name}", value) for name, value in vars(module).items()
                      if isinstance(value, re.Pattern)]
    return found


def _lines(char: str) -> list[str]:
    run = char * RUN
    return [run, run + " x", "x " + run, "a" + run + "a", (char + " ") * (RUN // 2) + "x", (char + "\t") * (RUN // 2)]


class _Stalled(Exception):
    pass


def _stop(*_: object) -> None:
    raise _Stalled


PATTERNS = _patterns()


def test_the_note_reading_modules_have_patterns_to_check() -> None:
    names = {name for name, _ in PATTERNS}
    assert {"ingest.chunker._SEPARATOR", "ingest.units._SENTENCE_END", "answer.extractive._OPENER"} <= names
    assert len(PATTERNS) > 20


@pytest.mark.parametrize(("name", "pattern"), PATTERNS, ids=[n for n, _ in PATTERNS])
def test_pattern_is_linear_on_long_punctuation_runs(name: str, pattern: re.Pattern) -> None:
    previous = signal.signal(signal.SIGALRM, _stop)  # the regex engine checks signals: a runaway is cut off
    slowest, worst = 0.0, ""
    try:
        for char in string.punctuation + " \t":
            for line in _lines(char):
                started = time.perf_counter()
                signal.setitimer(signal.ITIMER_REAL, 5 * LIMIT_S)
                try:
                    pattern.search(line)
                    pattern.match(line)
                    pattern.split(line, maxsplit=50)
                except _Stalled:
                    pass
                finally:
                    signal.setitimer(signal.ITIMER_REAL, 0)
                took = time.perf_counter() - started
                if took > slowest:
                    slowest, worst = took, f"{line[:12]!r}... ({len(line)} characters)"
    finally:
        signal.signal(signal.SIGALRM, previous)
    assert slowest < LIMIT_S, f"{name} took {slowest:.2f} s on {worst}: it backtracks; make it linear"

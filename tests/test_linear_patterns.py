"""No pattern that runs on note text can stall an ingest: every compiled regex of the modules that read
notes is fed lines of repeated punctuation characters at two lengths, 8 times apart, and its time must grow
like the length, not like its square (64 times) or worse.

Growth is compared, not a wall-clock limit: another process on a busy machine slows both lengths alike, so
the ratio holds at any load, while a quadratic pattern's ratio is 64 and an exponential one's never ends
(a timer signal cuts it off, and that counts as a failure).

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

PACKAGES = ["text", "ingest", "ingest.loaders", "answer", "quiz", "retrieval", "store"]
SHORT, LONG = 1_000, 8_000  # characters in a run; LONG / SHORT = 8
#: Most the time may grow from SHORT to LONG: linear is 8, quadratic 64. Both times are the fastest of
#: REPEATS runs, so a pause of the process (another program's turn on the CPU) is not counted.
MAX_GROWTH = 24
REPEATS = 3
#: Time under which the LONG runs count as linear whatever the ratio (timer resolution and interpreter noise
#: dominate there). A linear pattern takes well under a millisecond on LONG runs; the quadratic ``-*y`` of
#: the self-check took 43 ms on this project's 2-core machine (where 50 ms once let it pass), so the floor
#: sits at a quarter of that.
NOISE_S = 0.01
STALL_S = 5.0  # a run that takes this long is stopped by a timer signal: it backtracks without end


def _patterns() -> list[tuple[str, re.Pattern]]:
    found = []
    for package in PACKAGES:
        for info in pkgutil.iter_modules(importlib.import_module(package).__path__):
            module = importlib.import_module(f"{package}.{info.name}")
            found += [(f"{module.__name__}.{name}", value) for name, value in vars(module).items()
                      if isinstance(value, re.Pattern)]
    return found


def _lines(char: str, size: int) -> list[str]:
    run = char * size
    return [run, run + " x", "x " + run, "a" + run + "a", (char + " ") * (size // 2) + "x", (char + "\t") * (size // 2)]


class _Stalled(Exception):
    pass


def _stop(*_: object) -> None:
    raise _Stalled


PATTERNS = _patterns()


def test_the_note_reading_modules_have_patterns_to_check() -> None:
    names = {name for name, _ in PATTERNS}
    assert {"ingest.chunker._SEPARATOR", "ingest.units._SENTENCE_END", "text.lines._OPENER"} <= names
    assert len(PATTERNS) > 20


def _time(pattern: re.Pattern, line: str, repeats: int = REPEATS) -> float:
    """The fastest of ``repeats`` runs of search, match and split on ``line``; inf when it stalls."""
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        signal.setitimer(signal.ITIMER_REAL, STALL_S)
        try:
            pattern.search(line)
            pattern.match(line)
            pattern.split(line, maxsplit=50)
        except _Stalled:
            return float("inf")
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        best = min(best, time.perf_counter() - started)
    return best


@pytest.mark.parametrize(("name", "pattern"), PATTERNS, ids=[n for n, _ in PATTERNS])
def test_pattern_is_linear_on_long_punctuation_runs(name: str, pattern: re.Pattern) -> None:
    previous = signal.signal(signal.SIGALRM, _stop)  # the regex engine checks signals: a runaway is cut off
    try:
        for char in string.punctuation + " \t":
            for short, long in zip(_lines(char, SHORT), _lines(char, LONG), strict=True):
                if _time(pattern, long, repeats=1) <= NOISE_S:
                    continue  # one run under the floor is enough: a pause can only make a run slower
                for _ in range(3):  # measured again before failing: a pause of this process is not the pattern
                    took_long = _time(pattern, long)
                    if took_long <= NOISE_S:
                        break
                    took_short = _time(pattern, short)
                    if took_long <= MAX_GROWTH * took_short:
                        break
                else:
                    raise AssertionError(
                        f"{name} took {took_short * 1e3:.1f} ms on {short[:12]!r}... ({len(short)} characters) and "
                        f"{took_long * 1e3:.1f} ms on {len(long)}: it backtracks; make it linear")
    finally:
        signal.signal(signal.SIGALRM, previous)


def test_the_growth_check_catches_a_quadratic_pattern() -> None:
    """The check itself: a pattern that tries every start and scans to the end is quadratic and fails it."""
    quadratic = re.compile(r"-*y")
    previous = signal.signal(signal.SIGALRM, _stop)
    try:
        short, long = _time(quadratic, "-" * SHORT), _time(quadratic, "-" * LONG)
    finally:
        signal.signal(signal.SIGALRM, previous)
    assert long > NOISE_S and long > MAX_GROWTH * short

"""The tuned numbers of ingest that are not settings, with where each came from.

The chunk size budget and the small-section merge (``chunk_max_chars``, ``chunk_min_chars``) are user
settings (settings.py); "FINDINGS" is ``bench/FINDINGS.md``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class IngestTuning:
    #: Longer lines are quoted sentence by sentence, in groups of sentences up to this length (set by hand
    #: with the units, issue 11; FINDINGS, "Choosing the answer pipeline's constants").
    long_line: int = 300
    #: Shorter units get no vector of their own: a search for them finds their chunk (set by hand, issue 11).
    min_unit_chars: int = 15
    #: A title line (a short line with no sentence punctuation, followed by bullets) is at most this long
    #: (set by hand for the shipped AWS notes' "Topic" lines).
    title_line_chars: int = 50


INGEST = IngestTuning()

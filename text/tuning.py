"""The tuned values of the text rules, with where each came from (bench/FINDINGS.md for the reasoning)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TextTuning:
    #: Initials at least this common in English (Zipf) are words of their own ("am", "it", "us"), never a
    #: name's initials. Chosen by hand on the suite's questions (bench/FINDINGS.md, "Initialisms").
    common_zipf: float = 5.0


TEXT = TextTuning()

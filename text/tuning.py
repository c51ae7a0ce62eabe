"""The tuned values of the text rules, with where each came from (bench/FINDINGS.md for the reasoning)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TextTuning:
    #: Initials at least this common in English (Zipf) are words of their own ("am", "it", "us"), never a
    #: name's initials. Chosen by hand on the suite's questions (bench/FINDINGS.md, "Initialisms").
    common_zipf: float = 5.0
    #: A table row with a cell of links only and at most this many words beside them points elsewhere (a
    #: reading list's row: "| Design an API rate limiter | [stripe.com/blog](...) |"; the system-design-primer's
    #: have 2-9). Set by hand (bench/FINDINGS.md, "Lines that point elsewhere").
    pointer_row_words: int = 10
    #: Any other line that ends with its link and has at most this many words beside it points elsewhere too
    #: ("see [this post](...)", an image's "Source: ..." caption); "In some cases, the [query cache](...) could
    #: lead to [performance issues](...)" is a sentence (7). Set by hand (same section).
    pointer_line_words: int = 3


TEXT = TextTuning()

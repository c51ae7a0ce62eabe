"""Every tuned number of retrieval in one place, with where it came from.

"FINDINGS" is ``bench/FINDINGS.md``; ``bench/suite_tune.py`` runs the sweeps on the suite's four notes
folders; docs/quality.md holds the leave-one-corpus-out table.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RetrievalTuning:
    #: Reciprocal-rank fusion constant; 60 let middling ranks outvote a first place. FINDINGS, "Choosing
    #: the answer pipeline's constants on the whole suite" (bench/suite_tune.py; docs/quality.md).
    rrf_k: int = 10
    #: RRF weights of (chunk vectors, line vectors, BM25), among a few round values. Same section.
    fusion_weights: tuple[float, float, float] = (1.0, 1.0, 1.0)
    #: Weight of the whole question against each part of a two-part question (and against a follow-up's
    #: own words). FINDINGS, "The composer, second pass" and fourth pass item 4.
    whole_question_weight: float = 2.0
    #: Content words from which a follow-up says what it asks, and is searched on its own words too (as a
    #: part of a question needs 3 words). FINDINGS, fourth pass item 4.
    own_words: int = 3
    #: Keyword candidates fetched when a scope narrows the notes, before those outside it are dropped: all of
    #: a smaller index (a limit, not tuned).
    scoped_candidates: int = 5000
    #: Lines less similar to the question add nothing to a section window's evidence (0.1 measured the same,
    #: 0.3 worse on deeplearning). FINDINGS, fourth pass.
    min_line_similarity: float = 0.2


RETRIEVAL = RetrievalTuning()

"""Every tuned number of the answer layer in one place, with where it came from.

"FINDINGS" is ``bench/FINDINGS.md`` (the reasoning and the tables behind each value); "the suite" is
``../shared/eval/suite.py`` on its four notes folders. A value marked "set by hand" was never swept.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AnswerTuning:
    # --- the extractive composer (answer/extractive.py) ------------------------------------------------
    #: Weight of a unit's cosine with the question beside its share of rare words. FINDINGS, "Choosing the
    #: answer pipeline's constants on the whole suite".
    dense_weight: float = 1.0
    #: Share of a rare word that a unit gets from its heading when the passage is chosen. FINDINGS, "The
    #: composer, second pass".
    heading_share: float = 0.5
    #: Weight of a passage's retrieval rank: a lower passage wins only when it answers clearly better.
    #: FINDINGS, fourth and fifth passes (the other three corpora choose 1.0 for each left out).
    rank_weight: float = 1.0
    #: Bonus for a line that opens with a comparison side's name; 0.25-1.0 alike. FINDINGS, fifth pass.
    subject_weight: float = 0.5
    #: A neighbour scoring under this share of the anchor's score is another topic: the quote ends there.
    #: FINDINGS, fourth pass item 7.
    floor_share: float = 0.3
    #: One quote's budget in characters (640 lost recall, 760 measured the same). FINDINGS, fourth pass.
    quote_chars: int = 700
    #: The whole answer, markers included: the suite judges answers at <= 800 characters.
    max_chars: int = 760
    #: Characters each part of a several-part answer leaves for its marker " [n]" and line break (set by hand).
    marker_chars: int = 10
    #: What a word only in the conversation (a follow-up's context) counts beside one of the question.
    #: FINDINGS, fourth pass (0.2 measured).
    context_share: float = 0.35
    #: Passages retrieved for an answer: the composer may quote any of them, a refusal lists the nearest.
    #: FINDINGS, fourth pass item 3 (the best 5 before).
    answer_k: int = 8

    # --- answerability (answer/evidence.py, answer/terms.py) -------------------------------------------
    #: Below both the quote's coverage and similarity the passage does not answer: the highest round values
    #: that refuse no answerable question of the suite. docs/quality.md, answerability table.
    min_coverage: float = 0.2
    min_similarity: float = 0.2
    #: Words rarer than this in English (Zipf; 3 = once per million words) are terms of art.
    #: bench/answerability_loco.md.
    rare_zipf: float = 2.2
    #: A section heading of at most this many words is a name ("EKS", "Lake Formation"); 0-4 alike, 6
    #: wrongly refuses 2 til answers. bench/answerability_loco.md.
    section_name_words: int = 3
    #: A name the notes use in few passages (specificity at least this) is the question's subject: the
    #: quote must hold it. 0.55-0.6 is the plateau. bench/answerability_loco.md.
    subject_specificity: float = 0.55
    #: Names this short ("AI", "ML", "DB") are too generic to say what a passage is about.
    #: bench/answerability_loco.md.
    subject_min_chars: int = 3
    #: A term of art shorter than this must be in the notes as written; no typo is allowed (set by hand).
    typo_min_chars: int = 5
    #: From this length a term of art may be two typos away from a word of the notes, else one (set by hand).
    two_typos_chars: int = 9

    # --- citations and support (answer/citations.py, answer/support.py) --------------------------------
    #: Share of the quote's words a line elsewhere must repeat to count as the same fact ("also"); set by
    #: hand when citations were written (f31d31b), never swept.
    min_also_overlap: float = 0.5
    #: Share of an unmarked sentence's words one passage must hold to be cited for it (set by hand, f31d31b).
    min_mark_overlap: float = 0.6
    #: Share of a generated answer's content words that must occur in the passages (set by hand, f31d31b).
    min_support: float = 0.6


ANSWER = AnswerTuning()

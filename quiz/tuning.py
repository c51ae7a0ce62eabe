"""Every tuned number of the quiz in one place, with where it came from.

"Table 1" is ``tests/data/grading_cases.jsonl`` (issue 4, 231 answers over two corpora); "table 2" is
``tests/data/grading_cases_v2.jsonl`` (issue 23, 350 answers over three corpora). Numbers were set on the
*tune* halves; the held-out halves were each measured once, blind, and have since served for fixing rules
(docs/quiz.md, "Grading"). ``grading_cases_v2_heldout4.jsonl`` was measured blind once (0.783) and has since
been tuned on too, and so have ``grading_cases_v2_heldout5.jsonl`` (blind once: 0.858) and
``grading_cases_v2_heldout6.jsonl`` (blind once: 0.858) and ``grading_cases_v2_heldout7.jsonl`` (blind once:
0.875); no blind half is left until a fresh one is written.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class QuizTuning:
    # --- free text (definitions): a blended score of meaning and key-term coverage ----------------------
    #: Score to pass. Table 1 tune half: best split of paraphrases from related-but-wrong (0.45/0.55 worse).
    pass_score: float = 0.5
    #: Below this an answer is wrong, not partly right. Table 1 tune half (half-definitions scored 0.35-0.5).
    partly_score: float = 0.35
    #: Cosine mapped to 0..1 from here: unrelated answers to the shipped notes sat near 0.25 (table 1 tune half).
    meaning_floor: float = 0.25
    #: ... over this span: paraphrases sat near cos 0.75 (table 1 tune half).
    meaning_span: float = 0.5
    #: Key terms at most, for meaning alone to pass ("a pause" for "delay"): table 2 tune half.
    few_keys: int = 2
    #: Rescaled meaning that then passes. Table 2 tune half: right terse answers 0.62-0.9, wrong ones <= 0.45.
    short_meaning_pass: float = 0.6
    #: How much more specific a sibling fact must be to overturn a pass (table 1 tune half).
    sibling_margin: float = 0.05
    # --- names (terms, cloze gaps, list items) --------------------------------------------------------
    #: rapidfuzz similarity (0-100) to pass as the same name. Table 1 tune half ("fargat" yes, CloudTrail no).
    term_pass: int = 85
    #: Zipf frequency each part of a compound needs for its initials to name it ("cw" for "cloudwatch":
    #: cloud 4.5, watch 5.3; heldout5's miss). 3.5 keeps rare splits out ("dyn" + "amo").
    compound_part_zipf: float = 3.5
    #: Zipf frequency under which a proper name's last word alone names it: heldout6's misses "Karpathy" (0.0)
    #: and "LeCun" (1.2); "Hinton" (2.8) passes, "Lambda" (3.1) and "Gateway" (3.8) do not.
    surname_zipf: float = 3.0
    #: Zipf frequency under which one word may spell a code by letters inside it ("erythropoietin" 2.1 for EPO,
    #: "neurotransmitter" 2.8 for NT; heldout10's misses). 3.0 keeps everyday words out ("sequences" 3.8 is
    #: no SQS, "sessions" 4.5 no SNS).
    rare_word_zipf: float = 3.0
    #: Zipf frequency both words need for one swapped for the other in a long name to be another word, not a
    #: slip ("Rights of Woman" for "Rights of Man": 5.6 and 5.9; heldout12's miss). 3.5 keeps typos that
    #: make rare words out.
    real_word_zipf: float = 3.5
    #: Content words that may stand for a name the answer replaces ("the Ottoman Empire"); more is a
    #: description, not another name ("start of the hundred days offensive"; heldout12, by hand).
    name_words: int = 3
    # --- lists ----------------------------------------------------------------------------------------
    #: Share of a list's items that is right. Table 2 tune half (3 of 4, 4 of 5 right; 2 of 3 partly right).
    list_enough: float = 0.75
    #: Share of a labelled field's key words ("X: audio clip") that says it under its label: half, so "audio
    #: recording" names "audio clip" (heldout5's miss) and "text in one language" "text sequence" (heldout4's).
    field_enough: float = 0.5
    #: Zipf frequency by which a word of the notes must beat an answer's word one slip from it for the answer's
    #: word to be read as a misspelling of it before contradictions are looked for: "diffrent" (2.2) ->
    #: "different" (5.6), while "sever" (3.0) stays itself beside "severe" (4.4) (heldout22, set by hand).
    slip_margin: float = 2.0
    #: Zipf frequency from which a term's last word less its "s" is a word English knows, so the term is a plural
    #: that asks for several things ("sources" -> "source" 4.9; "Descartes" -> "descarte" is unknown) (heldout24,
    #: set by hand).
    plural_zipf: float = 3.0
    #: A word in capitals of at least this many letters (codes such as HTTPS and REDIS are shorter) that English
    #: knows (Zipf at least ``shouted_zipf``) is a shouted word, not a code, so a slip in it is forgiven: "PELLAGRA"
    #: (Zipf 1.85), "GOITRE" (1.66) (heldout24, by hand).
    shouted_min_letters: int = 6
    shouted_zipf: float = 1.5
    #: A name said without its last or middle word is right only where that word is one English uses often (Zipf at
    #: least this): "geocentric" names "geocentric model" (5.1), "hering breuer" the reflex (3.44); "write" does not
    #: name "Write Quorum" (3.07; heldout9's teacher) (heldout23/24, set between by hand).
    generic_word_zipf: float = 3.4
    # --- which questions are asked (quiz/quality.py, quiz/spelling.py, quiz/facts.py, quiz/cloze.py) -------
    #: Zipf frequency (wordfreq, English) by which a respelling must beat the notes' spelling: the shipped notes'
    #: "MKS" -> "KMS" gains 0.8 and is right; "YAML" -> "YALM" loses 1.8 and is wrong (set between, by hand).
    respell_margin: float = 0.5
    # --- scheduling (FSRS) ----------------------------------------------------------------------------
    #: Recall probability the ``fsrs`` scheduler plans for: the package's default (FSRS-6), not tuned here.
    fsrs_retention: float = 0.9
    #: FSRS difficulty (1-10) of a card migrated from a Leitner box, which recorded none: the middle, by hand.
    leitner_difficulty: float = 5.0


QUIZ = QuizTuning()

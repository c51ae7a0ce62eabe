"""Grading: correct, partly or wrong, with a one-line reason, the expected answer and its source lines.

Choices and true/false are graded exactly. Names (terms, cloze gaps) are matched by name: typos, word order,
acronyms and their expansions, and the right spelling of a word the notes misspell are forgiven, numbers never.
A definition in the user's own words is graded by meaning: the cosine of the packaged MiniLM embeddings
blended with how many of the expected answer's key terms it covers. Explicit rules then overrule shared words
(:mod:`quiz.contradiction`): a changed number or layer, a negated or opposite claim, swapped quantifiers
("all rows" / "specific rows"), and an answer that fits a sibling fact better than the asked-for one are
wrong. An optional LLM judge decides borderline free-text scores. Odd answers (empty, emoji, 10,000
characters, orders) are screened first (:mod:`quiz.odd`).
"""

from __future__ import annotations

import math
import re
from dataclasses import replace
from typing import Protocol

import numpy as np
from rapidfuzz.distance import DamerauLevenshtein

from quiz.acronyms import VENDORS, is_acronym, same_name
from quiz.choices import choice_note, expected_choice, parse_choice
from quiz.contradiction import (
    acronym_conflict,
    code_conflict,
    comparison_conflict,
    contrast_conflict,
    count_conflict,
    formula_conflict,
    name_opposite,
    name_substituted,
    names_reversed,
    number_conflict,
    numbers,
    only_conflict,
    other_word,
    pairs_crossed,
    polarity_conflict,
    prefix_flipped,
    qualifier_conflict,
    quantifier_conflict,
    rate_conflict,
    sides_swapped,
    spelled_numbers,
    step_changed,
    swapped_attributes,
    swapped_roles,
    voice_flipped,
    worded_arrows,
)
from quiz.glossary import other_names, spelled_out
from quiz.match import (
    coverage,
    enumeration,
    evidence,
    in_notes_terms,
    keys,
    names_by_part,
    norm,
    term_similarity,
    word_match,
)
from quiz.model import EXACT_KINDS, Grade, Question, Verdict
from quiz.odd import screen
from quiz.spelling import respelled, zipf
from quiz.tuning import QUIZ

_VAGUE = re.compile(r"\b(?:few|many|several|some|lots|multiple|various|a number of)\b", re.I)

__all__ = ["Encoder", "Judge", "grade", "parse_choice"]


class Encoder(Protocol):
    """Anything with the workspace embedder's ``encode_query``: one text -> its L2-normalised vector, from a
    memo of the last few (a card's expected answer and its siblings are graded against every reply)."""

    def encode_query(self, text: str) -> np.ndarray: ...


class Judge(Protocol):
    """A second opinion on borderline free-text answers (see :mod:`quiz.judge`)."""

    def wants(self, score: float) -> bool: ...

    def __call__(self, question: Question, answer: str) -> bool: ...


def _meaning(given: str, targets: list[str], embedder: Encoder | None) -> list[float]:
    """Cosine similarity of ``given`` to each target, rescaled so unrelated ~0 and a paraphrase ~1."""
    if embedder is None:
        return [math.nan] * len(targets)
    vectors = [embedder.encode_query(text) for text in (given, *targets)]
    return [float(np.clip((float(vectors[0] @ v) - QUIZ.meaning_floor) / QUIZ.meaning_span, 0.0, 1.0)) for v in vectors[1:]]


def _blend(meaning: float, covered: float) -> float:
    return covered if math.isnan(meaning) else 0.5 * meaning + 0.5 * covered


_OPENING = {"correct": "Correct.", "partly": "Partly right.", "wrong": "Not quite."}


def _grade(q: Question, verdict: Verdict, score: float, note: str, expected: str | None = None,
           **details: float) -> Grade:
    expected = expected or q.answer
    feedback = " ".join(p for p in (_OPENING[verdict], note, f"The notes ({q.reference}) say: {expected}") if p)
    return Grade(verdict == "correct", round(score, 3), feedback, expected, q.reference, q.quote,
                 {k: round(v, 3) for k, v in details.items() if not math.isnan(v)}, verdict)


def _rival(q: Question, given: str, scores: list[float]) -> int | None:
    """The sibling the answer states more specifically than the expected answer, if it passes too and the
    answer does not deny it."""
    best: tuple[float, int] | None = None
    for i, sibling in enumerate(q.siblings, start=1):
        if scores[i] < QUIZ.pass_score or not _own_words(sibling, q.answer, given, q.term) or \
                _quoted_in(sibling, q.answer):
            continue
        if polarity_conflict(sibling, in_notes_terms(sibling, given)) is not None:
            continue  # the answer denies the sibling's fact ("the model without attention"): not a rival
        if number_conflict(sibling, given) is not None:
            continue  # the answer's number is not the sibling's ("1 minute" is not "24 minutes, 8 seconds")
        lead = evidence(sibling, q.answer, given, q.term) - evidence(q.answer, sibling, given, q.term)
        if lead > QUIZ.sibling_margin and (best is None or lead > best[0]):
            best = (lead, i)
    return best[1] if best else None


def _quoted_in(sibling: str, answer: str) -> bool:
    """The notes' answer quotes the sibling by its first three words or more ('only works for "that than which
    nothing greater..."'): an answer that completes the quote says the asked-for fact, not the sibling's."""
    start = norm(sibling).split()
    return any(len(quoted := norm(m.group(1)).split()) >= 3 and start[:len(quoted)] == quoted
               for m in _QUOTED.finditer(answer))


def _own_words(target: str, other: str, given: str, ignore: str) -> bool:
    """The answer states a word of ``target`` that ``other`` lacks: a sibling "Infrastructure as code too"
    cannot claim "infrastructure as code in yaml", whose only distinctive word is the asked-for fact's."""
    others = keys(other, ignore)
    own = [k for k in keys(target, ignore) if not any(word_match(k, o) for o in others)]
    return any(word_match(k, w) for k in own for w in keys(given))


def _conflict(q: Question, given: str) -> str | None:
    """Why the answer contradicts the notes however many words it shares with them, else None. A slip in a
    word of the notes is read as that word, and "↑"/"↓" as "increased"/"decreased" ("↑ appetite" for "↓
    appetite" is the opposite)."""
    expected = worded_arrows(q.answer)
    given = worded_arrows(respelled(given, q.answer))
    if (number := number_conflict(expected, given, q.question)) is not None:
        return f"The number is wrong: {number}."
    if (code := code_conflict(expected, given)) is not None:
        return f'The notes write "{code[1]}", not "{code[0]}": a code value needs that exact token.'
    if comparison_conflict(expected, given):
        return "It turns the comparison round."
    if (only := only_conflict(expected, given)) is not None:
        return f'The notes say only "{only[0]}", not "{only[1]}".'
    if (changed := contrast_conflict(expected, given, q.term) or qualifier_conflict(expected, given)
            or prefix_flipped(expected, given) or rate_conflict(expected, given) or acronym_conflict(expected, given)
            or formula_conflict(expected, given)) is not None:
        return f'It says "{changed[0]}" where the notes say "{changed[1]}".'
    if (named := name_substituted(expected, given, f"{q.term} {q.question}", _names_context(q), q.aliases)) is not None:
        return f'It says "{named[0]}" where the notes say "{named[1]}".'
    if (names := _swapped_names(q, expected, given) or sides_swapped(expected, given)) is not None:
        return f'It swaps "{names[0]}" and "{names[1]}".'
    if (quoted := _misquoted(expected, given)) is not None:
        return f'It quotes "{quoted[0]}" where the notes quote "{quoted[1]}".'
    if (swapped := swapped_roles(expected, given)) is not None:
        return f'It swaps "{swapped[0]}" and "{swapped[1]}".'
    if (step := step_changed(expected, given)) is not None:
        return f'It says "{step[0]}" where the notes say "{step[1]}".'
    if (flipped := voice_flipped(expected, given)) is not None:
        return f'It says "{flipped[0]}" where the notes say "{flipped[1]}".'
    if (swapped := swapped_attributes(expected, given)) is not None:
        return f'That says the opposite of the notes about "{swapped[0]}" ("{swapped[1]}" or not).'

    if (concept := polarity_conflict(expected, in_notes_terms(expected, given))) is not None:
        return f'That says the opposite of the notes about "{concept}".'
    if (noun := quantifier_conflict(expected, given)) is not None:
        return f'That swaps which {noun}s it applies to.'
    if (counted := count_conflict(expected, given)) is not None:
        return f'It counts "{counted}" wrong: the notes say one where it says several, or the reverse.'
    if (opposite := name_opposite(q.term, expected, given)) is not None:
        return f'It says "{opposite[0]}" where the name says "{opposite[1]}".'
    return None


def _swapped_names(q: Question, expected: str, given: str) -> tuple[str, str] | None:
    """Two names of the notes (``expected``: the card's answer as :func:`_conflict` reads it), or two paired
    parts, each put where the other belongs."""
    return names_reversed(expected, given, _names_context(q), q.aliases) or pairs_crossed(expected, given)


def _names_context(q: Question) -> str:
    """Where the notes' names are written as names: the cited lines and the section's other facts."""
    return "\n".join((q.quote, *q.siblings))


_QUOTED = re.compile(r'["\u201c]([^"\u201c\u201d]+)["\u201d]')


def _misquoted(expected: str, given: str) -> tuple[str, str] | None:
    """(the answer's quote, the notes' quote) when both quote a sentence (three words or more) and not the
    same one: a quotation is its exact words ("The cat is on the mat." is not "There is a cat on the mat.")."""
    def sentences(text: str) -> list[str]:
        return [m.group(1).strip() for m in _QUOTED.finditer(text) if len(m.group(1).split()) >= 3]

    theirs, mine = sentences(expected), sentences(given)
    if not theirs or not mine or any(term_similarity(t, m) == 1.0 or norm(t) == norm(m) for t in theirs for m in mine):
        return None
    return mine[0], theirs[0]


#: "X, while green is Y", "X and the purple is Y", "X. sufficient: Y": a definition line that states a second
#: fact about another subject after the one asked about. Each pattern is searched for its separator alone (the asked
#: fact is what comes before it, the other fact what follows), and a separator begins only after a
#: non-space: a ``^(.+?)\s+while`` form retries the whitespace at every start and is quadratic on a long
#: run of spaces.
_SECOND_FACT_SEPARATORS = (
    re.compile(r"(?:,\s*(?:while|whereas|and)|(?<=\S)\s+(?:while|whereas))\s+(?:the\s+)?"
               r"(?P<subject>[\w-]+)\s+(?:is|are)\s+", re.I),
    re.compile(r"(?<=\S)\s+and\s+the\s+(?P<subject>[\w-]+)\s+(?:is|are)\s+", re.I),
    # a next sentence that defines another label: "can't have X w/out it. sufficient: enough to guarantee X"
    re.compile(r"(?<=\w)\.\s+(?P<subject>[A-Za-z][\w-]*):\s+"),
)


def two_facts(answer: str) -> tuple[str, str] | None:
    """(the asked-for fact, the other subject's fact) of a two-fact definition line, else None: "the
    labeled output and the purple is the predicted output." -> ("the labeled output", "the predicted
    output.")."""
    line = answer.strip()
    for separator in _SECOND_FACT_SEPARATORS:
        m = separator.search(line, 1)
        if m is not None and m.end() < len(line):
            asked, other = line[:m.start()].strip(" ,;"), line[m.end():].strip()
            return (asked, other) if re.search(r"\w", asked) and keys(other) else None
    return None


def grade_free(q: Question, given: str, embedder: Encoder | None) -> Grade:
    """A definition in the user's own words. A two-fact line is graded on the fact asked about, and an
    answer that states the other subject's fact describes something else."""
    if (facts := two_facts(q.answer)) is not None:
        asked, other = facts
        result = grade_free(replace(q, answer=asked, siblings=(other, *q.siblings)), given, embedder)
        if result.feedback.endswith(asked):
            result = replace(result, feedback=result.feedback[:-len(asked)] + q.answer, expected=q.answer)
        return result
    if is_acronym(q.term) and same_name(q.term, given) and \
            (not same_name(q.term, q.answer) or term_similarity(q.answer, given) * 100 >= QUIZ.term_pass):
        return _grade(q, "correct", 1.0, f"That is what {q.term} stands for.")
    if is_acronym(q.term) and same_name(q.term, q.answer):  # the notes spell it out: name it as they do
        return grade_term(q, given)
    if items := enumeration(q.answer, counted=bool(re.match(r"\d+\s", q.term))):
        return grade_items(q, given, items)
    said = spelled_out(given, q.aliases)  # the notes' shorthand read as they define it: "rxns" -> "reactions"
    targets = [spelled_out(t, q.aliases) for t in (q.answer, *q.siblings)]
    meanings = _meaning(said, targets, embedder)
    scores = [_blend(m, coverage(t, said, q.term)[0]) for t, m in zip(targets, meanings, strict=True)]
    covered, missed = coverage(targets[0], said, q.term)
    signals = {"meaning": meanings[0], "coverage": covered}
    if scores[0] >= QUIZ.partly_score and (reason := _conflict(q, given)) is not None:
        return _grade(q, "wrong", scores[0], reason, **signals)
    if (rival := _rival(q, given, scores)) is not None:
        return _grade(q, "wrong", scores[0], f'That describes something else in the notes ("{targets[rival]}").',
                      rival=scores[rival], **signals)
    verdict: Verdict = "correct" if scores[0] >= QUIZ.pass_score else "partly" if scores[0] >= QUIZ.partly_score else "wrong"
    if verdict != "correct" and (_names_alias(q, given) or _short_synonym(q, meanings[0]) or _names_head(q, given)
                                 or _names_alternative(q, given)):
        if (reason := _conflict(q, given)) is not None:
            return _grade(q, "wrong", scores[0], reason, **signals)
        return _grade(q, "correct", max(scores[0], QUIZ.pass_score), "It says what the notes say.", **signals)
    note = "It says what the notes say." if verdict == "correct" else \
        f"Missing: {', '.join(missed[:5])}." if missed else "That is not what the notes say."
    if verdict == "correct" and _vague_number(q, given):
        verdict, note = "partly", "The notes give the number."
    elif verdict == "correct" and _too_short(q, given, covered):
        verdict, note = "partly", f"Too little to show it; missing: {', '.join(missed[:5])}."
    elif verdict == "correct" and _only_part(q, given, covered) and not _names_alias(q, given) and \
            not _names_alternative(q, given):
        verdict, note = "partly", f"Only part of it; missing: {', '.join(missed[:5])}."
    return _grade(q, verdict, scores[0], note, **signals)


_ALIAS = re.compile(r"\b(?:called|calls?\s+(?:it|this|them)|known as|aka|a\.k\.a\.|named|also(?!\s+calls?\b))\s+(?:the\s+|an?\s+)?(?P<name>[\w-]+(?:\s[\w-]+)?)",
                    re.I)


def _names_alias(q: Question, given: str) -> bool:
    """The answer is the other name the notes give the thing ("the margin" for "a small number. Sometimes
    it's called the margin.")."""
    mine = keys(given, q.term)
    return any(mine and all(any(word_match(k, w) for k in keys(m.group("name"))) for w in mine)
               for m in _ALIAS.finditer(q.answer))


def _names_head(q: Question, given: str) -> bool:
    """The answer is the head of a definition that goes on to give details ("the clergy" for "clergy, ~0.5%
    of pop., owned ~10% of land, paid no taille"): the first of three or more parts, a name of at most
    :data:`QUIZ.few_keys` words without numbers, said whole, where the other parts are phrases (two key
    words or more, the lower median) rather than the items of a list ("accuracy, toxicity, robustness";
    "high T, low P, small nonpolar gas"). Not for a term that names several things (:func:`_plural`)."""
    if _plural(q.term):
        return False  # "What is 'sources'?" asks for the sources: "dairy" is one of a list, not its head
    parts = [p for p in re.split(r"[,;]", q.answer) if p.strip()]
    head = keys(parts[0], q.term) if parts else []
    mine = keys(given, q.term)
    details = sorted(len(keys(p, q.term)) for p in parts[1:])
    return len(parts) >= 3 and 0 < len(head) <= QUIZ.few_keys and not re.search(r"\d", parts[0]) and \
        details[(len(details) - 1) // 2] >= 2 and len(mine) == len(head) and \
        all(any(word_match(h, w) for w in mine) for h in head)


def _plural(term: str) -> bool:
    """The term names several things: its last word is the plural of a word English knows well ("sources",
    "functions", "symptoms", "properties"; not "status", "analysis", "CSS")."""
    last = term.split()[-1].lower() if term.split() else ""
    if len(last) < 4 or not last.isalpha() or not last.endswith("s") or last.endswith(("ss", "us", "is")):
        return False
    singular = last[:-3] + "y" if last.endswith("ies") else last[:-1]
    return zipf(singular) >= QUIZ.plural_zipf


def _names_alternative(q: Question, given: str) -> bool:
    """The answer is one of the names the notes offer as alternatives before their remark ("flourishing" for
    "flourishing/living well (better than 'happiness' - not a feeling)"): each a name of at most
    :data:`QUIZ.few_keys` words, said whole."""
    head = re.split(r"\s*\(|\s-{1,3}\s", q.answer, maxsplit=1)[0]
    if "/" not in head or head == q.answer.strip():
        return False
    mine = keys(given, q.term)
    for name in head.split("/"):
        theirs = keys(name, q.term)
        if 0 < len(theirs) <= QUIZ.few_keys and len(mine) == len(theirs) and \
                all(any(word_match(t, w) for w in mine) for t in theirs):
            return True
    return False


def _short_synonym(q: Question, meaning: float) -> bool:
    """A one- or two-word definition said with other words ("a pause" for "delay"): meaning alone decides."""
    return not math.isnan(meaning) and 0 < len(set(keys(q.answer, q.term))) <= QUIZ.few_keys and \
        meaning >= QUIZ.short_meaning_pass


def _only_part(q: Question, given: str, covered: float) -> bool:
    """Every word of the answer is in the notes' answer, but it says at most half of it ("a data
    warehouse" for "hybrid of data warehouse and datalake")."""
    mine, theirs = keys(given, q.term), keys(q.answer, q.term)
    return covered < 0.5 and len(theirs) >= 2 * max(1, len(mine)) and \
        all(any(word_match(t, w) for t in theirs) for w in mine)


def _too_short(q: Question, given: str, covered: float) -> bool:
    """An answer of one or two key words that names at most one of a long answer's key words ("comparing
    rocks" for "matching rock units of the same age in diff places"): its meaning may be near, but it does not
    show the fact. Not when it says the notes' other name for it, or its head."""
    theirs = set(keys(q.answer, q.term))
    return len(keys(given, q.term)) <= 2 and len(theirs) >= 5 and covered * len(theirs) <= 1 and \
        not (_names_alias(q, given) or _names_head(q, given) or _names_alternative(q, given))


def _vague_number(q: Question, given: str) -> bool:
    """"few layers" where the notes say "one or two layers": right in spirit, without the number."""
    return bool(numbers(spelled_numbers(q.answer))) and not numbers(spelled_numbers(given)) and \
        bool(_VAGUE.search(given))


def grade_term(q: Question, given: str) -> Grade:
    """A cloze gap or a term: the right name, typos and word order forgiven."""
    named = [*_named(given), *_less_shown_words(q, given)]
    similarity = max(max(term_similarity(q.answer, said) for said in named), 0.95 * _notes_spelling(q, given),
                     0.95 * _leaves_out_shown_words(q, given))
    if similarity * 100 < QUIZ.term_pass and names_by_part(q.answer, given, q.siblings):
        similarity = QUIZ.term_pass / 100  # "geocentric" for "geocentric model"
    rivals = [s for s in q.siblings if not _part_of(s, q.answer) and (term_similarity(s, given) > similarity
                                                                       or norm(s) == norm(given) != norm(q.answer))]
    passed = similarity * 100 >= QUIZ.term_pass and not rivals
    note = f'"{given.strip()}" is another term in the notes.' if rivals else ""
    if passed and (changed := other_word(q.answer, given)) is not None:
        return _grade(q, "wrong", similarity, f'It says "{changed[0]}" where the notes say "{changed[1]}".',
                      similarity=similarity)
    if passed and similarity < 1 and _other_word_of_the_line(q, given):
        return _grade(q, "wrong", similarity, f'"{given.strip()}" is another name on the same line of the notes.',
                      similarity=similarity)
    if passed and similarity < 1 and given.strip().lower() != q.answer.lower():
        note = f'(The notes write it "{q.answer}".)'
    return _grade(q, "correct" if passed else "wrong", similarity, note, similarity=similarity)


def _other_word_of_the_line(q: Question, given: str) -> bool:
    """The answer, close in letters to the expected name, is another name of the card's own line: "Blenkarn"
    (the rogue) for "Blenkiron" (the firm he posed as) is no slip. The notes' own misspelling of the answer
    is no other name."""
    said, answer = norm(given), norm(q.answer)
    line = norm(q.quote).replace(answer, " ")
    slip = DamerauLevenshtein.normalized_distance(said, answer) <= 0.4  # close in letters, not "cloudtrail" for "CT"
    return bool(said) and slip and said not in answer and not _notes_spelling(q, given) and \
        re.search(rf"(?<!\S){re.escape(said)}(?!\S)", line) is not None


def _part_of(sibling: str, answer: str) -> bool:
    """The sibling's words are all words of the answer: "axon" is no rival of "axon terminals"."""
    words = norm(answer).split()
    return set(norm(sibling).split()) <= set(words) and len(norm(sibling).split()) < len(words)


def _less_shown_words(q: Question, given: str) -> list[str]:
    """The answer without the words it repeats from the question or its topic and that the expected name lacks
    ("unilat. mistake" under "Types of mistake", for "unilateral"): they say what was asked, not a different
    name. [] when nothing is left or nothing was taken."""
    shown = set(norm(f"{q.question} {q.topic}").split()) - set(norm(q.answer).split())
    words = given.split()
    kept = [w for w in words if norm(w) not in shown]
    return [" ".join(kept)] if kept and len(kept) < len(words) else []


def _leaves_out_shown_words(q: Question, given: str) -> bool:
    """A gap's name said without the words its sentence already shows: "vertical" for "Vertical Scaling"
    where the sentence reads "... than scaling up a single server ..., called _____"."""
    if q.kind != "cloze":
        return False
    shown = set(norm(q.question).split())
    name = norm(q.answer).split()
    rest = [w for w in name if w not in shown]
    return 0 < len(rest) < len(name) and len("".join(rest)) >= 3 and len(norm(given).split()) == len(rest) and \
        term_similarity(" ".join(rest), given) >= 0.95


_REMARK = re.compile(r"^(?P<name>[^()]*[^()\s])\s*\((?P<remark>(?:[^()]|\([^()]*\))+)\)\s*$")
#: "X - what it is": what follows the dash says what X is ("fundamental attribution error - overestimating ...").
_DASHED = re.compile(r"(?<=\S)\s[-–]\s(?=\S)")
#: "X of Y": the name, then what it is of ("piagets 4 stages of cognitive development").
_OF = re.compile(r"(?<=\S)\sof\s(?=\S)", re.I)
#: "X, e.g. an example": what follows is an example of X, not another name.
_EXAMPLE = re.compile(r"[,;]?\s(?:e\.\s?g\.?|i\.\s?e\.?|for example|such as|like)\s", re.I)


#: "the objection from luck": a two-word name said the other way round with "of" or "from" ("luck objection").
_NOUN_OF = re.compile(r"(?:the\s+)?([a-z]+)\s+(?:of|from)\s+(?:the\s+)?([a-z]+)", re.I)


def _named(given: str) -> list[str]:
    """What a short answer names: itself, and for "name (remark)" the name and the remark, each on its own (a
    bracketed remark is detail: "300 (seconds, so 5 minutes)", "ctrl+c (a keyboard interrupt)"); a remark
    that denies ("(not X)") names nothing. "name, e.g. an example", "name - what it is" and "name of what"
    name the name, and "the objection from luck" names "luck objection"."""
    m = _REMARK.match(given.strip())
    if m is None:
        example = _EXAMPLE.search(given) or _DASHED.search(given) or _OF.search(given)
        name = given[:example.start()].strip() if example else ""
        inverted = [f"{o.group(2)} {o.group(1)}"] if (o := _NOUN_OF.fullmatch(given.strip())) else []
        return [given, name, *inverted] if name and not re.search(r"[,;]", name) else [given, *inverted]
    remark = m.group("remark")
    return [given, *_named(m.group("name"))] + ([] if re.match(r"\s*(?:not|no|never)\b", remark, re.I) else [remark])


def _notes_spelling(q: Question, given: str) -> bool:
    """The notes' own misspelling of an answer asked with the right spelling ("MKS" where the card asks
    for KMS): a word of the cited lines with the same letters, one swap apart."""
    g, e = norm(given), norm(q.answer)
    if re.search(r"\d", g):
        return False  # "1950" for 1905 is another year of the line, never a slip
    return g != e and sorted(g) == sorted(e) and DamerauLevenshtein.distance(g, e) == 1 and \
        bool(re.search(rf"(?<![\w-]){re.escape(given.strip())}(?![\w-])", q.quote, re.I))


def _short_forms(items: list[str] | tuple[str, ...]) -> list[str]:
    """Each item without vendor words and words it shares with another item: "EC2 auto scaling" ->
    "auto scaling", "Amazon sns" -> "sns", "symmetric key" -> "symmetric"."""
    words = [norm(item).split() for item in items]
    shared = {w for i, ws in enumerate(words) for w in ws if any(w in o for j, o in enumerate(words) if j != i)}
    forms = [" ".join(w for w in ws if w not in shared and w not in VENDORS) for ws in words]
    return forms if all(forms) and len(set(forms)) == len(forms) else list(items)


def _heads(things: list[str]) -> dict[str, str]:
    """An item's last word when no other item ends with it: "CPUs" names "Powerful CPUs"."""
    last = [t.split()[-1].lower() for t in things]
    return {t: t.split()[-1] for t, w in zip(things, last, strict=True)
            if len(t.split()) > 1 and len(w) >= 3 and last.count(w) == 1}


def _sub_items(items: list[str] | tuple[str, ...]) -> list[str]:
    """The things a list names: a bullet "xml, json" is two, a note in brackets is not one
    ("push it on repository(dockerhub, ECR)" is "push it on repository")."""
    out: list[str] = []
    for item in items:
        bare = re.sub(r"\s*\([^)]*\)?\s*$|\s+-\s*\S.*$", "", item).strip() or item
        parts = [p.strip() for p in bare.split(",") if p.strip()]
        out += parts if len(parts) > 1 and all(len(p.split()) <= 3 for p in parts) else [bare]
    return list(dict.fromkeys(out))


def _outer(items: list[str] | tuple[str, ...], quote: str) -> list[str] | tuple[str, ...]:
    """The items at the list's outermost indent in the cited lines: a bullet the notes indent under another
    is a detail of it ("Like He initialization" under "Weight initialization"), not an item to name."""
    indent: dict[str, int] = {}
    for line in quote.splitlines():
        body = re.sub(r"^\s*(?:[-*+\u2022]|\d{1,2}[.)])\s+", "", line).strip()
        for item in items:
            if item not in indent and body.lower().startswith(item.lower()):
                indent[item] = len(line) - len(line.lstrip())
    if len(indent) != len(items) or len(set(indent.values())) < 2:
        return items
    outer = [item for item in items if indent[item] == min(indent.values())]
    return outer if len(outer) >= 2 else items


_FIELD = re.compile(r"^\s*(?P<label>[A-Za-z][\w-]{0,20})\s*:\s*(?P<value>\S.*)$")
#: A field's label and the names it goes by: X is the input of a mapping, Y its output.
_LABEL_ALIASES = {"x": "input", "y": "output", "input": "input", "output": "output", "inputs": "input",
                  "outputs": "output"}


def _fields(items: list[str] | tuple[str, ...]) -> list[tuple[str, str]] | None:
    """(label, value) of each item when every item is a labelled field ("X: audio clip", "Y: transcript"),
    else None. A bracketed remark of a value is detail."""
    found = [m for item in items if (m := _FIELD.match(item))]
    if len(found) != len(items) or len(found) < 2:
        return None
    fields = [(_LABEL_ALIASES.get(m["label"].lower(), m["label"].lower()),
               re.sub(r"\s*\([^)]*\)", "", m["value"]).strip() or m["value"]) for m in found]
    return fields if len({label for label, _ in fields}) == len(fields) else None


_AS_LABEL = re.compile(r"\bas\s+(?:the\s+|an?\s+|its\s+)?$", re.I)


def _said_fields(given: str, labels: set[str]) -> dict[str, str]:
    """What the answer says under each label: the text up to the next label ("X: ...", "the input is ..."),
    or back to the previous one when the label follows its value ("the frames as input, the label as
    output")."""
    names = [name for name, label in _LABEL_ALIASES.items() if label in labels] + \
        [label for label in labels if label not in _LABEL_ALIASES.values()]
    pattern = re.compile(r"(?<![\w-])(" + "|".join(sorted(map(re.escape, names), key=len, reverse=True)) +
                         r")(?![\w-])", re.I)
    marks = [m for m in pattern.finditer(given)  # a one-letter label only before ":", "=" or "is": "X: ..."
             if len(m.group(1)) > 1 or re.match(r"\s*(?::|=|is\b|are\b)", given[m.end():], re.I)]
    said: dict[str, str] = {}
    for before, m, nxt in zip([None, *marks[:-1]], marks, [*marks[1:], None], strict=True):
        label = _LABEL_ALIASES.get(m.group(1).lower(), m.group(1).lower())
        if _AS_LABEL.search(given, 0, m.start()):  # "video frames as input": the value comes first
            said.setdefault(label, given[before.end() if before else 0:m.start()])
        else:
            said.setdefault(label, given[m.end():nxt.start() if nxt else len(given)])
    return said


def grade_fields(q: Question, given: str, fields: list[tuple[str, str]]) -> Grade | None:
    """Labelled fields ("X: wave sequence; Y: text sequence") answered under their labels or what they
    stand for (X the input, Y the output): each field's value must be said under its own label, in other
    words allowed (``QUIZ.field_enough`` of its key words); a value said under another field's label swaps
    them. None when the answer names the labels of not all fields (graded as a list then)."""
    said = _said_fields(given, {label for label, _ in fields})
    if len(said) < len(fields):
        return None
    found = []
    for label, value in fields:
        own = coverage(value, said[label])[0]
        for other, other_value in fields:
            if norm(other_value) != norm(value) and coverage(other_value, said[label])[0] > own:
                return _grade(q, "wrong", 0.0, f'It swaps what the notes say for "{label}" and "{other}".')
        if own >= QUIZ.field_enough:
            found.append(label)
    verdict: Verdict = "correct" if len(found) == len(fields) else "partly" if found else "wrong"
    return _grade(q, verdict, len(found) / len(fields), f"{len(found)} of {len(fields)}.", found=len(found))


def grade_items(q: Question, given: str, items: list[str] | tuple[str, ...]) -> Grade:
    """Name the items: all of them is correct, and so are most of a list of four or more (``QUIZ.list_enough`` of
    its bullets, or of the things they name: "xml, json" is two); some of them is partly right. Bullets the
    notes indent under another item are its details, not items."""
    items = _outer(items, q.quote)
    if (names := pairs_crossed(q.answer, given) or _remarks_swapped(items, given)) is not None:
        return _grade(q, "wrong", 0.0, f'It swaps "{names[0]}" and "{names[1]}".')
    if (fields := _fields(items)) is not None and (result := grade_fields(q, given, fields)) is not None:
        return result
    segments = [s for s in re.split(r"[,;\n/&]|\band\b|\bor\b", given) if s.strip()] or [given]
    said = segments + [other for s in segments for other in other_names(s, q.aliases)]  # "britain" says "GB"
    bullets = [_sub_items([item]) for item in items]
    things = list(dict.fromkeys(t for b in bullets for t in b))
    heads = _heads(things)
    found = [thing for thing, short in zip(things, _short_forms(things), strict=True)
             if max(max(term_similarity(thing, s), term_similarity(short, s),
                        term_similarity(heads.get(thing, thing), s)) for s in said) * 100 >= QUIZ.term_pass
             or coverage(thing, given)[0] >= 0.67]
    missed = [thing for thing in things if thing not in found]
    named = sum(any(t in found for t in b) for b in bullets)
    strays = _strays(things, segments, q.aliases)
    enough = max(named / len(bullets), len(found) / len(things)) >= QUIZ.list_enough and \
        max(len(bullets), len(things)) >= 4 and not strays
    verdict: Verdict = "correct" if not missed or enough else "partly" if found else "wrong"
    note = f"{len(found)} of {len(things)}." + (f" Missing: {'; '.join(missed)}." if missed else "") + \
        (f' Not in the list: {"; ".join(strays)}.' if strays and missed else "")
    return _grade(q, verdict, len(found) / len(items), note, found=len(found))


#: "name (remark)" as a part of a list: it starts the text or follows a comma or semicolon (linear: a possessive
#: name that stops at a bracket or a separator).
_NAMED_REMARK = re.compile(r"(?:^|(?<=[,;]))\s*+([^,;()]++)\(([^()]++)\)")


def _remarks_swapped(items: list[str] | tuple[str, ...], given: str) -> tuple[str, str] | None:
    """(the answer's remark, the notes') when the answer gives an item the remark the notes give another
    item: "St Germain (Hungary)" where the notes say "St Germain (Austria), Trianon (Hungary)"."""
    theirs = [(m["name"], m["remark"]) for item in items if (m := _REMARK.match(item.strip()))]
    for m in _NAMED_REMARK.finditer(given):
        name, remark = m.group(1).strip(), m.group(2)
        own = [r for n, r in theirs if term_similarity(n, name) * 100 >= QUIZ.term_pass]
        if own and not any(term_similarity(r, remark) * 100 >= QUIZ.term_pass for r in own) and \
                any(term_similarity(r, remark) * 100 >= QUIZ.term_pass for n, r in theirs if r not in own):
            return remark, own[0]
    return None


def _strays(things: list[str], segments: list[str], aliases: tuple[tuple[str, str], ...]) -> list[str]:
    """The parts of a list answer that name no item of the list, by none of the names the notes give it:
    "british" among "german, russian, ottoman" for the four empires that fell. Most of a list with a wrong
    item in it shows the list is not known."""
    return [s.strip() for s in segments if keys(s) and
            not any(max(term_similarity(thing, form) for thing in things) * 100 >= QUIZ.term_pass or
                    any(coverage(thing, form)[0] > 0 or coverage(form, thing)[0] > 0 for thing in things)
                    for form in (s, *other_names(s, aliases)))]


def grade_choice(q: Question, given: str) -> Grade:
    chosen = parse_choice(q, given)
    right = chosen == q.answer
    return _grade(q, "correct" if right else "wrong", float(right), choice_note(q, chosen), expected_choice(q))


def _second_opinion(q: Question, given: str, result: Grade, judge: Judge) -> Grade:
    """The judge's verdict on a borderline answer; the deterministic one when the judge fails."""
    from backends import BackendError

    try:
        verdict = judge(q, given)
    except BackendError as exc:
        return replace(result, feedback=f"{result.feedback} (The model could not judge: {exc})")
    if verdict == result.correct:
        return result
    note = "The model judged this right." if verdict else "The model judged this wrong."
    return _grade(q, "correct" if verdict else "wrong", result.score, note, result.expected, **result.details,
                  judged=1.0)


def grade(question: Question, answer_text: str, embedder: Encoder | None = None,
          judge: Judge | None = None) -> Grade:
    """Grade ``answer_text``; ``embedder`` (the workspace's) adds meaning to free-text grading and
    ``judge`` (an LLM, optional) decides free-text answers whose score is borderline."""
    screened = screen(answer_text)
    if screened.reply:
        expected = expected_choice(question) if question.kind in EXACT_KINDS else None
        return _grade(question, "wrong", 0.0, screened.reply, expected)
    text = screened.text
    if question.kind in EXACT_KINDS:
        result = grade_choice(question, text)
    elif question.kind == "list":
        result = grade_items(question, text, question.parts)
    elif question.kind in ("term", "cloze"):
        result = grade_term(question, text)
    else:
        result = grade_free(question, text, embedder)
        if judge is not None and not screened.orders and judge.wants(result.score):
            result = _second_opinion(question, text, result, judge)
    if screened.note:
        result = replace(result, feedback=result.feedback.replace(" The notes (", f" {screened.note} The notes (", 1))
    return result

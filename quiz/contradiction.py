"""Explicit rules that make an answer wrong however many words it shares with the notes.

- **Numbers**: a number the answer states that the cited lines do not ("layer 4" where the notes say layer 7),
  or a number of the notes put where another one belongs ("max object 5 GB" where the notes say 5 TB for the
  max object and 5 GB for multipart upload).
- **Polarity**: a claim negated on one side and asserted on the other ("takes files out of the staging area"
  for "add ... to staging area"; "not logged by default" for "logged by default"). Negation words (not, no,
  without, untouched, ...) and a small lexicon of opposites (add/remove, long/short, fast/slow, likely/unlikely,
  most/least, high/low, ...) set each concept's polarity; a double negation ("not permanent") is an opposite.
- **Quantifiers**: "all rows + specific columns" is not "all columns + specific rows".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from quiz.spelling import prefixed_opposite

_WORD_NUMBERS = {"zero": "0", "one": "1", "single": "1", "two": "2", "three": "3", "four": "4", "five": "5",
                 "six": "6", "seven": "7", "eight": "8", "nine": "9", "ten": "10", "twelve": "12",
                 "hundred": "100", "thousand": "1000", "million": "1000000"}
_UNITS = ("gb", "tb", "mb", "kb", "ms", "sec", "s", "min", "h", "hours", "days", "day", "months", "years", "%")
_NUMBER = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s?(" + "|".join(_UNITS) + r")?(?![\w])", re.I)
_BREAK = re.compile(r"[.,;:!?()+=/]|\s-+\s|\b(?:but|because|since|while|whereas|that|which|who)\b")
_WORDS = re.compile(r"[a-z0-9]+(?:'t)?")

#: word -> (concept, polarity): the concept a word speaks of and whether it asserts (+1) or denies (-1) it.
OPPOSITES: dict[str, tuple[str, int]] = {}
for _pos, _neg in (("add", "remove"), ("add", "delete"), ("add", "out"), ("permanent", "temporary"),
                   ("long", "short"), ("fast", "slow"),
                   ("likely", "unlikely"), ("most", "least"), ("more", "less"), ("high", "low"), ("higher", "lower"),
                   ("good", "bad"), ("better", "worse"), ("best", "worst"), ("stateful", "stateless"),
                   ("public", "private"), ("upload", "download"), ("include", "exclude"), ("enable", "disable"),
                   ("same", "different"), ("large", "small"), ("big", "small"), ("increase", "decrease"),
                   ("max", "min"), ("maximum", "minimum"), ("inbound", "outbound"), ("synchronous", "asynchronous"),
                   ("encrypt", "decrypt"), ("exact", "heuristic"), ("exact", "approximate"), ("free", "paid"),
                   ("structured", "unstructured"), ("manual", "automatic"), ("manually", "automatically"),
                   ("before", "after"), ("always", "never"), ("supervised", "unsupervised")):
    OPPOSITES.setdefault(_pos, (_pos, 1))
    OPPOSITES.setdefault(_neg, (_pos, -1))
OPPOSITES.update({"better": ("good", 1), "worse": ("good", -1), "best": ("good", 1), "worst": ("good", -1),
                  "temp": ("permanent", -1), "persistent": ("permanent", 1), "long-term": ("long", 1)})
_NEGATORS = frozenset({"not", "no", "never", "without", "cannot", "can't", "don't", "doesn't", "isn't", "aren't",
                       "won't", "neither", "nor", "lacks", "lack", "lacking", "missing", "unable", "except",
                       "untouched", "unaffected", "unchanged", "alone", "intact"})
_POSTFIX_NEGATORS = frozenset({"untouched", "unaffected", "unchanged", "alone", "intact"})
_COPULAS = frozenset({"is", "are", "was", "were", "be", "does", "do", "did", "can", "will", "has", "have"})
_QUANTIFIERS = {"all": 1, "every": 1, "each": 1, "whole": 1, "any": 1, "specific": -1, "certain": -1,
                "some": -1, "only": -1, "particular": -1, "selected": -1, "few": -1}
_SKIP = frozenset({"a", "an", "the", "of", "to", "it", "its", "this", "that", "by", "for", "on", "at", "with", "and",
                   "or", "as", "be", "is", "are", "was", "were", "very", "so", "but", "also", "then", "there", "in",
                   "into", "from", "over", "under", "up", "than", "which", "who", "what", "when", "where"})
_SCOPE = 3  # content words a forward negation reaches


@dataclass(frozen=True)
class Claim:
    word: str  # the concept, e.g. "likely" for both "likely" and "unlikely"
    polarity: int


def _stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s", "ion"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[:-len(suffix)]
    return word


def _same(a: str, b: str) -> bool:
    """One word up to an ending or a typo ("merges" / "merging", "object" / "objects")."""
    if a == b or _stem(a) == _stem(b):
        return True
    if min(len(a), len(b)) < 4 or prefixed_opposite(a, b):
        return False
    return a[:5] == b[:5] and min(len(a), len(b)) >= 5 or fuzz.ratio(a, b) >= 85


def _clauses(text: str) -> list[list[str]]:
    """Lower-case word lists split at punctuation, " - " and "but"."""
    parts = (_WORDS.findall(part) for part in _BREAK.split(text.lower().replace("\u2019", "'")))
    return [p for p in parts if p]


def claims(text: str) -> list[Claim]:
    """Each content word of ``text`` with its polarity after negation words and opposites."""
    found: list[Claim] = []
    for clause in _clauses(text):
        flip_all = any(w in _POSTFIX_NEGATORS for w in clause) or any(
            w in _NEGATORS and i > 0 and clause[i - 1] in _COPULAS for i, w in enumerate(clause))
        reach = 0
        for word in clause:
            if word in _NEGATORS:
                reach = _SCOPE
                continue
            if word in _SKIP or word in _QUANTIFIERS or word in _COPULAS:
                continue
            concept, polarity = OPPOSITES.get(word, (word, 1))
            if reach > 0 or flip_all:
                polarity = -polarity
            reach = max(0, reach - 1)
            found.append(Claim(concept, polarity))
    return found


def polarity_conflict(expected: str, given: str) -> str | None:
    """The concept the answer asserts where the notes deny it (or the reverse); None when they agree.
    An agreement on a denied concept ("working dir untouched" / "not effect working dir") outweighs."""
    theirs = claims(expected)
    conflicts, agreed_denials = [], 0
    for mine in claims(given):
        matches = [c for c in theirs if _same(c.word, mine.word)]
        if not matches:
            continue
        if any(c.polarity == mine.polarity for c in matches):
            agreed_denials += mine.polarity < 0
        else:
            conflicts.append(mine.word)
    return conflicts[0] if conflicts and not agreed_denials else None


def _quantified(text: str) -> dict[str, int]:
    """noun -> +1 (all, every) or -1 (specific, only, some) for each quantified noun."""
    bound: dict[str, int] = {}
    for clause in _clauses(text):
        pending = 0
        for word in clause:
            if word in _QUANTIFIERS:
                pending = _QUANTIFIERS[word] if pending == 0 else min(pending, _QUANTIFIERS[word])
            elif pending and word not in _SKIP:
                bound.setdefault(word.rstrip("s"), pending)
                pending = 0
    return bound


def quantifier_conflict(expected: str, given: str) -> str | None:
    theirs, mine = _quantified(expected), _quantified(given)
    for noun, sign in mine.items():
        for other, their_sign in theirs.items():
            if _same(noun, other) and sign != their_sign:
                return noun
    return None


def spelled_numbers(text: str) -> str:
    """``text`` with number words as digits ("one" -> "1") and "L7" as "layer 7"."""
    text = re.sub(r"\b[lL](\d)\b", r"layer \1", text)
    return re.sub(r"\b(" + "|".join(_WORD_NUMBERS) + r")\b", lambda m: _WORD_NUMBERS[m.group(1).lower()], text,
                  flags=re.I)


def numbers(text: str) -> list[tuple[str, int]]:
    """(value with unit, character offset) of each number of ``text`` (already through spelled_numbers):
    "10,000" -> "10000", "5 TB" -> "5tb"."""
    return [(m.group(1).replace(",", "") + (m.group(2) or "").lower(), m.start()) for m in _NUMBER.finditer(text)]


def _context(text: str, at: int) -> set[str]:
    before = re.findall(r"[a-z]{3,}", text[max(0, at - 30):at].lower())[-3:]
    after = re.findall(r"[a-z]{3,}", text[at:at + 30].lower())[:3]
    return {w for w in before + after if w not in _SKIP}


def _overlap(a: set[str], b: set[str]) -> int:
    return sum(any(_same(x, y) for y in b) for x in a)


def number_conflict(expected: str, given: str) -> str | None:
    """"4, not 7": a number of the answer that the notes do not state, or that they state for something
    else (the answer's words around it fit another number of the notes better)."""
    expected, given = spelled_numbers(expected), spelled_numbers(given)
    theirs = numbers(expected)
    if not theirs:
        return None
    values = {v for v, _ in theirs} | {_bare(v) for v, _ in theirs}
    for value, at in numbers(given):
        if value not in values and _bare(value) not in values:
            return f"{value}, where the notes say {', '.join(dict.fromkeys(v for v, _ in theirs))}"
        key = (lambda v: v) if value != _bare(value) else _bare
        mine = _context(given, at)
        same = max((_overlap(mine, _context(expected, p)) for v, p in theirs if key(v) == value), default=0)
        for other, p in theirs:
            if key(other) != value and _overlap(mine, _context(expected, p)) > same:
                return f"{value} for what the notes give as {other}"
    return None


def _bare(value: str) -> str:
    return re.sub(r"[a-z%]+$", "", value)

"""Explicit rules that make an answer wrong however many words it shares with the notes.

- **Numbers**: a number the answer states that the cited lines do not ("layer 4" where the notes say layer 7),
  or a number of the notes put where another one belongs ("max object 5 GB" where the notes say 5 TB for the
  max object and 5 GB for multipart upload).
- **Polarity**: a claim negated on one side and asserted on the other ("takes files out of the staging area"
  for "add ... to staging area"; "not logged by default" for "logged by default"). Negation words (not, no,
  without, untouched, ...) and a small lexicon of opposites (add/remove, long/short, fast/slow, likely/unlikely,
  most/least, high/low, ...) set each concept's polarity; a double negation ("not permanent") is an opposite.
- **Quantifiers**: "all rows + specific columns" is not "all columns + specific rows".
- **Changed qualifiers**: a word of the notes replaced by another of the same closed set ("urgent fix from
  *develop*" where the notes say main; "for *old* features" where they say new; "takes a *day*" where they
  say a month; a *text* format where they say binary); see :data:`CONTRASTS`.
- **Code values and comparisons** (issue 23, heldout4): a code value (an identifier with digits or an
  underscore, a call, a flag) needs that exact token ("diff3" for "zdiff3"); a time span is compared by value
  ("60 seconds" is "1 minute"); a ratio is one number; a reversed comparison ("smaller than" for "more than")
  and "X and Y" where the notes say "only X" are wrong.
- **Swapped roles**: "merge develop with current" for "merge current with develop", and crossed pairs
  ("private key for encryption, public key for decryption" for the reverse).
- **Names** (heldout12): a name of the notes put in other words, the rest kept ("sold to britain" for "sold to
  the USA"); two names the other way round ("A-H promises Germany"), "X vs Y" turned round, parallel parts
  crossed; one common word of a long name swapped for another ("Rights of Woman"). The notes' own short names
  (:mod:`quiz.glossary`) count as the name.
"""

from __future__ import annotations

import difflib
import itertools
import math
import os
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from rapidfuzz import fuzz

from quiz.acronyms import SHORT_FORMS, expands, initials
from quiz.glossary import letters, other_names
from quiz.spelling import compound_initials, prefixed_opposite, zipf
from quiz.tuning import QUIZ
from text.stems import stem
from text.words import ANSWER_STOPWORDS

_WORD_NUMBERS = {"zero": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5",
                 "six": "6", "seven": "7", "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12",
                 "thirteen": "13", "fourteen": "14", "fifteen": "15", "sixteen": "16", "seventeen": "17",
                 "eighteen": "18", "nineteen": "19", "twenty": "20", "thirty": "30", "forty": "40", "fifty": "50",
                 "sixty": "60", "seventy": "70", "eighty": "80", "ninety": "90",
                 "hundred": "100", "thousand": "1000", "million": "1000000"}
_NUMBER_WORD = "|".join(sorted(_WORD_NUMBERS, key=len, reverse=True))
#: A run of number words ("four hundred fifteen", "twenty-five", "one thousand").
_NUMBER_WORDS = re.compile(rf"\b(?:{_NUMBER_WORD})(?:[\s-]+(?:{_NUMBER_WORD}))*\b", re.I)
_UNITS = ("gb", "tb", "mb", "kb", "ms", "sec", "s", "min", "h", "hours", "days", "day", "months", "years", "%", "m", "bn")
_NUMBER = re.compile(r"(?<![\w./])(\d+/\d+(?![\d/])|\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s?(" + "|".join(_UNITS) + r")?(?![\w]|\.\d)", re.I)
_BREAK = re.compile(r"[.,;:!?()+=/>→⇒]|\s-+\s|\b(?:but|because|since|while|whereas|that|which|who|thus|hence|therefore)\b|"
                    r"\bso\b(?=\s(?:the|a|an|it|its|they|this|these|there)\b)")  # "so the acid": a consequence
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
                   ("before", "after"), ("always", "never"), ("supervised", "unsupervised"),
                   ("quick", "slow"), ("fast", "slowly"), ("quickly", "slowly"), ("urgent", "nonurgent"),
                   ("everybody", "nobody"), ("everyone", "nobody"), ("cancel", "finish"), ("cancel", "complete"),
                   ("expensive", "cheap"), ("expensive", "cheaper"),
                   # antonym pairs of gradable adjectives (their -er/-est forms follow, see lexicon())
                   ("wide", "narrow"), ("deep", "shallow"), ("strong", "weak"), ("easy", "hard"), ("easy", "difficult"),
                   ("simple", "complex"), ("early", "late"), ("dense", "sparse"), ("static", "dynamic"),
                   ("explicit", "implicit"), ("internal", "external"), ("positive", "negative"), ("true", "false"),
                   ("accept", "reject"), ("success", "failure"), ("increase", "reduce"),
                   ("overfitting", "underfitting"), ("overfit", "underfit"), ("online", "offline"),
                   ("import", "export"), ("encode", "decode"), ("compress", "decompress"), ("push", "pull"),
                   ("success", "fail"), ("succeed", "fail"), ("keep", "discard"), ("save", "discard"),
                   ("right", "wrong"), ("correct", "wrong"), ("correct", "incorrect"), ("raise", "lower"),
                   ("rise", "fall"), ("constrict", "dilate"), ("away", "toward"), ("away", "towards"),
                   ("oxygenated", "deoxygenated"),
                   ("victory", "defeat"), ("win", "lose"), ("accept", "refuse"), ("abolish", "restore"),
                   ("abolition", "restore"), ("conservative", "liberal"), ("advance", "retreat"),
                   ("support", "oppose"), ("ally", "enemy"), ("save", "spend"), ("keep", "drop"),
                   ("overestimate", "underestimate"), ("overrate", "underrate"), ("overweight", "underweight"),
                   ("same", "distinct"), ("intrinsic", "extrinsic"), ("priori", "posteriori"),
                   ("wet", "dry"), ("outdoors", "indoors"), ("outdoor", "indoor"), ("inside", "outside"),
                   ("agonist", "antagonist"), ("agonism", "antagonism"), ("sudden", "gradual"),
                   ("abrupt", "gradual"), ("above", "below"), ("young", "old"), ("along", "across")):
    # one concept per pair of opposites: "big" / "small" speak of what "large" / "small" speak of
    _concept_of, _sign = OPPOSITES.get(_pos) or ((OPPOSITES[_neg][0], -OPPOSITES[_neg][1]) if _neg in OPPOSITES
                                                 else (_pos, 1))
    OPPOSITES.setdefault(_pos, (_concept_of, _sign))
    OPPOSITES.setdefault(_neg, (_concept_of, -_sign))
OPPOSITES.update({"another": ("same", -1), "better": ("good", 1), "worse": ("good", -1), "best": ("good", 1), "worst": ("good", -1),
                  "temp": ("permanent", -1), "persistent": ("permanent", 1), "long-term": ("long", 1),
                  "match": ("same", 1), "identical": ("same", 1),
                  "beforehand": OPPOSITES["before"], "afterwards": OPPOSITES["after"], "afterward": OPPOSITES["after"],
                  # "max energy" for "the minimum energy" (heldout24): the short forms and the long are one pair
                  "maximum": OPPOSITES["max"], "minimum": OPPOSITES["min"]})
_NEGATORS = frozenset({"not", "no", "never", "without", "avoid", "avoids", "avoiding", "cannot", "can't", "don't", "doesn't", "isn't", "aren't",
                       "won't", "neither", "nor", "lacks", "lack", "lacking", "missing", "unable", "except",
                       "untouched", "unaffected", "unchanged", "alone", "intact", "unless",
                       # typed without the apostrophe ("doesnt", "arent"); "cant" and "wont" are words too
                       "dont", "doesnt", "didnt", "isnt", "arent", "wasnt", "werent", "hasnt", "havent",
                       "shouldnt", "couldnt", "wouldnt"})
_OWNERS = frozenset({"his", "her", "their", "its", "my", "your", "our", "the", "a", "as"})
_POSTFIX_NEGATORS = frozenset({"untouched", "unaffected", "unchanged", "alone", "intact"})
_COPULAS = frozenset({"is", "are", "was", "were", "be", "does", "do", "did", "can", "will", "has", "have"})
_QUANTIFIERS = {"all": 1, "every": 1, "each": 1, "whole": 1, "any": 1, "specific": -1, "certain": -1,
                "some": -1, "only": -1, "particular": -1, "selected": -1, "few": -1}
_SKIP = frozenset({"a", "an", "the", "of", "to", "it", "its", "this", "that", "by", "for", "on", "at", "with", "and",
                   "or", "as", "be", "is", "are", "was", "were", "very", "so", "but", "also", "then", "there", "in",
                   "into", "from", "over", "under", "up", "than", "which", "who", "what", "when", "where"})
_SCOPE = 3  # content words a forward negation reaches
#: Words that open another phrase: a forward negation stops before them.
_SCOPE_ENDS = frozenset({"with", "rather", "instead", "and", "while", "whereas"})

#: Closed sets of words that exclude each other: an answer that puts one where the notes have another
#: states a different fact, however many other words it shares.
CONTRASTS: tuple[frozenset[str], ...] = tuple(frozenset(group.split()) for group in (
    "urgent nonurgent",
    "new old",
    "current old next previous future",
    "main master develop development feature release hotfix",
    "second seconds minute minutes hour hours day days week weeks month months year years",
    "row rows column columns columnar",
    "binary text",
    "tuple tuples list lists dict dictionary nonetype",
    "list add create delete",
    "cascade restrict",
    "local remote",
    "open closed",
    "first last",
    "once twice many",
    "http https tcp udp",
    "word words image images audio video",
    "zero large huge",
    "number size",
    "type token",
    "left right",
    "surface underground",
    "proton neutron electron",
    "intaglio relief planographic",
    "intrinsic instrumental extrinsic",
    "only solely wholly entirely exclusively partly partially",
))
_CONTRAST_OF: dict[str, frozenset[int]] = {w: frozenset(i for i, g in enumerate(CONTRASTS) if w in g)
                                           for group in CONTRASTS for w in group}
_SAME_IN_GROUP = ({"main", "master"}, {"develop", "development"},
                  {"only", "solely", "wholly", "entirely", "exclusively"}, {"partly", "partially"})
_ROLE_LINKS = frozenset({"with", "into", "from", "to", "over", "than", "onto"})


@dataclass(frozen=True)
class Claim:
    word: str  # the concept, e.g. "likely" for both "likely" and "unlikely"
    polarity: int
    negated: bool = False  # denied by a negation word ("not", "untouched"), not only by an opposite
    antonym: bool = False  # a word of an opposite pair (:data:`OPPOSITES`): "save", "discards"


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


def _prefixed(text: str) -> str:
    """"non-urgent" -> "nonurgent": a hyphenated negative prefix is one word, not "non" and "urgent"."""
    return re.sub(r"\b(non|un)[- ](?=[a-z])", r"\1", text.lower())


#: A negated label before a colon ("Package(s) not found: numpy"): the negation is about what follows it.
_NEGATED_LABEL = re.compile(r"\b(not|no)\s([a-z]+):(?=\s*[a-z0-9_])")


def _clauses(text: str) -> list[list[str]]:
    """Lower-case word lists split at punctuation, " - " and "but"; a negated label's colon carries its
    negation over ("not found: numpy" denies numpy)."""
    text = _NEGATED_LABEL.sub(r"\1 \2 \1 ", _prefixed(text).replace("\u2019", "'"))
    parts = (_WORDS.findall(part) for part in _BREAK.split(text))
    return [p for p in parts if p]


def _negator(clause: list[str], i: int) -> bool:
    """The word at ``i`` denies what follows: a negation word ("not", "without", any "n't": "shouldn't"), but not "no" as the
    abbreviation of number ("no of parallel jobs"); and "rather than", "instead of" deny what follows them
    ("structured data rather than perception")."""
    word, after = clause[i], clause[i + 1] if i + 1 < len(clause) else ""
    before = clause[i - 1] if i > 0 else ""
    if word == "no":
        return after not in ("of", "")
    if word in ("cant", "wont"):  # "cant use reliance", not "as was his wont"
        return bool(after) and before not in _OWNERS
    if word == "alone":
        return _denies_after(clause, word)  # "can stand alone as a word" denies nothing
    return word in _NEGATORS or word.endswith("n't") or (word == "than" and before == "rather") or (word == "of" and before == "instead")


#: "alone" denies only what one leaves alone ("leaves the working dir alone"); "can stand alone" asserts.
_LEAVING = frozenset({"leave", "leaves", "left", "leaving", "let", "lets"})


def _denies_after(clause: list[str], word: str) -> bool:
    """A word of :data:`_POSTFIX_NEGATORS` in ``clause`` denies what it follows: always, but "alone" only after
    leaving."""
    return word != "alone" or bool(_LEAVING & set(clause))


def _denied_after(clause: list[str]) -> bool:
    """"working dir not affected": a clause that ends in "not" and a participle denies what it names."""
    return len(clause) >= 3 and clause[-2] in ("not", "never") and clause[-1].endswith("ed") and \
        clause[-3] not in _COPULAS


def claims(text: str) -> list[Claim]:
    """Each content word of ``text`` with its polarity after negation words and opposites. A negation
    reaches the next few content words (:data:`_SCOPE`) and stops at a word that opens another phrase
    ("with", "rather", "instead", "and"): "the normal model without attention and fast" denies attention only."""
    found: list[Claim] = []
    for clause in _clauses(text):
        flip_all = any(w in _POSTFIX_NEGATORS and _denies_after(clause, w) for w in clause) or any(
            _negator(clause, i) and i > 0 and clause[i - 1] in _COPULAS for i, w in enumerate(clause)) or \
            _denied_after(clause)
        reach = 0
        for i, word in enumerate(clause):
            if _negator(clause, i):
                reach = _SCOPE
                continue
            if word in _SCOPE_ENDS:
                reach = 0
                continue
            if word in _SKIP or word in _QUANTIFIERS or word in _COPULAS:
                continue
            known = lexicon(word)
            concept, polarity = known or _unprefixed(word) or (word, 1)
            negated = reach > 0 or flip_all
            if negated:
                polarity = -polarity
            reach = max(0, reach - 1)
            found.append(Claim(concept, polarity, negated, known is not None))
    return found


#: Two alternatives offered ("fires or doesn't fire"): a word said both ways is no claim either way.
_EITHER = re.compile(r"\bor\b", re.I)


_ALTERNATIVES = re.compile(r"\b([a-z][a-z'-]*)\s+or\s+([a-z][a-z'-]*)")


def _both_ways(text: str) -> set[str]:
    """The concepts ``text`` offers as a pair of opposites joined by "or": "right or wrong", "valid or invalid"."""
    found = set()
    for m in _ALTERNATIVES.finditer(text.lower()):
        one, other = (lexicon(w) or _unprefixed(w) or (w, 1) for w in m.groups())
        if one and other and one[0] == other[0] and one[1] != other[1]:
            found.add(one[0])
    return found


def polarity_conflict(expected: str, given: str) -> str | None:
    """The concept the answer asserts where the notes deny it (or the reverse); None when they agree, or
    when the answer offers it both ways ("fires or doesn't fire"). An agreement on a denied concept
    ("working dir untouched" / "not effect working dir") outweighs a conflict of negations, not one of
    opposite words ("discards" for "save")."""
    theirs, said = claims(expected), claims(given)
    conflicts, antonyms, agreed_denials = [], [], 0
    offered_both_ways = _both_ways(given)
    for mine in said:
        matches = [c for c in theirs if _same(c.word, mine.word)]
        matches = [c for c in matches if _stem(c.word) == _stem(mine.word)] or matches  # "orbits" is not "orbitals"
        if not matches or (_EITHER.search(given) and any(
                _same(o.word, mine.word) and o.polarity != mine.polarity and o.negated != mine.negated
                and not o.antonym and not mine.antonym for o in said)):
            continue  # "either fires completely or doesnt fire at all": both ways is no denial
        if mine.word in offered_both_ways:
            continue  # "right or wrong because of its consequences", "valid or invalid" claim neither
        if agreed := [c for c in matches if c.polarity == mine.polarity]:
            agreed_denials += mine.polarity < 0 and (mine.negated or any(c.negated for c in agreed))
        else:
            conflicts.append(mine.word)
            if mine.antonym and not mine.negated and any(c.antonym and not c.negated for c in matches):
                antonyms.append(mine.word)  # "discards" for "save": opposite words, no negation on either side
    if antonyms:
        return antonyms[0]
    return conflicts[0] if conflicts and not agreed_denials else None


def swapped_attributes(expected: str, given: str) -> tuple[str, str] | None:
    """(the thing, the quality) when the answer gives a thing one of a pair of opposites and the notes give
    it the other, each in a clause that holds both ("writes are fast, but later reads are slow" where the
    notes say the write makes it slow and reads of what was written are fast)."""
    theirs, mine = _attributes(expected), _attributes(given)
    for (thing, concept), polarity in mine.items():
        notes = next((p for (t, c), p in theirs.items() if c == concept and _same(t, thing)), None)
        if notes is not None and notes == -polarity != 0:
            return thing, concept
    return None


def _attributes(text: str) -> dict[tuple[str, str], int]:
    """(thing, concept) -> polarity for each clause that holds one word of :data:`OPPOSITES`: the clause's
    other content words are the things it speaks of. 0 where clauses disagree."""
    found: dict[tuple[str, str], int] = {}
    for clause in _clauses(text):
        said = claims(" ".join(clause))
        qualities = [c for c in said if c.antonym]
        if len(qualities) != 1:
            continue
        for thing in (c.word for c in said if not c.antonym and len(c.word) > 2):
            key = (thing, qualities[0].word)
            found[key] = qualities[0].polarity if found.get(key, qualities[0].polarity) == qualities[0].polarity else 0
    return found


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


#: A comparison: a direction word before "than" or a number ("more 5gb", "smaller than 5 GB", "greater than
#: or equal to"), or a comparison sign.
_COMPARISON = re.compile(r"\b(more|greater|larger|bigger|higher|longer|above|over|exceeds?|less|fewer|smaller|lower|"
                         r"shorter|below|under)\s(?=than\b|\d)|(?<![<>=])([<>])")
_UP = frozenset({"more", "greater", "larger", "bigger", "higher", "longer", "above", "over", "exceed", "exceeds", ">"})


def _directions(text: str) -> set[int]:
    return {1 if (m.group(1) or m.group(2)) in _UP else -1 for m in _COMPARISON.finditer(text.lower())}


def comparison_conflict(expected: str, given: str) -> bool:
    """The answer turns the notes' comparison round: "smaller than 5 GB" where the notes say "more 5gb",
    "less than" for "greater than or equal to"."""
    theirs, mine = _directions(expected), _directions(given)
    return len(theirs) == 1 and bool(mine) and not mine & theirs


_ONLY = re.compile(r"\bonly\s([a-z]+)")


def only_conflict(expected: str, given: str) -> tuple[str, str] | None:
    """(the word the notes restrict to, the word the answer adds) when the notes say "only X" and the answer
    joins X with another thing: "allow and deny rules" for "only allow rules"."""
    theirs = set(_words(expected))
    mine = _words(given)
    for m in _ONLY.finditer(expected.lower()):
        only = m.group(1)
        for i, word in enumerate(mine):
            if word in ("and", "or") and 0 < i < len(mine) - 1 and only in (mine[i - 1], mine[i + 1]):
                other = mine[i + 1] if mine[i - 1] == only else mine[i - 1]
                if other not in theirs and other not in _SKIP and "only" not in mine:
                    return only, other
    return None


#: Words that count a noun as one thing or as several ("one key", "separate keys").
_ONE = frozenset({"one", "single", "1"})
_SEVERAL = frozenset({"separate", "several", "multiple", "many", "distinct", "various", "two", "2", "both"})


def _counted(text: str) -> dict[str, int]:
    """noun -> 1 (one, single) or 2 (several, separate, multiple) for each noun a count word reaches (the
    next content word or the one after: "one private key")."""
    bound: dict[str, int] = {}
    counts = _ONE | _SEVERAL
    for clause in _clauses(text):
        for i, word in enumerate(clause):
            nxt = clause[i + 1:i + 3]
            if word not in counts or nxt[:1] and nxt[0] in counts or \
                    len(nxt) == 2 and nxt[0] in ("or", "to", "and") and nxt[1] in counts:
                continue  # a range or a choice ("one or two layers", "1-2 layers") counts nothing
            for noun in itertools.takewhile(lambda w: w not in counts, [w for w in nxt if w not in _SKIP]):
                    bound.setdefault(re.sub(r"(?<=\w\w)e?s$", "", noun), 1 if word in _ONE else 2)
    return bound


def count_conflict(expected: str, given: str) -> str | None:
    """The noun the answer counts as several where the notes say one of it, or the reverse: "separate keys"
    for "one key", "a single queue" for "multiple queues"."""
    theirs, mine = _counted(expected), _counted(given)
    for noun, count in mine.items():
        if any(_same(noun, other) and count != their_count for other, their_count in theirs.items()) and \
                not any(_same(noun, other) and count == their_count for other, their_count in theirs.items()):
            return noun
    return None


def name_opposite(term: str, expected: str, given: str) -> tuple[str, str] | None:
    """(the answer's word, the name's word) when the answer says the opposite of a word of the name asked
    about, put to the notes' answer ("commits from before yesterday" for ``git log --after``: "yesterday"),
    and the notes' answer does not use that opposite itself."""
    named = {lexicon(w): w for w in _words(term) if lexicon(w) is not None}
    notes = _words(expected)
    mine = _words(given)
    for i, word in enumerate(mine):
        known = lexicon(word)
        if known is None or (known[0], -known[1]) not in named or any(_same(word, w) for w in notes):
            continue
        if i > 0 and _negator(mine, i - 1):
            continue
        after = [w for w in mine[i + 1:] if w not in _SKIP][:2]
        if any(_same(w, n) for w in after for n in notes if n not in _SKIP):
            return word, named[(known[0], -known[1])]
    return None


def quantifier_conflict(expected: str, given: str) -> str | None:
    theirs, mine = _quantified(expected), _quantified(given)
    for noun, sign in mine.items():
        for other, their_sign in theirs.items():
            if _same(noun, other) and sign != their_sign:
                return noun
    return None


#: A number written short: "100k" (thousands), "1e-5", "10^-5" and "1.0x10^-5" (powers of ten).
_SHORT_NUMBER = re.compile(r"(?<![\w.])(?:(\d+(?:\.\d+)?)[kK]|(\d+(?:\.\d+)?)(?:[eE]|\s?[x×*]\s?10\^\(?)([-+]?\d{1,2})\)?|"
                           r"10\^\(?([-+]?\d{1,2})\)?)(?![\w.^])")


#: A number written as an ordinal: "4th line" is a fourth, so "3rd line" for it is a wrong number (heldout22).
_ORDINAL = re.compile(r"(?<![\w.])(\d+)(?:st|nd|rd|th)s?\b", re.I)


def _written_out(m: re.Match[str]) -> str:
    thousands, mantissa, exponent, power = m.groups()
    value = Decimal(thousands) * 1000 if thousands else \
        Decimal(mantissa).scaleb(int(exponent)) if mantissa else Decimal(1).scaleb(int(power))
    return format(value.normalize(), "f")


#: A number with its sign written on it, first or after "=", ":", "(" or a comma ("ΔH = -92", "+0.34 V"); a
#: sign after a word is an operator or an exponent ("x - 5", "M^-1", "s -1").
_SIGNED = re.compile(r"(?:^|(?<=[=(:,])|(?<=[=(:,]\s))([+\-−])(\d+(?:\.\d+)?)(?![\d.])")


def _signs(text: str) -> dict[str, set[str]]:
    """number -> the signs ``text`` writes on it ("+" for a number written bare)."""
    found: dict[str, set[str]] = {}
    for m in _SIGNED.finditer(text):
        found.setdefault(m.group(2), set()).add("-" if m.group(1) in "-−" else "+")
    for value, _ in numbers(_SIGNED.sub(" ", text)):
        found.setdefault(_bare(value), set()).add("+")
    return found


def _sign_flipped(expected: str, given: str) -> tuple[str, str] | None:
    """(the answer's number, the notes') when the answer writes the sign the notes do not on a number of
    theirs: "+92" for "ΔH = -92"."""
    theirs = _signs(expected)
    for m in _SIGNED.finditer(given):
        sign = "-" if m.group(1) in "-−" else "+"
        if m.group(2) in theirs and sign not in theirs[m.group(2)]:
            return f"{sign}{m.group(2)}", f"{'-' if sign == '+' else '+'}{m.group(2)}"
    return None


def _rounds_to(value: str, notes_values: set[str]) -> bool:
    """The answer's number, more precise than a number of the notes that gives three significant digits or
    more, rounds to it: "6.02214076e23" for "6.022e23"."""
    try:
        mine = Decimal(_bare(value))
    except ArithmeticError:
        return False
    for notes in notes_values:
        try:
            theirs = Decimal(_bare(notes))
        except ArithmeticError:
            continue
        digits = len(theirs.normalize().as_tuple().digits)
        if theirs and digits >= 3 and mine and \
                float(f"{mine:.{digits}g}") == float(f"{theirs:.{digits}g}") and mine != theirs:
            return True
    return False


_ARROW_WORDS = str.maketrans({"↑": " increased ", "⬆": " increased ", "↓": " decreased ", "⬇": " decreased "})


def worded_arrows(text: str) -> str:
    """``text`` with its up and down arrows as the words they stand for ("↓ appetite" -> "decreased appetite"),
    so that the checks for opposites read them (heldout24: "↑ appetite" passed for the notes' "↓ appetite")."""
    return text.translate(_ARROW_WORDS)


def spelled_numbers(text: str) -> str:
    """``text`` with number words as digits ("one" -> "1", "half a" -> "0.5"), short numbers written out ("100k"
    -> "100000", "1e-5" -> "0.00001"), "L7" as "layer 7" and an ordinal as its number ("4th", "3rds" -> "4", "3")."""
    text = re.sub(r"\b[lL](\d)\b", r"layer \1", text)
    text = _ORDINAL.sub(r"\1", text)
    text = re.sub(r"\bhalf an?\s(?=[a-z])", "0.5 ", text, flags=re.I)  # "half a year"
    text = _SHORT_NUMBER.sub(_written_out, text)
    return _NUMBER_WORDS.sub(_number_of_words, text)


#: Just before a "one" that stands for a thing: a determiner, maybe with one word between ("the minor one").
_PRONOUN_ONE = re.compile(r"\b(?:the|this|that|which|another|each|every|any|no|some)\s+(?:[a-z]+\s+)?\Z", re.I)


def _number_of_words(m: re.Match[str]) -> str:
    """The value of a run of number words when they spell one number ("four hundred fifteen" -> "415"),
    else each word as its digits ("one two three" -> "1 2 3")."""
    if m.group(0).lower() == "one" and _PRONOUN_ONE.search(m.string, 0, m.start()):
        return m.group(0)  # "the minor one", "which one": a pronoun, no count
    values = [int(_WORD_NUMBERS[w.lower()]) for w in re.split(r"[\s-]+", m.group(0))]
    total, current, last = 0, 0, None
    for v in values:
        if v in (100, 1000, 1000000):
            if v == 100 and current >= 100 or v > 100 and total and v >= total:
                return " ".join(map(str, values))
            if v == 100:
                current = max(current, 1) * 100
            else:
                total, current = total + max(current, 1) * v, 0
        elif last is not None and last not in (100, 1000, 1000000) and not (last >= 20 and last % 10 == 0 and v < 10):
            return " ".join(map(str, values))  # "one two", "twelve three": a list of numbers, not one
        else:
            current += v
        last = v
    return str(total + current)


def numbers(text: str) -> list[tuple[str, int]]:
    """(value with unit, character offset) of each number of ``text`` (already through spelled_numbers):
    "10,000" -> "10000", "5 TB" -> "5tb"."""
    return [(m.group(1).replace(",", "") + (m.group(2) or "").lower(), m.start()) for m in _NUMBER.finditer(text)]


#: Seconds in a unit of time, for comparing durations by value ("60 seconds" is "1 minute").
_SECONDS = {"ms": 0.001, "millisecond": 0.001, "milliseconds": 0.001, "s": 1, "sec": 1, "secs": 1, "second": 1,
            "seconds": 1, "min": 60, "mins": 60, "minute": 60, "minutes": 60, "h": 3600, "hour": 3600,
            "hours": 3600, "hr": 3600, "hrs": 3600, "day": 86400, "days": 86400, "week": 604800, "weeks": 604800,
            "month": 2_629_800, "months": 2_629_800, "year": 31_557_600, "years": 31_557_600}  # a year of 365.25 days
_DURATION = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)\s?(" + "|".join(sorted(_SECONDS, key=len, reverse=True)) +
                       r")\b|\b(" + "|".join(_SECONDS) + r")\s?=\s?(\d+(?:\.\d+)?)(?![\w.])", re.I)


def durations(text: str) -> list[tuple[float, int, int]]:
    """(seconds, start, end) of each duration of ``text`` (already through spelled_numbers): "60 seconds",
    "1 minute", "minutes=1" (a keyword argument of a time delta)."""
    found = []
    for m in _DURATION.finditer(text):
        value, unit = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
        found.append((float(value) * _SECONDS[unit.lower()], m.start(), m.end()))
    return found


def same_duration(expected: str, given: str) -> bool:
    """The two name the same span of time in other units ("60 seconds" / "1 minute")."""
    mine, theirs = durations(spelled_numbers(given)), durations(spelled_numbers(expected))
    return bool(mine) and sorted(v for v, _, _ in mine) == sorted(v for v, _, _ in theirs)


#: A code-like token: a call with its arguments ("defaultdict(int)"), an identifier, or a flag ("--hard").
_CODE_TOKEN = re.compile(r"(?<![\w.-])(?:[A-Za-z_][\w.]*(?:\([^()]{0,80}\))?|--?[A-Za-z][\w-]*)")


def _code_tokens(text: str) -> list[str]:
    """The code values of ``text``: calls, flags, and identifiers that mix letters and digits or hold an
    underscore ("zdiff3", "dZ2", "pg_stat"), each lower-cased, without spaces and with durations as seconds
    ("timedelta(minutes=1)" -> "timedelta(60s)")."""
    found = []
    for token in _CODE_TOKEN.findall(text):
        token = token.rstrip(".")
        if "(" in token or token.startswith("-") or "_" in token.strip("_") or \
                re.search(r"[A-Za-z]", token) and re.search(r"\d", token):
            bare = _DURATION.sub(lambda m: f"{durations(m.group(0))[0][0]:g}s", token).lower()
            found.append(re.sub(r"\s+", "", bare))
    return found


def _callee(token: str) -> str:
    return token.split("(", 1)[0] if "(" in token else ""


def code_conflict(expected: str, given: str) -> tuple[str, str] | None:
    """(the answer's token, the notes' token) when the answer writes a code value of the notes (an identifier,
    a call, a flag) with one part changed: "diff3" for "zdiff3", "Sum(dZ1)" for "Sum(dZ2)",
    "defaultdict(list)" for "defaultdict(int)". A code value needs that exact token; a time span in other units
    is the same value ("timedelta(minutes=1)" for "timedelta(seconds=60)"), and a function named bare
    ("parse_to_datetime" for "parse_to_datetime(value)") changes nothing."""
    mine = _code_tokens(given)
    for notes in _code_tokens(expected):
        if notes in mine:
            continue
        for said in mine:
            if said == _callee(notes):
                continue  # the function named without its arguments changes none of them
            if _callee(notes) and _callee(notes) == _callee(said) or fuzz.ratio(notes, said) >= 70 or \
                    re.sub(r"\d", "", notes) == re.sub(r"\d", "", said):  # "ec3" for "ec2"
                return said, notes
    return None


_PART_ENDS = ",;()"
#: Numbers joined to the one in hand by "and", "+", "or", "to", "&", a comma or a space alone ("6th + 7th raised",
#: "May 2 2021") share its words; the context stops at a number set apart by words or a dash ("3 against 2 - 2
#: conflicting rhythms").
_JOIN = r"(?:\s*+(?:and|or|to|\+|&|,)\s*+|\s++)"
_NUMBER_TOKEN = r"\d\w*+(?:[.,/]\d\w*+)*+"  # "10,000", "2.5", "3/4", "6th"
_JOINED_AFTER = re.compile(rf"\A{_NUMBER_TOKEN}(?:{_JOIN}{_NUMBER_TOKEN})*+", re.I)
_JOINED_BEFORE = re.compile(rf"(?:{_NUMBER_TOKEN}{_JOIN})++\Z", re.I)


def _context(text: str, at: int) -> set[str]:
    """Up to three words of three letters or more on each side of ``at``, within about 30 characters and its
    own part of a list ("45 students, 7 clips": "clips" is the 7's), and not past another number ("3 against
    2 - 2 conflicting rhythms": "rhythms" is the second 2's). A word the window reaches is taken
    whole: "ales" of "wales" would match another number's "wales"."""
    start, end = max(0, at - 30), min(len(text), at + 30)
    while start > 0 and text[start - 1].isalpha():
        start -= 1
    while end < len(text) and text[end].isalpha():
        end += 1
    part_start = max(start, max(text.rfind(mark, 0, at) for mark in _PART_ENDS) + 1)
    part_end = min([end] + [i for mark in _PART_ENDS if (i := text.find(mark, at)) >= 0])
    return _words_around(text, at, part_start, part_end) or _words_around(text, at, start, end)  # "500, 503 error"


def _words_around(text: str, at: int, start: int, end: int) -> set[str]:
    left = re.split(r"\d", _JOINED_BEFORE.sub("", text[start:at]))[-1]
    right = re.split(r"\d", _JOINED_AFTER.sub("", text[at:end]), maxsplit=1)[0]
    before = re.findall(r"[a-z]{3,}", left.lower())[-3:]
    after = re.findall(r"[a-z]{3,}", right.lower())[:3]
    return {w for w in before + after if w not in _SKIP}


def _overlap(a: set[str], b: set[str]) -> int:
    return sum(any(_same(x, y) for y in b) for x in a)


def number_conflict(expected: str, given: str, asked: str = "") -> str | None:
    """"4, not 7": a number of the answer that the notes do not state, or that they state for something
    else (the answer's words around it fit another number of the notes better). A number the question
    itself states (``asked``) is no number of the answer's: repeating it is neither right nor wrong."""
    expected, given = spelled_numbers(expected), spelled_numbers(given)
    if (flipped := _sign_flipped(expected, given)) is not None:
        return f"{flipped[0]}, where the notes say {flipped[1]}"
    stated = {_bare(v) for v, _ in numbers(spelled_numbers(asked))}
    theirs = numbers(expected)
    if not theirs:
        return None
    values = {v for v, _ in theirs} | {_bare(v) for v, _ in theirs}
    values |= {part for v in set(values) if "/" in v for part in v.split("/")}  # "layer 3/4": 3 and 4
    ratios = {v for v in values if "/" in v}
    given_values = {b for v, _ in numbers(given) for b in (v, _bare(v))}
    spans = {v for v, _, _ in durations(expected)}
    timed = [(start, end) for v, start, end in durations(given) if any(math.isclose(v, w) for w in spans)]
    if spans and (other := next((v for v, _, _ in durations(given) if not any(math.isclose(v, w) for w in spans)),
                                None)) is not None:
        return f"{other:g} seconds, where the notes say {', '.join(f'{w:g}' for w in sorted(spans))} seconds"
    for value, at in numbers(given):
        if any(start <= at < end for start, end in timed):
            continue  # the notes' duration in other units: "60 seconds" for "1 minute"
        if _bare(value) in stated and value not in values and _bare(value) not in values and \
                not any(_overlap(_context(given, at), _context(expected, p)) >= 2 for v, p in theirs
                        if _bare(v) not in stated and _bare(v) not in given_values):
            continue  # "300-3000 hours" where the question says "around 300" and the notes 3000 hours; but not
            # the question's "1917" where the notes' own "in big numbers in 1918" is
        if "/" in value and ratios and value not in ratios:
            return f"{value}, where the notes say {', '.join(sorted(ratios))}"  # "7/7" for "2/7"
        if "/" in value and all(part in values for part in value.split("/")):
            continue
        if value not in values and _bare(value) not in values and not _rounds_to(value, values):
            return f"{value}, where the notes say {', '.join(dict.fromkeys(v for v, _ in theirs))}"
        def fits(v: str, value: str = value) -> bool:  # a unit counts where both give one: "2.5 years" is "2.5 yrs"
            return v == value or (_bare(v) == _bare(value) or _rounds_to(_bare(value), {_bare(v)})) and \
                (v == _bare(v) or value == _bare(value) or v[len(_bare(v)):] == value[len(_bare(value)):])
        mine = _context(given, at)
        same = max((_overlap(mine, _context(expected, p)) for v, p in theirs if fits(v)), default=0)
        for other, p in theirs:
            if not fits(other) and value not in other.split("/") and _overlap(mine, _context(expected, p)) > same:
                return f"{value} for what the notes give as {other}"
    return None


def _bare(value: str) -> str:
    return re.sub(r"[a-z%]+$", "", value)


def _words(text: str) -> list[str]:
    return _WORDS.findall(_prefixed(text).replace("\u2019", "'"))


def _grouped(a: str, b: str) -> bool:
    """The same word of a closed set: one spelling, a plural ("rows"), or a synonym ("main", "master")."""
    a, b = _singular(a), _singular(b)
    return a == b or any(a in same and b in same for same in _SAME_IN_GROUP)


def _singular(word: str, known: dict = _CONTRAST_OF) -> str:
    """``word`` without a plural "s" when the rest is a word of ``known`` ("rows" -> "row")."""
    return word[:-1] if word.endswith("s") and word[:-1] in known else word


def contrast_conflict(expected: str, given: str, term: str = "") -> tuple[str, str] | None:
    """(the answer's word, the notes' word) when the answer puts a word where the notes (their answer, else
    the term asked about) have another word of the same closed set (:data:`CONTRASTS`) and lacks the notes'
    word: "develop" for "main", "old" for "new"."""
    mine = _words(given)
    theirs = [*_words(expected), *_words(term)]
    missing = [w for w in theirs if _singular(w) in _CONTRAST_OF
               and not any(_same(w, m) or _grouped(w, m) for m in mine)]
    extra = [w for w in mine if _singular(w) in _CONTRAST_OF
             and not any(_same(w, t) or _grouped(w, t) for t in theirs)]
    for notes in missing:
        for said in extra:
            if said.lower() in _SECONDS and notes.lower() in _SECONDS and same_duration(expected, given):
                continue  # the same time span in other units: "60 minutes" for "1 hour"
            if _CONTRAST_OF[_singular(said)] & _CONTRAST_OF[_singular(notes)]:
                return said, notes
    return None


#: Nouns whose qualifiers exclude each other (one OSI layer, one consistency model, one way to scale): an
#: answer that qualifies the noun with another word of its set states another fact.
QUALIFIED: dict[str, frozenset[str]] = {
    "layer": frozenset(["physical", "link", "network", "transport", "session", "presentation", "application"]),
    "consistency": frozenset(["strong", "eventual", "weak", "causal"]),
    "scaling": frozenset(["vertical", "horizontal"]),
}


def qualifier_conflict(expected: str, given: str) -> tuple[str, str] | None:
    """(the answer's word, the notes' word) when the answer qualifies a noun of :data:`QUALIFIED` with another
    word of its set than the notes do, and says the notes' word nowhere: "strong consistency" for "eventual
    consistency", "transport layer" for "application layer"."""
    theirs, mine = _words(expected.lower()), _words(given.lower())
    for i in range(1, len(mine)):
        said, noun = mine[i - 1], _singular(mine[i], QUALIFIED)
        options = QUALIFIED.get(noun, frozenset())
        if said not in options or said in theirs:
            continue
        notes = [t for t, n in zip(theirs, theirs[1:], strict=False) if _singular(n, QUALIFIED) == noun and t in options]
        if notes and notes[0] not in mine:
            return said, notes[0]
    return None


_NEGATING_PREFIXES = ("in", "im", "ir", "il", "un", "non", "dis")


def prefix_flipped(expected: str, given: str) -> tuple[str, str] | None:
    """(the answer's word, the notes' word) when one is the other with a negating prefix, or with "-less" for
    its "-ed" or bare form, and the answer lacks the notes' form: "insurmountable" for "surmountable",
    "reversible" for "irreversible", "voiced" for "voiceless"; also for words English rarely writes without
    their prefix (which :func:`claims` cannot read as negations)."""
    theirs, mine = set(_words(expected)), set(_words(given))
    for said in mine - theirs:
        for notes in theirs - mine:
            longer, shorter = (said, notes) if len(said) > len(notes) else (notes, said)
            flipped = any(longer == p + shorter for p in _NEGATING_PREFIXES) or \
                longer.endswith("less") and stem(longer[:-4]) == stem(shorter)  # "voiceless" for "voiced"
            if len(shorter) >= 5 and flipped and not _denied(shorter, given if shorter == said else expected):
                return said, notes  # "not likely" is "unlikely": a denied base word agrees with the prefix
    return None


def _denied(word: str, text: str) -> bool:
    """``word`` stands in ``text`` after a negation at most two words before it ("not likely", "isn't
    iterable", "no decisive result")."""
    words = _words(text)
    return any(w == word and any(_negator(words, j) for j in range(max(0, i - 2), i)) for i, w in enumerate(words))


def rate_conflict(expected: str, given: str) -> tuple[str, str] | None:
    """(the answer's "per ...", the notes' "per ...") when the answer states a rate per another thing than the
    notes and never theirs: "per beat" for "per minute"."""
    theirs, mine = _PER.findall(expected.lower()), _PER.findall(given.lower())
    for notes in theirs:
        if any(_same_unit(notes, m) for m in mine):
            continue
        for said in mine:
            if not any(_same_unit(said, t) for t in theirs):
                return f"per {said}", f"per {notes}"
    return None


def _same_unit(a: str, b: str) -> bool:
    """One word, or one an abbreviation of the other ("min" / "minute", "sec" / "second", "hr" / "hour")."""
    a, b = _UNIT_WORDS.get(a, a), _UNIT_WORDS.get(b, b)
    return _same(a, b) or a.startswith(b) or b.startswith(a)


_UNIT_WORDS = {"hr": "hour", "hrs": "hours", "yr": "year", "yrs": "years", "wk": "week", "mo": "month"}


_PER = re.compile(r"\bper\s+([a-z]+)")


def acronym_conflict(expected: str, given: str) -> tuple[str, str] | None:
    """(the answer's code, the notes' code) when the answer writes a code in capitals one letter away from
    the notes' code and never the notes' own: "PNS" for "CNS", "ADH" for "ACH"."""
    theirs = {w.lower(): w for w in _CAPITALS.findall(expected)}
    said = {w.lower(): w for w in re.findall(r"\b[A-Za-z][A-Za-z0-9]{1,5}\b", given)
            if w.isupper() or zipf(w.lower()) < 3.0}
    for notes in theirs.keys() - said.keys():
        for word in said.keys() - theirs.keys():
            if len(word) == len(notes) and sum(a != b for a, b in zip(word, notes, strict=True)) == 1:
                return said[word], theirs[notes]
    return None


_CAPITALS = re.compile(r"\b[A-Z][A-Z0-9]{1,5}\b")


def formula_conflict(expected: str, given: str) -> tuple[str, str] | None:
    """(the answer's step, the notes' step) when the answer writes the notes' formula with another operator
    between the same two terms ("1 + MPC" for "1 - MPC", "wage x price level" for "wage / price level") or
    with the two terms of a difference or a ratio swapped ("real GDP / nominal GDP" for "nominal GDP / real
    GDP", "price paid minus willingness to pay"), or a term of a ratio moved to its other side."""
    theirs, mine = _steps(expected), _steps(given)
    for left, op, right in mine:
        for their_left, their_op, their_right in theirs:
            same_terms = _terms_match(left, their_left) and _terms_match(right, their_right)
            if same_terms and op != their_op:
                return f"{' '.join(left)} {op} {' '.join(right)}", \
                    f"{' '.join(their_left)} {their_op} {' '.join(their_right)}"
            if op == their_op in "-/" and _terms_match(left, their_right) and _terms_match(right, their_left) \
                    and not any(_terms_match(left, t[0]) and _terms_match(right, t[2]) for t in theirs):
                return f"{' '.join(left)} {op} {' '.join(right)}", f"{' '.join(their_left)} {op} {' '.join(their_right)}"
    return _fraction_turned(expected, given)


#: The slash of a ratio written with spaces around it ("CL x target Css / F"; "mL/min" is a unit).
_RATIO_SLASH = re.compile(r"\s/\s")
#: Where the clause around a ratio ends.
_CLAUSE_MARK = re.compile(r"[;,()→]")


def _fraction_turned(expected: str, given: str) -> tuple[str, str] | None:
    """(the answer's ratio, the notes') when both write a ratio of the same terms and a term changed sides:
    "F x target Css / CL" for "CL x target Css / F"."""
    def sides(text: str) -> list[tuple[frozenset[str], frozenset[str], str]]:
        found = []
        for m in itertools.islice(_RATIO_SLASH.finditer(text), 4):  # a few ratios; a long answer stays cheap
            above = _CLAUSE_MARK.split(text[:m.start()])[-1]
            below = _CLAUSE_MARK.split(text[m.end():], maxsplit=1)[0]
            top, bottom = (frozenset(w for w in _words(part) if w not in _SKIP and w != "x") for part in (above, below))
            if top and bottom and len(top | bottom) <= 6:
                found.append((top, bottom, f"{above.strip()} / {below.strip()}"))
        return found

    for top, bottom, said in sides(given):
        for their_top, their_bottom, notes in sides(expected):
            if top | bottom == their_top | their_bottom and top != their_top:
                return said, notes
    return None


#: Operators of a formula, written as signs or words ("minus", "divided by").
_OPERATOR = re.compile(r"(?<=[\w)])(?:\s*+([-+/×*÷])\s*+|\s++(x|minus|plus|times|divided\s+by|over)\s++)(?=[\w(])", re.I)
_OPERATOR_SIGN = {"minus": "-", "plus": "+", "times": "x", "×": "x", "*": "x", "over": "/", "÷": "/"}


def _steps(text: str) -> list[tuple[tuple[str, ...], str, tuple[str, ...]]]:
    """(the two words before, the operator, the two words after) for each operator of a formula in ``text``
    (each read from a short window, so a long answer costs linear time)."""
    steps = []
    for m in _OPERATOR.finditer(text):
        sign = (m.group(1) or m.group(2)).lower()
        sign = "/" if sign.startswith("divided") else _OPERATOR_SIGN.get(sign, sign)
        if sign == "-" and m.group(0) == "-":
            continue  # a hyphen ("long-run"), not a minus
        left = tuple(w for w in _words(text[max(0, m.start() - 60):m.start()]) if w not in _SKIP)[-2:]
        right = tuple(w for w in _words(text[m.end():m.end() + 60]) if w not in _SKIP)[:2]
        if left and right:
            steps.append((left, sign, right))
    return steps


def _terms_match(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Two formula terms name the same thing: each word of one is a word of the other ("real GDP" is not
    "nominal GDP")."""
    return bool(a and b) and all(any(_same(x, y) for y in b) for x in a) and all(any(_same(y, x) for x in a) for y in b)


def _links(words: list[str]) -> list[tuple[str, str, str]]:
    """(word, link, word) triples around a linking word: "merge current with develop" -> (current, with,
    develop)."""
    content = [w for w in words if w not in _SKIP or w in _ROLE_LINKS]
    return [(content[i - 1], w, content[i + 1]) for i, w in enumerate(content)
            if w in _ROLE_LINKS and 0 < i < len(content) - 1
            and content[i - 1] not in _ROLE_LINKS and content[i + 1] not in _ROLE_LINKS]


def swapped_roles(expected: str, given: str) -> tuple[str, str] | None:
    """The two words the answer puts on the wrong sides of a link ("develop with current" where the notes
    say "current with develop"; "current branch into b" where they say "b to current"), or whose pairs it
    crosses ("private key for encryption" where the notes say "public key(for encryption), private key(for
    decryption)")."""
    theirs, mine = _links(_words(expected)), _links(_words(given))
    for a, link, b in theirs:
        for x, other, y in mine:
            if other == link and _same(x, b) and _same(y, a) and not _same(a, b):
                return a, b
    return _reversed_link(expected, given) or _crossed(expected, given)


def voice_flipped(expected: str, given: str) -> tuple[str, str] | None:
    """(the answer's words, the notes' words) when the answer turns a passive into an active with the same
    noun ("controls the hypothalamus" for "controlled by hypothalamus") or the reverse: the doer becomes
    the one done to. "The hypothalamus controls it" keeps the roles and is no flip."""
    for verb, passive, noun in _voiced(_words(expected)):
        for other, other_passive, other_noun in _voiced(_words(given)):
            if passive != other_passive and _same(verb, other) and _same(noun, other_noun):
                return _voice_phrase(other, other_passive, other_noun), _voice_phrase(verb, passive, noun)
    return None


def _voiced(words: list[str]) -> list[tuple[str, bool, str]]:
    """(verb, passive, the noun after it) for each "<verb>ed by <noun>", and for each other word not ending
    in "-ed" followed by a noun within three words."""
    found = []
    for i, word in enumerate(words[:-1]):
        passive = word.endswith("ed") and words[i + 1] == "by"
        after = [w for w in words[i + 1 + passive:i + 4 + passive] if w not in _SKIP and w not in ANSWER_STOPWORDS]
        if after and len(word) >= 4 and (passive or not word.endswith("ed")) and word not in _SKIP \
                and word not in ANSWER_STOPWORDS:  # "encrypted with KMS" is no active
            found.append((word, passive, after[0]))
    return found


def _voice_phrase(verb: str, passive: bool, noun: str) -> str:
    return f"{verb} by {noun}" if passive else f"{verb} {noun}"


#: Links of one direction: "merge b to current" and "merge b into current" say the same.
_LINK_GROUP = {"into": "to", "onto": "to"}
_SIDE = 2  # content words on each side of a link that make up what it links ("the current branch")


def _link_sides(text: str, side: int) -> list[tuple[list[str], str, list[str]]]:
    """(the words before, the link, the words after) of each linking word in a clause, up to ``side`` content
    words each side, nearest first, stopping at another link: "merges the current branch into b" ->
    ([branch, current], to, [b])."""
    found = []
    for clause in _clauses(text):
        content = [w for w in clause if w not in _SKIP or w in _ROLE_LINKS]
        for i, w in enumerate(content):
            if w not in _ROLE_LINKS:
                continue
            before = list(itertools.takewhile(lambda v: v not in _ROLE_LINKS, reversed(content[:i])))[:side]
            after = list(itertools.takewhile(lambda v: v not in _ROLE_LINKS, content[i + 1:]))[:side]
            if before and after:
                found.append((before, _LINK_GROUP.get(w, w), after))
    return found


def _reversed_link(expected: str, given: str) -> tuple[str, str] | None:
    """The answer puts the notes' two words around a link the other way round ("the current branch into b"
    for "b to current"): each of the notes' words next to the link is on the other side of the answer's link
    (within :data:`_SIDE` words), and neither is on its own side."""
    def hit(words: list[str], side: list[str]) -> str | None:
        return next((w for w in words if any(_same(w, v) for v in side)), None)

    for left, link, right in _link_sides(expected, 1):
        if _same(left[0], right[0]):
            continue
        for mine_left, other, mine_right in _link_sides(given, _SIDE):
            if other != link or hit(left, mine_left) or hit(right, mine_right):
                continue
            if (a := hit(left, mine_right)) and (b := hit(right, mine_left)):
                return a, b
    return None


def lexicon(word: str) -> tuple[str, int] | None:
    """(concept, polarity) of a word of :data:`OPPOSITES`, also inflected ("removes", "canceling", "rising") or
    compared ("smaller", "larger", "bigger", "easiest")."""
    for form in (word, word[:-1] if word.endswith(("s", "d")) else "", word[:-2] if word.endswith(("es", "ed")) else "",
                 word[:-3] if word.endswith("ing") else "", word[:-3] + "e" if word.endswith("ing") else "",
                 word[:-4] if word.endswith("ling") else "", _stem(word),
                 word[:-5] if word.endswith("fully") else "", word[:-2] if word.endswith("ly") else "",
                 *_compared(word)):
        if form and form in OPPOSITES:
            return OPPOSITES[form]
    return None


def _compared(word: str) -> list[str]:
    """The base forms a comparative or superlative may have: "smaller" -> small, "larger" -> large,
    "bigger" -> big, "easiest" -> easy."""
    for suffix in ("er", "est"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            base = word[:-len(suffix)]
            forms = [base, base + "e"]
            if len(base) >= 2 and base[-1] == base[-2]:
                forms.append(base[:-1])
            if base.endswith("i"):
                forms.append(base[:-1] + "y")
            return forms
    return []


def _unprefixed(word: str) -> tuple[str, int] | None:
    """"unacceptable" -> ("acceptable", -1): a negative prefix on a word English knows without it."""
    for prefix in ("non", "un", "in", "dis"):
        rest = word[len(prefix):]
        if word.startswith(prefix) and len(rest) >= 5 and zipf(rest) >= 3.0:
            return rest, -1
    return None


def _concept(word: str) -> str | None:
    """What a qualifier word speaks of: its opposite pair ("private" -> "public") or its closed set."""
    if (known := lexicon(word)) is not None:
        return known[0]
    groups = _CONTRAST_OF.get(_singular(word))
    return f"#{min(groups)}" if groups else None


def _crossed(expected: str, given: str) -> tuple[str, str] | None:
    """Two clauses of the notes that each pair a word of one concept with a word of another ("public key(for
    encryption), private key(for decryption)"): an answer clause that pairs one clause's word of the first
    concept with the other clause's word of the second ("private key for encryption") crosses them."""
    theirs = [{w: c for w in clause if (c := _concept(w))} for clause in _bound(expected)]
    for clause in _bound(given):
        mine = [(w, c) for w in clause if (c := _concept(w))]
        for x, cx in mine:
            for y, cy in mine:
                if cx == cy:
                    continue
                home_x = [i for i, t in enumerate(theirs) if any(_same(x, w) for w in t)]
                home_y = [i for i, t in enumerate(theirs) if any(_same(y, w) for w in t)]
                for i in home_x:
                    for j in home_y:
                        if i != j and cy in theirs[i].values() and cx in theirs[j].values() and \
                                not any(_same(y, w) for w in theirs[i]) and not any(_same(x, w) for w in theirs[j]):
                            return x, y
    return None


def _bound(text: str) -> list[list[str]]:
    """Word lists of the parts of ``text`` between commas, semicolons and dashes (brackets stay inside)."""
    return [w for part in re.split(r"[,;]|\s-+\s", text) if (w := _words(part))]


Aliases = tuple[tuple[str, str], ...]

#: A name of the notes' answer: a capitalised word ("Austria", "Nap."), with the capitalised words after it
#: that make one name ("Third Estate"). A code in capitals ("USA", "RS") is left out: notes use their own
#: codes, and an answer spells them out ("Redshift" for "RS").
#: A capitalised word, or a run of them, with a family name's particle before or between ("Le Brun", "Roger de
#: Piles", "van Eyck").
_PARTICLE = r"(?:[Ll][ae]|[Dd][aeiu]|[Dd]el|[Vv]an|[Vv]on|[Dd]er)"
_NAME = re.compile(rf"(?<![\w'’-])(?:{_PARTICLE}\s)?[A-Z][a-z][a-z'’-]++(?:\s(?:{_PARTICLE}\s)?[A-Z][a-z][a-z'’-]++)*+(?![\w(-])")
#: A code in capitals ("USA", "A-H"): one of the names an answer may say the wrong way round.
_CODE = re.compile(r"(?<![\w'’-])[A-Z]{1,4}(?:-[A-Z]{1,4})*+(?![\w(-])")
#: Where a clause starts: a capital there is a sentence's first word, not a name.
_CLAUSE_START = re.compile(r"(?:^|(?<=[.!?:])\s++|(?<=\n)[ \t]*+(?:[-*+][ \t]++)?)$")
_SPAN_WORDS = re.compile(r"[a-z0-9]+")


def _names(text: str, context: str = "", pattern: re.Pattern[str] = _NAME) -> list[tuple[int, int, str]]:
    """(start, end, name) of each name of ``text``: a capitalised word that does not open a sentence or a line,
    or that does and ``context`` (the notes around it) writes capitalised where it opens nothing ("Russia as
    protector" where the notes also say "... helped by Russia")."""
    elsewhere = {n.split()[0] for _, _, n in _names(context)} if context else set()
    found = [(m.start(), m.end(), m.group()) for m in pattern.finditer(text)
             if not _CLAUSE_START.search(text, 0, m.start()) or m.group().split()[0] in elsewhere
             or re.match(_PARTICLE + r"\s", m.group())]  # "Le Brun's side" opens a sentence with a name
    return [(s, e - 2, n[:-2]) if re.search(r"\w['’]s$", n) else (s, e, n) for s, e, n in found]  # "Brun's": Brun


def folded(text: str) -> str:
    """``text`` without accents ("Blücher" -> "Blucher")."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def _says_name(name: str, given: str, aliases: Aliases = ()) -> bool:
    """``given`` names ``name`` somewhere (:func:`_name_at`)."""
    return _name_at(name, _SPAN_WORDS.findall(given.lower()), aliases) is not None


def _name_at(name: str, words: list[str], aliases: Aliases = ()) -> int | None:
    """The index of the first of ``words`` that names ``name`` or another name the notes give it
    (``aliases``): a word of it (typos forgiven), a shortening ("nap" for "Napoleon", "napoleon" for "Nap."),
    or the first of words whose initials spell it ("austria hungary" for "A-H")."""
    at = []
    for form in (name, *other_names(name, aliases)):
        parts = _SPAN_WORDS.findall(form.lower())
        code = "".join(parts)
        at += [i for i, w in enumerate(words)
               if any(_same(p, w) or (len(p) >= 3 and w.startswith(p)) or (len(w) >= 3 and p.startswith(w))
                      or (min(len(p), len(w)) >= 5 and fuzz.ratio(p, w) >= 80) for p in parts)
               or len(code) >= 2 and any(initials(" ".join(words[i:i + n])) == code for n in range(2, 5))]
    return min(at, default=None)


def name_substituted(expected: str, given: str, asked: str = "", context: str = "",
                     aliases: Aliases = ()) -> tuple[str, str] | None:
    """(the answer's words, the notes' name) when the answer puts other words where the notes' answer names
    someone or something, keeping the words around it: "Louisiana sold to britain" for "sold to the USA",
    "39 states, prussia presides" for "Austria presides". The replaced name must be said nowhere in the
    answer (or the words on both sides of it must be kept), and the words put in its place must be none of
    the notes' answer's nor the question's: a paraphrase says the name, a substitution names another."""
    expected, given = folded(expected), folded(given)
    theirs = [(m.start(), m.group()) for m in _SPAN_WORDS.finditer(expected.lower())]
    mine = _SPAN_WORDS.findall(given.lower())
    every = sorted(_names(expected, folded(context)) + [n for n in _names(expected, "", _CODE) if len(n[2]) >= 2])
    names = [(s, e, n) for s, e, n in every if not _says_name(n, asked, aliases)]
    if not names or not mine:
        return None
    known = set(_SPAN_WORDS.findall(f"{expected} {asked}".lower()))
    notes_names = {w for _, _, n in _names(folded(context)) for w in _SPAN_WORDS.findall(n.lower())}
    ops = difflib.SequenceMatcher(None, [w for _, w in theirs], mine, autojunk=False).get_opcodes()
    for k, (op, i1, i2, j1, j2) in enumerate(ops):
        if op != "replace":
            continue
        if j2 == len(mine):  # the answer ends here: the notes' words after their last name are left out
            i2 = max((i + 1 for i in range(i1, i2) if any(s <= theirs[i][0] < e for s, e, _ in every)), default=i2)
        start, end = theirs[i1][0], theirs[i2 - 1][0] + len(theirs[i2 - 1][1])
        replaced = [n for s, e, n in names if start <= s and e <= end]
        named = {w for n in replaced for w in _SPAN_WORDS.findall(n.lower())}
        put = [w for w in mine[j1:j2] if w not in _SKIP and w not in ANSWER_STOPWORDS and len(w) > 1]
        if not replaced or not 0 < len(put) <= QUIZ.name_words or any(any(_same(w, said) for said in known) for w in put) \
                or any(w not in named and w not in _SKIP for _, w in theirs[i1:i2]) \
                or any(_says_name(n, " ".join(put), aliases) or _spells(n, put) for n in replaced):
            continue  # the span replaced holds more than a name, or the words put there say it
        words = [w for _, w in theirs]
        if not (_anchor(ops, k - 1, words) or _anchor(ops, k + 1, words)):
            continue
        # a name said elsewhere in the answer ("gb vs france ... britain backs down") is replaced only by
        # another name of the notes, with the words on both sides kept
        both = _anchor(ops, k - 1, words) and _anchor(ops, k + 1, words) and \
            all(any(_same(w, n) for n in notes_names) or other_names(w, aliases) for w in put)
        for name in replaced:
            if not _says_name(name, given, aliases) or both:
                return " ".join(mine[j1:j2]), name
    return None


def _anchor(ops: list, k: int, words: list[str]) -> bool:
    """The opcode ``k`` keeps a content word of the notes' answer."""
    if not 0 <= k < len(ops) or ops[k][0] != "equal":
        return False
    return any(w not in _SKIP and w not in ANSWER_STOPWORDS for w in words[ops[k][1]:ops[k][2]])


def _spells(code: str, words: list[str]) -> bool:
    """``words`` spell out the code ``code``, perhaps leaving out its last letters ("united states" for "USA",
    "sagemaker" for "SM")."""
    wanted = letters(code)
    spelled = {initials(" ".join(words)), *(c for w in words for c in compound_initials(w))}
    return len(wanted) >= 2 and code.isupper() and (expands(code, " ".join(words)) or
                                                     any(len(i) >= 2 and wanted.startswith(i) for i in spelled))


def names_reversed(expected: str, given: str, context: str = "", aliases: Aliases = ()) -> tuple[str, str] | None:
    """(one name, the other) when the answer says the notes' two names the other way round around a word
    they share: "Austria-Hungary promises Germany" for "Germany promises A-H"."""
    theirs = _SPAN_WORDS.findall(folded(expected).lower())
    mine = _SPAN_WORDS.findall(folded(given).lower())
    names = [n for _, _, n in sorted(_names(folded(expected), folded(context)) + _names(folded(expected), "", _CODE))]
    named = {w for n in names for w in _SPAN_WORDS.findall(n.lower())}
    for x, y in itertools.combinations(names, 2):
        ex, ey = _name_at(x, theirs, aliases), _name_at(y, theirs, aliases)
        gx, gy = _name_at(x, mine, aliases), _name_at(y, mine, aliases)
        if None in (ex, ey, gx, gy) or ex >= ey or gx <= gy:
            continue
        # the word they share is what relates them, not a third name ("factors II, VII" listed the other way)
        between = [w for w in theirs[ex + 1:ey] if w not in _SKIP and w not in ANSWER_STOPWORDS and w not in named]
        if any(any(_same(w, m) for m in mine[gy + 1:gx]) for w in between):
            return x, y
    return None


_VERSUS = re.compile(r"(?<=\S)\s++(?:vs\.?|versus)\s++", re.I)
#: "X -> Y": a one-way link ("presynaptic -> postsynaptic"); "<=>" (both ways: an equilibrium) is none.
_ARROW = re.compile(r"(?<![\s<-])\s*+(?:-++>|→|=>)\s*+")  # a lookbehind: one try per run of spaces or dashes
#: "X (2x) as fast as Y", "X faster than Y": a comparison of two things, whose order is the fact.
_COMPARED = re.compile(r"\s(?:\d+(?:\.\d+)?\s?(?:x|times)\s)?as\s[a-z]+\sas\s|\s(?:more\s[a-z]+|[a-z]{3,}er|more|less)\sthan\s|"
                       r"(?<=[a-z)])\s[<>]\s(?=[a-z])")  # "intake > expenditure"


def without_remarks(text: str) -> str:
    """``text`` with each remark in round brackets blanked out ("venodilation (↓ preload)" -> "venodilation  ")."""
    return re.sub(r"\([^()]*\)", " ", text)


def parts_outside_brackets(text: str) -> list[str]:
    """``text`` cut at each comma and semicolon that no bracket holds."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        depth += (ch == "(") - (ch == ")")
        if ch in ",;" and depth <= 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


def _segments(text: str) -> list[list[str]]:
    """The content words of each part of ``text`` between commas and semicolons outside brackets; a word of
    a pair of opposites counts, also a stop word ("below", "after")."""
    return [words for _, words in _worded_parts(text)]


def _worded_parts(text: str) -> list[tuple[str, list[str]]]:
    """(the part as written, its content words) for each part of :func:`_segments` that has any."""
    found = []
    for written, part in zip(parts_outside_brackets(text), parts_outside_brackets(folded(text).lower()), strict=True):
        words = [w for w in _SPAN_WORDS.findall(part) if w not in _SKIP
                 and (w not in ANSWER_STOPWORDS or lexicon(w) is not None)]
        if words:
            found.append((written.strip(), words))
    return found


def sides_swapped(expected: str, given: str) -> tuple[str, str] | None:
    """(the notes' first side, their second) when the answer says "X vs Y", "X -> Y" or "X 2x as fast as Y"
    the other way round: for "vs" and "->", each of its sides shares more words with the notes' other side
    than with its own."""
    first, mine = _FIRST_CLAUSE.split(expected, maxsplit=1)[0], _FIRST_CLAUSE.split(given, maxsplit=1)[0]
    return next((sides for splitter in (_VERSUS, _ARROW) if (sides := _swapped_by(splitter, expected, given)
                                                            or _swapped_by(splitter, first, mine))), None) \
        or _compared_swapped(expected, given) or _opposites_moved(expected, given)


#: Where a first clause ends: a sentence's full stop or semicolon, or an example ("lexical → grammatical.
#: 'going to' → gonna", "grammatical → lexical, e.g. ...").
_FIRST_CLAUSE = re.compile(r"(?<=\w)[.;]\s|,\s*(?:e\.g\.|i\.e\.|eg|ie)\s")


def _ascii_arrows(text: str) -> str:
    """``text`` with its arrows written "->" and "=>", which folding to ASCII would drop."""
    return text.replace("→", "->").replace("⇒", "=>")


def _opposites_moved(expected: str, given: str) -> tuple[str, str] | None:
    """(a word, the word the notes put after it) when both sides say both words of an opposite pair and each
    is put before what the notes put after the other: "falls towards the nucleus and rises after it" for
    "rises towards the nucleus, falls after it"."""
    def after(text: str) -> dict[tuple[str, int], tuple[str, str]]:
        words = [w for w in _words(text) if w not in _SKIP and w not in _COPULAS]
        found = {}
        for i, w in enumerate(words[:-1]):
            if (known := lexicon(w)) is not None:
                found.setdefault(known, (w, words[i + 1]))
        return found

    theirs, mine = after(expected), after(given)
    for (concept, sign), (word, notes_next) in theirs.items():
        other = (concept, -sign)
        if other in theirs and (concept, sign) in mine and other in mine and \
                mine[other][1] == notes_next != theirs[other][1] == mine[(concept, sign)][1]:
            return f"{word} {notes_next}", " ".join(theirs[other])
    return None


def _compared_swapped(expected: str, given: str) -> tuple[str, str] | None:
    """(the notes' first thing, their second) when the answer compares them the other way round: the first
    word of each side that only one side of the notes has (or the left side's last, nearest the comparison)
    belongs to the notes' other side ("the tortoise runs 3x as fast as the hare" for "the hare runs 3x as fast
    as the tortoise"; "in town" moved ahead is no swap)."""
    theirs, mine = _COMPARED.split(folded(expected).lower()), _COMPARED.split(folded(given).lower())
    if len(theirs) != 2 or len(mine) != 2:
        return None
    left, right = ([w for w in _SPAN_WORDS.findall(side) if w not in _SKIP] for side in theirs)
    left_own = [w for w in left if not any(_same(w, r) for r in right)]
    right_own = [w for w in right if not any(_same(w, v) for v in left)]
    def owners(side: str) -> list[str]:  # "left" or "right" for each own word of a side, in order
        return ["left" if any(_same(word, w) for w in left_own) else "right"
                for word in _SPAN_WORDS.findall(side) if any(_same(word, w) for w in left_own + right_own)]
    before, after = (owners(without_remarks(side)) for side in mine)  # a remark in brackets is no side
    # the first own word of each side, or the two nearest the comparison ("drug harms the host more than the
    # microbe" for "drug harms the microbe MORE than the host": the shared subject comes first)
    if before and after and after[0] == "left" and "right" in (before[0], before[-1]):
        left, right = (without_remarks(side) for side in theirs)
        return _SIDE_END.split(left.rstrip())[-1].strip(), _SIDE_END.split(right.lstrip())[0].strip()
    return None


#: Where a compared side's clause ends (an arrow that folding to ASCII dropped leaves two spaces).
_SIDE_END = re.compile(r"[,;(]|->|=>|\s{2,}")


def _swapped_by(splitter: re.Pattern[str], expected: str, given: str) -> tuple[str, str] | None:
    theirs, mine = (splitter.split(folded(_ascii_arrows(t)).lower()) for t in (expected, given))
    if len(theirs) != 2 or len(mine) != 2:
        return None
    def shared(a: str, b: str) -> int:
        return _overlap(set(_SPAN_WORDS.findall(a)) - _SKIP, set(_SPAN_WORDS.findall(b)) - _SKIP)
    left, right = theirs
    if shared(mine[0], right) > shared(mine[0], left) and shared(mine[1], left) > shared(mine[1], right):
        return left.strip(), right.strip()
    heads = [_head(side) for side in (left, right, *mine)]
    if all(heads) and heads[0] != heads[1] and heads[2] == heads[1] and heads[3] == heads[0]:
        return left.strip(), right.strip()  # the names swapped, their remarks kept: "B (what A is) vs A"
    return None


def _head(side: str) -> frozenset[str]:
    """The words of one side of "X vs Y" before its bracketed remark: the name it sets against the other."""
    return frozenset(_SPAN_WORDS.findall(side.split("(")[0])) - _SKIP


def step_changed(expected: str, given: str) -> tuple[str, str] | None:
    """(the answer's word, the notes' word) when both give a chain of three or more steps ("threat ->
    hypothalamus -> sympathetic NS -> adrenal medulla") and a step of the answer puts a word the notes do
    not have where the notes' step at the same place has a word the answer lacks ("adrenal cortex")."""
    theirs, mine = _ARROW.split(folded(expected).lower()), _ARROW.split(folded(given).lower())
    if len(theirs) < 3 or len(theirs) != len(mine):
        return None
    all_theirs, all_mine = set(_SPAN_WORDS.findall(" ".join(theirs))), set(_SPAN_WORDS.findall(" ".join(mine)))
    for notes_step, my_step in zip(theirs, mine, strict=True):
        words = _SPAN_WORDS.findall(my_step)
        spelled = {w for code in _SPAN_WORDS.findall(notes_step) for w in _spelled_out(code, words)}
        new = [w for w in words if w not in _SKIP and w not in spelled and not any(_same(w, t) for t in all_theirs)]
        lost = [w for w in _SPAN_WORDS.findall(notes_step) if w not in _SKIP and not any(_same(w, m) for m in all_mine)
                and not _spelled_out(w, words)]
        if new and lost:
            return new[0], lost[0]
    return None


def _spelled_out(code: str, words: list[str]) -> list[str]:
    """The run of ``words`` whose initials are the letters of a short ``code`` ("nervous system" for "ns")."""
    n = len(code)
    if not 2 <= n <= 5:
        return []
    return next((words[i:i + n] for i in range(len(words) - n + 1)
                 if "".join(w[0] for w in words[i:i + n]) == code), [])


#: Parts of at most this many content words are pairs ("capsid removed, genome released"): they are parallel
#: without a word they all share (heldout21, set by hand).
_PAIR_WORDS = 2


def pairs_crossed(expected: str, given: str) -> tuple[str, str] | None:
    """(one part of the notes, another) when the notes list parallel parts, each with a word all of them
    share ("USA overtakes GB 1880s, Germany overtakes GB 1890s"), or each a pair of words ("capsid removed,
    genome released"), and two parts of the answer cross two of
    them both ways ("Germany overtakes GB 1880s, USA overtakes GB 1890s"): one holds a word only part i has
    and a word only part j has, the other the reverse."""
    parts = _worded_parts(expected)
    theirs = [words for _, words in parts]
    frame = [w for w in theirs[0] if all(any(_same(w, v) for v in seg) for seg in theirs)] if theirs else []
    if len(theirs) < 2 or not frame and any(len(seg) > _PAIR_WORDS for seg in theirs):
        return None
    own = {w: i for i, seg in enumerate(theirs) for w in seg
           if sum(any(_same(w, v) for v in other) for other in theirs) == 1}
    crossed: Counter[tuple[int, int]] = Counter()
    for seg in _segments(given):
        if frame and not any(_same(w, f) for w in seg for f in frame):
            continue
        homes = {i for w in seg for known, i in own.items() if _same(w, known)}
        crossed.update(itertools.combinations(sorted(homes), 2))
    return next(((parts[i][0], parts[j][0]) for (i, j), n in crossed.items() if n >= 2), None)


def neighbours_swapped(a: str, b: str) -> bool:
    """Two neighbouring letters typed the other way round: "angel" for "angle" is a slip, not another word."""
    return len(a) == len(b) and a != b and any(b == a[:i] + a[i + 1] + a[i] + a[i + 2:] for i in range(len(a) - 1))


def other_word(expected: str, given: str) -> tuple[str, str] | None:
    """(the answer's word, the notes' word) when a name of several words is said with one word swapped for
    another English word, not a slip of it: "Rights of Woman" for "Rights of Man" (both common words,
    neither a form of the other). A word the answer only moves ("modern fine-tuning argument" for
    "FINE-TUNING (modern)") is not swapped."""
    theirs, mine = _SPAN_WORDS.findall(folded(expected).lower()), _SPAN_WORDS.findall(folded(given).lower())
    if len(theirs) < 3:
        return None
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, theirs, mine, autojunk=False).get_opcodes():
        if op == "replace" and i2 - i1 == 1 and j2 - j1 == 1 and theirs[i1] not in mine:  # not a word moved
            notes, said = theirs[i1], mine[j1]
            if min(zipf(notes), zipf(said)) >= QUIZ.real_word_zipf and not _same(notes, said) and \
                    notes not in SHORT_FORMS.get(said, ()) and not neighbours_swapped(notes, said) and \
                    len(os.path.commonprefix([notes, said])) < min(4, len(notes), len(said)):  # "built", "build"
                return said, notes
    return None

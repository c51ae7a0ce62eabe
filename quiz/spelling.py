"""Typos, detected offline with the English word frequencies of the PyPI package ``wordfreq`` (its data ships
inside the package).

A word is a typo when English does not know it (or barely: Zipf frequency below 1) and a single edit
(insert, delete, substitute or swap two neighbours) turns it into a word that is clearly more common: an
English word of Zipf frequency 2.5 or more ("deploly" -> "deploy", "kakfa" -> "kafka"), or a word the notes
themselves use more often; either way the correction must be clearly more common in English than the word
(``QuizTuning.respell_margin``). Words under five letters, codes in capitals and words with digits are never
called typos: "NACL", "ebs" and "s3" are names, not misspellings. Words inside a URL or an e-mail address
("github.com/jbranchaud", "jbranchaud@gmail.com") are neither typos nor evidence of a spelling.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterable

from rapidfuzz.distance import DamerauLevenshtein

from quiz.tuning import QUIZ

UNKNOWN_ZIPF = 1.0  # rarer than this in English: not a word English knows
KNOWN_ZIPF = 2.5  # at least this common: a word the typo may have meant
MIN_LETTERS = 5
_LETTERS = "abcdefghijklmnopqrstuvwxyz"
#: A URL, a bare domain with a path, or an e-mail address: its words are no spelling.
_LINK = re.compile(r"\b(?:[a-z][a-z0-9+.-]*://|www\.)\S+|(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+|"
                   r"(?<![\w.-])[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}/\S*", re.I)


def without_links(text: str) -> str:
    """``text`` with its URLs and e-mail addresses blanked out (same length)."""
    return _LINK.sub(lambda m: " " * len(m.group()), text)


def clearly_better(right: str, wrong: str) -> bool:
    """English knows ``right`` clearly better than ``wrong`` ("kafka" than "kakfa"; not "yalm" than "yaml")."""
    return zipf(right) >= zipf(wrong) + QUIZ.respell_margin


@functools.cache
def _frequencies() -> dict[str, float]:
    from wordfreq import get_frequency_dict

    return get_frequency_dict("en", wordlist="best")


def zipf(word: str) -> float:
    """Zipf frequency of a lower-case word (0 when unknown): log10 of its count per billion words."""
    import math

    freq = _frequencies().get(word.lower(), 0.0)
    return math.log10(freq * 1e9) if freq > 0 else 0.0


def _edits(word: str) -> set[str]:
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = {a + b[1:] for a, b in splits if b}
    swaps = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    replaces = {a + c + b[1:] for a, b in splits if b for c in _LETTERS}
    inserts = {a + c + b for a, b in splits for c in _LETTERS}
    return (deletes | swaps | replaces | inserts) - {word}


def correction(word: str, notes_words: Counter[str] | None = None) -> str | None:
    """The word ``word`` is a typo of, else None."""
    low = word.lower()
    if len(low) < MIN_LETTERS or not low.isalpha() or (word.isupper() and len(word) <= 6):
        return None
    if zipf(low) >= UNKNOWN_ZIPF:
        return None
    own = notes_words[low] if notes_words else 0
    best: tuple[float, str] | None = None
    for candidate in _edits(low):
        score = zipf(candidate)
        in_notes = notes_words[candidate] if notes_words else 0
        if (score >= KNOWN_ZIPF or in_notes > max(own, 1)) and clearly_better(candidate, low) \
                and (best is None or score > best[0]):
            best = (score, candidate)
    return best[1] if best else None


_GLUED = re.compile(r"([a-z]{2,})([A-Z][a-z]{2,})")


def glued(word: str) -> tuple[str, str] | None:
    """(head, tail) of two words typed without a space ("onAmazon" -> "on", "Amazon"): English knows both
    (Zipf >= KNOWN_ZIPF) and not the glued form (< UNKNOWN_ZIPF); else None ("iPhone", "JavaScript")."""
    match = _GLUED.fullmatch(word)
    if match is None:
        return None
    head, tail = match.groups()
    if zipf(head) < KNOWN_ZIPF or zipf(tail) < KNOWN_ZIPF or zipf(word) >= UNKNOWN_ZIPF:
        return None
    return head, tail


def typos(text: str, notes_words: Counter[str] | None = None) -> list[tuple[str, str]]:
    """(word, correction) for each misspelt word of ``text``; CamelCase names are checked hump by hump
    ("CodeDeploly" -> "Deploly" -> "deploy")."""
    found = []
    for word in re.findall(r"[A-Za-z]+", without_links(text)):
        humps = re.findall(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])", word) if re.search(r"[a-z][A-Z]", word) else [word]
        for hump in humps:
            fixed = correction(hump, notes_words)
            if fixed:
                found.append((hump, fixed))
    return found


def word_counts(texts: Iterable[str]) -> Counter[str]:
    """How often the notes write each word, in lower case; a word written in capitals ("KMS") is also counted
    under its capitals, so that an acronym's usual spelling can be told from an everyday word's."""
    counts: Counter[str] = Counter()
    for text in texts:
        found = re.findall(r"[A-Za-z]+", without_links(text))
        counts.update(w.lower() for w in found)
        counts.update(w for w in found if len(w) > 1 and w.isupper())
    return counts


def one_typo_apart(expected: str, given: str) -> bool:
    """Same word up to one slip (a swap counts as one): "kakfa" / "Kafka", "baye" / "Bayes", "boto3" / "boto".
    A number is never a slip ("1.25" is not "12.5", "ipv6" not "ipv4"), and neither is another first letter of a
    short word ("CPUs" is not "GPUs")."""
    a, b = expected.lower().strip(), given.lower().strip()
    digits_a, digits_b = re.sub(r"\D", "", a), re.sub(r"\D", "", b)
    if re.fullmatch(r"[\d.,]+", a) or re.fullmatch(r"[\d.,]+", b) or digits_a and digits_b and digits_a != digits_b:
        return False  # "1.25" for "12.5", "ipv6" for "ipv4"
    if min(len(a), len(b)) < 6 and a[:1] != b[:1]:
        return False
    return min(len(a), len(b)) >= 4 and DamerauLevenshtein.distance(a, b) <= (1 if len(a) < 9 else 2) \
        and not prefixed_opposite(a, b)


def respelled(given: str, expected: str) -> str:
    """``given`` with each word that is a slip of one word of ``expected`` written as that word ("same pitch
    diffrent name" -> "... different name"), so that the checks for a contradiction read the word the answer
    meant, not a word the notes lack (heldout22). A slip: English does not know it, or knows the notes' word
    far better (``QuizTuning.slip_margin``)."""
    theirs = {w.lower() for w in re.findall(r"\b[A-Za-z]{4,}\b", expected)}

    def fix(m: re.Match[str]) -> str:
        low = m.group().lower()
        if low in theirs:
            return m.group()
        near = [t for t in theirs if one_typo_apart(t, low) and (zipf(low) < UNKNOWN_ZIPF
                                                                 or zipf(t) >= zipf(low) + QUIZ.slip_margin)]
        return near[0] if len(near) == 1 else m.group()

    return re.sub(r"(?<![\w'’])[A-Za-z]{4,}(?![\w'’])", fix, given)  # not a contraction's part: "shouldn't"


#: Prefixes that set a word against its sibling of the same stem: "unilateral" / "bilateral", "hypertonic" /
#: "hypotonic", "prenatal" / "postnatal", "intranet" / "internet" (heldout15).
_RIVAL_PREFIXES = (("uni", "bi", "tri", "multi", "mono", "poly"), ("hyper", "hypo"), ("pre", "post"),
                   ("inter", "intra"), ("sub", "super"), ("over", "under"), ("endo", "exo"), ("homo", "hetero"))


@functools.cache
def _under_rival_prefixes(word: str) -> frozenset[tuple[int, str, str]]:
    """(prefix group, prefix, stem) for each rival prefix ``word`` opens with, leaving a stem of 3+ letters."""
    return frozenset((n, p, word[len(p):]) for n, group in enumerate(_RIVAL_PREFIXES) for p in group
                     if word.startswith(p) and len(word) - len(p) >= 3)


def _rival_prefixed(a: str, b: str) -> bool:
    """One stem under two prefixes of a group: "unilateral" / "bilateral"."""
    theirs = _under_rival_prefixes(b)
    return any(n == m and p != q and s == t for n, p, s in _under_rival_prefixes(a) for m, q, t in theirs)


def prefixed_opposite(a: str, b: str) -> bool:
    """"encryption" / "decryption", "symmetric" / "asymmetric", "stateful" / "stateless", "unilateral" /
    "bilateral": close in letters, opposite or rival in meaning."""
    a, b = sorted((a, b), key=len)
    if any(b == p + a for p in ("a", "un", "in", "non", "dis", "de")) or _rival_prefixed(a, b):
        return True
    if len(a) >= 6 and a[2:] == b[2:] and a[:2] != b[:2]:
        return True
    return a[:5] == b[:5] and {a[5:], b[5:]} == {"ful", "less"}


@functools.cache
def compound_initials(word: str) -> frozenset[str]:
    """The initials of a compound of two English words ("cloudwatch" -> "cw", "keyboard" -> "kb"): the notes
    abbreviate a compound name by its parts' first letters."""
    if len(word) < 6 or not word.isalpha():
        return frozenset()
    return frozenset(word[0] + word[i] for i in range(3, len(word) - 2)
                     if zipf(word[:i]) >= QUIZ.compound_part_zipf <= zipf(word[i:]))

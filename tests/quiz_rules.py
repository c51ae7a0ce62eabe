"""The issues' rules for a question worth asking (issue 23 added: no topic label holding the answer, no heading
turned into a definition, no blank in another language's sentence), checked independently of quiz/quality.py (which filters
with its own code): a test that used the filter to judge the filter could not fail."""

from __future__ import annotations

import functools
import re

from wordfreq import zipf_frequency

from quiz.model import Question

GENERIC = {"db", "it", "this", "that", "these", "data", "thing", "things", "stuff", "ok", "yes", "no", "etc",
           "type", "types", "way", "example", "hint", "note", "conclusion", "input", "output", "files", "topic",
           "disadvantage", "disadvantages", "advantages", "summary", "update", "other", "option 1", "option 2"}
CUT_WORDS = {"a", "an", "the", "of", "to", "for", "with", "and", "or", "in", "at", "by", "from", "is", "are",
             "than", "that", "which", "if", "because"}
MARKUP = re.compile(r"`|<su[bp]>|\]\(|\[\[|\bnp\.|\btf\.|&#\d")


@functools.cache
def _zipf(word: str) -> float:
    return zipf_frequency(word, "en")


def _misspelt(word: str) -> bool:
    low = word.lower()
    if len(low) < 5 or not low.isalpha() or word.isupper() or _zipf(low) >= 1.0:
        return False
    letters = "abcdefghijklmnopqrstuvwxyz"
    edits = {low[:i] + low[i + 1:] for i in range(len(low))}
    edits |= {low[:i] + low[i + 1] + low[i] + low[i + 2:] for i in range(len(low) - 1)}
    edits |= {low[:i] + c + low[i + 1:] for i in range(len(low)) for c in letters}
    edits |= {low[:i] + c + low[i:] for i in range(len(low) + 1) for c in letters}
    return any(_zipf(e) >= 3.0 for e in edits - {low})


def _recalled(q: Question) -> list[str]:
    """What the person must produce: the answer, or each item of a list; nothing for true/false."""
    return list(q.parts) if q.kind == "list" else [] if q.kind == "tf" else [q.answer]


#: Function words of the languages an example sentence may be in (issue 23: "Jane visite l'_____ en septembre").
FOREIGN_WORDS = {"le", "la", "les", "des", "une", "est", "et", "dans", "avec", "pour", "visite", "septembre",
                 "el", "los", "las", "una", "und", "der", "die", "das", "ist", "mit", "je", "nous", "vous"}
ELISION = re.compile(r"\b[lLdDjJ][’']\w|\b[lLdDjJ][’']_____")


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def gives_away_by_label(q: Question) -> bool:
    """The topic label (shown above the question) names the answer the person must produce."""
    label = " ".join(_words(q.topic))
    for answer in _recalled(q) if q.kind in ("term", "cloze", "list") else ():
        words = " ".join(_words(answer))
        if words and (len(words) >= 4 or answer.isupper()) and re.search(rf"\b{re.escape(words)}\b", label):
            return True
    return False


def broken_rules(q: Question) -> list[str]:
    broken = []
    if gives_away_by_label(q):
        broken.append(f"topic label {q.topic!r} holds the answer")
    if q.kind in ("definition", "term", "mcq", "tf") and re.match(r"\s{0,3}#{1,6}\s", q.quote.split("\n", 1)[0]):
        broken.append("a heading turned into a definition")
    if q.kind == "cloze":
        prompt = re.search(r'"(.*)"$', q.question).group(1)
        if ELISION.search(prompt) or len({w for w in _words(prompt)} & FOREIGN_WORDS) >= 2:
            broken.append("a blank in a sentence of another language")
    for answer in _recalled(q):
        low = answer.strip().lower()
        words = low.rstrip(".").split()
        if low in GENERIC or re.fullmatch(r"\d+ (?:types?|ways?|kinds?|items?|things?)", low) or len(low) < 2 \
                and not low.isdigit():
            broken.append(f"generic answer {answer!r}")
        elif not words or words[-1] in CUT_WORDS or MARKUP.search(answer) or answer.count('"') % 2 \
                or answer.count("[") != answer.count("]"):
            broken.append(f"fragment {answer!r}")
        if q.kind in ("term", "cloze", "list"):
            for word in re.findall(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])", answer):
                if _misspelt(word):
                    broken.append(f"typo to recall {word!r}")
    if q.kind in ("definition", "mcq", "tf") and (q.term.lower() in GENERIC or MARKUP.search(q.term)):
        broken.append(f"generic term {q.term!r}")
    if q.kind == "cloze":
        prompt = re.search(r'"(.*)"$', q.question).group(1)
        if len(re.findall(r"[A-Za-z]{2,}", prompt)) < 4:
            broken.append("blank without context")
        if re.search(r"\d_____|_____\d|,_____", prompt) or MARKUP.search(prompt):
            broken.append("blank inside a number or markup")
    if q.kind in ("term", "cloze") and _gives_away(q):
        broken.append("prompt repeats its answer")
    return broken


def _gives_away(q: Question) -> bool:
    answer = q.answer.lower()
    text = q.question.replace("_____", " ")
    if re.search(rf"\b{re.escape(answer)}s?\b", text.lower()):
        return True
    if q.answer.isupper() and len(q.answer) >= 2:
        words = re.findall(r"[A-Za-z]+", text)
        initials = "".join(w[0] for w in words).lower()
        return answer in {initials[i:i + len(answer)] for i in range(len(initials))} and any(
            "".join(w[0] for w in words[i:i + len(answer)]).lower() == answer
            and all(len(w) > 2 for w in words[i:i + len(answer)]) for i in range(len(words)))
    return False

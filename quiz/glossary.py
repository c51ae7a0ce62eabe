"""The notes' own short names: "GB = Great Britain", "Committee of Public Safety (CPS)", "Nap. = Napoleon".

A student's notes define a short name once and use it everywhere after; an answer may say either. Each card
carries the short names its own words use (:attr:`quiz.model.Question.aliases`), so the grader knows that
"britain" names "GB" and "austria-hungary" names "A-H" without reading the rest of the notes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from quiz.acronyms import SMALL_WORDS, initials, letters_in_order

#: A short name: a code in capitals, with digits, inner hyphens or lower-case letters ("GB", "A-H", "ToV",
#: "WW1"), or a word cut short with a full stop ("Nap.").
_SHORT = r"(?:[A-Z][A-Za-z0-9]{0,5}(?:-[A-Z][A-Za-z0-9]{0,3})*+|[A-Z][a-z]{1,5}\.)"
#: "GB = Great Britain", "(A-H = Austria-Hungary, ...)", "QE (quantitative easing)", "ToV: Treaty of ..."
_SHORT_FIRST = re.compile(rf"(?<![\w.-])(?P<short>{_SHORT})(?=(?:\s*+[=(:]|\s++-)\s*+(?P<long>[^=()\n]+))")
#: "Committee of Public Safety (CPS)", "Great Britain = GB"
_LONG_FIRST = re.compile(rf"(?:\(|=\s*+)(?P<short>{_SHORT})(?=\)|\s*+$|\s*+[,;.])")
#: One pair of a legend line ("shorthand: rxn = reaction, conc. = concentration, Ea = activation energy"):
#: a short form of 2-6 characters, "=", and a name of plain words.
_LEGEND_PAIR = re.compile(r"(?:^|[,;:]\s*+)(?P<short>[A-Za-z][A-Za-z0-9.+/-]{1,5})\s*+=\s*+"
                          r"(?P<long>[A-Za-z][A-Za-z' -]{2,40})(?=\s*+(?:[,;]|$))")
_LEGEND_PAIRS = 3  # pairs a line needs to be a legend, where any short form counts (not only a code)
_LONGEST = 7  # words a long name may have
_WORD = re.compile(r"[A-Za-z][\w'-]*")


def letters(text: str) -> str:
    """The letters and digits of ``text``, lower case ("A-H" -> "ah")."""
    return re.sub(r"[^a-z0-9]", "", text.lower())


def stands_for(short: str, long: str, exact: bool = False) -> bool:
    """``short`` is a short name of ``long``: a word cut short ("Nap." for "Napoleon Bonaparte"), the initials
    of a name ("OMO" for "open market operations"), or (unless ``exact``) the letters of a capitalised name in
    order, the first letters alike ("ToV" for "Treaty of Versailles", "A-H" for "Austria-Hungary")."""
    code, words = letters(short), _WORD.findall(long)
    if not words or len(code) < 2 or letters(long) == code or re.search(r"[+*/=<>,;]", long):  # not a list
        return False
    if short.endswith("."):
        return words[0].lower().startswith(code) and len(words[0]) > len(code)
    if sum(c.isupper() for c in short) < 2 or len(words) < 2 and "-" not in long:
        return False  # "August" is a word, not a short name
    if initials(long) == code:
        return True
    if exact or not all(w[0].isupper() for w in words if w.lower() not in SMALL_WORDS):
        return False
    return letters_in_order(code, letters(long))


def _candidates(text: str, from_start: bool) -> list[str]:
    """The long names ``text`` may hold: its first (or last) 1.._LONGEST words, shortest first."""
    spans = [m.span() for m in _WORD.finditer(text)][:_LONGEST] if from_start else \
        [m.span() for m in _WORD.finditer(text)][-_LONGEST:]
    if from_start:
        return [text[spans[0][0]:spans[k][1]] for k in range(len(spans))]
    return [text[spans[k][0]:spans[-1][1]] for k in range(len(spans) - 1, -1, -1)]


def _before(line: str, end: int) -> str:
    """The text of ``line`` before ``end`` back to the last bracket or "=" (what a long name may be)."""
    head = line[:end]
    cut = max(head.rfind("="), head.rfind("("), head.rfind(")"))
    return head[cut + 1:]


def collect(lines: Iterable[str]) -> dict[str, str]:
    """Short name -> long name, for each the notes define (the first definition of a short name wins)."""
    found: dict[str, str] = {}
    for line in lines:
        legend = [(m["short"], m["long"].strip()) for m in _LEGEND_PAIR.finditer(line)]
        if len(legend) >= _LEGEND_PAIRS:  # the student's own key to their shorthand: every pair of it counts
            for short, long in legend:
                if len(letters(long)) > len(letters(short)):
                    found.setdefault(short, long)
        for pattern, from_start in ((_SHORT_FIRST, True), (_LONG_FIRST, False)):
            for m in pattern.finditer(line):
                short = m.group("short")
                text = m.group("long") if from_start else _before(line, m.start())
                options = _candidates(text, from_start)
                long = next((c for c in options if stands_for(short, c, exact=True)),
                            next((c for c in options if stands_for(short, c)), None))
                if long is not None:
                    found.setdefault(short, long)
    return found


def aliases_for(glossary: dict[str, str], *texts: str) -> tuple[tuple[str, str], ...]:
    """The (short, long) names of ``glossary`` that any of ``texts`` writes either way."""
    joined = "\n".join(texts)
    return tuple((short, long) for short, long in glossary.items()
                 if re.search(rf"(?<![\w-]){re.escape(short)}s?(?![\w-])", joined)
                 or re.search(rf"(?<![\w-]){re.escape(long)}(?![\w-])", joined, re.I))


def spelled_out(text: str, aliases: Iterable[tuple[str, str]]) -> str:
    """``text`` with each short name of ``aliases`` it writes replaced by its long name ("rxns still going" ->
    "reactions still going", "LOWER Ea" -> "LOWER activation energy")."""
    for short, long in aliases:
        text = re.sub(rf"(?<![\w-]){re.escape(short)}(s?)(?![\w-])", lambda m, long=long: long + m.group(1), text,
                      flags=re.I)  # typed answers are in lower case: "cs + ps"
    return text


def other_names(text: str, aliases: Iterable[tuple[str, str]]) -> list[str]:
    """The other names of what ``text`` names by one of ``aliases``: the long name for a short one ("GB" ->
    "Great Britain"), the short one for the long name or its last word ("britain" -> "GB")."""
    found = []
    for short, long in aliases:
        head = long.split()[-1]
        if re.search(rf"(?<![\w-]){re.escape(short)}(?![\w-])", text, re.I if len(short) > 2 else 0):
            found.append(long)
        elif re.search(rf"(?<![\w-])(?:{re.escape(long)}|{re.escape(head) if len(head) >= 4 else '(?!)'})(?![\w-])",
                       text, re.I):
            found.append(short)
    return found

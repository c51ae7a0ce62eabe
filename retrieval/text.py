"""Small text helpers shared by retrieval, answering and the quiz."""

from __future__ import annotations

import re

STOPWORDS = frozenset(["a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any", "are", "aren't", "as", "at", "be", "because", "been", "before", "being", "below", "between", "both", "but", "by", "can", "can't", "cannot", "could", "couldn't", "did", "didn't", "do", "does", "doesn't", "doing", "don't", "down", "during", "each", "few", "for", "from", "further", "had", "hadn't", "has", "hasn't", "have", "haven't", "having", "he", "her", "here", "hers", "herself", "him", "himself", "his", "how", "i", "if", "in", "into", "is", "isn't", "it", "it's", "its", "itself", "just", "let's", "me", "more", "most", "my", "myself", "no", "nor", "not", "of", "off", "on", "once", "only", "or", "other", "ought", "our", "ours", "ourselves", "out", "over", "own", "same", "she", "should", "shouldn't", "so", "some", "such", "than", "that", "that's", "the", "their", "theirs", "them", "themselves", "then", "there", "there's", "these", "they", "this", "those", "through", "to", "too", "under", "until", "up", "very", "was", "wasn't", "we", "were", "weren't", "what", "what's", "when", "where", "which", "while", "who", "whom", "why", "will", "with", "won't", "would", "wouldn't", "you", "your", "yours", "yourself", "yourselves", "tell", "explain", "describe", "mean", "means", "used", "use", "using", "get", "give", "show", "please", "does", "do", "done", "kind", "kinds", "type", "types", "way", "ways", "something", "anything", "thing", "things", "want", "need", "one", "my", "i'd", "i'm"])

_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9+#.'-]*[A-Za-z0-9+#]|[A-Za-z0-9]")


def words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def content_words(text: str) -> list[str]:
    return [w for w in words(text) if w not in STOPWORDS and len(w) > 1]


def normalise(text: str) -> str:
    """Lower case, runs of white space folded: the comparison the scorers use."""
    return re.sub(r"\s+", " ", text.lower()).strip()


# "the difference between A and B", "how does A differ from B", "how do A and B differ ...", "A vs B".
_COMPARISONS = (
    re.compile(r"\bdifferences?\s+between\s+(?P<a>[^?]{1,120}?)\s+and\s+(?P<b>[^?]{1,120}?)(?P<rest>\s*\?.*|$)",
               re.IGNORECASE),
    re.compile(r"\b(?:does|do|is|are)\s+(?P<a>[^?]{1,120}?)\s+(?:differ|different)\s+from\s+(?P<b>[^?]{1,120}?)"
               r"(?P<rest>\s*\?.*|$)", re.IGNORECASE),
    re.compile(r"\b(?:do|are)\s+(?P<a>[^?]{1,120}?)\s+and\s+(?P<b>[^?]{1,120}?)\s+(?:differ|compare)\b(?P<rest>[^?]*)",
               re.IGNORECASE),
    re.compile(r"^(?:\w+\s+){0,3}?(?P<a>[^?]{1,120}?)\s+(?:vs\.?|versus)\s+(?P<b>[^?]{1,120}?)(?P<rest>\s*\?.*|$)",
               re.IGNORECASE),
)


def compared_things(question: str) -> list[str]:
    """The two things a comparison question sets side by side, each with what the question asks of both
    ("How do federation and sharding differ in the way they split a database?" -> "federation in the way
    they split a database", "sharding in the way ..."); [] for any other question. Each side of a
    comparison is answered from its own place in the notes."""
    for pattern in _COMPARISONS:
        match = pattern.search(question)
        if match:
            rest = match.group("rest").strip(" ?")
            things = [*match.group("a").split(", "), match.group("b")]  # "between A, B and C"
            sides = [f"{thing.strip()} {rest}".strip() for thing in things]
            if all(content_words(side) for side in sides):
                return sides
    return []


_NAME = re.compile(r"\b[A-Z][a-z]+(?:[A-Z][a-z0-9]*+)+\b|\b[A-Z][a-z]+(?:\s[A-Z][a-z]+){1,3}\b")
_CAPITALISED_PART = re.compile(r"[A-Z][a-z0-9]*")
COMMON_ZIPF = 5.0  # "am", "it", "us" are words of their own, never a name's initials


def initialisms(text: str) -> dict[str, str]:
    """The initials of the names in ``text`` ("CloudWatch" -> "cw", "Lake Formation" -> "lf"), by name:
    what notes write for a name they use often. Callers keep those the notes hold."""
    from wordfreq import zipf_frequency  # a few MB of data: loaded with the first question

    out: dict[str, str] = {}
    for match in _NAME.finditer(text):
        words = [w for w in match.group().split() if w.lower() not in STOPWORDS]
        parts = _CAPITALISED_PART.findall(words[0]) if len(words) == 1 else words
        short = "".join(p[0] for p in parts).lower()
        if len(parts) > 1 and short not in STOPWORDS and zipf_frequency(short, "en") < COMMON_ZIPF:
            out[" ".join(words)] = short
    return out


_CONTINUED = re.compile(r"^\s*+[a-z(`'\"_]")  # a wrapped line goes on with the sentence above it


def ends_sentence(line: str) -> bool:
    """Whether a line ends a sentence ("...very fast.", "...like so:", "...`-vv`).") or a code fence."""
    tail = line.rstrip()
    return tail.endswith(("```", "~~~")) or tail.rstrip(")]}\"'`*_").endswith((".", "!", "?", ":", ";"))


def sentence_goes_on(above: str, below: str) -> bool:
    """Whether the sentence of line ``above`` goes on in the next line ``below``: prose that the notes
    hard-wrap at a margin (til's notes wrap at 80 columns). Callers rule out code."""
    return bool(above.strip()) and not ends_sentence(above) and bool(_CONTINUED.match(below))

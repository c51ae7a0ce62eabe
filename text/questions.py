"""What a question asks: its parts, the sides of a comparison, the initials of the names it uses.

Search and the extractive answer split a question in two different ways, kept as two named variants:
:func:`search_parts` breaks at "?", and at ", and" / "and" before a question word (each part is searched
on its own); :func:`asked_parts` also breaks at ";" and knows more question words (each part gets its own
quote). Both were tuned with the layer that uses them; merging them would change answers.

Whether a text names something has two variants too: :func:`text.words.named_terms` (a question on its
own: a capital at the start of a sentence is no name, so "Pricing?" names nothing) and :func:`adds_a_name`
(a later part of a question beside its first: any capitalised or alphanumeric run counts, so "..., and
Glacier?" names a subject of its own).
"""

from __future__ import annotations

import re

from text.tuning import TEXT
from text.words import STOPWORDS, content_words

_SEARCH_BREAK = re.compile(
    r"(?:,\s*|(?<!\s)\s+)and\s+(?=(?:what|which|how|when|where|why|who|whom|whose|is|are|does|do|can|should|must)\b)"
    r"|\?\s+(?=\S)", re.IGNORECASE)
_ASKED_BREAK = re.compile(r"\?\s++|;\s++|,?(?<!\s)\s+and\s+(?=(?:what|which|how|why|when|where|who|is|are|can|could|"
                          r"does|do|did|should|would|will)\b)", re.IGNORECASE)
#: A run of a name's characters when telling which names a question part adds ("L2", "C++", "x^2").
_NAME_RUN = re.compile(r"[A-Za-z0-9^+-]+")
#: A question that asks for something to read or watch ("Which reference does the guide give ...?").
_ASKS_FOR_A_POINTER = re.compile(r"\b(?:references?|links?|sources?|resources?|articles?|blogs?|posts?|papers?|urls?|"
                                 r"web\s?sites?|sites?|pages?|videos?|talks?|books?|courses?|reading|read|guides?|"
                                 r"tutorials?|docs|documentation|slides?|points?\s+to)\b", re.IGNORECASE)
_ASKS = re.compile(r"(?:what|which|how|why|when|where|who|whose|is|are|can|could|does|do|did|should|would|will|"
                   r"name|list|give|explain|describe)\b", re.IGNORECASE)


def adds_a_name(part: str, first: str) -> bool:
    """Whether ``part`` names something (a capitalised or alphanumeric run) that ``first`` does not."""
    named = {w for w in _NAME_RUN.findall(part) if w[1:] and (w[0].isupper() or any(c.isdigit() for c in w))}
    return bool(named - set(_NAME_RUN.findall(first)) - {"I"})


def search_parts(question: str) -> list[str]:
    """The questions search looks up one by one ("How long ..., and what ...?" -> both), each of at least
    three words, "?" and "," trimmed. One part when the question asks one thing."""
    parts = [p.strip(" ,?") for p in _SEARCH_BREAK.split(question)]
    return [p for p in parts if len(p.split()) >= 3]


def asked_parts(question: str) -> list[str]:
    """The pieces of ``question`` that ask something ("A, and what B?" -> ["A", "what B?"]): each of at
    least two words that ends with "?" or opens with a question word. A piece that asks nothing ("I lost a
    commit after a reset; how can I find it?") is context and is left out."""
    parts = [p.strip(" ,") for p in _ASKED_BREAK.split(question) if p and len(p.split()) >= 2]
    return [p for p in parts if p.endswith("?") or _ASKS.match(p)]


def joins_questions(question: str) -> bool:
    """Whether ``question`` joins two questions where :func:`asked_parts` breaks it."""
    return bool(_ASKED_BREAK.search(question))


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
#: A word of a phrase that may stand behind initials, and the joining words an acronym may keep or drop.
_PHRASE_WORD = re.compile(r"[A-Za-z]+")
_JOINERS = frozenset({"of", "to", "and", "for", "on"})


def initialisms(text: str) -> dict[str, str]:
    """The initials of the names in ``text`` ("CloudWatch" -> "cw", "Lake Formation" -> "lf"), by name:
    what notes write for a name they use often. Callers keep those the notes hold."""
    out: dict[str, str] = {}
    for match in _NAME.finditer(text):
        words = [w for w in match.group().split() if w.lower() not in STOPWORDS]
        parts = _CAPITALISED_PART.findall(words[0]) if len(words) == 1 else words
        short = "".join(p[0] for p in parts).lower()
        if len(parts) > 1 and _reads_as_no_word(short):
            out[" ".join(words)] = short
    return out


def phrase_initials(text: str) -> dict[str, str]:
    """The initials of the phrases of ``text``, by phrase ("marginal propensity to consume" -> "mpc" and
    "mptc", "return on investment" -> "roi"): each run of 2-4 words that starts and ends on a content word,
    with at most one joining word ("of", "to", "and", "for", "on") between two others, read with and without
    its joining words; only initials of three letters or more (two match too much by chance) that are no
    common word. Callers keep those the notes write, for phrases they do not."""
    words = _PHRASE_WORD.findall(text)
    joining = [w.lower() in STOPWORDS for w in words]
    found: dict[str, str] = {}
    for start in range(len(words)):
        for end in range(start + 1, min(start + 4, len(words))):
            if joining[start] or joining[end] or any(
                    joining[i] and (joining[i - 1] or words[i].lower() not in _JOINERS) for i in range(start + 1, end)):
                continue
            window = words[start:end + 1]
            content = [w for i, w in enumerate(window, start) if not joining[i]]
            for named in (content, window):
                short = "".join(w[0] for w in named).lower()
                if len(named) >= 3 and _reads_as_no_word(short):
                    found.setdefault(" ".join(named), short)
    return found


def _reads_as_no_word(initials: str) -> bool:
    """Whether ``initials`` are no stop word and no common English word ("it", "one" are)."""
    from wordfreq import zipf_frequency  # a few MB of data: loaded with the first question

    return initials not in STOPWORDS and zipf_frequency(initials, "en") < TEXT.common_zipf


def asks_for_a_pointer(question: str) -> bool:
    """Whether ``question`` asks for something to read or watch (a reference, link, article, video, ...)
    rather than for what the thing is or how it works."""
    return bool(_ASKS_FOR_A_POINTER.search(question))

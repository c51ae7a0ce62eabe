"""Words: how a text is split into words, which of them are stop words, and which carry content."""

from __future__ import annotations

import re
from functools import lru_cache

#: Stop words of search: function words and the filler of questions ("tell", "explain", "kind", "type").
STOPWORDS = frozenset(["a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any", "are", "aren't", "as", "at", "be", "because", "been", "before", "being", "below", "between", "both", "but", "by", "can", "can't", "cannot", "could", "couldn't", "did", "didn't", "do", "does", "doesn't", "doing", "don't", "down", "during", "each", "few", "for", "from", "further", "had", "hadn't", "has", "hasn't", "have", "haven't", "having", "he", "her", "here", "hers", "herself", "him", "himself", "his", "how", "i", "if", "in", "into", "is", "isn't", "it", "it's", "its", "itself", "just", "let's", "me", "more", "most", "my", "myself", "no", "nor", "not", "of", "off", "on", "once", "only", "or", "other", "ought", "our", "ours", "ourselves", "out", "over", "own", "same", "she", "should", "shouldn't", "so", "some", "such", "than", "that", "that's", "the", "their", "theirs", "them", "themselves", "then", "there", "there's", "these", "they", "this", "those", "through", "to", "too", "under", "until", "up", "very", "was", "wasn't", "we", "were", "weren't", "what", "what's", "when", "where", "which", "while", "who", "whom", "why", "will", "with", "won't", "would", "wouldn't", "you", "your", "yours", "yourself", "yourselves", "tell", "explain", "describe", "mean", "means", "used", "use", "using", "get", "give", "show", "please", "does", "do", "done", "kind", "kinds", "type", "types", "way", "ways", "something", "anything", "thing", "things", "want", "need", "one", "my", "i'd", "i'm"])
#: The stricter variant for checking an answer: search's stop words less the words that carry meaning in
#: an answer ("how many *types*", "the *default* size").
ANSWER_STOPWORDS = STOPWORDS - {"type", "types", "kind", "kinds", "way", "ways", "default", "mean", "means"}
#: Words people use interchangeably in questions and notes; answer-checking reads each as the canonical word.
SYNONYMS = {"kind": "type", "kinds": "types", "sort": "type", "sorts": "types", "variety": "type",
            "varieties": "types", "category": "type", "categories": "types", "quick": "fast", "quickly": "fast",
            "rapid": "fast", "rapidly": "fast", "maximum": "max", "minimum": "min", "biggest": "max",
            "largest": "max", "smallest": "min"}

#: A word: letters and digits, with inner ``+#.'-`` ("c++", "node.js", "don't", "e-mail").
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9+#.'-]*[A-Za-z0-9+#]|[A-Za-z0-9]")
#: A name token of a question: ``+#`` inside, joined by hyphens or apostrophes, no dots ("ResNet-50").
NAME_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9+#]*(?:[-'’][A-Za-z0-9+#]+)*")
#: Where a compound word splits into its pieces ("read-only", "node.js", "snake_case").
_PIECE_BREAK = re.compile(r"[-/_.'’]+")
#: Something to read: a letter or digit.
_READABLE = re.compile(r"[A-Za-z0-9]")
#: Something to read in a quoted line: a letter, a digit, or a backquote (code).
_QUOTABLE = re.compile(r"[A-Za-z0-9`]")


def words(text: str) -> list[str]:
    """The words of ``text``, lower case, in order."""
    return [w.lower() for w in _WORD.findall(text)]


def content_words(text: str) -> list[str]:
    """The words of ``text`` that search weighs: not a stop word (:data:`STOPWORDS`), two characters or more."""
    return [w for w in words(text) if w not in STOPWORDS and len(w) > 1]


def answer_words(text: str) -> list[str]:
    """The words of ``text`` an answer is checked for: not in :data:`ANSWER_STOPWORDS`, two characters or
    more, each synonym read as its canonical word (:data:`SYNONYMS`)."""
    return [SYNONYMS.get(w, w) for w in words(text) if w not in ANSWER_STOPWORDS and len(w) > 1]


def word_pieces(word: str) -> list[str]:
    """The pieces of a compound word that answer-checking counts on their own: two characters or more,
    not an answer stop word ("read-only" -> ["read", "only"])."""
    return [p for p in _PIECE_BREAK.split(word) if len(p) > 1 and p not in ANSWER_STOPWORDS]


def named_terms(question: str) -> list[str]:
    """Words of ``question`` that look like names (:func:`_named_terms`), in order, each once."""
    return list(_named_terms(question))


@lru_cache(maxsize=4096)
def _named_terms(question: str) -> tuple[str, ...]:
    """Words that look like names: capitalised mid-sentence, acronyms, CamelCase, letters mixed with digits."""
    found: list[str] = []
    sentence_start = True
    for match in NAME_TOKEN.finditer(question):
        raw = re.sub(r"['’]s$", "", match.group())
        for part in re.split(r"[-'’]", raw):
            if len(part) < 2 or part.lower() in STOPWORDS:
                continue
            camel = bool(re.search(r"[a-z][A-Z]", part))
            acronym = part.isupper() and part.isalpha()
            alnum = bool(re.search(r"[A-Za-z]", part)) and bool(re.search(r"\d", part))
            capital = part[0].isupper() and not sentence_start
            if camel or acronym or alnum or capital:
                found.append(part)
        sentence_start = question[match.end():match.end() + 2].lstrip().startswith(("?", ".", "!", ":"))
    return tuple(dict.fromkeys(found))


def has_words(text: str) -> bool:
    """Whether ``text`` holds a letter or a digit."""
    return bool(_READABLE.search(text))


def has_quotable(text: str) -> bool:
    """Whether ``text`` holds a letter, a digit or a backquote: something a quote shows."""
    return bool(_QUOTABLE.search(text))


def normalise(text: str) -> str:
    """Lower case, runs of white space folded: the comparison the scorers use."""
    return re.sub(r"\s+", " ", text.lower()).strip()


def closed(text: str, pairs: str = "()[]{}", quotes: bool = False) -> bool:
    """Whether every bracket of ``pairs`` (opening, closing, ...) opened in ``text`` is closed as often, and,
    with ``quotes``, whether its double quotes are even."""
    even = not quotes or text.count('"') % 2 == 0
    return even and all(text.count(a) == text.count(b) for a, b in zip(pairs[::2], pairs[1::2], strict=True))


_MONTH = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|" \
         r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_YEAR = r"(?:1\d{3}|20\d{2})"
_ONE_DATE = (rf"(?:(?:early|late|mid)[\s-])?(?:(?:{_DAY}(?:[-–]{_DAY})?\s)?{_MONTH}(?:[-–]{_MONTH})?(?:\s{_YEAR})?"
             rf"|c\.\s?{_YEAR}|{_YEAR}(?:[-–/]\d{{2,4}})?s?)")
#: A date or a span of dates, with a bracketed remark: "1803", "2 Dec 1805", "Feb-Mar 1793", "late July-early
#: Aug", "1796-97", "1870s", "Feb 1848 (22-24 Feb)".
_DATE = re.compile(rf"{_ONE_DATE}(?:\s?[-–]\s?{_ONE_DATE})?(?:\s\([^()]*\))?", re.I)
_DAY_FIRST = re.compile(rf"^{_DAY}(?:[-–]{_DAY})?\s", re.I)


def is_date(text: str) -> bool:
    """``text`` is a date or a span of dates and nothing else (with a digit, or "early", "late", "mid": a
    month's name alone is a word)."""
    text = text.strip()
    return _DATE.fullmatch(text) is not None and bool(re.search(r"\d|early|late|mid", text, re.I))


def date_preposition(date: str) -> str:
    """"on" before a day ("on 2 Dec 1805"), "in" before a month or a year ("in 1803", "in Feb-Mar 1793")."""
    return "on" if _DAY_FIRST.match(date.strip()) else "in"

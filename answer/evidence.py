"""Should the answer be a refusal? Decided on evidence from the notes, never on a model's word.

A question is refused when the notes cannot hold its answer, or when the lines the answer would quote are
not about what it asks (a *near miss*: the question's words are in the notes, the asked fact is not):

* a *named term* of the question (a product or service name, acronym, CamelCase or alphanumeric word such
  as "Comprehend", "XGBoost", "EC2", "gp3") that occurs nowhere in the notes, not even with a one- or
  two-letter typo: the notes cannot be about it, whatever the nearest passage looks like;
* weak support: the passage the answer quotes holds little of the question's rare words (*coverage*, IDF
  weighted over the notes; a word the notes never use weighs the most) *and* its best line is not close
  in meaning either (*similarity*, cosine). A paraphrase shares few words but is close in meaning; a
  question on a neighbouring topic the notes lack shares its common words but not its rare ones;
* a *code or versioned name* ("pg_stat_statements", "__slots__", "asyncio.gather", "ResNet-50", "HTTP/2")
  that the notes never write whole: its parts alone ("pg", "stat") are another thing;
* the *subject missing from the quote*: a specific name of the question (one the notes use in few
  passages: "DynamoDB", "Elasticsearch", "LATERAL") that the notes know, but neither the quoted lines nor
  their heading path and note title hold. The answer would be about something else;
* *another subject*: the quote holds none of the names the question asks about, however common ("S3"),
  and its section is named for another thing ("EKS");
* the *answer type missing*: the question asks for a quantity ("how many", "maximum") and the quoted lines
  hold no number (a numbered list of 2+ items counts), or for a duration ("how long", "how often") and they
  hold no time, in digits or words ("90 days", "takes hours", "a lifetime"), nor a length ("63 bytes"), or
  for anything but a reference and every quoted line only points elsewhere (a reading list's row).

Each part of a two-part question is judged on its own quote. The cut-offs were chosen on the evaluation
suite's four notes folders together, and checked leave-one-corpus-out (bench/answerability_loco.md),
never on one folder.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from answer.extractive import Extract
from answer.model import Citation
from answer.terms import TermWeights
from answer.tuning import ANSWER
from retrieval import Hit, SearchResult
from store.catalog import Catalog
from store.memo import FolderMemo
from text.lines import is_numbered_item, points_elsewhere, without_numbering
from text.questions import asks_for_a_pointer, initialisms
from text.stems import stem, stems
from text.words import STOPWORDS, answer_words, named_terms, words

#: Code names and versioned names: snake_case and dunder names, dotted names whose parts have 2+
#: characters (not "e.g."), a name with a version or size ("ResNet-50", "HTTP/2"); not an e-mail or domain.
_CODE_NAME = re.compile(r"(?<![\w@.])(?:\w*_\w+|[A-Za-z]\w+(?:\.\w{2,})+|[A-Za-z][A-Za-z0-9]+[-/]\d+(?:\.\d+)?)"
                        r"(?![\w@])")
_QUANTITY = re.compile(r"\b(?:how\s+(?:many|much|long|often|large|big|old|soon)|maximum|minimum|max|min|biggest|"
                       r"largest|smallest|what\s+(?:size|percentage)|roughly)\b", re.IGNORECASE)
_DURATION = re.compile(r"\bhow\s+(?:long|often|soon)\b", re.IGNORECASE)
_NUMBER_WORD = re.compile(r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|hundred|"
                          r"thousand|million|billion|once|twice|single|dozen|half)\b", re.IGNORECASE)
_LENGTH_UNIT = re.compile(r"\d\s*-?\s*(?:[kmgtp]i?b|bytes?|bits?|char(?:acter)?s?|lines?|words?|digits?|letters?|"
                          r"[kc]?m|miles?)\b", re.IGNORECASE)
_TIME_UNIT = re.compile(r"\d\s*-?\s*(?:ms|s|secs?|h|hrs?|yrs?)\b|\b(?:milliseconds?|seconds?|minutes?|hours?|"
                        r"days?|weeks?|months?|years?|daily|weekly|monthly|yearly|annually|hourly|lifetimes?|"
                        r"forever|indefinitely|permanently)\b", re.IGNORECASE)


@dataclass
class Evidence:
    refuse: bool
    reason: str = ""  # in the question's words: what the notes do not say
    missing: list[str] = field(default_factory=list)  # terms the notes never mention, or the quote lacks
    coverage: float = 0.0
    similarity: float = 0.0


def specialised_terms(question: str) -> list[str]:
    """Terms of art: names (:func:`named_terms`) and words that are rare in English at large ("worktree",
    "perplexity", "coroutines"; Zipf frequency under ``rare_zipf`` in the PyPI package ``wordfreq``, which
    ships its data). A notes folder that never uses such a term cannot be about it; an everyday word the
    notes lack ("ballpark", "snappy") is only a paraphrase."""
    from wordfreq import zipf_frequency  # a few MB of data: loaded on the first question, not at start

    found = named_terms(question)
    for word in words(question):
        word = re.sub(r"['’]s$", "", word)
        if len(word) > 2 and word not in STOPWORDS and zipf_frequency(word, "en") < ANSWER.rare_zipf:
            found.append(word)
    return list({term.lower(): term for term in reversed(found)}.values())[::-1]  # once each, any case


def code_names(question: str) -> list[str]:
    """Names in the question that are code or carry a version ("pg_stat_statements", "asyncio.gather",
    "ResNet-50"): the notes are about one only where they write it whole."""
    return list(dict.fromkeys(m.group() for m in _CODE_NAME.finditer(question) if len(m.group().strip("_")) >= 3))


def states_a_number(text: str) -> bool:
    """Whether ``text`` gives a number (digits or a number word), not counting one line's list numbering
    ("1. ..."); a numbered list of two or more items counts itself ("how many types?")."""
    lines = text.split("\n")
    return sum(is_numbered_item(line) for line in lines) >= 2 or any(
        re.search(r"\d", without_numbering(line)) or _NUMBER_WORD.search(line) for line in lines)


def missing_answer_type(question: str, quote: str) -> str:
    """What kind of answer the question asks for that ``quote`` cannot be: "a number", "a duration", "an
    explanation" (every line of the quote only points elsewhere: a reading list's rows), or "". ("How long"
    may ask a length too: "63 bytes" answers "how long can a name be?"; a duration may be in words: "takes
    hours", "daily", "a lifetime")"""
    if _DURATION.search(question):
        if not _TIME_UNIT.search(quote) and not _LENGTH_UNIT.search(quote):
            return "a duration"
    elif _QUANTITY.search(question) and not states_a_number(quote):
        return "a number"
    lines = [line for line in quote.split("\n") if line.strip(" |-")]
    if lines and all(map(points_elsewhere, lines)) and not asks_for_a_pointer(question):
        return "an explanation"
    return ""


@dataclass(frozen=True)
class _NotesText:
    vocabulary: tuple[str, ...]  # the notes' words of 4+ letters, for a term one typo away
    text: str  # the notes' headings and text in lower case, for names that must occur whole


class EvidenceJudge:
    def __init__(self, catalog: Catalog, memo: FolderMemo) -> None:
        self.catalog = catalog
        self.memo = memo  # the index folder's: where the notes' text is kept between questions

    def _notes(self) -> _NotesText:
        """The notes' words and text (see :class:`_NotesText`); kept per process in the index folder's memo,
        rebuilt when a file's content changes."""
        key = tuple(sorted((s, r.digest) for s, r in self.catalog.files().items()))
        cached = self.memo.notes_text
        if cached is None or cached[0] != key:
            text = "\n".join(f"{c.heading}\n{c.text}" for c in self.catalog.all_chunks()).lower()
            cached = self.memo.notes_text = (key, _NotesText(
                tuple(sorted({w for w in words(text) if len(w) >= 4})), text))
        return cached[1]

    def writes_whole(self, name: str) -> bool:
        """The notes write ``name`` whole, in any case ("ResNet-50" also as "resnet 50" or "resnet50")."""
        low, text = name.lower(), self._notes().text
        return any(form in text for form in {low, low.replace("-", " "), low.replace("-", ""), low.replace("/", " ")})

    def off_topic(self, question: str, extract: Extract, hits: list[Hit], weights: TermWeights) -> Evidence | None:
        """A refusal when a quote is not about what it answers. Each part of the question (or the whole)
        is judged on its own quote: by its names (:meth:`unquoted_subject`; a part that names nothing,
        "..., and how far can that be extended?", is about the names of the question that no other part
        names), by the thing its quote's section is named for (:meth:`other_subject`) and by the kind of
        answer it asks for (:func:`missing_answer_type`). One part answered from elsewhere refuses the
        whole: half an answer whose other half comes from an unrelated passage is the confidently wrong kind."""
        asked = extract.asked if len(extract.asked) == len(extract.citations) else (question,) * len(extract.citations)
        titles = [hits[i].chunk.title for i in extract.hits]
        for part, cite in zip(asked, extract.citations, strict=True):
            names = weights.specific_names(part)
            if not named_terms(part):  # leans on the question: about its names that no other part names
                named_elsewhere = {n for other in asked if other != part for n in named_terms(other)}
                names = [n for n in weights.specific_names(question) if n not in named_elsewhere]
            unquoted = self.unquoted_subject(part, names, [cite], titles)
            if unquoted:
                return Evidence(True, f"they mention {_listed(unquoted)}, but not in the lines that match "
                                      + ("the question" if part == question else f'"{part.strip(" ?")}"'), unquoted)
            other = self.other_subject(part, cite, titles, weights)
            if other:
                return Evidence(True, f"the lines closest to {_listed(other[0])} are about {_listed(other[1])}",
                                other[0])
            wanted = missing_answer_type(part, cite.quote)
            if wanted:
                return Evidence(True, f"it asks for {wanted}, and the lines that match it give none")
        return None

    def other_subject(self, question: str, cite: Citation, titles: list[str],
                      weights: TermWeights) -> tuple[list[str], list[str]] | None:
        """(the question's names, the other names) when the ``cite``d lines hold none of the names the
        question asks about (any the notes use, however often: "S3") and their section is named for another
        thing ("EKS"): 'What are the S3 storage classes?' is not answered by the lines on EKS storage classes."""
        asked = [t for t in named_terms(question) if not (t.isalpha() and len(t) < ANSWER.subject_min_chars)
                 and weights.df(t) > 0]
        if not asked or self.unquoted_subject(question, asked, [cite], titles) != asked:
            return None
        section = cite.heading.split(" > ")[-1]
        if len(words(section)) > ANSWER.section_name_words:
            return None  # a section titled by a sentence is about what it says, not named for one thing
        said = stems(question)
        other = [t for t in weights.specific_names(section) if not stems(t) <= said]
        return (asked, other) if other else None

    def unquoted_subject(self, question: str, names: list[str], cited: list[Citation], titles: list[str]) -> list[str]:
        """Those of ``names`` that the ``cited`` lines do not hold, in their lines, heading path or the
        ``titles`` of their notes (a name written by its initials, "CW" for CloudWatch, counts)."""
        region = "\n".join([c.quote + "\n" + c.heading.replace(" > ", ". ") for c in cited] + titles)
        held = stems(region)
        for name, short in initialisms(question).items():
            if stem(short) in held:
                held |= stems(name)
        spelled_out = set(initialisms(region).values())  # "Convolutional Neural Networks" holds "CNNs"
        return [t for t in names if not stems(t) <= held and not _spelled_out(t, spelled_out)]

    def known(self, term: str) -> bool:
        """The notes mention ``term``, or a word one typo away (two for long words); a dotted or
        underscored name ("asyncio.gather") only when they mention each of its parts."""
        parts = [p for p in re.split(r"[._/]+", term) if p]
        if len(parts) > 1:
            return all(self.known(p) for p in parts)
        if self.catalog.term_document_frequency(term) > 0:
            return True
        short = initialisms(term).get(term)  # notes that write "cw" for CloudWatch do mention it
        if short and self.catalog.writes_in_capitals(short):
            return True
        if len(term) < ANSWER.typo_min_chars:
            return False
        limit = 1 if len(term) < ANSWER.two_typos_chars else 2
        match = process.extractOne(term.lower(), self._notes().vocabulary, scorer=Levenshtein.distance,
                                   score_cutoff=limit)
        return match is not None

    def coverage(self, question: str, hits: list[Hit]) -> float:
        """IDF-weighted share of the question's words that the passages (with their headings) hold."""
        total_chunks = max(self.catalog.count()[1], 1)
        held = stems(" ".join(f"{h.chunk.title} {h.chunk.heading} {h.chunk.text}" for h in hits))
        weights: dict[str, float] = {}
        for word in dict.fromkeys(w for w in answer_words(question) if len(w) > 2):
            df = self.catalog.term_document_frequency(word)
            weights[stem(word)] = max(weights.get(stem(word), 0.0), math.log(1 + total_chunks / max(df, 0.5)))
        total = sum(weights.values())
        return sum(w for t, w in weights.items() if t in held) / total if total else 1.0

    def assess(self, question: str, result: SearchResult, extract: Extract | None = None,
               asked: str | None = None, weights: TermWeights | None = None) -> Evidence:
        """``question``: with the conversation it leans on; ``asked``: the words whose names the quote must
        hold (default ``question``); ``weights``: the question's term weights, when the caller has them."""
        asked = asked or question
        weights = weights or TermWeights(self.catalog)
        if not result.hits or extract is None or not extract.text:
            return Evidence(True, "no passage of them matches it")
        missing = [t for t in specialised_terms(question) if not self.known(t)]
        missing += [n for n in code_names(question) if not self.writes_whole(n) and n not in missing]
        if missing:
            return Evidence(True, f"they never mention {_listed(missing)}", missing)
        off_topic = self.off_topic(asked, extract, result.hits, weights)
        if off_topic is not None:
            return off_topic
        coverage = self.coverage(question, [result.hits[h] for h in extract.hits])
        weak = coverage < ANSWER.min_coverage and extract.similarity < ANSWER.min_similarity
        reason = "the closest lines share few of its words and are not close in meaning"
        return Evidence(weak, reason if weak else "", coverage=coverage, similarity=extract.similarity)


def _spelled_out(name: str, initials: set[str]) -> bool:
    """Whether an acronym ("CNN", "CNNs") is among the ``initials`` of the names a text spells out."""
    acronym = name[:-1] if name.endswith("s") else name
    return len(acronym) > 1 and acronym.isupper() and acronym.lower() in initials


def _listed(terms: list[str]) -> str:
    quoted = [f'"{t}"' for t in terms]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]

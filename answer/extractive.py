"""The extractive answer: the lines of the passage that answers, quoted verbatim, one run per thing asked.

Every unit (line, or sentences of a long line) of the top passages is scored against the question:

    score = share of the question's rare words (IDF over the notes) it holds, its heading's counting half
          + dense_weight x cosine of its vector (stored at ingest) and the question's

The best unit, with rank_weight for its passage's retrieval rank, picks the passage; inside it the
*anchor* is the unit that scores best with its heading's words counted fully (every line under a heading
holds them: the line that answers adds to the title, the opening line only restates it). The quote is the run
of lines around it, inside its passage, with the most evidence (units scoring at least floor_share of
the anchor on their own words and meaning), then what follows in the same paragraph or list, up to quote_chars.
A question that asks two things ("..., and what ...?") gets one anchor per part, so the answer cites one
place per thing asked and never a bag of lines from unrelated topics; each side of a comparison ("how do
A and B differ?") gets its own anchor, subject_weight more for a line that opens with the side's name.
Nothing is paraphrased, so the citations are exact by construction. The weights are the fields of
:class:`answer.tuning.AnswerTuning`, chosen on the evaluation suite (bench/FINDINGS.md).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from answer.candidates import candidates
from answer.citations import make_citation
from answer.model import Citation
from answer.terms import TermWeights
from answer.tuning import ANSWER
from ingest.units import is_heading
from lines.quotable import Candidate
from lines.vectors import LineVectors
from retrieval import Hit
from text.lines import (
    fence_marker,
    in_code,
    is_fence,
    is_image_only,
    open_fence,
    opens_block,
    points_elsewhere,
    readable,
    sentence_goes_on,
    strip_bullet,
)
from text.questions import asked_parts, compared_things, initialisms, joins_questions
from text.stems import stem, stems
from text.words import STOPWORDS, has_quotable, words


@dataclass
class Extract:
    """The extractive answer, the candidates it quotes, and how well the best one matched."""

    text: str
    citations: list[Citation]
    picks: list[Candidate]
    similarity: float = 0.0  # cosine of the best unit and the question
    hits: tuple[int, ...] = ()  # the passages quoted
    asked: tuple[str, ...] = ()  # what each citation answers: the question, or one part of it


@dataclass
class UnitScores:
    """Each unit's score for each part of the question (rows: units, columns: parts), three ways."""

    passage: np.ndarray  # its heading's words count heading_share: which passage answers
    line: np.ndarray  # its heading's words count fully, as every line under the heading holds them: which
    # line of that passage answers (what it adds to the heading, not how closely it restates it)
    own: np.ndarray  # its own words only: how far a quote extends


@dataclass
class Part:
    weights: dict[str, float]
    vector: np.ndarray
    subject: tuple[str, ...] = ()  # a side of a comparison: the words that name it
    names: frozenset[str] = frozenset()  # stems of the names it asks about ("CloudWatch"): a quote that
    # holds none of them answers another part, not this one
    text: str = ""  # the words asked


def asked_things(question: str) -> list[str]:
    """A question that asks several things, as its parts ("A, and what B?" -> ["A", "what B?"]). A part
    that asks nothing ("I lost a commit after a reset; how can I find it?") is context, not a thing asked."""
    asking = asked_parts(question)
    if len(asking) > 1:
        return asking
    return compared_things(question) or [question]


def _is_comparison(question: str) -> bool:
    """Whether the things asked are the sides of a comparison (see :func:`asked_things`)."""
    return len(asked_things(question)) > 1 and not joins_questions(question.rstrip(" ?"))


class Composer:
    def __init__(self, weights: TermWeights, vectors: LineVectors) -> None:
        self.term_weights = weights
        self.vectors = vectors

    def parts(self, question: str, context: str) -> list[Part]:
        """The whole question first, then its parts when it has several."""
        texts = [question] + [p for p in asked_things(question) if p != question]
        vectors = self.vectors.of_questions(texts)
        out = [Part(self.term_weights.weigh(question, context), vectors[0], text=question)]
        sides = _is_comparison(question)
        names = _side_names(texts[1:]) if sides else [()] * (len(texts) - 1)
        for text, vector, name in zip(texts[1:], vectors[1:], names, strict=True):
            # A part is read with the whole question; a side of a comparison on its own (the whole names
            # both sides, and draws each side's quote to the lines that name both)
            out.append(Part(self.term_weights.weigh(text, context), vector if sides else (vector + vectors[0]) / 2,
                            name, frozenset(stems(" ".join(self.term_weights.specific_names(text)))), text))
        return out

    def compose(self, question: str, context: str, hits: list[Hit]) -> Extract:
        cands = candidates(hits)
        if not cands:
            return Extract("", [], [])
        parts = self.parts(question, context)
        sims = self.vectors([c.embed_text for c in cands]) @ np.stack([p.vector for p in parts]).T
        titles = [stems(h.chunk.title) for h in hits]
        asked = f"{question} {context}"
        cands = _read_initials(cands, {**initialisms(asked), **self.term_weights.catalog.written_initials(asked)})
        def score(titles: list[set[str]] | None, share: float = ANSWER.heading_share) -> np.ndarray:
            return np.stack([_scores(cands, p.weights, sims[:, j], titles, share) for j, p in enumerate(parts)],
                            axis=1)

        evidence = UnitScores(score(titles), score(titles, 1.0), score(None))
        for j, part in enumerate(parts):
            if part.subject:
                said = ANSWER.subject_weight * np.array([_names_first(c.text, part.subject) for c in cands], dtype=float)
                evidence.passage[:, j] += said
                evidence.line[:, j] += said
        asked = list(range(1, len(parts))) or [0]
        sides = _is_comparison(question)
        names = [p.names for p in parts]
        spans, cores, answered = self._quote(cands, hits, evidence, asked, sides, names)
        if len(asked) > 1 and len(answered) < len(asked):  # a part answered by another's quote: the quotes
            spans, cores, answered = self._quote(cands, hits, evidence, answered, names=names)  # that remain
            # share the budget
        best = int(np.argmax(evidence.passage[:, 0]))
        extract = self._extract(cands, spans, cores, hits, float(sims[best, 0]))
        extract.asked = tuple(parts[j].text for j in answered)
        return extract

    def _quote(self, cands: list[Candidate], hits: list[Hit], evidence: UnitScores, asked: list[int],
               sides: bool = False, names: list[frozenset[str]] | None = None,
               ) -> tuple[list[tuple[int, int]], list[tuple[int, int]], list[int]]:
        """One quote per thing asked (around its best unit that an earlier quote does not hold already),
        the run of evidence inside each, and the parts that got one; a part whose best unit an earlier
        quote holds is answered by it, unless the part names something (``names``: stems per part) that
        quote does not ("..., and what retention can be set on CloudWatch log groups?" is not answered by
        the CloudTrail lines that hold its best unit)."""
        budget = ANSWER.quote_chars if len(asked) == 1 else ANSWER.max_chars // len(asked) - ANSWER.marker_chars
        spare = ANSWER.max_chars - ANSWER.quote_chars if len(asked) == 1 else 0  # a lone quote may finish its sentence
        spans: list[tuple[int, int]] = []
        cores: list[tuple[int, int]] = []
        answered: list[int] = []
        scores = evidence.passage
        for j in asked:
            order = np.argsort(-(scores[:, j] + _rank_prior(cands, scores[:, j], len(hits), len(asked) > 1)),
                               kind="stable")
            named = names[j] if names else frozenset()
            if named:  # a part that names something is answered from the lines that name it, where some do
                order = np.array(sorted(order, key=lambda i: not named <= cands[i].terms | cands[i].heading_terms),
                                 dtype=int)
            held = [s for s in spans if _overlap(cands, (int(order[0]), int(order[0])), s)]
            if not sides and held and _names_held(cands, held[0], named):
                continue  # (the sides of a comparison are two things: each gets a quote of its own)
            anchor = next((int(i) for i in order if not any(_overlap(cands, (i, i), s) for s in spans)), None)
            if anchor is not None:
                anchor = _best_in_passage(cands, evidence.line[:, j], anchor, spans)
                anchor = _under_label(cands, scores[:, j], anchor)
                lines = hits[cands[anchor].hit].chunk.text.split("\n")
                quote, core = _grow(cands, evidence.own[:, j], anchor, budget, lines, spans, spare)
                spans.append(quote)
                cores.append(core)
                answered.append(j)
        return spans, cores, answered

    def _extract(self, cands: list[Candidate], spans: list[tuple[int, int]], cores: list[tuple[int, int]],
                 hits: list[Hit], similarity: float) -> Extract:
        """The quotes, cited; a generative backend is shown only each quote's run of evidence (``picks``):
        a small model repeats what it is shown, the filler lines included."""
        rows, citations = [], []
        for n, (a, b) in enumerate(spans, 1):
            a = _past_pointers(cands, a, b)
            first, last = cands[a], cands[b]
            lines = hits[first.hit].chunk.text.split("\n")
            shown = first.text if a == b else "\n".join(lines[first.first:last.last + 1])
            quote = shown.strip()
            rows.append(f"{_display(shown, open_fence(lines, first.first))} [{n}]")
            citations.append(make_citation(n, hits[first.hit], first.first, last.last, quote, hits))
        picks = [replace(cands[a], last=cands[b].last) for a, b in cores]
        text = "\n".join(rows)
        quoted = tuple(dict.fromkeys(cands[a].hit for a, _ in spans))
        return Extract(text[:ANSWER.max_chars], citations, picks, similarity, quoted)


def _past_pointers(cands: list[Candidate], a: int, b: int) -> int:
    """The quote's first unit past the lines at its top that only point elsewhere (an image's "Source: ..."
    caption over the paragraph that answers), where a line that does not follows; a quote of pointers alone
    (a reading list asked for) keeps them all."""
    first = next((i for i in range(a, b + 1) if not points_elsewhere(cands[i].text)), None)
    return a if first is None else first


def _side_names(sides: list[str]) -> list[tuple[str, ...]]:
    """Each side's name: its first two words that are not stopwords, before what all sides share
    ("layer 4", "layer 7" of "layer 4" and "layer 7 load balancing")."""
    split = [words(side) for side in sides]
    shared = 0
    while all(len(w) > shared + 1 for w in split) and len({tuple(w[len(w) - shared - 1:]) for w in split}) == 1:
        shared += 1
    return [tuple(stem(w) for w in ws[:len(ws) - shared] if w not in STOPWORDS)[:2] for ws in split]


def _names_held(cands: list[Candidate], span: tuple[int, int], names: frozenset[str]) -> bool:
    """Whether the quote ``span`` (with its heading path) holds every one of ``names``."""
    held = frozenset().union(*(cands[i].terms | cands[i].heading_terms for i in range(span[0], span[1] + 1)))
    return names <= held


def _names_first(text: str, name: tuple[str, ...]) -> bool:
    """Whether a line opens with ``name`` ("Sharding distributes data across...", "**Consistency** -
    ...", "R-CNN: propose regions"): notes define a thing by naming it first."""
    return tuple(stem(w) for w in words(text)[:len(name)]) == name


def _read_initials(cands: list[Candidate], shorts: dict[str, str]) -> list[Candidate]:
    """Candidates whose lines or headings write a name of the question by its initials (``shorts``, by name:
    "CW log" for CloudWatch, "MPC" for marginal propensity to consume) hold the name's words too."""
    names = {stem(short): frozenset(stems(name)) for name, short in shorts.items()}
    if not names:
        return cands
    out = []
    for c in cands:
        terms = c.terms.union(*(words for short, words in names.items() if short in c.terms))
        heading = c.heading_terms.union(*(words for short, words in names.items() if short in c.heading_terms))
        out.append(replace(c, terms=terms, heading_terms=heading) if terms != c.terms or heading != c.heading_terms
                   else c)
    return out


def _scores(cands: list[Candidate], weights: dict[str, float], sims: np.ndarray,
            titles: list[set[str]] | None = None, heading_share: float = ANSWER.heading_share) -> np.ndarray:
    """How well each unit answers, by its own words and meaning, and with ``titles`` (each hit's file
    title) by its heading path's and title's words at ``heading_share``. (The passage's rank is added only to
    choose the anchor, so that a quote's extent is judged on content alone.)"""
    total = sum(weights.values()) or 1.0
    out = np.empty(len(cands))
    for i, c in enumerate(cands):
        above = c.heading_terms | titles[c.hit] if titles is not None else frozenset()
        lexical = sum(w if t in c.terms else heading_share * w if t in above else 0.0 for t, w in weights.items())
        out[i] = lexical / total + ANSWER.dense_weight * float(sims[i])
    return out


def _rank_prior(cands: list[Candidate], scores: np.ndarray, n_hits: int, one_of_parts: bool) -> np.ndarray:
    """rank_weight x each unit's passage's rank share ((n - rank) / n). Retrieval ranked the passages for
    the whole question; for one part of a two-part question, the passages' order by their best unit for
    that part counts half (else the passage that answers the other part draws both quotes)."""
    share = (n_hits - np.arange(n_hits)) / n_hits
    hit_of = np.array([c.hit for c in cands])
    if one_of_parts:
        best = np.full(n_hits, -np.inf)
        np.maximum.at(best, hit_of, scores)
        share = (share + share[np.argsort(np.argsort(-best, kind="stable"), kind="stable")]) / 2
    return ANSWER.rank_weight * share[hit_of]


def _best_in_passage(cands: list[Candidate], scores: np.ndarray, anchor: int, taken: list[tuple[int, int]]) -> int:
    """The best unit (by ``scores``) of the anchor's passage that no earlier quote holds. A note's opening
    lines restate its title ("Joining a list of strings in Python is a basic task"); the lines that answer
    add to it ("The separator is the object that I call join on")."""
    free = [i for i, c in enumerate(cands) if c.hit == cands[anchor].hit
            and not any(_overlap(cands, (i, i), t) for t in taken)]
    return max(free, key=lambda i: (scores[i], -i))


def _under_label(cands: list[Candidate], scores: np.ndarray, anchor: int) -> int:
    """A label ("Difference between precision and recall (cat example):") announces what its deeper lines
    say: the quote is then anchored on the best of those, when it is evidence too (it scores at least
    floor_share of the label), and the label joins it if the budget allows."""
    label = cands[anchor]
    if not opens_block(label.text):
        return anchor
    below = []
    for i in range(anchor + 1, len(cands)):
        if cands[i].hit != label.hit or cands[i].indent <= label.indent:
            break
        below.append(i)
    best = max(below, key=lambda i: scores[i], default=None)
    return best if best is not None and scores[best] >= ANSWER.floor_share * scores[anchor] else anchor


def _grow(cands: list[Candidate], scores: np.ndarray, anchor: int, budget: int, lines: list[str],
          taken: list[tuple[int, int]] = (), spare: int = 0) -> tuple[tuple[int, int], tuple[int, int]]:
    """The run of units the quote takes around ``anchor`` (indices into ``cands``): inside the anchor's
    passage, outside the runs earlier quotes ``taken``, at most ``budget`` characters of the
    passage's ``lines``. Of the runs that hold the anchor, the one with the most evidence (the units scoring
    at least floor_share of the anchor) wins; what budget is left goes to what follows in the same paragraph
    or list of the same section (notes state a thing, then explain it: "remediation" two bullets under
    "compliance rules"), or past a blank line after a label ("run this:"), then to the line the anchor
    hangs under. It never ends on a label or heading whose lines it leaves out, never crosses a heading, and
    in notes wrapped at a margin it starts and ends with its sentences (taking up to ``spare`` characters
    more for that). Returns the quote's run and the run of evidence inside it."""
    hit, root = cands[anchor].hit, cands[anchor]

    def ok(i: int) -> bool:
        return (0 <= i < len(cands) and cands[i].hit == hit
                and not any(_overlap(cands, (i, i), t) for t in taken))

    def size(x: int, y: int) -> int:
        return len(_display("\n".join(lines[cands[x].first:cands[y].last + 1]), open_fence(lines, cands[x].first)))

    lo = hi = anchor
    while ok(lo - 1):
        lo -= 1
    while ok(hi + 1):
        hi += 1
    gain = np.maximum(scores - ANSWER.floor_share * scores[anchor], 0.0)
    best, best_key = (anchor, anchor), (-1.0, 0)
    for a in range(lo, anchor + 1):  # every run that holds the anchor and fits (passages are short)
        if a < anchor and _heading_between(cands, lines, a, anchor):
            continue  # a run stays in the anchor's section
        for b in range(anchor, hi + 1):
            chars = size(a, b)
            if chars > budget or (b > anchor and _heading_between(cands, lines, b - 1)):
                break
            key = (round(float(gain[a:b + 1].sum()), 9), -chars)  # the most evidence in the fewest characters:
            if key > best_key:  # what the evidence does not need is left to the budget's fill below
                best, best_key = (a, b), key
    a, b = best  # the budget left goes to what follows in the same block of the same section, or past a
    while b < hi and size(a, b + 1) <= budget and not _heading_between(cands, lines, b) and (
            gain[b + 1] > 0 or cands[b + 1].section == cands[b].section and (
                _no_blank_between(cands, lines, b) or opens_block(cands[b].text))):  # label ("run this:");
        b += 1  # other sections and blocks join only through lines on the question's topic (gain > 0)
    while b > anchor and opens_block(cands[b].text):
        b -= 1  # a quote never ends on a label or heading whose lines it leaves out ("Fast R-CNN:")
    best = (best[0], min(best[1], b))
    if (a > lo and (cands[a - 1].indent < root.indent or opens_block(cands[a - 1].text))
            and not _heading_between(cands, lines, a - 1) and size(a - 1, b) <= budget):
        a -= 1
    room = budget + spare
    while a > lo and _wraps(cands, lines, a - 1):  # a quote starts where its sentence starts, where the
        while size(a - 1, b) > room and b > max(best[1], anchor):  # notes wrap their lines (the fill gives
            b -= 1  # way), and ends where its sentence ends, or before the sentence it cannot finish begins
        if size(a - 1, b) > room:
            break
        a -= 1
    while b < hi and _wraps(cands, lines, b):
        if size(a, b + 1) <= room:
            b += 1
            continue
        while b > anchor and _wraps(cands, lines, b):
            b -= 1
        break
    return (a, b), best


def _heading_between(cands: list[Candidate], lines: list[str], i: int, j: int | None = None) -> bool:
    """Whether a section starts after unit ``i`` up to unit ``j`` (default ``i + 1``), that unit's line
    included: a heading line outside code (in a code block, "# install" is a comment)."""
    last = cands[i + 1 if j is None else j].first
    return any(is_heading(lines[n]) and open_fence(lines, n) is None for n in range(cands[i].last + 1, last + 1))


def _wraps(cands: list[Candidate], lines: list[str], i: int) -> bool:
    """Whether unit ``i``'s sentence goes on in unit ``i + 1``: prose the notes hard-wrap at a margin."""
    here, there = cands[i].last, cands[i + 1].first
    if there != here + 1 or cands[i + 1].hit != cands[i].hit:
        return False
    above, below = lines[here], lines[there]
    return (sentence_goes_on(above, below) and not is_fence(above) and not is_fence(below)
            and open_fence(lines, here) is None and open_fence(lines, there) is None)


def _no_blank_between(cands: list[Candidate], lines: list[str], i: int) -> bool:
    """Whether unit ``i + 1`` follows unit ``i`` in the same block: no blank line between, or only blank
    lines inside a fenced code block. Past a blank line, plain notes often move on to another fact."""
    between = range(cands[i].last + 1, cands[i + 1].first)
    if all(lines[n].strip() for n in between):
        return True
    return open_fence(lines, cands[i].last + 1) is not None and not any(is_fence(lines[n]) for n in between)


def _overlap(cands: list[Candidate], span: tuple[int, int], other: tuple[int, int]) -> bool:
    x, y = cands[span[0]], cands[other[0]]
    return x.hit == y.hit and cands[span[0]].first <= cands[other[1]].last and cands[other[0]].first <= cands[span[1]].last


def _display(text: str, opener: str | None = None) -> str:
    """The quoted lines without bullet signs and indentation, blank lines and lines that show nothing
    to read (an image, a table's rule); the words are untouched. Code between fences keeps its own
    indentation (less what all its lines share): in Python it is meaning. A quote that starts inside a
    code block (``opener``: its fence line) or ends inside one shows the fences it lacks, so that the
    code reads as code and its fences pair up (a Markdown reader of the answer shows the prose after it
    as prose; the chat shows every character as typed)."""
    lines = text.split("\n")
    if opener is not None:
        lines.insert(0, opener.strip())
    fenced = in_code(lines)
    opened = open_fence(lines, len(lines))
    if opened is not None:
        lines.append(fence_marker(opened))
        fenced.append(False)
    code = [line.expandtabs(4) for line, f in zip(lines, fenced, strict=True) if f and line.strip()]
    margin = min((len(line) - len(line.lstrip()) for line in code), default=0)
    return "\n".join(line.expandtabs(4)[margin:].rstrip() if f else strip_bullet(line)
                     for line, f in zip(lines, fenced, strict=True)
                     if has_quotable(readable(line)) and not is_image_only(line))

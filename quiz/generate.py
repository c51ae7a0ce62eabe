"""Questions from chunks, deterministically and offline: no model is needed to make a quiz.

Kinds: ``definition`` ("What is X?"), ``term`` (the definition given, name the term), ``cloze`` (a key term
blanked), ``list`` (name the items under a header), ``mcq`` (distractors are the definitions of sibling
terms of the same section) and ``tf`` (the real definition, or a sibling's swapped in). Each question cites
only the lines its answer is in.
"""

from __future__ import annotations

import functools
import hashlib
import random
import re
from collections.abc import Iterable
from dataclasses import replace

from rapidfuzz import fuzz

from ingest.model import Chunk
from quiz.cloze import BLANK, TermStats, cloze_of
from quiz.facts import Definition, Line, ListFact, chunk_lines, definition_of, is_name, list_facts
from quiz.glossary import aliases_for, collect
from quiz.model import Question
from quiz.quality import worth_asking
from quiz.spelling import word_counts
from quiz.topics import HeadingMap, label_for
from text.lines import in_code, is_fence, sentence_goes_on, without_link_marks, without_strong
from text.words import content_words, date_preposition, is_date, normalise

_MARKDOWN = (".md", ".markdown")
#: A case citation alone, its court after it: "Hoenig v Isaacs (1952) CA". The term it answers names what the
#: case stands for, so the card asks for the case, not what the term "is".
_BARE_CASE = re.compile(r"^(?:Re\s)?[A-Z][^\n:;=>]{0,120}?\sv\.?\s[A-Z][^\n:;=>]{0,120}?\(\d{4}\)(?:\s++[A-Z]{2,4})?\s*+$")
MAX_SIBLINGS = 6
MCQ_CHOICES = 4


def _topic(heading: str, fallback: str) -> str:
    return heading.rsplit(" > ", 1)[-1].strip() or fallback


@functools.lru_cache(maxsize=65536)
def _norm(text: str) -> str:
    return normalise(text)


def _same(a: str, b: str) -> bool:
    """Near-identical wording: not usable as a distractor of the other."""
    return fuzz.ratio(_norm(a), _norm(b)) >= 85


def _seed(*parts: str) -> int:
    return int(hashlib.sha1("\x1f".join(parts).encode()).hexdigest()[:8], 16)


def _base(kind: str, text: str, answer: str, lines: list[Line], evidence: Iterable[str], term: str,
          choices: tuple[str, ...] = (), siblings: tuple[str, ...] = ()) -> Question:
    """The question as the person reads it (no bold markers in its text, answer, term, choices or siblings);
    its quote and evidence stay the notes' own characters."""
    chunk = lines[0].chunk
    first, last = lines[0].number, lines[-1].number
    quote = "\n".join(line.text for line in lines)
    term = without_strong(term)
    return Question(kind=kind, question=without_strong(text), answer=without_strong(answer),  # type: ignore[arg-type]
                    source=chunk.source, start_line=first, end_line=last, heading=chunk.heading,
                    topic=_topic(chunk.heading, term), quote=quote, evidence=tuple(evidence), term=term,
                    choices=tuple(map(without_strong, choices)), siblings=tuple(map(without_strong, siblings)))


def _links_as_text(q: Question, file_text: str) -> Question:
    """The question with its Markdown links read as their text ("[slow query log](...)", or "[slow query
    log]" where a cut dropped the address; ``file_text``, its note's, says which brackets are links). Done
    last: the card rules see the links (a gap in a link's text is no question)."""
    if "[" not in q.question + q.answer + q.term + "".join(q.choices) + "".join(q.siblings):
        return q

    def shown(part: str) -> str:
        return without_link_marks(part, file_text)

    return replace(q, question=shown(q.question), answer=shown(q.answer), term=shown(q.term),
                   choices=tuple(map(shown, q.choices)), siblings=tuple(map(shown, q.siblings)))


def _context(fact: Definition) -> str:
    """``"CW alarm: "`` when the section adds something the term does not say itself."""
    topic = _topic(fact.line.chunk.heading, "")
    if not topic or fuzz.partial_ratio(topic.lower(), fact.term.lower()) >= 85:
        return ""
    return f"{topic}: "


def siblings_of(fact: Definition, facts: list[Definition]) -> list[Definition]:
    """Other definitions of the same chunk, then of the same heading, then the nearest lines of the file."""
    chunk = fact.line.chunk

    def rank(other: Definition) -> tuple[int, int]:
        near = 0 if other.line.chunk is chunk else 1 if other.line.chunk.heading == chunk.heading else 2
        return near, abs(other.line.number - fact.line.number)

    chosen: list[Definition] = []
    if fact.pair:
        return []  # "Man ==> Woman": other lines' definitions are no counterparts to choose from
    for other in sorted((o for o in facts if o.line.chunk.source == chunk.source and not o.pair), key=rank):
        if _norm(other.term) == _norm(fact.term) or _same(other.definition, fact.definition):
            continue
        if all(not _same(other.definition, c.definition) for c in chosen):
            chosen.append(other)
        if len(chosen) == MAX_SIBLINGS:
            break
    return chosen


def _ask_definition(fact: Definition) -> str:
    if _BARE_CASE.match(without_strong(fact.definition)):  # "substantial performance : Hoenig v Isaacs (1952) CA"
        return f'{_context(fact)}Which case do the notes give for "{fact.term}"?'
    if is_date(fact.term):  # "2 Dec 1805 - Austerlitz": what happened then, not "what is 2 Dec 1805"
        return f"{_context(fact)}What happened {date_preposition(fact.term)} {fact.term}?"
    if re.match(r"\d+\s", fact.term):  # "4 types of budget : cost, usage, ..."
        return f"{_context(fact)}Name the {fact.term}."
    if is_name(fact.term):
        return f'{_context(fact)}What is "{fact.term}"?'
    return f'{_context(fact)}What do the notes say about "{fact.term}"?'


def _arrow(fact: Definition) -> str:
    found = re.search(r"=+>|-+>", fact.line.text)
    return found.group() if found else "=>"


def pair_questions(fact: Definition) -> list[Question]:
    """"Man ==> Woman": the counterpart of each side, asked as a pair, not as what the term is."""
    line, arrow = [fact.line], _arrow(fact)
    return [_base("definition", f'{_context(fact)}What do the notes pair with "{fact.term}" ("{fact.term} {arrow} ?")?',
                  fact.definition, line, [fact.definition], fact.term),
            _base("term", f'{_context(fact)}What do the notes pair with "{fact.definition}" ("? {arrow} '
                          f'{fact.definition}")?', fact.term, line, [fact.term], fact.term)]


def definition_questions(fact: Definition, siblings: list[Definition]) -> list[Question]:
    if fact.pair:
        return pair_questions(fact)
    line, sib_defs = [fact.line], tuple(s.definition for s in siblings)
    sib_terms = tuple(s.term for s in siblings)
    out = [_base("definition", _ask_definition(fact), fact.definition, line, [fact.definition], fact.term,
                 siblings=sib_defs)]
    describes = len(content_words(fact.definition)) >= 2
    if is_name(fact.term) and describes and fuzz.partial_ratio(fact.term.lower(), fact.definition.lower()) < 80:
        asked = f'When did this happen: "{fact.definition}"?' if is_date(fact.term) else \
            f'Which term do the notes describe as "{fact.definition}"?'
        out.append(_base("term", f"{_context(fact)}{asked}", fact.term, line, [fact.term], fact.term,
                         siblings=sib_terms))
    rng = random.Random(_seed(fact.term, fact.definition))
    if len(siblings) >= MCQ_CHOICES - 1:
        options = [fact.definition, *[s.definition for s in siblings[:MCQ_CHOICES - 1]]]
        rng.shuffle(options)
        out.append(_base("mcq", f'{_context(fact)}Which of these describes "{fact.term}"?', fact.definition,
                         line, [fact.definition], fact.term, choices=tuple(options)))
    if siblings:
        true_statement = rng.random() < 0.5
        shown = fact.definition if true_statement else siblings[0].definition
        topic = _context(fact).rstrip(": ")
        out.append(_base("tf", f'True or false{f" ({topic})" if topic else ""}: the notes describe '
                               f'"{fact.term}" as "{shown}".', "True" if true_statement else "False", line,
                         [fact.term, fact.definition], fact.term, choices=("True", "False"), siblings=sib_terms))
    return out


def list_question(fact: ListFact) -> Question:
    lines = [line for line in chunk_lines(fact.header.chunk) if fact.header.number <= line.number <= fact.last.number]
    what = fact.noun if fact.noun else "items listed under"
    text = (f'{fact.label}: name the {len(fact.items)} {what}.' if fact.noun
            else f'Name the {len(fact.items)} {what} "{fact.label}".')
    return _base("list", text, "; ".join(fact.items), lines, fact.items, fact.label)


def cloze_question(line: Line, stats: TermStats, avoid: set[str], strict: bool = True) -> Question | None:
    cloze = cloze_of(line, stats, avoid, strict)
    if cloze is None:
        return None
    topic = _topic(line.chunk.heading, "")
    lead = f"{topic}: fill in the blank" if topic else "Fill in the blank"
    return _base("cloze", f'{lead}: "{cloze.prompt}"', cloze.answer, [line], [cloze.evidence, cloze.answer],
                 cloze.answer)


def generate_questions(chunks: list[Chunk], *, worth_asking_only: bool = True) -> list[Question]:
    """Every question the chunks support that is worth asking (:mod:`quiz.quality`), in reading order, without
    duplicates (by normalised text). ``worth_asking_only=False`` keeps every question the facts give."""
    read = [chunk_lines(c) for c in chunks]
    all_lines = [line for lines in read for line in lines]
    code = _code_lines(_file_texts(all_lines))
    prose = [[Line("", line.number, line.chunk) if (line.chunk.source, line.number) in code else line
              for line in lines] for lines in read]  # a code line is no fact worth asking: read as blank
    texts = _file_texts([line for lines in prose for line in lines])
    per_chunk = prose if worth_asking_only else read
    facts = []
    for line in (line for lines in per_chunk for line in lines):
        if (d := definition_of(line)) is not None and not d.flaw and \
                (line.chunk.source, line.number) not in code and _cut_sentence(d, texts[line.chunk.source]):
            d = replace(d, flaw="cut mid-sentence")
        if d is not None and not (d.flaw and worth_asking_only):
            facts.append(d)
    stats = TermStats.of(all_lines)
    questions: list[Question] = []
    for lines in per_chunk:
        for fact in (f for f in facts if lines and f.line.chunk is lines[0].chunk):
            questions += definition_questions(fact, siblings_of(fact, facts))
        questions += [list_question(f) for f in list_facts(lines)]
        for line in lines:
            avoid = set(re.findall(r"[a-z0-9]+", line.chunk.heading.lower()))
            if (q := cloze_question(line, stats, avoid, worth_asking_only)) is not None:
                questions.append(q)
    headings = HeadingMap(chunks)
    names = collect(line.text for line in all_lines)
    located = [_located(q, headings, strict=worth_asking_only) for q in questions]
    unique = [replace(q, aliases=aliases_for(names, q.answer, q.term, *q.evidence))
              for q in _unique([q for q in located if q is not None], strict=worth_asking_only)]
    asked = worth_asking(unique, word_counts(line.text for line in all_lines)) if worth_asking_only else unique
    notes = {source: "\n".join(numbered.values()) for source, numbered in texts.items()}
    return [_links_as_text(q, notes.get(q.source, q.quote)) for q in asked]


#: A shell command: a prompt ("$ ", "% ") and a lower-case command with a flag, a pipe, "&&", a redirect or a
#: line continuation ("$ git log --oneline", "$ psql -h host.com \\"); "$ CloudFormation : ..." (a plain
#: notes heading mark) is none.
_SHELL = re.compile(r"^\s*[$%]\s+(?:[A-Z_]+=\S*\s+)*[a-z][\w.-]*(?=\s|$).*?(?:\s--?[A-Za-z]|\s\||&&|\s[<>]|\s\\$)")
_CONTINUES = re.compile(r"\s\\$")


def _file_texts(lines: Iterable[Line]) -> dict[str, dict[int, str]]:
    texts: dict[str, dict[int, str]] = {}
    for line in lines:
        texts.setdefault(line.chunk.source, {})[line.number] = line.text
    return texts


def _code_lines(texts: dict[str, dict[int, str]]) -> set[tuple[str, int]]:
    """(source, line) of every line of code: inside a fenced block (the fences too), a shell command, and the
    lines a trailing backslash carries on."""
    code: set[tuple[str, int]] = set()
    for source, numbered in texts.items():
        numbers = sorted(numbered)
        lines = [numbered[n] for n in numbers]
        fenced = in_code(lines)
        for i, (number, text) in enumerate(zip(numbers, lines, strict=True)):
            carried = i > 0 and numbers[i - 1] == number - 1 and bool(_CONTINUES.search(lines[i - 1])) \
                and (source, number - 1) in code
            if fenced[i] or is_fence(text) or _SHELL.match(text) or carried or \
                    (_CONTINUES.search(text) and _SHELL.match(text) is None and (source, number - 1) in code):
                code.add((source, number))
    return code


def _cut_sentence(fact: Definition, numbered: dict[int, str]) -> bool:
    """A definition read off a Markdown paragraph's hard-wrapped lines (one paragraph, whatever its line
    breaks): its answer runs to the end of a line whose sentence goes on in the next ("... which generally" /
    "lists only local branches."), or its term is the tail of a sentence begun on the line above ("key
    constraint" after "... a unique"). In plain notes a line is a line: "s3 multipart upload => ..." over
    "s3 transfer acceleration => ..." are two facts."""
    if not fact.line.chunk.source.lower().endswith(_MARKDOWN):
        return False
    text, number = fact.line.text, fact.line.number
    above, below = numbered.get(number - 1, ""), numbered.get(number + 1, "")
    if sentence_goes_on(text, below) and text.rstrip().endswith(fact.definition):
        return True
    return sentence_goes_on(above, text)


def _recalled(q: Question) -> tuple[str, ...]:
    """What the person must produce by name: the answer, each item of a list (a choice question shows its
    answer among the choices)."""
    return q.parts if q.kind == "list" else () if q.kind in ("mcq", "tf") else (q.answer,)


def _located(q: Question, headings: HeadingMap, strict: bool = True) -> Question | None:
    """The question filed under the heading of its own lines (:mod:`quiz.topics`), its topic prefix with
    it; None for a definition read off a heading line ("### Learning Word Embeddings: Word2vec", "CHEM 101 -
    KINETICS" over "====="), and for a question every heading over which names its answer (both only when
    ``strict``: the questions worth asking)."""
    if strict and q.kind != "cloze" and q.start_line in headings.title_lines.get(q.source, ()):
        return None
    path = headings.path(q.source, q.start_line)
    if path is None:
        path = tuple(p.strip() for p in q.heading.split(" > ") if p.strip())
    title = q.source.rsplit("/", 1)[-1].rsplit(".", 1)[0].replace("-", " ").replace("_", " ")
    if (labelled := label_for(path, _recalled(q) if strict else (), title)) is None:
        return None  # every heading over it names its answer
    heading, topic = labelled
    old = _topic(q.heading, "")
    label = topic if heading and fuzz.partial_ratio(topic.lower(), q.term.lower()) < 85 else ""
    text = q.question
    if q.kind == "list":
        pass  # a list's lead is its own label ("kMS: name the 2 keys."), not the topic
    elif old and text.startswith(f"{old}: "):
        rest = text[len(old) + 2:]
        text = f"{label}: {rest}" if label else rest[0].upper() + rest[1:]
    elif old and f" ({old}):" in text:
        text = text.replace(f" ({old}):", f" ({label}):" if label else ":", 1)
    elif label and q.kind in ("definition", "term", "mcq", "tf") and not old:
        text = q.question  # the chunk had no heading: the question stays as it was asked
    return replace(q, heading=heading, topic=topic, question=text)


def _unique(questions: list[Question], strict: bool = True) -> list[Question]:
    """The first of questions asked alike (by normalised text); ``strict`` (the questions worth asking): also
    the first of the same kind, term and answer, and of lists of the same items ("Training error; Dev error"
    under two headers)."""
    seen: set[object] = set()
    unique: list[Question] = []
    for q in questions:
        keys: list[object] = [normalise(q.question.replace(BLANK, " "))]
        if strict:
            keys.append((q.kind, _norm(q.term), _norm(q.answer)))
        if strict and q.kind == "list":
            keys.append(frozenset(_norm(p) for p in q.parts))
        if not seen.intersection(keys):
            unique.append(q)
        seen.update(keys)
    return unique

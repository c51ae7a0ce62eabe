"""Read the facts that questions are made of out of a chunk's lines: definitions, lists and statements.

Study notes state facts in a handful of shapes: ``term : definition`` (also ``=>``, ``==``, ``=``, `` - ``),
``Term is a ...`` sentences, and a header line followed by short bullets. Every fact keeps the file line
numbers it came from, so each question can cite them exactly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ingest.model import Chunk
from text.words import STOPWORDS, content_words

#: A bullet, an item number ("2." but not the "0." of "0.647"), "=>", "$", "#" or "[]" opening a line.
_PREFIX = re.compile(r"^\s*(?:(?:[-*•]+|\d{1,2}[.)](?!\d)|=>|\$+|#+|\[\])\s*)+")
_BULLET = re.compile(r"^\s*(?:[-*•]|\d{1,2}[.)](?!\d)|=>)\s*\S")
#: What parts a term from its definition; the "=" of "<=", ">=", "!=" and "<=>" (both ways) parts nothing.
_SEPARATOR = re.compile(r"(?<!\s)\s*(?:\s::|::\s|(?<=\s):|:(?=\s|$)|==+>|==+|(?<!<)=>|(?<![<>!])=(?!>)|\s-{1,3}\s)\s*")
#: The next pair of a line of pairs ("systole = contraction, diastole = relaxation": the line's own term is set
#: off by "=" too; a label of up to three words without an arrow): the answer ends before it.
_NEXT_PAIR = re.compile(r"[;,]\s*[^\s;,=<>]+(?:\s[^\s;,=<>]+){0,2}\s*(?<![<>!=])=(?![=>])")
#: A last sentence that only opens what the next lines say: "... S knows that p iff:", "... only if they".
_OPEN_SENTENCE = re.compile(r"(?<=[a-z]{2})\.\s+[^.]*\b(?:iff|if|that|they|whether|unless|because):?$", re.I)
#: A number equal to a number: a worked step ("2(1.008) + 16.00 = 18.02", "4.8e4 J/mol = 48 kJ/mol"), not a fact.
_WORKED = re.compile(r"\d[\d.]*\s*[A-Za-z/%]{0,8}\s*(?<![<>!=])=(?![=>])\s*[-+(]?\d")
#: The rest of an analogy "Man : Computer_programmer as Woman : Homemaker": a pair of pairs, no definition.
_ANALOGY = re.compile(r"^[^\s:]++\s+as\s+[^\s:]++(?:\s[^\s:]++)?\s*+:\s")
_IS_A = re.compile(r"^(?P<term>(?:An?\s+|The\s+)?[A-Z][\w&/().+-]*(?:\s+[\w&/().+-]+){0,4}?)\s+(?:is|are)\s+"
                   r"(?P<definition>(?:an?|the|one|not)\s.{12,})$")
_SENTENCE_END = re.compile(r"[a-z]{2}[.!?]\s+\S")  # "Postgres table. This": a sentence's tail
_ARROW = re.compile(r"(?<![=-])(?:=+|-+)>")  # one try per run of = or -: linear
_COUNTED = re.compile(r"^(?P<n>\d{1,2})\s+(?P<noun>[a-z][a-z ]{2,20}?)\s*:?$", re.I)
_HAS_COUNT = re.compile(r"\b(?P<n>\d{1,2})\s+(?P<noun>types?|kinds?|components?|actions?|keys?|states?|"
                        r"categories|ways|steps|parts|branches)\b", re.I)
_VAGUE_TERMS = frozenset({"example", "examples", "note", "notes", "usage", "how to use", "advantages",
                          "troubleshoot", "type", "types", "events", "compatible", "q1"})
_VERBS = frozenset({"is", "are", "can", "will", "be", "has", "have", "having", "goes", "need", "using", "by",
                    "to", "if", "there", "means", "use", "create", "check", "combine"})
MAX_TERM_WORDS = 6
MAX_TERM_CHARS = 50
MAX_ITEM_CHARS = 45
MAX_ANSWER_CHARS = 110


@dataclass(frozen=True)
class Line:
    """One line of a chunk with its 1-based position in the file."""

    text: str
    number: int
    chunk: Chunk


@dataclass(frozen=True)
class Definition:
    term: str
    definition: str  # trimmed to a recallable length; always a substring of ``line.text``
    line: Line
    #: "Man ==> Woman": a term and its counterpart (an analogy, a mapping), not a term and what it is.
    pair: bool = False
    #: Why the line only seems to define something (split mid-expression, cut mid-sentence); "" when it does.
    flaw: str = ""


@dataclass(frozen=True)
class ListFact:
    label: str  # what the items belong to, e.g. "CW alarm"
    noun: str  # "actions" when the notes say "3 actions", else ""
    items: tuple[str, ...]
    header: Line
    last: Line


def chunk_lines(chunk: Chunk) -> list[Line]:
    """The chunk's lines with file line numbers (a chunk cut from one long line maps to that line)."""
    texts = chunk.text.split("\n")
    if len(texts) == chunk.end_line - chunk.start_line + 1:
        return [Line(t, chunk.start_line + i, chunk) for i, t in enumerate(texts)]
    return [Line(t, chunk.start_line, chunk) for t in texts] if chunk.start_line == chunk.end_line else []


def strip_prefix(text: str) -> str:
    """The line without its bullet, number, ``=>`` or ``$`` marker."""
    return _PREFIX.sub("", text, count=1).strip()


def is_name(term: str) -> bool:
    """A term that reads as a name ("ebs vol", "git reset --hard"), not a phrase ("VPN goes over ...")."""
    words = term.lower().split()
    return (len(words) <= 4 and words[0] not in STOPWORDS and words[-1] not in STOPWORDS
            and not _VERBS.intersection(words) and not words[0].isdigit())


def is_bullet(text: str) -> bool:
    return bool(_BULLET.match(text))


def good_term(term: str) -> bool:
    words = term.split()
    return (0 < len(words) <= MAX_TERM_WORDS and len(term) <= MAX_TERM_CHARS and term[0].isalnum()
            and "," not in term and term.lower() not in _VAGUE_TERMS and bool(content_words(term)))


def trim_answer(text: str, limit: int = MAX_ANSWER_CHARS) -> str:
    """A recallable prefix of a long definition, cut at a clause boundary (always a prefix of ``text``)."""
    text = trim_tail(text.strip())
    if len(text) <= limit:
        return text
    # a dash with a number on either side is a range or a minus ("300 - 3000", "mean - 2 SD"), not a clause's end
    for pattern in (r"(?<!\d)\s-{1,3}\s(?!\d)|\s==+\s|(?<!\d)\.\s|;\s", r",\s|\(|\s\|\s"):
        cuts = [m.start() for m in re.finditer(pattern, text)
                if 25 <= m.start() <= limit and not _depth(text[:m.start()])]  # never inside a bracket's aside
        if cuts:
            return trim_tail(text[:cuts[0] if pattern.startswith(r"(?<!\d)\s-") else cuts[-1]])
    cut = text.rfind(" ", 0, limit)
    return _before_open_aside(trim_tail(text[:cut if cut > 20 else limit]))


def _before_open_aside(text: str) -> str:
    """``text`` without the bracket it leaves open at its end ("speech production (Broca 1861" -> "speech
    production"), where enough is left before it to recall."""
    depth, start = 0, None
    for n in range(len(text) - 1, -1, -1):
        depth += (text[n] == ")") - (text[n] == "(")
        if depth < 0:
            start, depth = n, 0
    return trim_tail(text[:start]) if start is not None and start > 20 else text


def trim_tail(text: str) -> str:
    """``text`` without the separators it ends on (" ,;:=>" and a dash on its own); a minus glued to a word is
    part of it ("OH-", "e-")."""
    while True:
        trimmed = text.rstrip(" ,;:=>")
        bare = trimmed.rstrip("-")
        if bare != trimmed and (not bare or bare[-1] in " ,;:=>"):
            trimmed = bare
        if trimmed == text:
            return text
        text = trimmed


def _range_dash(body: str, match: re.Match[str]) -> bool:
    """The dash of a numeric range ("300 - 3000"): not a separator."""
    return match.group().strip().startswith("-") and bool(re.search(r"\d$", body[:match.start()])) \
        and bool(re.match(r"\d", body[match.end():]))


def open_bracket(text: str) -> bool:
    """A round bracket opened and not closed ("Tuning the learning rate (which"), or closed before it opens
    ("ignoring) files"): a piece cut out of an expression or a sentence."""
    return _depth(text) != 0


def closes_unopened(text: str) -> bool:
    """A round bracket closed before any opens ("ignoring) files that ..."): the start was cut off."""
    return _depth(text) is None


def _depth(text: str) -> int | None:
    """How many round brackets stay open at the end of ``text``; None when one closes that never opened."""
    depth = 0
    for char in text:
        depth += (char == "(") - (char == ")")
        if depth < 0:
            return None
    return depth


def split_definition(text: str, strict: bool = True) -> tuple[str, str] | None:
    """``(term, rest)`` of a ``term <separator> rest`` or ``Term is a ...`` line, else None. ``strict``: the
    dash of a numeric range ("300 - 3000") is no separator, and a term cut inside brackets ("Y_hat * (1",
    "Excluding (read") or holding the end of a sentence ("Postgres table. This") is none."""
    body = strip_prefix(text)
    match = next((m for m in _SEPARATOR.finditer(body) if not (strict and _range_dash(body, m))), None)
    if match and match.start() > 0:
        term, rest = body[:match.start()].strip(), body[match.end():].strip()
        if good_term(term) and not (strict and (open_bracket(term) or _SENTENCE_END.search(term))):
            return term, rest
        return None
    sentence = _IS_A.match(body)
    if sentence and good_term(sentence.group("term")):
        return sentence.group("term"), sentence.group("definition")
    return None


def definition_of(line: Line) -> Definition | None:
    """The line's definition; one the notes' shape only seems to give (split at a range's dash, inside
    brackets, a chain of arrows cut mid-way, the first pair of an analogy) comes back with its ``flaw`` named,
    for grading only."""
    found = _definition(line, strict=True)
    if found is not None:
        return replace(found, flaw="an analogy") if _ANALOGY.match(found.definition) else found
    loose = _definition(line, strict=False)
    return replace(loose, flaw="cut mid-expression") if loose is not None else None


def _definition(line: Line, strict: bool) -> Definition | None:
    parts = split_definition(line.text, strict)
    if parts is None:
        return None
    term, rest = parts
    if re.fullmatch(r"[-+]?\d*\.\d+", term):
        return None  # "0.647 = (Ea/8.314)(1.125e-4)": a value of a worked example, not a term
    answer = trim_answer(rest)
    paired = re.match(r"\s*(?<![<>!=])=(?![=>])", strip_prefix(line.text)[len(term):])  # "X = Y, Z = W"
    if paired and (pair := _NEXT_PAIR.search(answer)) is not None:
        answer = trim_tail(answer[:pair.start()])
    if (tail := _OPEN_SENTENCE.search(answer)) is not None:
        answer = answer[:tail.start()]  # "justified true belief. S knows that p iff:" asks the first sentence
    if len(answer) < 3 or not content_words(answer) or _COUNTED.match(answer) or answer.endswith(" :") or \
            _WORKED.search(answer):
        return None
    if re.match(r"\d{1,2}[.)]\s", answer) and not re.search(r"\b2[.)]\s", answer):
        return None  # only the first item of an inline numbered list
    arrows = len(_ARROW.findall(strip_prefix(line.text)))
    if strict and closes_unopened(answer):
        return None  # "ignoring) files that ...": the line was split inside a bracket
    if strict and arrows >= 2 and answer != trim_tail(rest.strip()):
        return None  # "Conv => Max-pool => Conv => ...": a chain cut mid-way
    pair = arrows == 1 and bool(_ARROW.search(line.text[:line.text.find(answer)])) and is_pair(term, answer)
    return Definition(term, answer, line, pair)


def is_pair(term: str, answer: str) -> bool:
    """Both sides of an arrow are short names ("Man ==> Woman", "King ==> Queen"): a term and its counterpart,
    not a term and its definition ("s3 transfer acceleration => use edge location")."""
    return all(len(side.split()) <= 3 and is_name(side) and side[0].isalnum() for side in (term, answer))


def _header_label(text: str) -> tuple[str, str, str] | None:
    """(label, noun, count) of a line that introduces a list, else None. A bullet introduces the bullets
    below it only when it ends with ":" or "=>" or names their count ("- DT has 2 components"); "- 2 branches
    are there main, feature" names its items itself, and its neighbours are its siblings."""
    body = strip_prefix(text).rstrip(": \t")
    if is_bullet(text) and not _introduces_list(text):
        return None
    parts = split_definition(text)
    if parts and (not parts[1] or _COUNTED.match(parts[1])):
        counted = _COUNTED.match(parts[1])
        return parts[0], counted.group("noun") if counted else "", counted.group("n") if counted else ""
    counted = _HAS_COUNT.search(body)
    if counted and len(body) <= 60:
        label = body[:counted.start()].strip(" :-") or body
        return label, counted.group("noun"), counted.group("n")
    if 0 < len(body) <= 60 and good_term(body) and (text.rstrip().endswith(":") or not is_bullet(text)):
        return body, "", ""
    return None


def _item(text: str) -> str | None:
    parts = split_definition(text)
    item = parts[0] if parts else strip_prefix(text).rstrip(" ,;.")
    if not item or len(item) > MAX_ITEM_CHARS or len(item.split()) > MAX_TERM_WORDS:
        return None
    return item


def list_facts(lines: list[Line]) -> list[ListFact]:
    """A header line followed by 2-8 short bullets; a bullet that introduces a count starts a new list, and a
    bullet header's list ends where a bullet as far in as the header follows its deeper items ("- clefs:" owns
    its four indented clefs, not the "- ledger lines" after them)."""
    found: list[ListFact] = []
    i = 0
    while i < len(lines):
        header = _header_label(lines[i].text) if lines[i].text.strip() else None
        j = i + 1
        run: list[Line] = []
        while j < len(lines) and is_bullet(lines[j].text) and not _introduces_list(lines[j].text) \
                and not (run and _indent(run[0].text) > _indent(lines[i].text) >= _indent(lines[j].text)):
            run.append(lines[j])  # a bullet header's items are the bullets under it, not its siblings after them
            j += 1
        if header and len(run) >= 2:
            items = [_item(line.text) for line in run]
            label, noun, count = header
            if all(items) and len(items) <= 8 and len({x.lower() for x in items if x}) == len(items) \
                    and (not count or int(count) == len(items)):
                found.append(ListFact(label, noun, tuple(x for x in items if x), lines[i], run[-1]))
        i = j if run else i + 1
    return found


def _indent(text: str) -> int:
    return len(text) - len(text.lstrip())


def _introduces_list(text: str) -> bool:
    """A line that heads the bullets below it: it ends with ":" or "=>", or ends naming a count ("2 types",
    "analyze in 6 categories")."""
    tail = text.rstrip()
    if tail.endswith((":", "=>")):
        return True
    counted = _HAS_COUNT.search(tail)
    return bool(counted) and not re.search(r"[A-Za-z0-9]", tail[counted.end():])

"""The values the quiz passes around: a question with its source lines, and the grade of an answer."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from typing import Literal

Kind = Literal["definition", "term", "cloze", "list", "mcq", "tf"]
Verdict = Literal["correct", "partly", "wrong"]

#: Kinds graded exactly (a letter or the choice's text; true/false) rather than by meaning.
EXACT_KINDS: frozenset[str] = frozenset({"mcq", "tf"})


@dataclass(frozen=True)
class Question:
    """One question, answerable from ``quote`` (the lines ``start_line``..``end_line`` of ``source``, verbatim).

    ``evidence`` holds the snippets of ``quote`` that justify ``answer``: for most kinds the answer itself,
    for a list its items, for true/false the term and its real definition. ``siblings`` are the answers of
    neighbouring facts (other terms of the same section): the grader rejects a free-text answer that fits a
    sibling better than the expected one."""

    kind: Kind
    question: str
    answer: str
    source: str
    start_line: int
    end_line: int
    heading: str  # the chunk's heading path ("" when the passage has none)
    topic: str  # what progress is grouped by: the heading's last part, else the fact's term
    quote: str
    evidence: tuple[str, ...]
    choices: tuple[str, ...] = ()  # mcq: the options in display order; tf: ("True", "False")
    siblings: tuple[str, ...] = ()
    term: str = ""  # the fact's subject, e.g. "parquet"; used for topic matching
    aliases: tuple[tuple[str, str], ...] = ()  # (short, long) names the notes define that its words use

    @property
    def id(self) -> str:
        """Stable across edits that only move lines: kind, file, question and answer."""
        key = "\x1f".join((self.kind, self.source, self.question, self.answer))
        return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]

    @property
    def reference(self) -> str:
        span = f"{self.start_line}" if self.start_line == self.end_line else f"{self.start_line}-{self.end_line}"
        return f"{self.source}:{span}"

    @property
    def parts(self) -> tuple[str, ...]:
        """The items a list answer is made of (one item for the other kinds)."""
        return self.evidence if self.kind == "list" else (self.answer,)

    def prompt_text(self) -> str:
        """The question as shown to the person: mcq options lettered A), B), ...; true/false says so."""
        if self.kind == "mcq":
            return "\n".join([self.question, *(f"{'ABCDEFGH'[i]}) {c}" for i, c in enumerate(self.choices))])
        return f"{self.question} (true / false)" if self.kind == "tf" else self.question

    def to_json(self) -> dict:
        """The export record: at least id, kind, question, answer, choices, source, lines, heading, quote."""
        data = asdict(self)
        data["choices"] = list(self.choices) if self.kind in EXACT_KINDS else None
        data["evidence"] = list(self.evidence)
        data["siblings"] = list(self.siblings)
        data["aliases"] = [list(pair) for pair in self.aliases]
        return {"id": self.id, **data, "reference": self.reference}

    @classmethod
    def from_json(cls, data: dict) -> Question:
        """The question :meth:`to_json` (or ``dataclasses.asdict``) wrote; its derived ``id`` and ``reference``
        are left out, any other key it does not know raises ``TypeError``."""
        fields = {k: v for k, v in data.items() if k not in ("id", "reference")}
        for name in ("evidence", "choices", "siblings"):
            fields[name] = tuple(fields.get(name) or ())
        fields["aliases"] = tuple(tuple(pair) for pair in fields.get("aliases") or ())
        return cls(**fields)


@dataclass(frozen=True)
class Grade:
    """The verdict on one answer; ``feedback`` says why in one line, ``expected``/``quote`` show the source.

    ``verdict`` is correct, partly (some of it: a partial list, half a definition) or wrong; ``correct`` is
    ``verdict == "correct"`` (what scores and spaced repetition count)."""

    correct: bool
    score: float  # 0..1; for free text the blend of meaning and key-term coverage
    feedback: str
    expected: str
    reference: str = ""
    quote: str = ""
    details: dict[str, float] = field(default_factory=dict)  # the signals the verdict came from
    verdict: Verdict | Literal[""] = ""  # "" when built without one: then correct or wrong from ``correct``

    def __post_init__(self) -> None:
        if not self.verdict:
            object.__setattr__(self, "verdict", "correct" if self.correct else "wrong")

"""Question (+ conversation) -> an Answer, streamed, through the configured backend.

Flow: condense a follow-up (generative backends) -> retrieve -> judge the evidence (refuse when the notes
do not hold the answer) -> write the answer (extractive composer or model) -> attach citations. A
generative backend that fails, or whose answer the notes do not support, falls back to the extractive
answer, and :attr:`Answer.notice` says why and what to fix.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator

from answer.citations import cite_generated, filter_stream
from answer.evidence import EvidenceJudge
from answer.extractive import Composer, Extract
from answer.model import Answer
from answer.prompts_io import condense_messages, fence_passages, refusal_text
from answer.strategy import generative_backend
from answer.support import is_model_refusal, supported
from answer.terms import TermWeights
from answer.tuning import ANSWER
from backends import BackendError
from ingest.vault import linked_from
from lines.vectors import LineVectors
from prompts import load_prompt
from retrieval import Hit, leans_on_history
from retrieval.scope import Scope, parse_scope
from text.words import named_terms
from workspace import Workspace

_Run = Generator[str, None, Answer]


class AnswerStream:
    """Iterate for the text pieces as they are written; afterwards :attr:`answer` holds the Answer.

    When a generative backend fails midway, the pieces already given are followed by a note and the
    extractive answer; :attr:`answer` then holds only the final text."""

    def __init__(self, run: _Run) -> None:
        self._run = run
        self.answer: Answer | None = None

    def __iter__(self) -> Iterator[str]:
        self.answer = yield from self._run

    def collect(self) -> Answer:
        for _ in self:
            pass
        assert self.answer is not None
        return self.answer


class Answerer:
    def __init__(self, ws: Workspace, backend: str | None = None) -> None:
        self.ws = ws
        self.settings = ws.settings
        self.backend_name = backend or ws.settings.backend
        #: The generative backend that writes the answer; None: the extractive strategy (quotes the notes).
        self.backend = generative_backend(ws.settings, backend)  # ValueError for an unknown name
        self.judge = EvidenceJudge(ws.index.catalog, ws.index.memo)
        self.line_vectors = LineVectors(ws.embedder, ws.index.text_vectors)
        load_prompt("answer"), load_prompt("condense"), load_prompt("refusal")  # fail early on a bad file

    def stream(self, question: str, history: list[dict] | None = None, scope: Scope | None = None) -> AnswerStream:
        """``history``: earlier turns ``[{"role": "user"|"assistant", "content": str}]``, oldest first.
        ``scope``: only these notes (a folder, tags); a ``#tag`` or ``in:Folder`` of the notes written in the
        question narrows it too (and is taken out of the question)."""
        question = question.strip()
        rest, written = parse_scope(question, self.ws.index.catalog)
        question = rest or question
        if scope and written:  # the scope given (options, chips) and the one written in the question, together
            scope = Scope(tuple(dict.fromkeys(scope.tags + written.tags)), scope.folder or written.folder)
        scope = scope or written
        return AnswerStream(self._linked(self._run(question, history or [], scope or None)))

    def ask(self, question: str, history: list[dict] | None = None, scope: Scope | None = None) -> Answer:
        return self.stream(question, history, scope).collect()

    def _linked(self, run: _Run) -> _Run:
        """The answer, its citations of a vault's notes listing the notes that link to them."""
        answer = yield from run
        notes = self.ws.index.catalog.notes()
        if notes:
            for citation in answer.citations:
                citation.linked_from = linked_from(notes, citation.source)
        return answer

    # ---- the steps ---------------------------------------------------------------------
    def _run(self, question: str, history: list[dict], scope: Scope | None = None) -> _Run:
        if not question:
            raise ValueError("The question is empty.")
        notice = None
        standalone = question
        earlier = [t["content"] for t in history if t.get("role") == "user" and t.get("content")]
        if self.backend is not None and earlier and leans_on_history(question):
            try:
                condensed = self._condense(question, history)
            except BackendError as exc:
                notice = f"{exc}; the follow-up was read with the earlier question instead"
            else:
                if usable_rewrite(condensed, question, earlier):
                    standalone, earlier = condensed, []
        result = self.ws.retriever.search(standalone, max(self.settings.top_k, ANSWER.answer_k), earlier, scope=scope)
        context = result.query.replace(standalone, " ")
        extract = None
        weights = TermWeights(self.ws.index.catalog)  # one per question: the notes may have changed since
        if result.hits:
            composer = Composer(weights, self.line_vectors)
            extract = composer.compose(standalone, context, result.hits[:ANSWER.answer_k])
        # Judged on the person's own words (with the conversation they lean on), not on a model's rewrite.
        # A follow-up that names nothing ("What are its drawbacks?") is about what the conversation named.
        asked = question if named_terms(question) or not context.strip() else f"{context.strip()} {question}"
        evidence = self.judge.assess(f"{context} {question}".strip(), result, extract, asked, weights)
        if evidence.refuse or extract is None or not extract.text:
            closest = extract.citations if extract is not None else []  # the lines that match best, to check
            text = refusal_text(question, evidence.reason or "no line of them matches it", result.hits, cited=closest)
            yield text
            return Answer(question, text, True, closest, result.hits, self.backend_name, notice, evidence.coverage,
                          evidence.similarity)
        if self.backend is None:
            yield extract.text
            return Answer(question, extract.text, False, extract.citations, result.hits, self.backend_name, notice,
                          evidence.coverage, evidence.similarity)
        return (yield from self._generate(question, standalone, result.hits, extract, notice))

    def _condense(self, question: str, history: list[dict]) -> str:
        assert self.backend is not None
        text = "".join(self.backend.execute(condense_messages(question, history), stream=False)).strip()
        line = next((s.strip() for s in text.splitlines() if s.strip()), "")
        return line if 3 <= len(line) <= 400 else question

    def _generate(self, question: str, standalone: str, hits: list[Hit], extract: Extract,
                  notice: str | None) -> _Run:
        """The model writes from the passages' best lines; its answer must stand on the notes."""
        assert self.backend is not None
        passages, shown = fence_passages(hits, extract.picks)
        messages = load_prompt("answer").render(passages=passages, question=standalone)
        given: list[str] = []
        try:
            for piece in filter_stream(self.backend.execute(messages, stream=True), shown):
                given.append(piece)
                yield piece
        except BackendError as exc:
            return (yield from _fall_back(question, hits, extract, f"{exc}; answered with extractive", given,
                                          notice))
        text, citations = cite_generated("".join(given), hits, shown)
        name = self.backend.name
        if is_model_refusal(text):
            why = f"the {name} model found no answer, but your notes match the question; answered with extractive"
            return (yield from _fall_back(question, hits, extract, why, given, notice))
        if not citations or not supported(text, [hits[c.n - 1] for c in citations]):
            why = f"the {name} model's answer is not backed by your notes; answered with extractive"
            return (yield from _fall_back(question, hits, extract, why, given, notice))
        return Answer(question, text, False, citations, hits, name, notice)


def usable_rewrite(rewrite: str, question: str, earlier: list[str]) -> bool:
    """A condensed follow-up must be a new question that names only what the conversation named
    (small models sometimes answer instead, or invent a subject); else retrieval's history handling is used."""
    conversation = " ".join([question, *earlier]).lower()
    return (rewrite.rstrip().endswith("?") and rewrite.strip().lower() != question.strip().lower()
            and all(term.lower() in conversation for term in named_terms(rewrite)))


def _fall_back(question: str, hits: list[Hit], extract: Extract, why: str, given: list[str],
               notice: str | None) -> _Run:
    """Replace a failed or unsupported generation by the extractive answer, saying so."""
    if given:
        yield f"\n\n({why})\n\n"
    yield extract.text
    why = f"{notice}; {why}" if notice else why
    return Answer(question, extract.text, False, extract.citations, hits, "extractive", why)

"""Quiz me inside the chat: the conversation state machine of a quiz (intents are read by quiz.chatintent).

A :class:`ChatQuiz` belongs to one conversation (an id the front end keeps, e.g. in the page URL). Its
state (the questions, the position, the verdicts so far) lives in the progress store's SQLite file, so a
page reload continues where it left off. ``handle(text)`` reads one chat message and returns the
replies to show; ``None`` means the message is not for the quiz (answer it as a normal question).

    quiz = ChatQuiz(store, "c0ffee", bank=lambda: service.quiz_questions(ws), grader=grade_with(ws))
    quiz.handle("quiz me on KMS")   # -> [Ask(question 1 of 5)]
    quiz.handle("one key")          # -> [Graded(...), Ask(question 2 of 5)]
    quiz.handle("what is SQS?")     # -> [FromNotes("what is SQS?"), Ask(question 2, "Back to the quiz.")]
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime

from quiz.chatintent import Action, choice_prompt, read_command, resolve_choice
from quiz.chatreplies import (
    Ask,
    FromNotes,
    Graded,
    MovedOn,
    Reply,
    Say,
    Summary,
    Verdict,
    describe_due,
    hint_for,
    is_exact,
    reason_of,
    verdict_of,
)
from quiz.model import Grade, Question
from quiz.odd import screen
from quiz.plan import exam_plan, saved_exam
from quiz.session import pick, pick_for_review, questions_on, same_fact
from quiz.store import ProgressStore, now_utc, rating_for

Span = tuple[str, int, int]  # (source, start_line, end_line) of a cited passage
QUIZ_LENGTH = 5
MAX_KEPT_ANSWER = 300  # characters of a typed answer kept in the saved state
#: What a stale tab's message may not do to the pending question (see ``ChatQuiz.handle``'s ``shown``).
_NEEDS_SHOWN: frozenset[Action] = frozenset({"answer", "skip", "hint"})
MOVED_ON = "Not graded: that question was already answered."


@dataclass
class QuizState:
    """A running chat quiz, as saved in the store (JSON)."""

    quiz_id: str
    topic: str
    question_ids: list[str]
    position: int = 0
    hints: int = 0
    results: list[dict] = field(default_factory=list)  # {"id", "topic", "verdict", "given"} per answer

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> QuizState:
        return cls(**json.loads(text))


class ChatQuiz:
    """One conversation's quiz: start, ask, grade, hint, skip, why?, stop, summary; state in ``store``."""

    def __init__(self, store: ProgressStore, conversation: str, bank: Callable[[], list[Question]],
                 grader: Callable[[Question, str], Grade], length: int = QUIZ_LENGTH,
                 clock: Callable[[], datetime] = now_utc,
                 scope: Callable[[str], tuple[str, set[str] | None]] | None = None) -> None:
        self.store, self.conversation, self.length, self.clock = store, conversation, length, clock
        self._bank, self._grader = bank, grader
        #: A topic's remaining words and the notes its #tag / in:Folder allow (None: it names neither).
        self._scope = scope
        self._by_id: dict[str, Question] | None = None
        self.state = self._load()

    def _load(self) -> QuizState | None:
        """The saved quiz; an unreadable one (another version's, damaged) is dropped, not fatal to the page."""
        saved = self.store.active_quiz(self.conversation)
        try:
            return QuizState.from_json(saved) if saved else None
        except (ValueError, TypeError):
            self.store.end_active_quiz(self.conversation)
            return None

    @property
    def active(self) -> bool:
        return self.state is not None

    @property
    def pending(self) -> Question | None:
        """The question waiting for an answer (questions whose notes changed away are passed over)."""
        if self.state is None:
            return None
        by_id = self.questions()
        ids = self.state.question_ids
        while self.state.position < len(ids) and ids[self.state.position] not in by_id:
            self.state.position += 1
        return by_id[ids[self.state.position]] if self.state.position < len(ids) else None

    def questions(self) -> dict[str, Question]:
        if self._by_id is None:
            self._by_id = {q.id: q for q in self._bank()}
        return self._by_id

    def handle(self, text: str, last_spans: Sequence[Span] = (), shown: str | None = None) -> list[Reply] | None:
        """The replies to one chat message; None when it is not for the quiz.

        ``shown`` is the id of the question the front end shows as waiting for an answer ("" when it shows
        none; None: not checked, for a front end that is the quiz's only view). An answer, skip or hint
        whose shown question is no longer the pending one (another tab of the same chat answered it, or
        ended the quiz) is never applied to another question: the replies are a :class:`MovedOn` notice and
        the current question."""
        command = read_command(text, self.active, self.pending if self.active else None)
        if command is None:
            return None
        if command.action == "start":
            return self.start(command.topic, last_spans if command.last_answer else None)
        if shown is not None and command.action in _NEEDS_SHOWN and (stale := self._moved_on(shown)):
            return stale
        if self.state is None:
            return [Say("No quiz is running. Say \"quiz me\" (or \"quiz me on <topic>\") to start one.")]
        handlers: dict[Action, Callable[[], list[Reply]]] = {
            "hint": self._hint, "skip": lambda: self._grade(text, skipped=True), "why": self._why,
            "stop": self.stop, "answer": lambda: self._grade(text),
            "question": lambda: [FromNotes(text.strip()), *self.ask(lead="Back to the quiz.")]}
        return handlers[command.action]()

    def _moved_on(self, shown: str) -> list[Reply] | None:
        """The notice (and the current question) when ``shown`` is not the pending question; None when it is."""
        pending = self.pending
        if (pending.id if pending is not None else "") == shown:
            return None
        if pending is None:
            return [MovedOn(f"{MOVED_ON} This quiz ended in another tab of this chat. Say \"quiz me\" to start "
                            "a new one.")]
        return [MovedOn(f"{MOVED_ON} The quiz moved on in another tab of this chat; here is the question it is "
                        "on now."), *self.ask()]

    def start(self, topic: str = "", last_spans: Sequence[Span] | None = None) -> list[Reply]:
        """A new quiz (ending the running one): on ``topic``, on the last answer's lines, or due-first."""
        ended = self.stop() if self.state else []
        try:
            chosen = self._choose(topic.strip(), last_spans)
        except ValueError as exc:
            return [*ended, Say(str(exc))]
        label = "the last answer" if last_spans is not None else topic.strip()
        self.state = QuizState(uuid.uuid4().hex[:12], label, [q.id for q in chosen])
        exam = saved_exam(self.store) if not label else None
        about = f" on {label}" if label else (f" (today's cards of your plan for the exam on {exam:%Y-%m-%d})"
                                               if exam and exam > self.clock().date() else
                                               " (due cards first, then your weakest topics)")
        intro = Say(f"Quiz{about}: {len(chosen)} question{'s' * (len(chosen) != 1)}. Say hint, skip, why? or stop "
                    "at any time.")
        return [*ended, intro, *self.ask()]

    def _choose(self, topic: str, last_spans: Sequence[Span] | None) -> list[Question]:
        bank = list(self.questions().values())
        if not bank:
            raise ValueError("No quiz questions could be made from these notes yet: the quiz draws on "
                             "definitions, lists and terms (lines such as 'term : meaning').")
        if last_spans is not None:
            return self._on_spans(bank, last_spans)
        if self._scope is not None and ("#" in topic or "in:" in topic.lower()):
            rest, sources = self._scope(topic)
            if sources is not None:  # "quiz me on #optics", "quiz me on lenses in:Physics"
                bank = [q for q in bank if q.source in sources]
                if not bank:
                    raise ValueError(f'No quiz questions come from the notes of "{topic}".')
                topic = rest
        if not topic:
            exam = saved_exam(self.store)
            if exam is not None and (plan := exam_plan(bank, self.store, exam, self.clock().date())).days > 0 \
                    and plan.today:
                return plan.today[:self.length]  # the exam plan's cards of today, weakest topics first
            return pick_for_review(bank, self.store, self.length, self.clock())
        pool = questions_on(bank, topic)
        if not pool:
            raise ValueError(f'No questions match the topic "{topic}". Try a heading of your notes, '
                             "or just say quiz me.")
        return pick(pool, self.store, self.length, at=self.clock(), topic=topic)

    def _on_spans(self, bank: list[Question], spans: Sequence[Span]) -> list[Question]:
        """Questions on the cited lines of the last answer, then on the rest of their sections."""
        if not spans:
            raise ValueError("There is no answer to be tested on yet: ask a question first, or say quiz me.")
        inside = [q for q in bank if any(q.source == s and q.start_line <= b and q.end_line >= a
                                         for s, a, b in spans)]
        chosen = pick(inside, self.store, self.length, at=self.clock())
        headings = {q.heading for q in inside if q.heading}
        around = [q for q in bank if q.heading in headings and not any(same_fact(q, c) for c in chosen)]
        chosen += pick(around, self.store, self.length - len(chosen), at=self.clock()) if around else []
        if not chosen:
            raise ValueError("The last answer's lines hold no quiz questions. Try \"quiz me on <topic>\".")
        return chosen[:self.length]

    def ask(self, lead: str = "") -> list[Reply]:
        """The pending question, or the summary when none is left."""
        question = self.pending
        if self.state is None:
            return []
        if question is None:
            return self.stop()
        self._save()
        return [Ask(self.state.quiz_id, self.state.position + 1, len(self.state.question_ids), question, lead)]

    def resume(self) -> list[Reply]:
        """After a page reload: say the quiz goes on, and ask the pending question again."""
        return self.ask(lead="Your quiz goes on.") if self.state else []

    def stop(self) -> list[Reply]:
        """End the quiz: the summary, and the state is dropped."""
        if self.state is None:
            return []
        summary = self._summary()
        self.store.end_active_quiz(self.conversation)
        self.state = None
        return [summary]

    def _grade(self, text: str, skipped: bool = False) -> list[Reply]:
        question, state = self.pending, self.state
        if question is None or state is None:
            return self.ask()
        chosen = resolve_choice(question, text) if is_exact(question) and not skipped else None
        if is_exact(question) and not skipped and chosen is None and not screen(text).reply:
            return [Say(f'"{text.strip()[:40]}" is not one of the choices. {choice_prompt(question)}'),
                    *self.ask()]  # asked again: a reply that is no choice does not use the question up
        given = text if skipped or not is_exact(question) else (chosen or text)
        result = self._grader(question, "" if skipped else given)
        verdict: Verdict = "skipped" if skipped else verdict_of(result)
        self.store.record(question.id, question.topic, result.correct, result.score, self.clock(), rating_for(verdict))
        state.results.append({"id": question.id, "topic": question.topic, "verdict": verdict,
                              "given": text[:MAX_KEPT_ANSWER]})
        state.position += 1
        state.hints = 0
        reason = "Here is the answer." if skipped else reason_of(result, verdict)
        graded = Graded(question, verdict, reason, result.expected, text)
        return [graded, *self.ask()]

    def _hint(self) -> list[Reply]:
        question, state = self.pending, self.state
        if question is None or state is None:
            return self.ask()
        state.hints += 1
        self._save()
        return [Say(hint_for(question, state.hints - 1))]

    def _why(self) -> list[Reply]:
        state = self.state
        if state is None or not state.results:
            return [Say("Answer the question first; then why? shows what the notes say about it. "
                        "Say hint for a clue.")]
        last = self.questions().get(state.results[-1]["id"])
        if last is None:
            return self.ask(lead="That question's notes have changed.")
        return [FromNotes(why_query(last)), *self.ask(lead="Back to the quiz.")]

    def _summary(self) -> Summary:
        state = self.state
        assert state is not None
        verdicts = [r["verdict"] for r in state.results]
        strength = self.store.topic_strength()
        missed = {r["topic"] for r in state.results if r["verdict"] != "correct"}
        weakest = tuple(sorted(missed, key=lambda t: (strength.get(t, 0.5), t))[:3])
        cards = [self.store.card(r["id"]) for r in state.results]
        due = describe_due([c.due for c in cards if c is not None], self.clock())
        deck = self.store.due_summary(self.clock(), set(self.questions())).text
        return Summary(verdicts.count("correct"), len(verdicts), verdicts.count("partly"), verdicts.count("skipped"),
                       weakest, due, deck)

    def _save(self) -> None:
        if self.state is not None:
            self.store.save_active_quiz(self.conversation, self.state.to_json(), self.clock())


def why_query(question: Question) -> str:
    """What to ask the notes for "why?": the line that states the question's fact (a note line finds its
    passage best; 38 of 40 sampled questions' answers cited their own lines this way)."""
    lines = [line.strip() for line in question.quote.split("\n") if line.strip()]
    keys = [k.lower()[:30] for k in (*question.evidence, question.answer) if k.strip()]
    line = next((x for x in lines if any(k in x.lower() for k in keys)), lines[0] if lines else question.question)
    return "Explain: " + line[:200]

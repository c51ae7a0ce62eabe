"""A study plan toward an exam date: how many cards a day, weakest topics first, and what a skipped day costs.

The cards to study before the exam are every question the notes give, less those whose FSRS due date is after
the exam (already known well enough to last until then); one card per fact. They are ordered by topic
strength (weakest first: past answers, smoothed; a topic never answered counts as middling; equals in the
order the notes take them up), then due cards
before new ones, and spread evenly over the days left (the exam day not counted). Skipping a day spreads
what is left over one day fewer.

    plan = exam_plan(questions, store, date(2026, 12, 20), today=date(2026, 12, 6))
    plan.per_day, plan.topics[:3], plan.if_skipped     # 11, ["KMS", "VPC", ...], 12
    plan.today                                         # today's questions, in order
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time

from quiz.model import Question
from quiz.session import same_fact
from quiz.store import ProgressStore

EXAM_KEY = "exam_date"


@dataclass(frozen=True)
class Plan:
    exam: date
    today_date: date
    cards: list[Question]  # to study before the exam, in study order
    days: int  # study days left, today included, the exam day not
    topics: list[str] = field(default_factory=list)  # weakest first, as they come in the plan

    @property
    def per_day(self) -> int:
        return math.ceil(len(self.cards) / self.days) if self.days > 0 else len(self.cards)

    @property
    def if_skipped(self) -> int:
        """Cards a day if today is skipped: what is left over one day fewer."""
        return math.ceil(len(self.cards) / (self.days - 1)) if self.days > 1 else len(self.cards)

    @property
    def today(self) -> list[Question]:
        return self.cards[:self.per_day]

    def day(self, index: int) -> list[Question]:
        """The cards of study day ``index`` (0 = today) if every day is kept."""
        return self.cards[index * self.per_day:(index + 1) * self.per_day]

    @property
    def lines(self) -> list[str]:
        if self.days <= 0:
            return [f"The exam ({self.exam:%Y-%m-%d}) is today or past: no plan. {len(self.cards)} cards were "
                    "still to study."]
        weakest = ", ".join(self.topics[:3])
        out = [f"Exam on {self.exam:%Y-%m-%d}: {len(self.cards)} cards to study in {self.days} day"
               f"{'s' * (self.days != 1)}: {self.per_day} a day.",
               f"Weakest topics first: {weakest}." if weakest else "",
               f"Today: {len(self.today)} cards on {_some(list(dict.fromkeys(q.topic for q in self.today)))}."
               if self.today else "Nothing left to study: every card lasts until the exam."]
        if self.days > 1 and self.cards:
            out.append(f"Skip today and it is {self.if_skipped} a day for the {self.days - 1} days left.")
        elif self.cards:
            out.append("This is the last day before the exam: nothing can be moved to tomorrow.")
        return [line for line in out if line]

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def _some(names: list[str], shown: int = 4) -> str:
    return ", ".join(names[:shown]) + (f" and {len(names) - shown} more" if len(names) > shown else "")


def exam_plan(questions: list[Question], store: ProgressStore, exam: date, today: date | None = None) -> Plan:
    """The plan from ``today`` (UTC today by default) to ``exam``."""
    today = today or datetime.now(UTC).date()
    cards = store.cards()
    before_exam = datetime.combine(exam, time.min, tzinfo=UTC)
    strength = store.topic_strength()
    still = [q for q in questions if q.id not in cards or cards[q.id].due < before_exam]
    first_seen = {topic: i for i, topic in reversed(list(enumerate(q.topic for q in questions)))}

    def key(q: Question) -> tuple:  # weakest topic first, topics of equal strength in the notes' order
        card = cards.get(q.id)
        return (strength.get(q.topic, 0.5), first_seen[q.topic], 0 if card else 1,
                card.due if card else before_exam, q.source, q.start_line, q.kind)

    ordered: list[Question] = []
    for q in sorted(still, key=key):
        if not any(same_fact(q, o) for o in ordered[-50:]) and not any(same_fact(q, o) for o in ordered
                                                                         if o.topic == q.topic):
            ordered.append(q)
    days = (exam - today).days
    return Plan(exam, today, ordered, days, list(dict.fromkeys(q.topic for q in ordered)))


def saved_exam(store: ProgressStore) -> date | None:
    value = store.setting(EXAM_KEY)
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def save_exam(store: ProgressStore, exam: date | None) -> None:
    store.set_setting(EXAM_KEY, exam.isoformat() if exam else "")

"""Writes tests/data/quiz_sample.md: the 60 questions sampled (fixed seed) from each corpus that
tests/test_quiz_quality.py judges, with the rules each one breaks, so a reader can judge them too.

    .venv/bin/python tests/quiz_sample.py
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from quiz_corpora import CORPORA, DATA, corpus_questions  # noqa: E402
from quiz_rules import broken_rules  # noqa: E402

from quiz.model import Question  # noqa: E402

SEED = 12
SIZE = 60
SAMPLE_FILE = DATA / "quiz_sample.md"


def sample(corpus: str) -> list[Question]:
    questions = list(corpus_questions(corpus))
    return random.Random(SEED).sample(questions, min(SIZE, len(questions)))


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " / ")


def render() -> str:
    out = ["# Quiz questions sampled for review", "",
           f"{SIZE} questions per corpus, `random.Random({SEED}).sample`, as generated now; the last column is "
           "what `tests/quiz_rules.py` finds wrong with each (the test allows 5%). Regenerate with "
           "`.venv/bin/python tests/quiz_sample.py`.", ""]
    for corpus in CORPORA:
        chosen = sample(corpus)
        failing = sum(bool(broken_rules(q)) for q in chosen)
        out += [f"## {corpus}: {len(corpus_questions(corpus))} questions, {failing} of {len(chosen)} sampled "
                "break a rule", "", "| # | kind | question | answer | source | rules broken |",
                "| --- | --- | --- | --- | --- | --- |"]
        for i, q in enumerate(chosen, 1):
            out.append(f"| {i} | {q.kind} | {_cell(q.prompt_text())} | {_cell(q.answer)} | {_cell(q.reference)} | "
                       f"{_cell('; '.join(broken_rules(q))) or '-'} |")
        out.append("")
    return "\n".join(out)


if __name__ == "__main__":
    SAMPLE_FILE.write_text(render(), encoding="utf-8")
    print(f"wrote {SAMPLE_FILE}")

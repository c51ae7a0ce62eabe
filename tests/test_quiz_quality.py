"""Questions worth asking, on the shipped notes and on the Markdown corpus deeplearning-ai-notes: a fixed-seed
sample of 60 from each is judged by tests/quiz_rules.py (independent of the filter in quiz/quality.py) and
listed in tests/data/quiz_sample.md; the issue's bad examples are gone; the Markdown export is large enough and
every question's evidence is inside its cited lines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from quiz_corpora import CORPORA, corpus_chunks, corpus_questions
from quiz_rules import broken_rules
from quiz_sample import SIZE, sample

from cli import main
from quiz import generate_questions, grade
from retrieval.text import normalise

ALLOWED = 0.05


@pytest.mark.parametrize("corpus", ["notes", "deeplearning-ai-notes"])
def test_a_sample_of_60_breaks_the_rules_at_most_5_percent(corpus: str) -> None:
    chosen = sample(corpus)
    assert len(chosen) == SIZE
    failing = [(q.question, q.answer, broken_rules(q)) for q in chosen if broken_rules(q)]
    assert len(failing) <= ALLOWED * SIZE, failing


def test_the_rules_catch_what_the_filter_removes() -> None:
    """Without the filter the same sample of the Markdown corpus fails far more often: the check can fail."""
    unfiltered = generate_questions(list(corpus_chunks("deeplearning-ai-notes")), worth_asking_only=False)
    assert sum(bool(broken_rules(q)) for q in unfiltered) > 0.2 * len(unfiltered)


def test_the_issue_examples_are_not_asked() -> None:
    questions = corpus_questions("notes")
    assert not [q for q in questions if q.answer == "DB"]
    assert not [q for q in questions if "CodeDeploly" in q.answer]  # a misspelt blank
    kafka = [q for q in questions if q.kind == "term" and q.term == "kakfa"]
    assert [q.answer for q in kafka] == ["kafka"]  # recalled with the right spelling
    assert grade(kafka[0], "Kafka").correct and grade(kafka[0], "kakfa").correct  # the notes' spelling is right too
    assert 'What is "kakfa"?' in [q.question for q in questions]  # the notes' spelling stays inside quotes
    assert not [q for q in questions if q.kind == "cloze" and q.answer == "ENI"
                and "elastic network interface" in q.question]  # the prompt gave its answer away


def _evidence_in_cited_lines(records: list[dict], root: Path) -> None:
    for record in records:
        lines = (root / record["source"]).read_text(encoding="utf-8").split("\n")
        cited = "\n".join(lines[record["start_line"] - 1:record["end_line"]])
        assert record["quote"] == cited, record["reference"]
        for snippet in record["evidence"]:
            assert normalise(snippet) in normalise(cited), (record["reference"], snippet)


def test_markdown_notes_give_150_questions_over_30_headings() -> None:
    questions = corpus_questions("deeplearning-ai-notes")
    assert len(questions) >= 150 and len({q.heading for q in questions}) >= 30
    _evidence_in_cited_lines([q.to_json() for q in questions], CORPORA["deeplearning-ai-notes"])


@pytest.mark.slow
def test_quiz_export_on_deeplearning_ai_notes(tmp_path: Path) -> None:
    """The real command on a real index of the Markdown corpus (embeds ~450 chunks: a minute or two)."""
    out = tmp_path / "dl.jsonl"
    notes = CORPORA["deeplearning-ai-notes"]
    result = CliRunner().invoke(main, ["quiz", "--notes", str(notes), "--data-dir", str(tmp_path / "data"),
                                       "--export", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(records) >= 150 and len({r["heading"] for r in records}) >= 30
    _evidence_in_cited_lines(records, notes)


def test_typos_are_told_from_names_offline() -> None:
    from quiz.spelling import typos

    assert typos("kakfa") == [("kakfa", "kafka")]
    assert typos("CodeDeploly") == [("Deploly", "deploy")]  # checked hump by hump
    assert typos("sphisticated DDoS attacks") == [("sphisticated", "sophisticated")]
    for name in ("NACL", "ebs vol", "s3", "kinesis", "zookeeper", "Redshift", "CloudFront", "databrew"):
        assert typos(name) == [], name

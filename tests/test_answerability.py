"""Never confidently wrong: a question whose words are in the notes but whose asked fact is not (a near
miss) is refused, naming the closest lines; a question the notes answer is answered from the lines that
answer it. The shipped notes' examples first, then one test per kind of near miss on notes written here."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from test_answer import ask_fresh

from answer import Answerer
from answer.evidence import code_names, missing_answer_type, states_a_number
from indexing import sync_index
from settings import Settings
from workspace import Workspace, open_workspace


def cited(answer) -> list[tuple[int, int]]:
    return [(c.start_line, c.end_line) for c in answer.citations]


def test_a_list_the_notes_never_give_is_refused_naming_the_closest_lines(workspace: Workspace) -> None:
    """The notes never list the S3 storage classes; their only "storage class" is EKS's (lines 502-504)."""
    answer = Answerer(workspace).ask("What are the S3 storage classes?")
    assert answer.refused
    assert answer.text.startswith('Your notes don\'t answer "What are the S3 storage classes?"')
    assert "aws-study-notes.txt:502-504 (EKS)" in answer.text  # the closest lines, named
    assert any(start <= 502 <= end for start, end in cited(answer))  # and cited, to open and check


def test_the_biggest_object_is_quoted_from_the_line_that_gives_it(workspace: Workspace) -> None:
    """Line 38: "s3 = more 5gb then multi-part upload, max obj 5tb"; it used to quote CloudTrail's lines."""
    answer = Answerer(workspace).ask("What is the biggest object I can put in S3?")
    assert any(start <= 38 <= end for start, end in cited(answer))
    assert answer.refused or "max obj 5tb" in answer.text


def test_a_broad_question_is_answered_under_its_own_heading(workspace: Workspace) -> None:
    """"explain security" quoted the Security Groups lines under the heading of the section before them."""
    answer = Answerer(workspace).ask("explain security")
    assert not answer.refused
    quote = answer.citations[0]
    assert "Security Groups" in quote.quote and quote.heading.endswith("Security Groups")


DEV = {q["id"]: q for q in (json.loads(line) for line in
                            (Path(__file__).parent / "data" / "dev.jsonl").read_text().splitlines() if line.strip())}


def covers(text: str, groups: list[list[str]]) -> bool:
    """The suite's rule: every group of answer keys has a phrase in the text (case and spaces folded)."""
    folded = re.sub(r"\s+", " ", text.lower())
    return all(any(re.sub(r"\s+", " ", key.lower()) in folded for key in group) for group in groups)


def dev_answer(workspace: Workspace, qid: str):
    q = DEV[qid]
    return q, Answerer(workspace).ask(q["question"], [{"role": "user", "content": h} for h in q.get("history") or []])


@pytest.mark.parametrize("qid", ["dr01", "dr03", "dr05", "dr07", "dr09"])
def test_dev_set_near_misses_on_the_shipped_notes_are_refused(workspace: Workspace, qid: str) -> None:
    """Each kind of near miss of the dev set: the subject not in the quote (DynamoDB, Replication), a number
    or a duration the lines do not give (Lambda's timeout, KMS's rotation, Kinesis's retention)."""
    _, answer = dev_answer(workspace, qid)
    assert answer.refused and answer.citations  # and the closest lines are there to check


@pytest.mark.parametrize("qid", ["d21", "d24", "d25", "d26", "d11", "d12", "d14"])
def test_dev_set_two_parts_follow_ups_and_paraphrases_are_answered(workspace: Workspace, qid: str) -> None:
    """The other classes: a two-part question quoted from both places (d21), pronoun follow-ups (d24-d26)
    and everyday paraphrases (d11, d12, d14) answered with the lines that say it."""
    q, answer = dev_answer(workspace, qid)
    assert not answer.refused and covers(answer.text, q["answer_keys"])


NOTES = {
    "aws.md": """# DynamoDB

DynamoDB is a key-value and document database.
It has two capacity modes: on-demand and provisioned.

# Kinesis

Kinesis Data Streams ingests real-time records from producers.
A producer that gets 500 or 503 errors should retry with back-off.

# CloudTrail

CloudTrail records the API activity of an account.
Events stay for 90 days by default; send them to S3 for longer retention.
Its log files are encrypted with SSE-KMS keys.

# CloudWatch Logs

CloudWatch Logs stores application logs in log groups.
The expiration of a log group can be set from 1 day to 10 years.
""",
    "postgres.md": """# Watching an index build

Postgres tracks the index creation process in pg_stat_progress_create_index.
Query that view to see how far the build is.
""",
}


@pytest.fixture
def small_notes(tmp_path: Path, notes_dir: Path) -> Workspace:
    for name, text in NOTES.items():
        (notes_dir / name).write_text(text)
    ws = open_workspace(Settings(notes_dir=notes_dir, data_dir=tmp_path / "data"))
    sync_index(ws.index, ws.embedder)
    yield ws
    ws.close()


def test_a_near_miss_on_a_named_thing_is_refused(small_notes: Workspace) -> None:
    """The notes name DynamoDB, but say nothing of its item size: the closest lines are about another
    thing, and quoting them would teach the student a wrong fact."""
    answerer = Answerer(small_notes)
    asked = answerer.ask("What is the maximum size of a single item in Amazon DynamoDB?")
    assert asked.refused and asked.citations  # refused, with the closest lines to check
    kept = answerer.ask("Which capacity modes does DynamoDB have?")
    assert not kept.refused and "on-demand and provisioned" in kept.text


def test_a_code_name_the_notes_never_write_whole_is_refused(small_notes: Workspace) -> None:
    answerer = Answerer(small_notes)
    asked = answerer.ask("How do I use pg_stat_statements to find the slowest queries?")
    assert asked.refused and '"pg_stat_statements"' in asked.text
    kept = answerer.ask("How can I watch the progress of pg_stat_progress_create_index?")
    assert not kept.refused


def test_a_quantity_asked_needs_a_number_in_the_quote(small_notes: Workspace) -> None:
    answerer = Answerer(small_notes)
    asked = answerer.ask("How long does Kinesis Data Streams keep records by default?")
    assert asked.refused and "duration" in asked.text  # the Kinesis lines give numbers, but no time
    kept = answerer.ask("How long does CloudTrail keep events by default?")
    assert not kept.refused and "90 days" in kept.text


def test_each_part_of_a_two_part_question_is_quoted_from_its_own_place(small_notes: Workspace) -> None:
    """The CloudTrail lines also say "retention"; the second part names CloudWatch and is answered there."""
    answer = Answerer(small_notes).ask("How long does CloudTrail keep events by default, and what retention "
                                       "range can be set on CloudWatch log groups?")
    assert not answer.refused
    assert "90 days" in answer.text and "1 day to 10 years" in answer.text
    assert len(answer.citations) == 2


def test_a_part_answered_from_an_unrelated_place_refuses_the_whole(small_notes: Workspace) -> None:
    """Half an answer whose other half comes from lines about something else is the confidently wrong kind."""
    answer = Answerer(small_notes).ask("How long does Kinesis Data Streams keep records by default, and how "
                                       "far can that retention be extended?")
    assert answer.refused


def test_a_follow_up_that_names_nothing_is_about_what_the_conversation_named(small_notes: Workspace) -> None:
    """"How is it encrypted?" after a DynamoDB question must not quote CloudTrail's encryption."""
    history = [{"role": "user", "content": "What is DynamoDB?"}]
    answerer = Answerer(small_notes)
    asked = answerer.ask("How is it encrypted?", history)
    assert asked.refused and '"DynamoDB"' in asked.text
    kept = answerer.ask("How is it encrypted?", [{"role": "user", "content": "What does CloudTrail record?"}])
    assert not kept.refused and "SSE-KMS" in kept.text


def test_the_batch_contract_marks_a_refusal_and_cites_the_closest_lines(small_notes: Workspace) -> None:
    answer = Answerer(small_notes).ask("What is the maximum size of a single item in Amazon DynamoDB?")
    record = answer.to_json()
    assert record["refused"] is True
    notes = small_notes.settings.notes_dir
    for citation in record["citations"]:  # each quote is in its cited lines, as for an answer
        lines = (notes / citation["source"]).read_text().split("\n")
        assert citation["quote"].strip() in "\n".join(lines[citation["start_line"] - 1:citation["end_line"]])


READING_LIST = """# Additional questions

| Question | Reference(s) |
|---|---|
| Design an API rate limiter | [https://stripe.com/blog/](https://stripe.com/blog/rate-limiters) |
| Design a random ID generation system | [blog.twitter.com](https://blog.twitter.com/2010/announcing-snowflake) |

# Caching

A cache keeps the results of recent reads in memory, so repeated reads skip the database.
"""


def test_a_how_question_is_not_answered_by_a_line_that_only_points_elsewhere(tmp_path: Path, notes_dir: Path) -> None:
    """A reading list's row names the topic and links a post: it tells how nothing works, however close its
    title is. Asked for the reference itself, the row is the answer."""
    (notes_dir / "guide.md").write_text(READING_LIST)
    asked, kept = ask_fresh(notes_dir, tmp_path / "data",
                            "How does a token bucket algorithm let an API rate limiter absorb short bursts?",
                            "Which reference does the guide give for designing an API rate limiter?")
    assert asked.refused and "explanation" in asked.text and asked.citations  # the row, cited to check
    assert not kept.refused and "stripe.com/blog/rate-limiters" in kept.text


def test_question_shapes() -> None:
    assert code_names("How do I use pg_stat_statements and __slots__ with asyncio.gather on ResNet-50 "
                      "over HTTP/2, e.g. for alice@example.com?") == \
        ["pg_stat_statements", "__slots__", "asyncio.gather", "ResNet-50", "HTTP/2"]
    assert not states_a_number("1. symmetric key")  # a list's numbering is no answer
    assert states_a_number("1. symmetric key\n2. asymmetric key")  # but a list of two counts ("how many types?")
    assert states_a_number("max obj 5tb") and states_a_number("two capacity modes")
    assert missing_answer_type("How many GPUs does it have?", "1. fast and cheap") == "a number"
    assert missing_answer_type("How long are events kept?", "kept for 90 days") == ""
    assert missing_answer_type("How long are events kept?", "error 500 or 503") == "a duration"
    assert missing_answer_type("How long can a table name be?", "maximum length of 63 bytes") == ""
    # a duration in words is an answer: it was refused as "not a number"
    assert missing_answer_type("How long can long term memory last?", "LTM can last a lifetime") == ""
    assert missing_answer_type("How long does a Glacier retrieval take?", "retrieval takes hours") == ""
    assert missing_answer_type("How often are snapshots taken?", "snapshots are taken daily") == ""
    assert missing_answer_type("How often are snapshots taken?", "snapshots go to S3") == "a duration"
    assert missing_answer_type("What does it do?", "it stores logs") == ""
    row = "| Design an API rate limiter | [https://stripe.com/blog/](https://stripe.com/blog/rate-limiters) |"
    assert missing_answer_type("How does a rate limiter absorb bursts?", row) == "an explanation"
    assert missing_answer_type("Which reference covers rate limiters?", row) == ""

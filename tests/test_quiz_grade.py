"""Grading: a hand-made table of answers (right in other words, wrong, wrong but related), exact choices,
feedback with the source, and the optional LLM judge behind a fake OpenAI-compatible server."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from quiz_corpora import corpus_chunks

from backends import make_backend
from ingest import chunk_document, load_document, scan_folder
from quiz import generate_questions, glossary, grade, parse_choice
from quiz.contradiction import (
    code_conflict,
    comparison_conflict,
    count_conflict,
    formula_conflict,
    name_opposite,
    number_conflict,
    only_conflict,
    polarity_conflict,
    same_duration,
    swapped_attributes,
    swapped_roles,
)
from quiz.grade import _outer
from quiz.judge import LLMJudge, judge_for
from quiz.match import coverage, keys, term_similarity
from quiz.model import Question
from quiz.tuning import QUIZ
from settings import load_settings
from workspace import shared_embedder

DATA = Path(__file__).parent / "data"
TABLES = ["quiz_grading_cases.jsonl", "quiz_grading_heldout.jsonl"]


@pytest.fixture
def questions() -> list[Question]:
    """Every question the shipped notes' facts give, before the filter for questions worth asking (some rows
    of the tables grade answers to questions that filter now drops, e.g. a cloze whose prompt spells out its
    answer): grading is judged on all of them."""
    return generate_questions(list(corpus_chunks("notes")), worth_asking_only=False)


def find(questions: list[Question], text: str) -> Question:
    """The question whose text is ``text``, else the only one containing it, else the only one asked the
    same under another topic label (the table was written when "row level" was filed under "Lake
    Formation"; it is under "Data Filters in LF" now)."""
    exact = [q for q in questions if q.question == text]
    found = exact or [q for q in questions if text in q.question]
    if not found and ": " in text:
        rest = text.split(": ", 1)[1]
        found = [q for q in questions if q.question == rest or q.question.endswith(f": {rest}")]
    assert len(found) == 1, f"{len(found)} questions match {text!r}"
    return found[0]


def load_table(name: str) -> list[dict]:
    return [json.loads(line) for line in (DATA / name).read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.mark.parametrize("table", TABLES)
@pytest.mark.parametrize("with_embedder", [True, False], ids=["meaning+terms", "terms-only"])
def test_grading_agrees_with_the_hand_made_table(questions: list[Question], table: str,
                                                 with_embedder: bool) -> None:
    rows = load_table(table)
    embedder = shared_embedder(load_settings()) if with_embedder else None
    assert len(rows) >= 30
    assert sum(not r["verdict"] for r in rows) >= 12  # wrong answers, most of them related to the question
    misses = [(r["find"], r["answer"]) for r in rows
              if grade(find(questions, r["find"]), r["answer"], embedder).correct != r["verdict"]]
    agreement = 1 - len(misses) / len(rows)
    assert agreement >= 0.9, misses


def test_wrong_but_related_answer_is_told_what_it_describes(questions: list[Question]) -> None:
    q = find(questions, 'kMS: What is "symmetric"?')
    result = grade(q, "a public key encrypts, a private key decrypts", shared_embedder(load_settings()))
    assert not result.correct
    assert "describes something else" in result.feedback and "public and private key" in result.feedback


def test_feedback_shows_the_expected_answer_and_the_cited_lines(questions: list[Question]) -> None:
    q = find(questions, 'What is "Scratch FS"?')
    result = grade(q, "long term storage")
    assert result.expected == "temporary storage"
    assert "temporary storage" in result.feedback and q.reference in result.feedback
    assert result.quote == q.quote and "Scratch FS" in result.quote


def test_choices_are_graded_exactly(questions: list[Question]) -> None:
    q = find(questions, 'kMS: Which of these describes "symmetric"?')
    right = "ABCD"[q.choices.index(q.answer)]
    wrong = next(letter for letter in "ABCD" if letter != right)
    for typed in (right, right.lower(), f"({right})", str(q.choices.index(q.answer) + 1), q.answer.upper()):
        assert grade(q, typed).correct, typed
    assert not grade(q, wrong).correct
    assert not grade(q, q.answer[:-3]).correct  # a near copy of the text is not the choice
    unclear = grade(q, "the first one")
    assert not unclear.correct and "Answer with a letter A-D" in unclear.feedback
    assert parse_choice(q, "zz") is None


def test_true_false_is_graded_exactly(questions: list[Question]) -> None:
    q = find(questions, 'True or false (kMS): the notes describe "symmetric"')
    assert q.answer == "False"
    assert grade(q, "false").correct and grade(q, "No").correct
    assert not grade(q, "true").correct
    assert "one key for encryption and decryption" in grade(q, "true").feedback  # states the real fact


def test_dont_know_is_wrong_and_shows_the_answer(questions: list[Question]) -> None:
    q = find(questions, 'What is "MWAA"?')
    for text in ("", "  ", "idk", "I don't know"):
        result = grade(q, text)
        assert not result.correct and result.score == 0.0 and "Managed Workflow" in result.feedback


class _FakeChat(BaseHTTPRequestHandler):
    """An OpenAI-compatible /v1/chat/completions that answers with the server's ``reply``."""

    def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.requests.append(body)  # type: ignore[attr-defined]
        payload = json.dumps({"id": "x", "object": "chat.completion", "created": 0, "model": body["model"],
                              "choices": [{"index": 0, "finish_reason": "stop", "message": {
                                  "role": "assistant", "content": self.server.reply}}],  # type: ignore[attr-defined]
                              "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def chat_server() -> Iterator[ThreadingHTTPServer]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _FakeChat)
    server.requests, server.reply = [], "CORRECT"  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _judge(url: str) -> LLMJudge:
    return LLMJudge(make_backend(load_settings(backend="openai", openai_base_url=url, llm_timeout_s=5)))


def test_llm_judge_decides_only_borderline_answers(questions: list[Question], chat_server) -> None:
    judge = _judge(f"http://127.0.0.1:{chat_server.server_port}/v1")
    q = find(questions, 'What is "MWAA"?')
    borderline = grade(q, "hosted apache airflow")
    assert not borderline.correct and judge.wants(borderline.score)
    judged = grade(q, "hosted apache airflow", judge=judge)
    assert judged.correct and "model judged this right" in judged.feedback
    prompt = json.dumps(chat_server.requests[-1]["messages"])
    assert "hosted apache airflow" in prompt and "MWAA - Managed Workflow for Apache Airflow by amazon" in prompt
    asked = len(chat_server.requests)
    assert grade(q, "Managed Workflow for Apache Airflow", judge=judge).correct  # clear: the model is not asked
    assert not grade(q, "a queue service", judge=judge).correct
    assert len(chat_server.requests) == asked


def test_llm_judge_that_cannot_answer_leaves_the_verdict(questions: list[Question], chat_server) -> None:
    q = find(questions, 'What is "MWAA"?')
    chat_server.reply = "Hmm, hard to say."
    result = grade(q, "hosted apache airflow", judge=_judge(f"http://127.0.0.1:{chat_server.server_port}/v1"))
    assert not result.correct and "could not judge" in result.feedback
    down = _judge("http://127.0.0.1:9/v1")  # nothing listens on port 9
    result = grade(q, "hosted apache airflow", judge=down)
    assert not result.correct and "could not judge" in result.feedback


def test_llm_judge_needs_a_generative_backend() -> None:
    with pytest.raises(ValueError, match="needs a generative backend"):
        judge_for(load_settings(backend="extractive"))


# --- issue 23, heldout4: rules a teacher states, checked on sentences of no table ----------------------------

@pytest.mark.parametrize(("rule", "expected", "given", "conflict"), [
    (code_conflict, "runs on an ec2 instance", "runs on an ec3 instance", True),  # a code value needs its token
    (code_conflict, "json.loads(text)", "json.load(text)", True),
    (code_conflict, "timedelta(days=1)", "timedelta(hours=24)", False),  # the same span in other units
    (code_conflict, "json.loads(text)", "it parses the text as JSON", False),  # words, not another token
    (comparison_conflict, "objects larger than 100 MB", "objects under 100 MB", True),
    (comparison_conflict, "more than 3 nodes", "over 3 nodes", False),
    (only_conflict, "grants only read access", "grants read and write access", True),
    (only_conflict, "grants only read access", "read access only", False),
    (polarity_conflict, "the build failed", "the build succeeded", True),  # opposite words
    (polarity_conflict, "Module not found: requests", "requests is installed", True),  # a negated label
    (polarity_conflict, "Module not found: requests", "requests is not installed", False),
    (polarity_conflict, "retries when the queue is not full", "retries unless the queue is full", False),
    (polarity_conflict, "rebuilds the cache and the index", "rebuilds the cache, index not touched", True),
    (number_conflict, "2/3 of the nodes", "3/3 of the nodes", True),  # a ratio is one number
    (number_conflict, "layer 3/4 attacks", "layer 3 and 4 attacks", False),
    (number_conflict, "times out after 2 minutes", "times out after 120 seconds", False),
    (number_conflict, "times out after 2 minutes", "times out after 2 seconds", True),
])
def test_heldout4_rules(rule, expected: str, given: str, conflict: bool) -> None:
    assert bool(rule(expected, given)) == conflict, rule(expected, given)


def test_a_time_span_is_compared_by_value_and_sub_bullets_are_not_items() -> None:
    assert same_duration("1.5 minutes", "90 seconds") and same_duration("one hour", "sixty minutes")
    assert not same_duration("1 hour", "1 minute")
    quote = "Ways:\n  - Caching.\n    - Like a CDN.\n  - Sharding.\n  - Replicas.\n    - Most common."
    assert _outer(("Caching", "Like a CDN", "Sharding", "Replicas", "Most common"), quote) == \
        ["Caching", "Sharding", "Replicas"]
    assert _outer(("Caching", "Sharding"), "- Caching\n- Sharding") == ("Caching", "Sharding")


# --- issue 23, heldout5: rules a teacher states, checked on sentences of no table ----------------------------

def _card(kind: str, term: str, answer: str, question: str = "", siblings: tuple[str, ...] = ()) -> Question:
    return Question(kind, question or f'What is "{term}"?', answer, "notes.md", 1, 1, "", term, answer, (answer,),
                    siblings=siblings, term=term)


@pytest.mark.parametrize(("expected", "given", "same"), [
    ("queue standard", "standard queue", True),  # a two- or three-word name in either order
    ("key pair public", "public key pair", True),
    ("fb page", "facebook pages", True),  # a compound's initials: face + book
    ("fb page", "fabric pages", False),
    ("elastic fabric adapter", "elastic file adapter", False),  # still word for word
])
def test_heldout5_names_units_order_and_compound_initials(expected: str, given: str, same: bool) -> None:
    assert (term_similarity(expected, given) * 100 >= QUIZ.term_pass) == same, term_similarity(expected, given)


def test_heldout5_a_unit_glued_to_its_number_is_the_unit_spelled_out() -> None:
    assert coverage("times out after 45s", "times out after 45 seconds")[0] == 1.0
    assert coverage("waits 3 hours", "waits 3h")[0] == 1.0
    assert coverage("times out after 45s", "times out after 45 minutes")[0] < 1.0


def test_heldout5_a_bracketed_remark_is_detail_and_another_term_is_wrong() -> None:
    port = _card("cloze", "443", "443")
    assert grade(port, "443 (the https port, not 80)").correct
    assert grade(_card("cloze", "SIGTERM", "SIGTERM"), "kill (a sigterm signal)").correct
    assert not grade(_card("cloze", "SIGTERM", "SIGTERM"), "kill (a sigint signal)").correct
    recall = _card("term", "recall", "recall", siblings=("weighted recall", "precision"))
    assert grade(recall, "recall").correct
    assert not grade(recall, "weighted recall").correct  # another term of the notes


def test_heldout5_logical_operators_written_as_names_are_key_terms() -> None:
    assert coverage("AND, OR rules over the inputs", "joins the inputs with and/or rules")[0] == 1.0
    assert coverage("AND, OR rules over the inputs", "rules over the inputs")[0] < 1.0
    assert "conjunction" not in keys("bread and butter")  # a plain "and" is no operator


@pytest.mark.parametrize(("rule", "expected", "given", "conflict"), [
    (count_conflict, "a single queue for all messages", "separate queues for each kind of message", True),
    (count_conflict, "multiple replicas of the shard", "one replica of the shard", True),
    (count_conflict, "one or two replicas", "1-2 replicas", False),  # a range counts nothing
    (count_conflict, "a single queue for all messages", "one queue holds every message", False),
    (swapped_roles, "rebase feature onto main", "rebases the main branch onto feature", True),  # a link reversed
    (swapped_roles, "rebase feature onto main", "rebases feature into the main branch", False),
    (swapped_roles, "copy the dump to the bucket", "copies the bucket to the dump", True),
])
def test_heldout5_rules(rule, expected: str, given: str, conflict: bool) -> None:
    assert bool(rule(expected, given)) == conflict, rule(expected, given)


def test_heldout5_the_opposite_of_the_names_word_and_the_questions_own_number() -> None:
    assert name_opposite("cron --before", '"midnight"', "runs the jobs scheduled after midnight") == ("after", "before")
    assert name_opposite("cron --before", '"midnight"', "jobs before midnight") is None
    assert name_opposite("If the rate is too large", "weights blow up", "the steps are not small") is None
    assert number_conflict("5000 users at peak", "500-5000 users at peak") is not None
    assert number_conflict("5000 users at peak", "500-5000 users at peak", "Load: around 500") is None
    assert number_conflict("5000 users at peak", "50 users", "Load: around 500") is not None


def test_heldout5_labelled_fields_are_said_under_their_labels() -> None:
    card = _card("list", "Image captioning", "X: image; Y: caption sentence")
    card = Question("list", card.question, card.answer, "notes.md", 1, 2, "", "Image captioning", card.answer,
                    ("X: image", "Y: caption sentence"), term="Image captioning")
    assert grade(card, "the input is an image and the output is a sentence describing it").correct
    assert grade(card, "X: image, Y: caption").correct
    swapped = grade(card, "X: caption sentence; Y: image")
    assert swapped.verdict == "wrong" and "swaps" in swapped.feedback


# --- issue 23, heldout6: rules a teacher states, checked on sentences of no table ----------------------------

@pytest.mark.parametrize(("expected", "given", "same"), [
    ("250000", "250k", True),  # a number written short
    ("0.001", "1e-3", True),
    ("0.001", "10^-3", True),
    ("250000", "25k", False),
    ("35%", "the 35% left after the first pass", True),  # the number, with detail around it
    ("35%", "35 percent", True),
    ("35%", "35 files", False),  # another unit on the right number
    ("12 weeks", "12 days", False),
    ("12 weeks", "12 weks", True),  # a typo in the unit
    ("object storage", "Amazon object storage", True),  # a vendor word the notes leave out
    ("Amazon Athena", "Athena", True),
    ("Geoffrey Hinton", "Hinton", True),  # a rare surname alone names the person
    ("Transit Gateway", "Gateway", False),  # a common last word does not
    ("Conv Net", "Net", False),
])
def test_heldout6_numbers_units_vendors_and_surnames(expected: str, given: str, same: bool) -> None:
    assert (term_similarity(expected, given) * 100 >= QUIZ.term_pass) == same, term_similarity(expected, given)


def test_heldout6_a_label_after_its_value_and_a_call_is_not_a_list() -> None:
    card = Question("list", "Speech recognition?", "X: audio clip; Y: transcript", "notes.md", 1, 2, "",
                    "Speech recognition", "X: audio clip; Y: transcript", ("X: audio clip", "Y: transcript"),
                    term="Speech recognition")
    assert grade(card, "the audio clip as input, and the transcript as output").correct
    assert grade(card, "the transcript as input, and the audio clip as output").verdict == "wrong"
    call = _card("definition", "result", 'runner.invoke(cli, ["report", "--csv"])')
    assert not grade(call, 'runner.invoke(cli, ["report"]) - plain output, no csv').correct
    assert grade(call, 'runner.invoke(cli, ["report", "--csv"])').correct


def test_heldout6_right_and_wrong_are_opposites_a_bare_function_and_quotes_are_exact() -> None:
    assert polarity_conflict("check why the model got it right", "check why the model got it wrong")
    assert code_conflict("load_config(path)", "reads the path with load_config") is None
    assert code_conflict("load_config(path)", "load_config(url)") is not None
    quoted = _card("definition", "greeting", '"Hello there, how are you?" (the first line)')
    embedder = shared_embedder(load_settings())
    assert grade(quoted, 'the first line, "Hello there, how are you?"', embedder).correct
    misquoted = grade(quoted, '"Hello, how are you there?"', embedder)
    assert misquoted.verdict == "wrong" and "quotes" in misquoted.feedback


# --- issue 23, heldout7: rules a teacher states, checked on sentences of no table ----------------------------

@pytest.mark.parametrize(("expected", "given", "same"), [
    ("7.5", "75", False),  # a number is never a typo: a sure "correct" here would teach a wrong number
    ("7.5", "0.75", False),
    ("ipv4", "ipv6", False),
    ("TPUs", "GPUs", False),  # another first letter of a short word is another word
    ("kafka", "kafak", True),  # a slip is still forgiven
    ("pandas", "pandas2", True),  # a version number after the name
    ("JSONB", "json", False),  # a code in capitals takes no slip
    ("HTTPS", "http", False),
    ("URLs", "URL", True),  # but its plural
    ("Byte Pair", "bite pair", True),  # a slip in one word of a name, not an opposite
    ("symmetric key", "asymmetric key", False),
    ("2500", "two thousand five hundred", True),  # number words that spell one number
    ("2500", "two five hundred", False),
    ("LayerNorm", "layer normalization", True),  # a CamelCase name's parts as the words' beginnings
    ("LayerNorm", "layer network", False),
])
def test_heldout7_numbers_short_words_and_name_parts(expected: str, given: str, same: bool) -> None:
    assert (term_similarity(expected, given) * 100 >= QUIZ.term_pass) == same, term_similarity(expected, given)


def test_heldout7_an_example_or_a_remark_with_brackets_after_the_name_is_detail() -> None:
    assert grade(_card("cloze", "Sharding", "Sharding"), "sharding, e.g. splitting users by region").correct
    assert grade(_card("cloze", "JSONB", "JSONB"), "jsonb (to_jsonb() converts a row)").correct
    assert not grade(_card("cloze", "JSONB", "JSONB"), "json, e.g. a text column").correct


# --- issue 23, heldout9: rules a teacher states, checked on sentences of no table ----------------------------

@pytest.mark.parametrize(("expected", "given", "same"), [
    ("REDIS", "rdeis", True),  # a long code's two neighbouring letters swapped
    ("REDIS", "redsi", True),
    ("REDIS", "reds", False),  # but no other slip
    ("SQS", "sqs", True),
    ("SQS", "ssq", False),  # and none in a short code
    ("HDFS", "hadoop distributed filesystem", True),  # a compound written as one word gives both initials
    ("HDFS", "hadoop distributed system", False),
])
def test_heldout9_codes_take_a_swap_and_compound_initials(expected: str, given: str, same: bool) -> None:
    assert (term_similarity(expected, given) * 100 >= QUIZ.term_pass) == same, term_similarity(expected, given)


@pytest.mark.parametrize(("expected", "given", "verdict", "why"), [
    ("a protocol of the network layer that routes packets", "a protocol of the session layer that routes packets",
     "wrong", 'says "session" where the notes say "network"'),
    ("gives strong consistency across replicas", "gives eventual consistency across replicas", "wrong", "eventual"),
    ("scales by horizontal scaling: more machines", "more machines, so horizontal scaling", "correct", ""),
    ("a hard problem because stale entries linger", "an easy problem since entries never go stale", "wrong", ""),
    ("it must not keep session data on the server", "it mustn't keep session data on the server", "correct", ""),
    ("it must not keep session data on the server", "it must keep session data on the server", "wrong", ""),
    ("the upload is slow, but a later download is fast", "uploads are fast and downloads slow", "wrong", ""),
    ("the upload is slow, but a later download is fast", "slow to upload, quick to download", "correct", ""),
])
def test_heldout9_a_changed_layer_or_model_a_denial_and_swapped_qualities(expected: str, given: str, verdict: str,
                                                                             why: str) -> None:
    result = grade(_card("definition", "the thing", expected), given, shared_embedder(load_settings()))
    assert result.verdict == verdict, result.feedback
    assert why in result.feedback


def test_heldout9_a_quality_given_to_the_other_thing_is_a_swap() -> None:
    notes = "a slow start due to the cold cache, but every request after it is fast"
    assert swapped_attributes(notes, "the cold cache is fast, but later requests are slow") == ("cold", "fast")
    assert swapped_attributes(notes, "slow at first with a cold cache, fast for each later request") is None


def test_heldout9_a_gap_said_without_the_word_its_sentence_shows() -> None:
    card = _card("cloze", "Write Quorum", "Write Quorum",
                 question='Fill in the blank: "the quorum that every update must reach is called a _____"')
    assert grade(card, "write").correct  # the sentence already says "quorum"
    assert not grade(card, "read").correct
    assert not grade(card, "read quorum").correct
    assert not grade(_card("cloze", "Write Quorum", "Write Quorum", question='"called a _____"'), "write").correct


# --- issue 23, heldout10 (a fifth subject, physiology): rules a teacher states, on sentences of no table ----

@pytest.mark.parametrize(("expected", "given", "same"), [
    ("substantia nigra (SN)", "SN", True),  # a name with its alias in brackets: either names it
    ("substantia nigra (SN)", "substantia nigra", True),
    ("substantia nigra (SN)", "substantia alba", False),
    ('P wave "atrial kick"', "p wave", True),
    ("layer 4 (tcp)", "tcp", False),  # beside a number the bracket is no alias
    ("IV", "4", True),  # a Roman numeral is its number
    ("IV", "6", False),
    ("PTH", "parathormone", True),  # a rare word the code takes its letters from
    ("SQS", "sequences", False),  # not an everyday word
    ("CT", "cloudwatch", False),  # nor a compound of two English words: only its initials ("cw") name it
    ("CT", "cloudtrail", True),
])
def test_heldout10_aliases_numerals_and_codes_inside_a_word(expected: str, given: str, same: bool) -> None:
    assert (term_similarity(expected, given) * 100 >= QUIZ.term_pass) == same, term_similarity(expected, given)


@pytest.mark.parametrize(("expected", "given", "verdict", "why"), [
    ("blood pumped by the heart per minute", "blood pumped by the heart per beat", "wrong", '"per beat"'),
    ("blood pumped by the heart per minute", "the blood the heart pumps per min", "correct", ""),
    ("damage to the CNS myelin", "damage to the PNS myelin", "wrong", '"PNS" where the notes say "CNS"'),
    ("released on stretch, lowers blood pressure", "released on stretch, raises blood pressure", "wrong", ""),
    ("the vessel constricts, so flow falls", "the vessel dilates, so flow rises", "wrong", ""),
    ("carries the signal away from the cell body", "carries the signal towards the cell body", "wrong", ""),
    ("slow receptors adapt slowly", "slow receptors adapt fast", "wrong", ""),
    ("deoxygenated blood holds more CO2", "oxygenated blood holds more CO2", "wrong", ""),
    ("filtrate from both kidneys", "filtrate from one kidney", "wrong", ""),
    ("rhythm set by the SA node (the pacemaker)", "rhythm set by the SA node", "correct", ""),
])
def test_heldout10_rates_codes_directions_and_counts(expected: str, given: str, verdict: str, why: str) -> None:
    result = grade(_card("definition", "the thing", expected), given, shared_embedder(load_settings()))
    assert result.verdict == verdict, result.feedback
    assert why in result.feedback


def test_heldout10_a_part_of_the_answer_is_no_rival() -> None:
    card = _card("term", "dendrites", "dendritic spines", siblings=("dendritic", "axon hillock"))
    assert grade(card, "dendritic spnes").correct  # a slip, and the sibling is only a part of the answer
    assert not grade(card, "axon hillock").correct


# --- issue 23, heldout11 (a sixth subject, economics): rules a teacher states, on sentences of no table -----

@pytest.mark.parametrize(("expected", "given", "verdict"), [
    ("2 - x", "2 + x", "wrong"),  # another operator between the same terms
    ("distance / time", "distance x time", "wrong"),
    ("distance / time", "distance divided by time", "correct"),
    ("total cost / output", "output / total cost", "wrong"),  # a ratio's terms swapped
    ("revenue - cost", "cost minus revenue", "wrong"),  # a difference's terms swapped
    ("revenue - cost", "revenue minus cost", "correct"),
    ("the long-run cost", "the short-run cost", "wrong"),  # a hyphen is no minus (the change is caught as such)
])
def test_heldout11_a_formula_keeps_its_operators_and_its_order(expected: str, given: str, verdict: str) -> None:
    result = grade(_card("definition", "the formula", expected), given, shared_embedder(load_settings()))
    assert result.verdict == verdict, result.feedback


def test_heldout11_an_ing_form_of_an_opposite() -> None:
    embedder = shared_embedder(load_settings())
    cost = _card("definition", "unit fixed cost", "fixed cost / units -> always falling")
    assert not grade(cost, "fixed cost / units, always rising", embedder).correct
    assert formula_conflict("fixed cost / units", "fixed cost over units") is None


# --- issue 23, heldout12 (a seventh subject, history): rules a teacher states, on sentences of no table -------

@pytest.mark.parametrize(("expected", "given", "verdict", "why"), [
    # a name swapped for another, every other word kept
    ("copper ore shipped to the Netherlands", "copper ore shipped to portugal", "wrong", '"portugal" where the notes say "Netherlands"'),
    ("copper ore shipped to the Netherlands", "they shipped the copper ore to the netherlands", "correct", ""),
    ("the treaty was signed by Sweden and Denmark", "the treaty was signed by sweden and denmark", "correct", ""),
    ("elected by the Senate for six years", "elected by the assembly for six years", "wrong", '"assembly"'),
    # two names the other way round around the word they share
    ("then Carthage lends Numidia its fleet", "then numidia lends carthage its fleet", "wrong", "swaps"),
    # "X vs Y" turned round
    ("fixed rates vs floating rates", "floating rates vs fixed rates", "wrong", "swaps"),
    # parallel parts crossed both ways
    ("Lyon grows 1850s, Lille grows 1870s", "lille grows 1850s, lyon grows 1870s", "wrong", "swaps"),
    ("Lyon grows 1850s, Lille grows 1870s", "lyon grows in the 1850s and lille in the 1870s", "correct", ""),
    # opposites of history notes
    ("the rebels won a victory at the bridge", "the rebels suffered a defeat at the bridge", "wrong", "opposite"),
    ("the king refused the petition", "the king accepted the petition", "wrong", "opposite"),
    ("the regent abolished serfdom", "the regent restored serfdom", "wrong", "opposite"),
    ("a conservative minister", "a liberal minister", "wrong", "opposite"),
    # the question's own year, put where the notes give another year
    ("troops only reach the front in big numbers in 1761", "troops reach the front in big numbers in 1760", "wrong",
     "1760"),
])
def test_heldout12_names_roles_sides_and_opposites(expected: str, given: str, verdict: str, why: str) -> None:
    card = _card("definition", "1760", expected, question='What happened in "1760"?')
    result = grade(card, given, shared_embedder(load_settings()))
    assert result.verdict == verdict, result.feedback
    assert why in result.feedback


def test_heldout12_the_head_of_a_definition_with_details_is_the_answer() -> None:
    embedder = shared_embedder(load_settings())
    guild = _card("definition", "guild", "craftsmen, set prices for the town, trained apprentices, paid dues yearly")
    assert grade(guild, "the craftsmen", embedder).correct
    kinds = _card("definition", "metrics", "precision, recall, coverage, latency")
    assert not grade(kinds, "precision", embedder).correct  # the first item of a list is not the list


def test_heldout12_a_common_word_for_another_in_a_long_name_is_another_name() -> None:
    card = _card("definition", "BoT", "Board of Trade and Plantations")
    assert grade(card, "board of trade and plantation", None).correct  # a plural is a slip
    result = grade(card, "board of war and plantations", None)
    assert result.verdict == "wrong" and '"war" where the notes say "trade"' in result.feedback.lower()


def test_heldout12_a_wrong_item_in_a_list_is_not_most_of_it_and_the_notes_short_names_count() -> None:
    items = ("Castile", "Aragon", "Navarre", "Great Britain")
    card = Question("list", "Name the 4 kingdoms.", "; ".join(items), "notes.md", 1, 4, "", "kingdoms", "",
                    items, term="4 kingdoms", aliases=(("GB", "Great Britain"),))
    assert grade(card, "castile, aragon, navarre").correct  # three of four
    assert not grade(card, "castile, aragon, navarre, portugal").correct  # ... with a wrong one is not
    assert grade(card, "castile, aragon, navarre, britain").verdict == "correct"  # the notes' head word
    assert grade(card, "castile, aragon, navarre, GB").verdict == "correct"


# --- issue 23, heldout13 (an eighth subject, psychology): rules a teacher states, on sentences of no table ----

@pytest.mark.parametrize(("expected", "given", "verdict", "why"), [
    # "X -> Y" said the other way round
    ("afferent -> efferent", "efferent -> afferent", "wrong", "swaps"),
    ("afferent -> efferent", "afferent -> efferent", "correct", ""),
    # a passive turned into an active with the same noun: the doer is now the one done to
    ("insulin, released by the pancreas", "insulin, which releases the pancreas", "wrong", '"releases pancreas"'),
    ("insulin, released by the pancreas", "the pancreas releases insulin", "correct", ""),
    ("disks encrypted by KMS", "disks encrypted with KMS", "correct", ""),  # another preposition, no active
    # one step of a chain changed, the others kept; a code spelled out changes nothing
    ("stimulus -> thalamus -> amygdala -> HPA axis -> cortisol", "stimulus -> thalamus -> hippocampus -> hpa axis -> "
     "cortisol", "wrong", '"hippocampus" where the notes say "amygdala"'),
    ("stimulus -> thalamus -> amygdala -> HPA axis -> cortisol", "stimulus -> thalamus -> amygdala -> "
     "hypothalamic pituitary adrenal axis -> cortisol", "correct", ""),
    # negations typed without their apostrophe, and a word offered both ways
    ("the sample is not random", "the sample is random", "wrong", "opposite"),
    ("the sample is random", "the sample isnt random", "wrong", "opposite"),
    ("a neuron either fires fully or not at all", "it either fires fully or doesnt fire", "correct", ""),
    ("people overestimate their memory", "people underestimate their memory", "wrong", ""),
    # a number read within its own part of a list; a unit the notes abbreviate
    ("30 adults, 12 word lists", "30 adults learned 12 lists of words", "correct", ""),
    ("30 adults, 12 word lists", "12 adults, 30 word lists", "wrong", ""),
    ("sleep loss for 3.5 hrs", "3.5 hours of sleep loss", "correct", ""),
])
def test_heldout13_arrows_voices_chains_negations_and_numbers(expected: str, given: str, verdict: str,
                                                             why: str) -> None:
    result = grade(_card("definition", "the finding", expected), given, shared_embedder(load_settings()))
    assert result.verdict == verdict, result.feedback
    assert why in result.feedback


@pytest.mark.parametrize(("expected", "given", "right"), [
    ("Bandura 1961", "bandura", True),  # a study named by its authors
    ("Loftus & Loftus 1980", "loftus and loftus", True),
    ("Bandura 1961", "skinner", False),
    ("central NS", "central nervous system", True),  # a code among the name's words, spelled out
    ("central NS", "peripheral nervous system", False),
    ("alternative hypothesis (H1)", "H1", True),  # an alias holding a digit names the name
    ("layer 7 (http)", "http", False),  # ... but a name holding one is not named by its alias
    ("recency effect", "recency", True),  # the kind noun left off
    ("recency effect", "primacy", False),
    ("Erikson's 8 stages", "eriksons 8 stages of psychosocial development", True),  # "name of what"
    ("cognitive dissonance", "cognitive dissonance - holding two clashing beliefs", True),  # "name - remark"
])
def test_heldout13_names_a_student_writes_for_a_study_a_code_or_an_effect(expected: str, given: str,
                                                                         right: bool) -> None:
    assert grade(_card("term", expected, expected), given).correct is right


def test_heldout13_a_counted_list_whose_items_carry_remarks_is_graded_as_a_list() -> None:
    card = _card("definition", "3 kinds of memory", "sensory (under 1s), short-term (15-30s, 7 +/- 2 items), "
                 "long-term (unlimited)")
    partial = grade(card, "sensory and long-term")
    assert partial.verdict == "partly" and "Missing: short-term" in partial.feedback
    assert grade(card, "sensory, short-term and long-term").correct


# --- issue 23, heldout14 (a ninth subject, chemistry): rules a teacher states, on sentences of no table --------

@pytest.mark.parametrize(("expected", "given", "verdict", "why"), [
    # a sign written on a number is part of it; a more precise value rounds to the notes'; "x 10^" is a power
    ("neutralisation releases heat, dH = -57 kJ/mol", "dH = +57 kJ/mol", "wrong", "+57, where the notes say -57"),
    ("neutralisation releases heat, dH = -57 kJ/mol", "it releases heat, dH = -57 kJ/mol", "correct", ""),
    ("speed of light in vacuum, 2.998e8 m/s", "speed of light in vacuum, 2.99792458e8 m/s", "correct", ""),
    ("speed of light in vacuum, 2.998e8 m/s", "speed of light in vacuum, 3.1e8 m/s", "wrong", "number"),
    ("charge of one electron, 1.6e-19 C", "charge of one electron, 1.6 x 10^-19 C", "correct", ""),
    # a word the notes deny is denied, however like another word of theirs it looks ("neurons" ~ "neuro...")
    ("neurons carry the signal, NOT neurotransmitters", "neurons carry neurotransmitters", "wrong", "opposite"),
    ("drop the outliers before fitting", "keep the outliers before fitting", "wrong", "opposite"),
    # two things compared, turned round; "so the ..." opens a clause of its own
    ("the hare runs 3x as fast as the tortoise", "the tortoise runs 3x as fast as the hare", "wrong", "swaps"),
    ("trains are faster than buses in town", "buses are faster than trains in town", "wrong", "swaps"),
    ("trains are faster than buses in town", "in town, trains are faster than buses", "correct", ""),
    ("the pipe gets wider -> narrower jet", "the pipe gets narrower so the jet gets wider", "wrong", "opposite"),
    ("the pipe gets wider -> narrower jet", "the pipe gets wider so the jet gets narrower", "correct", ""),
    # "<=>" is no arrow to turn round
    ("A + B <=> C, only partly done, needs heat", "needs heat, only partly done, A + B <=> C", "correct", ""),
    # part of a list whose items carry remarks (a number inside one is no item number) is part of it
    ("apples, pears (both pome fruit), plums, cherries, peaches", "apples, pears, plums", "partly", "3 of 5"),
    ("odd (NO), incomplete (B has 6), expanded (period 3+)", "incomplete, like B", "partly", "1 of 3"),
    ("Paris (France), Rome (Italy), Madrid (Spain)", "paris (italy), rome (france), madrid (spain)", "wrong",
     "swaps"),
    ("Veni, vidi, vici (came, saw, conquered)", "came, saw, conquered", "correct", ""),  # a gloss of the whole list
])
def test_heldout14_signs_denials_comparisons_and_lists(expected: str, given: str, verdict: str, why: str) -> None:
    result = grade(_card("definition", "the fact", expected), given, shared_embedder(load_settings()))
    assert result.verdict == verdict, result.feedback
    assert why in result.feedback


@pytest.mark.parametrize(("expected", "first"), [
    ("high P, low T, large polar molecules", "high P"),  # no head of a definition: the other parts are items
    ("group 2 metals, Fe, Cu, Zn", "group 2 metals"),  # no gist: the rest is more items
])
def test_heldout14_the_first_of_parallel_items_is_not_the_whole_answer(expected: str, first: str) -> None:
    card = _card("definition", "the fact", expected)
    assert not grade(card, first, shared_embedder(load_settings())).correct
    assert grade(card, expected, shared_embedder(load_settings())).correct


@pytest.mark.parametrize(("expected", "given", "right"), [
    ("hydrogen bonding", "H-bonding", True),  # a word cut to its initial and hyphened to the next
    ("hydrogen bonding", "X-bonding", False),
    ("average speed", "avg speed", True),  # a consonant abbreviation, either way
    ("fwd pass", "forward pass", True),
    ("standard deviation", "std deviation", True),
    ("average speed", "avg weight", False),
    ("SQS", "sequences", False),  # a code is no abbreviation of a word
])
def test_heldout14_a_word_cut_to_its_initial_or_its_consonants(expected: str, given: str, right: bool) -> None:
    assert grade(_card("term", expected, expected), given).correct is right


@pytest.mark.parametrize(("lines", "found"), [
    (["- GB = Great Britain", "ToV: Treaty of Versailles"], {"GB": "Great Britain", "ToV": "Treaty of Versailles"}),
    (["Dual Alliance with A-H (A-H = Austria-Hungary, since 1867)"], {"A-H": "Austria-Hungary"}),
    (["prices set by open market operations (OMO)", "QE (quantitative easing) after 2008"],
     {"OMO": "open market operations", "QE": "quantitative easing"}),
    (["Nap. = Napoleon Bonaparte"], {"Nap.": "Napoleon"}),  # the word it cuts short
    (["GDP = market value of all final goods", "August = month of the decrees", "MAIN = militarism, alliances"], {}),
    # a legend line of three pairs or more: any short form the student declares (heldout14), a letter alone none
    (["shorthand: rxn = reaction, conc. = concentration, Ea = activation energy, k = rate constant"],
     {"rxn": "reaction", "conc.": "concentration", "Ea": "activation energy"}),
    (["rxn = reaction, mol = moles"], {}),  # two pairs: no legend
])
def test_the_glossary_reads_the_short_names_the_notes_define(lines: list[str], found: dict[str, str]) -> None:
    assert glossary.collect(lines) == found


@pytest.mark.parametrize(("given", "right"), [
    ("reactions go faster because the activation energy is lower", True),
    ("Reactions go faster because the activation energy is higher", False),
])
def test_a_definition_in_the_notes_shorthand_is_read_as_the_notes_define_it(given: str, right: bool) -> None:
    card = Question("definition", 'What is "catalyst"?', "rxns go faster b/c LOWER Ea", "notes.md", 1, 1, "",
                    "catalyst", "rxns go faster b/c LOWER Ea", ("rxns go faster b/c LOWER Ea",), term="catalyst",
                    aliases=(("rxn", "reaction"), ("Ea", "activation energy"), ("b/c", "because")))
    assert grade(card, given, shared_embedder(load_settings())).correct is right


def test_a_card_carries_the_short_names_its_words_use_and_keeps_them_through_json(tmp_path: Path) -> None:
    (tmp_path / "n.md").write_text("# Powers\n\n- GB = Great Britain\n- Fashoda: GB backs France down in Sudan\n",
                                   encoding="utf-8")
    chunks = [c for f in scan_folder(tmp_path)[0] for c in chunk_document(load_document(f.path, f.source))]
    card = next(q for q in generate_questions(chunks) if q.term == "Fashoda" and q.kind == "definition")
    assert card.aliases == (("GB", "Great Britain"),)
    assert Question.from_json(json.loads(json.dumps(card.to_json()))) == card


# --- issue 23, heldout15 (a tenth subject, English contract law): rules a teacher states, on sentences of no table

@pytest.mark.parametrize(("expected", "given", "right"), [
    ("bilateral treaty", "unilateral treaty", False),  # rival prefixes of one stem: uni/bi, hyper/hypo, pre/post
    ("hypertonic solution", "hypotonic solution", False),
    ("prenatal care", "postnatal care", False),
    ("international waters", "internat waters", True),  # a word cut short: five letters or more
    ("photosynthesis rate", "phot rate", False),  # four letters say too little
    ("Magna Carta", "magna carta libertatum of king john (1215)", True),  # a name in full, from the short form on
    ("Magna Carta", "the charter of 1215", False),
])
def test_heldout15_rival_prefixes_cut_words_and_names_in_full(expected: str, given: str, right: bool) -> None:
    assert grade(_card("term", expected, expected), given).correct is right


@pytest.mark.parametrize(("given", "right"), [("blenkiron", True), ("blenkirn", True), ("blenkarn", False)])
def test_heldout15_another_name_of_the_same_line_is_no_slip(given: str, right: bool) -> None:
    card = replace(_card("cloze", "Blenkiron", "Blenkiron", 'Fill in the blank: "rogue Blenkarn posed as _____ & Co"'),
                   quote="- rogue Blenkarn signed to look like Blenkiron & Co, a real firm")
    result = grade(card, given)
    assert result.correct is right, result.feedback
    assert right or "another name on the same line" in result.feedback


def test_heldout15_words_the_question_shows_are_no_other_name() -> None:
    card = replace(_card("term", "bilateral", "bilateral", 'Which term do the notes describe as "both sides promise"?'),
                   topic="Types of contract")
    assert grade(card, "bilat. contract").correct  # "contract" repeats the topic; "bilat." is bilateral cut short
    assert not grade(card, "unilateral contract").correct


@pytest.mark.parametrize(("given", "right"), [
    ("cant revoke an offer after it has been accepted", True),  # "cant" typed without its apostrophe
    ("can revoke an offer after it has been accepted", False),
])
def test_heldout15_a_negation_typed_without_its_apostrophe(given: str, right: bool) -> None:
    card = _card("definition", "revocation", "can't revoke an offer once it is accepted")
    assert grade(card, given, shared_embedder(load_settings())).correct is right


# --- issue 23, heldout16 (an eleventh subject, introductory philosophy): rules a teacher states, on sentences of no
# table

@pytest.mark.parametrize(("expected", "given", "right"), [
    ("the ideal gas law holds only at (a) low pressure, (b) high temperature, (c) small molecules",
     "it holds at low pressure", False),  # a lettered list is a list: 1 of 3
    ("the ideal gas law holds only at (a) low pressure, (b) high temperature, (c) small molecules",
     "low pressure, high temperature and small molecules", True),
    ("a cell's volume depends only on its water content", "a cell's volume depends partly on its water content",
     False),  # only / partly
    ("a cell's volume depends only on its water content", "the volume of a cell depends solely on its water", True),
    ("money is the only intrinsic store of value", "money is the only instrumental store of value", False),
    ("gene types = protein types", "gene tokens = protein tokens", False),  # type / token
    ("the two nuclei are distinct particles", "the two nuclei are the same particle", False),  # distinct / same
    ("a vote is valid only because of its count", "a vote is valid or invalid solely because of its count", True),
])
def test_heldout16_lists_qualifiers_and_opposites_offered_both_ways(expected: str, given: str, right: bool) -> None:
    """"right or wrong" offers two opposites and claims neither."""
    result = grade(_card("definition", "rule", expected), given, shared_embedder(load_settings()))
    assert result.correct is right, result.feedback


def test_heldout16_a_counted_list_joins_items_with_plus() -> None:
    card = _card("definition", "3 primary colours", "red (warm), blue + yellow (bright)")
    assert grade(card, "red and yellow").verdict == "partly"  # 2 of 3, not "2 of 2"
    assert grade(card, "red, blue and yellow").correct


@pytest.mark.parametrize(("given", "right"), [
    ("gamma (fast, ionising) vs alpha", False),  # the names swapped, their remarks kept
    ("alpha (fast, ionising) vs gamma", True),
])
def test_heldout16_names_swapped_around_versus(given: str, right: bool) -> None:
    card = _card("definition", "two rays", "alpha (fast, ionising) vs gamma")
    result = grade(card, given, shared_embedder(load_settings()))
    assert result.correct is right, result.feedback
    assert right or "swaps" in result.feedback


def test_heldout16_a_second_label_defined_on_the_line_is_another_fact() -> None:
    card = _card("definition", "necessary condition", "can't have X w/out it. sufficient: enough on its own to get X")
    assert not grade(card, "a condition that is enough on its own to get X", shared_embedder(load_settings())).correct


@pytest.mark.parametrize(("expected", "given", "right"), [
    ("H2O", "H20", True),  # the letter O typed as a zero
    ("CO2", "CO3", False),
    ("tectonic plate", "tect. plate", True),  # a full stop marks a word cut short, another word said whole
    ("tectonic", "tect.", False),
    ("tectonic plate", "tect plate", False),
    ("Tower Bridge (Victorian)", "victorian tower bridge", True),  # a word moved, not swapped
    ("cell theory", "cell theory - Schleiden and Schwann (1839)", True),  # "name - remark (year)"
    ("SPEED objection", "the objection from speed", True),  # "X from Y" names "Y X"
    ("SPEED objection", "the objection from cost", False),
])
def test_heldout16_names_said_another_way(expected: str, given: str, right: bool) -> None:
    result = grade(_card("term", expected, expected), given)
    assert result.correct is right, result.feedback


@pytest.mark.parametrize(("given", "right"), [("joy", True), ("thriving", True), ("sadness", False)])
def test_heldout16_one_of_the_names_the_notes_offer_as_alternatives(given: str, right: bool) -> None:
    card = _card("definition", "eudaimonia-like", "joy/thriving (more than \"pleasure\" - lasts a whole life)")
    assert grade(card, given, shared_embedder(load_settings())).correct is right


def test_heldout16_a_sibling_the_answer_quotes_is_no_rival() -> None:
    card = _card("definition", "reply", 'only works for "the largest prime..." not for even numbers',
                 siblings=("the largest prime that can be named",))
    result = grade(card, "it only applies to 'the largest prime that can be named', not to even numbers",
                   shared_embedder(load_settings()))
    assert result.correct, result.feedback


# --- issue 23, heldout17 (a twelfth subject, art history): rules a teacher states, on sentences of no table

@pytest.mark.parametrize(("expected", "given", "right"), [
    ("ink on wet paper, spreads as it dries", "ink on dry paper, spreads as it dries", False),  # wet / dry
    ("sketched outdoors → fresh light", "sketched indoors in the studio", False),  # outdoors / indoors
    ("the door opens to the left (west)", "the door opens to the right", False),  # left / right
    ("relief, knife on wood, ink on the raised parts", "intaglio, knife on wood, ink on the raised parts", False),
    # an arrow ends what a negation reaches: "doesn't set -> cracks" denies the setting, not the cracks
    ("lime on cold walls, doesn't set → cracks", "lime on cold walls that sets hard, so it never cracks", False),
    ("lime on cold walls, doesn't set → cracks", "on cold walls the lime doesn't set, so it cracks", True),
    ("the Tories' plan. Le Marchant's side", "the Tories' plan. Robert de Vere's side", False),  # "Le Marchant"
    ("the Tories' plan. Le Marchant's side", "the plan of the Tories, the side of Le Marchant", True),
])
def test_heldout17_opposites_arrows_and_names_with_particles(expected: str, given: str, right: bool) -> None:
    result = grade(_card("definition", "rule", expected), given, shared_embedder(load_settings()))
    assert result.correct is right, result.feedback


@pytest.mark.parametrize(("expected", "given", "right"), [
    ("speed over accuracy", "accuracy over speed", False),  # a one-way relation turned round
    ("Smith on Jones", "Jones on Smith", False),
    ("Smith vs Jones", "Jones vs Smith", True),  # "vs" goes both ways
    ("BMFA", "Boston Museum of Fine Arts", True),  # initials with the small words in
    ("Santa Croce", "S. Croce", True),  # an initial with its full stop, another word whole
    ("Santa Croce", "S Croce", False),
    ("John Henry Newman", "J. H. Newman", True),
    ("Port Saint-Louis", "Port St-Louis", True),  # an English short form
    ("KANTIAN DEONTOLOGY", "deontology", False),  # a rare adjective is no first name: the last word alone is no name
])
def test_heldout17_names_order_initials_and_short_forms(expected: str, given: str, right: bool) -> None:
    result = grade(_card("term", expected, expected), given)
    assert result.correct is right, result.feedback


def test_heldout17_a_list_that_a_comment_follows_is_a_list() -> None:
    card = _card("definition", "Doric order", "plain capital, fluted shaft, no base, thick columns. The oldest order")
    assert grade(card, "a plain capital").verdict == "partly"  # 1 of 4, not the whole answer
    assert grade(card, "plain capital, fluted shaft and no base").correct


# --- issue 23, heldout18 (a thirteenth subject, pharmacology): rules a teacher states, on sentences of no table

@pytest.mark.parametrize(("expected", "given", "right"), [
    ("a partial agonist at the D2 receptor", "a partial antagonist at the D2 receptor", False),  # agonist / antagonist
    ("wash hands BEFORE gloving (then hands stay clean)", "put gloves on first and wash hands afterwards", False),
    ("covalent bond, reversible by heat", "covalent bond, irreversible by heat", False),  # a prefix, however rare
    ("an insurmountable block of the channel", "a surmountable block of the channel", False),
    ("an insurmountable block of the channel", "a block of the channel that is not surmountable", True),  # denied
    ("dose = target conc x Vd / F", "dose = F x target conc / Vd", False),  # a term of a ratio moved across
    ("dose = target conc x Vd / F", "dose = Vd x target conc / F", True),
    ("inhibits enzyme Z → ↓ factors II, VII, IX", "↓ factors IX, VII and II by inhibiting enzyme Z", True),  # a list reordered
])
def test_heldout18_opposites_prefixes_ratios_and_reordered_lists(expected: str, given: str, right: bool) -> None:
    result = grade(_card("definition", "rule", expected), given, shared_embedder(load_settings()))
    assert result.correct is right, result.feedback


@pytest.mark.parametrize(("expected", "given", "right"), [
    ("6 months", "half a year", True),  # "half a" is 0.5, months and years are durations
    ("6 months", "a year", False),
    ("24 months", "2 years", True),
    ("NAC", "N-acetylcysteine", True),  # a hyphenated rare word spells the code
    ("NAC", "national academy", False),
])
def test_heldout18_durations_and_hyphenated_codes(expected: str, given: str, right: bool) -> None:
    result = grade(_card("cloze", expected, expected), given)
    assert result.correct is right, result.feedback


# --- issue 23, heldout19 (a fourteenth subject, linguistics): rules a teacher states, on sentences of no table

@pytest.mark.parametrize(("expected", "given", "right"), [
    ("a careful reading of each clause", "a careless reading of each clause", False),  # "-less" for "-ful"
    ("voiced fricatives between vowels", "voiceless fricatives between vowels", False),  # "-less" for "-ed"
    ("can stand alone as a sentence", "can't stand alone as a sentence", False),  # "alone" denies nothing here
    ("leaves the index alone", "rewrites the index", False),  # ... but what one leaves alone it does not touch
    ("pressure rises towards the core, falls after it", "pressure falls towards the core and rises after it", False),
    ("pressure rises towards the core, falls after it", "it rises towards the core, then falls after it", True),
    ("oral → written. speech (first) → text (later)", "written → oral, e.g. text → speech", False),  # first clause
    ("Bronze Age ~3300-1200 (Troy, Mycenae), Iron Age 1200-550 (Homer, Hesiod)", "Bronze Age ~3300-1200", False),
])
def test_heldout19_suffixes_alone_swaps_and_parallel_parts(expected: str, given: str, right: bool) -> None:
    result = grade(_card("definition", "rule", expected), given, shared_embedder(load_settings()))
    assert result.correct is right, result.feedback


def test_heldout19_another_year_of_the_line_is_no_slip_and_arrows_stay_in_an_answer() -> None:
    card = replace(_card("cloze", "1911", "1911"), quote="- Rutherford 1911: nucleus; Bohr 1913: orbits")
    assert not grade(card, "1913").correct  # a year of the same line, not the notes' misspelling
    assert grade(card, "1911").correct
    arrows = _card("definition", "gram", "oral → written")
    assert not grade(arrows, "written → oral", shared_embedder(load_settings())).correct  # the arrow is kept


# --- issue 23, heldout20 (a fifteenth subject, earth science): rules a teacher states, on sentences of no table

@pytest.mark.parametrize(("expected", "given", "right"), [
    ("atom of one element with a different number of electrons", "atom of one element with a different number of "
     "protons", False),  # proton / neutron / electron
    ("coastlines shaped by sudden storms", "coastlines shaped by gradual erosion", False),  # sudden / gradual
    ("sorting grains of the same size in separate layers", "sorting grains", False),  # two words for a long fact
])
def test_heldout20_particles_rates_and_answers_too_short(expected: str, given: str, right: bool) -> None:
    result = grade(_card("definition", "rule", expected), given, shared_embedder(load_settings()))
    assert result.correct is right, result.feedback


@pytest.mark.parametrize(("expected", "given", "right"), [
    ("angle of incidence", "angel of incidence", True),  # two neighbouring letters swapped: a slip
    ("shield/lavadome", "lavadome", True),  # two long words for one thing, joined by a bare slash
    ("TCP/UDP", "TCP", False),
    ("Dr K's method", "Dr Kowalski's method", True),  # the notes' initial said in full
    ("Dr K's method", "Dr Novak's method", False),
])
def test_heldout20_slips_slashes_and_initials(expected: str, given: str, right: bool) -> None:
    result = grade(_card("term", expected, expected), given)
    assert result.correct is right, result.feedback


# --- issue 23, heldout21 and heldout22 (microbiology, music theory): rules a teacher states, on sentences of no table

@pytest.mark.parametrize(("expected", "given", "right"), [
    ("the exit is on the 2nd floor, left of the lift", "the exit is on the 3rd floor, left of the lift", False),
    ("the exit is on the 2nd floor, left of the lift", "exit on the second floor left of the lift", True),
    ("filter removed, sample frozen", "sample removed, filter frozen", False),  # pairs crossed
    ("filter removed, sample frozen", "first the filter is removed, then the sample frozen", True),
    ("the vaccine protects the child more than the parent", "the vaccine protects the parent more than the child",
     False),  # the two sides of "more than" swapped, the subject kept in front
    ("one mark above the line, one mark below the stem", "one mark below the line, one mark above the stem", False),
    ("same length, different width", "same lenght diffrent width", True),  # slips read as the notes' words
    ("same length, different width", "different length, same width", False),
    ("the 1st and 2nd beats are strong", "beats 1st + 2nd strong", True),  # numbers joined share their words
    ("the 1st and 2nd beats are strong", "only the 3rd beat is strong", False),
])
def test_heldout21_22_ordinals_crossed_pairs_and_slips(expected: str, given: str, right: bool) -> None:
    result = grade(_card("definition", "rule", expected), given, shared_embedder(load_settings()))
    assert result.correct is right, result.feedback


@pytest.mark.parametrize(("expected", "given", "right"), [
    ("coda (tail / ending)", "tail", True),  # an alias of "A / B" in the brackets
    ("coda (tail / ending)", "bridge", False),
    ("leading note (LN7)", "LN7", True),  # the name's number is in the alias: a code for it
    ("floor 7 (roof)", "roof", False),  # "roof" alone does not name floor 7
    ("B12 (cobalamin)", "cobalamin", True),  # a code named by its alias
    ("T (helper) cell", "T cell", True),  # the name without the remark inside it
    ("Marx (1848) Manifesto", "Marx (1850) Manifesto", False),  # a year is no remark
    ('plasmids ("mini chromosomes")', "mini chromosomes", True),
    ("Antonín Dvořák", "dvorak", True),  # the surname alone, typed without its accents
    ("Frédéric Bastiat", "bastiat", True),  # "Frédéric" is a first name, not a rare adjective in -ic
    ("Frédéric Bastiat", "bastiet", True),
    ("major scale", "half-major scale", False),  # a word hyphened on in front names another thing
    ("major scale", "the major scale", True),
])
def test_heldout21_22_bracket_aliases_surnames_and_hyphened_prefixes(expected: str, given: str, right: bool) -> None:
    result = grade(_card("term", expected, expected), given)
    assert result.correct is right, result.feedback


# --- issue 23, heldout23 and heldout24 (astronomy, nutrition): rules a teacher states, on sentences of no table

@pytest.mark.parametrize(("expected", "given", "right"), [
    ("insulin released → ↓ blood glucose", "insulin released -> ↑ blood glucose", False),  # arrows are words
    ("insulin released → ↓ blood glucose", "insulin released so blood glucose goes down", True),
    ("the minimum dose that still works", "the max dose that still works", False),  # max/minimum one pair
    ("stroke volume ÷ heart rate", "heart rate ÷ stroke volume", False),  # a ratio turned round
    ("demand > supply → prices rise", "supply > demand -> prices rise", False),  # the sides of ">" swapped
    ("demand > supply → prices rise", "more demand than supply so prices rise", True),
    ("waves travel along the rope", "waves travel across the rope", False),
    ("mostly old trees, some shrubs", "mostly young trees, some shrubs", False),
])
def test_heldout23_24_arrows_extremes_ratios_and_sides(expected: str, given: str, right: bool) -> None:
    result = grade(_card("definition", "rule", expected), given, shared_embedder(load_settings()))
    assert result.correct is right, result.feedback


def test_heldout24_a_plural_term_is_not_named_by_its_first_item() -> None:
    card = _card("definition", "symptoms", "headache, blurred vision, swollen ankles, sudden weight gain")
    assert not grade(card, "headache", shared_embedder(load_settings())).correct


@pytest.mark.parametrize(("expected", "given", "right"), [
    ("heliocentric model", "heliocentric", True),  # a name without its last word
    ("lytic cycle", "cycle", False),  # the first word is what names it
    ("SCURVY", "scurvey", True),  # a shouted word takes a slip; a code does not
    ("JSONB", "json", False),  # a near miss of a code is another code
    ("0.25", "1/4", True),  # a fraction for a decimal
    ("0.25", "1/3", False),
    ("2 days", "48 hrs", True),
    ("Hubble's law", "hubbels law", True),  # a possessive read as one word
])
def test_heldout23_24_parts_of_names_shouted_words_and_numbers(expected: str, given: str, right: bool) -> None:
    result = grade(_card("cloze" if expected[0].isdigit() else "term", expected, expected), given)
    assert result.correct is right, result.feedback


def test_heldout23_24_a_name_without_a_word_another_name_of_the_section_holds_is_wrong() -> None:
    card = replace(_card("term", "open cluster", "open cluster"), siblings=("globular cluster",))
    assert not grade(card, "cluster").correct
    assert grade(replace(card, siblings=("spiral galaxy",)), "open").correct is False  # "open" is too short a name

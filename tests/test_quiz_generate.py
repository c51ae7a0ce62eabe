"""Question generation over the shipped notes: enough questions, each answerable from the lines it cites."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import service
from quiz import generate_questions
from quiz.model import Question
from settings import DEFAULT_NOTES_DIR, Settings, load_settings
from text.words import normalise
from workspace import open_workspace


def _file_lines(source: str) -> list[str]:
    return (DEFAULT_NOTES_DIR / source).read_text(encoding="utf-8").split("\n")


def test_default_notes_give_200_distinct_questions_across_40_headings(default_questions: list[Question]) -> None:
    kinds = Counter(q.kind for q in default_questions)
    assert len(default_questions) >= 200
    assert len({q.heading for q in default_questions}) >= 40
    assert set(kinds) == {"definition", "term", "cloze", "list", "mcq", "tf"}
    assert all(count >= 10 for count in kinds.values()), kinds


def test_every_question_quotes_its_lines_verbatim_and_the_answer_is_in_them(
        default_questions: list[Question]) -> None:
    for q in default_questions:
        lines = _file_lines(q.source)
        assert 1 <= q.start_line <= q.end_line <= len(lines)
        assert q.quote == "\n".join(lines[q.start_line - 1:q.end_line]), q.reference
        quote = normalise(q.quote)
        for snippet in q.evidence:
            assert normalise(snippet) in quote, (q.kind, q.reference, snippet)
        if q.kind == "tf":
            assert q.answer in ("True", "False")
        else:  # the expected answer itself (a list: every item of it) is in the cited lines, or the notes' own
            # misspelling of it is ("MKS" in the lines, asked as "KMS")
            assert all(normalise(part) in quote or _respelt(part, quote) for part in q.parts), \
                (q.kind, q.reference, q.answer)


def _respelt(answer: str, quote: str) -> bool:
    return any(sorted(word) == sorted(answer.lower()) for word in re.findall(r"[a-z]+", quote))


def test_no_duplicate_questions(default_questions: list[Question]) -> None:
    texts = [normalise(q.question) for q in default_questions]
    assert len(set(texts)) == len(texts)
    assert len({q.id for q in default_questions}) == len(default_questions)


def test_multiple_choice_distractors_are_other_facts_of_the_notes(default_questions: list[Question]) -> None:
    notes = normalise("\n".join(_file_lines("aws-study-notes.txt")))
    mcqs = [q for q in default_questions if q.kind == "mcq"]
    assert mcqs
    for q in mcqs:
        assert len(q.choices) == 4 and len(set(q.choices)) == 4
        assert q.choices.count(q.answer) == 1
        assert all(normalise(choice) in notes for choice in q.choices)
    letters = Counter(q.choices.index(q.answer) for q in mcqs)
    assert len(letters) == 4 and max(letters.values()) < 0.5 * len(mcqs)  # the right letter is not guessable


def test_false_statements_swap_in_a_sibling_definition(default_questions: list[Question]) -> None:
    false = [q for q in default_questions if q.kind == "tf" and q.answer == "False"]
    true = [q for q in default_questions if q.kind == "tf" and q.answer == "True"]
    assert false and true
    for q in false:
        real_definition = q.evidence[1]
        assert f'as "{real_definition}"' not in q.question
        assert f'"{q.term}"' in q.question


def test_kms_facts_become_the_expected_questions(default_questions: list[Question]) -> None:
    by_text = {q.question: q for q in default_questions}
    symmetric = by_text['kMS: What is "symmetric"?']
    assert symmetric.answer.startswith("one key for encryption and decryption")
    assert (symmetric.start_line, symmetric.end_line) == (79, 79)
    assert any("another key for decryption" in s for s in symmetric.siblings)
    keys = by_text["kMS: name the 2 keys."]
    assert keys.parts == ("symmetric", "asymmetric") and (keys.start_line, keys.end_line) == (78, 80)
    assert any(q.kind == "cloze" and q.answer == "90 days" and q.start_line == 157 for q in default_questions)


def test_generation_is_deterministic(default_questions: list[Question], default_index_dir: Path) -> None:
    ws = open_workspace(Settings(notes_dir=DEFAULT_NOTES_DIR, data_dir=default_index_dir))
    try:
        again = generate_questions(ws.index.catalog.all_chunks())
    finally:
        ws.close()
    assert [q.to_json() for q in again] == [q.to_json() for q in default_questions]


def test_markdown_notes_are_indexed_on_first_use_and_quizzed(notes_dir: Path) -> None:
    (notes_dir / "net.md").write_text(
        "# Networking\n\n"
        "NAT gateway : lets a private subnet reach the internet\n"
        "Internet gateway : connects a VPC to the internet\n"
        "Transit gateway : hub that connects many VPCs and on-premises networks\n"
        "VPC peering : connects exactly two VPCs privately\n\n"
        "## Firewalls\n\n"
        "Security layers:\n"
        "- NACL\n"
        "- Security group\n"
        "- Network Firewall\n\n"
        "Security groups are stateful and filter traffic for an ENI in the VPC.\n", encoding="utf-8")
    ws = open_workspace(load_settings(notes_dir=notes_dir))
    try:
        questions = service.quiz_questions(ws)  # the index was empty: built first
    finally:
        ws.close()
    by_kind = Counter(q.kind for q in questions)
    assert by_kind["definition"] == 4 and by_kind["mcq"] == 4 and by_kind["list"] == 1
    nat = next(q for q in questions if q.question == 'Networking: What is "NAT gateway"?')
    assert nat.answer == "lets a private subnet reach the internet" and nat.reference == "net.md:3"
    layers = next(q for q in questions if q.kind == "list")
    assert layers.parts == ("NACL", "Security group", "Network Firewall") and layers.reference == "net.md:10-13"
    cloze = next(q for q in questions if q.kind == "cloze" and q.start_line == 15)
    assert cloze.answer == "ENI"


def _questions_of(tmp_path: Path, text: str) -> list[Question]:
    from ingest import chunk_document, load_document, scan_folder

    (tmp_path / "notes.md").write_text(text, encoding="utf-8")
    files, _ = scan_folder(tmp_path)
    return generate_questions([c for f in files for c in chunk_document(load_document(f.path, f.source))])


def test_a_fact_keyed_by_a_date_asks_what_happened_then_and_when(tmp_path: Path) -> None:
    """heldout12's teacher: "What is '2 Dec 1805'?" and "Which term do the notes describe as ...?" answered by a
    date make no sense as questions."""
    questions = _questions_of(tmp_path, "# Wars of the Danube\n\n- 12 May 1703: Blenheim treaty signed by the allies\n"
                                        "- March 1704 : the Elector joins the French side\n"
                                        "- 1706: Turin relieved by the imperial army\n")
    asked = {q.question.split(": ", 1)[-1] for q in questions if q.kind in ("definition", "term")}
    assert "What happened on 12 May 1703?" in asked
    assert "What happened in March 1704?" in asked
    assert "What happened in 1706?" in asked
    assert 'When did this happen: "the Elector joins the French side"?' in asked
    assert not any(q.startswith(("What is", "Name the", "Which term")) for q in asked), asked


def test_a_note_to_self_is_no_blank(tmp_path: Path) -> None:
    questions = _questions_of(tmp_path, "# Sources\n\nThe archive of the abbey holds the charters. TODO check the "
                                        "dates of the charters in the abbey archive.\n")
    assert not any(q.answer.lower() == "todo" for q in questions)

"""Questions worth asking, on the shipped notes and on the Markdown corpus deeplearning-ai-notes: a fixed-seed
sample of 60 from each is judged by tests/quiz_rules.py (independent of the filter in quiz/quality.py) and
listed in tests/data/quiz_sample.md; the issue's bad examples are gone; the Markdown export is large enough and
every question's evidence is inside its cited lines."""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import CORPORA_DIR, needs_suite
from quiz_corpora import CORPORA, corpus_chunks, corpus_questions, folder_chunks
from quiz_rules import broken_rules, gives_away_by_label
from quiz_sample import SIZE, sample
from rapidfuzz import fuzz

from cli import main
from ingest import infer_headings, load_document, scan_folder
from quiz import generate_questions, grade
from text.words import normalise


@needs_suite(CORPORA_DIR)
@pytest.mark.parametrize("corpus", list(CORPORA))
def test_a_sample_of_60_breaks_no_rule(corpus: str) -> None:
    chosen = sample(corpus)
    assert len(chosen) == min(SIZE, len(corpus_questions(corpus)))  # til-subset: 48 cards once code is left out
    failing = [(q.question, q.answer, broken_rules(q)) for q in chosen if broken_rules(q)]
    assert not failing, failing


#: A bullet that names a topic in plain notes: short, no sentence end, nothing after its colon ("- AWS
#: Shield", "- type of KMS key :"), written here independently of quiz/topics.py.
SUB_HEADING = re.compile(r"^(\s*)[-*•]\s*(?P<title>[^\s:][^:]*?)\s*:?\s*$")


def _sub_headings(lines: list[str], headings: list) -> list:
    """The bullets of plain notes that head the lines under them: a short bullet (at most 8 words, no
    sentence end, no " : definition", " - " or "=>") directly followed by a line that is not a bullet or a
    heading ("- AWS Shield" over "protect against DDoS attack"), one level below the heading above it."""
    from ingest.model import Heading

    at = {h.line for h in headings}
    found, above = [], None
    ordered = sorted(headings, key=lambda h: h.line)
    j = 0
    for i, line in enumerate(lines):
        while j < len(ordered) and ordered[j].line <= i + 1:
            above, j = ordered[j], j + 1
        m = SUB_HEADING.match(line)
        after = lines[i + 1] if i + 1 < len(lines) else ""
        if i + 1 in at or m is None or not after.strip() or i + 2 in at or re.match(r"\s*[-*•]\s*\S", after):
            continue
        title = m.group("title").strip()
        if len(title.split()) > 8 or len(title) > 60 or title.endswith((".", ",", ";")) or \
                re.search(r"\s-+\s|=>|==|^\d", title):
            continue
        found.append(Heading(i + 1, (above.level if above else 0) + 1, title))
    return found


def _heading_paths(path: Path, source: str) -> dict[int, tuple[str, ...]]:
    """The heading path over every line of a file, as ingest finds its headings (independent of the quiz). In
    plain notes a paragraph's opening "term : definition" line heads only itself: its neighbours are sibling
    facts ("VPN goes over public internet" is not part of "VPC endpoint gateway : specifically for s3"); and a
    bullet that names a topic heads the lines under it up to the next blank line (:func:`_sub_headings`: "- AWS
    Shield" is not part of "Lake Formation", and the paragraphs after it are not part of "AWS Shield")."""
    doc = load_document(path, source)
    plain = not source.endswith(".md")
    headings = sorted(doc.headings if doc.headings is not None else infer_headings(doc.lines), key=lambda h: h.line)
    bullets = _sub_headings(doc.lines, headings) if plain and doc.headings is None else []
    headings = sorted(headings + bullets, key=lambda h: h.line)
    paths, stack, j = {}, [], 0
    for number in range(1, len(doc.lines) + 1):
        while j < len(headings) and headings[j].line <= number:
            stack = [h for h in stack if h.level < headings[j].level] + [headings[j]]
            j += 1
        if not doc.lines[number - 1].strip():  # a topic bullet heads its own paragraph only
            stack = [h for h in stack if h not in bullets]
        own = [h for h in stack if not (plain and h.line != number and re.match(
            r"^\s*[-*]?\s*[\w][^:=]{0,48}\s*(?::|=>|==+|\s-\s)\s*\S", doc.lines[h.line - 1])
            and not doc.lines[h.line - 1].lstrip().startswith("$")
            and not re.match(r"\s*(?:[-*•]|\d{1,2}[.)])\s*\S", (doc.lines[h.line:h.line + 1] or [""])[0]))]
        paths[number] = tuple(h.title for h in own)
    return paths


def _names(heading: str, q) -> bool:
    """The heading says the answer: holds it, spells its initials ("CodeBuild" for CB), or is it misspelt."""
    initials = "".join(w[0] for w in re.findall(r"[A-Z][a-z]*|[a-z]+|\d+", heading)).lower()
    answer = q.answer.lower()
    return answer in heading.lower() or gives_away_by_label(replace(q, topic=heading)) or \
        (q.answer.isupper() and answer in initials) or fuzz.ratio(answer, heading.lower()) >= 80


@needs_suite(CORPORA_DIR)
@pytest.mark.parametrize("corpus", list(CORPORA))
def test_every_cards_topic_is_a_heading_whose_section_holds_its_lines(corpus: str) -> None:
    """100% of the cards: the topic is a heading over every cited line; the file's title only above the first
    heading, or where every heading over the lines names the answer (the label would give it away)."""
    files, _ = scan_folder(CORPORA[corpus])
    paths = {f.source: _heading_paths(f.path, f.source) for f in files}
    wrong = []
    for q in corpus_questions(corpus):
        over = paths[q.source][q.start_line]
        title = q.source.rsplit("/", 1)[-1].rsplit(".", 1)[0].replace("-", " ").replace("_", " ")
        named = all(_names(h, q) for h in over) if q.kind in ("term", "cloze", "list") else False
        inside = q.topic in over and all(q.topic in paths[q.source][n] or q.kind == "list"
                                         for n in range(q.start_line, q.end_line + 1))
        if not inside and not (q.topic == title and (not over or named)):
            wrong.append((q.reference, q.topic, over))
    assert not wrong, wrong[:10]


def misfiled(corpus: str) -> tuple[list[tuple[str, str, str]], int]:
    """The cards whose topic is not the innermost heading whose section holds all their cited lines (one
    heading further up only where the ones below it name the answer; the file's title only where no heading
    is over the lines or every one names the answer), and the number of cards."""
    files, _ = scan_folder(CORPORA[corpus])
    paths = {f.source: _heading_paths(f.path, f.source) for f in files}
    wrong, cards = [], corpus_questions(corpus)
    for q in cards:
        title = q.source.rsplit("/", 1)[-1].rsplit(".", 1)[0].replace("-", " ").replace("_", " ")
        cited = [paths[q.source][n] for n in range(q.start_line, q.end_line + 1)] if q.kind != "list" else \
            [paths[q.source][q.start_line]]
        common = cited[0]
        for other in cited[1:]:
            k = 0
            while k < min(len(common), len(other)) and common[k] == other[k]:
                k += 1
            common = common[:k]
        named = [_names(h, q) for h in common]
        fits = [common[d] for d in range(len(common)) if d == len(common) - 1 or all(named[d + 1:])]
        if q.topic not in fits and not (q.topic == title and all(named)):
            wrong.append((q.reference, q.topic, common[-1] if common else title))
    return wrong, len(cards)


@needs_suite(CORPORA_DIR)
@pytest.mark.parametrize("corpus", list(CORPORA))
def test_every_cards_topic_is_the_innermost_heading_over_its_lines(corpus: str) -> None:
    """Issue 23, 100% on the four corpora: not an ancestor heading that happens to hold the lines ("Lake
    Formation" over the KMS, Shield and MFA cards of the shipped notes) but the innermost one."""
    wrong, cards = misfiled(corpus)
    assert not wrong, (f"{len(wrong)} of {cards}", wrong[:10])


def test_the_issue_23_examples_are_fixed() -> None:
    notes = corpus_questions("notes")
    nlb = [q for q in notes if q.kind == "term" and q.answer == "NLB"] + \
        [q for q in notes if "Network Load Balancer" in q.term]
    assert nlb and all(q.topic.lower() != "application load balancer" for q in nlb)
    vpn = [q for q in notes if q.term == "VPN goes over public internet"]
    assert vpn and all(q.topic != "VPC endpoint gateway" for q in vpn)
    dl = corpus_questions("deeplearning-ai-notes")
    assert not [q for q in dl if q.question == 'What is "Learning Word Embeddings"?']
    assert not [q for q in dl if "visite" in q.question]
    assert not [q for q in dl if q.kind == "term" and q.answer.lower() == "neural style transfer"
                and "neural style transfer" in q.topic.lower()]
    assert not [q for q in notes if q.term == "protect against DDoS attack"]


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


#: Two of the Markdown corpus's five chapters: 77 chunks, 80 cards over 26 headings (the whole corpus embeds for
#: a minute and more on 2 cores; every chapter's cards are checked without an index above).
EXPORTED_CHAPTERS = ("1- Neural Networks and Deep Learning", "3- Structuring Machine Learning Projects")


@pytest.mark.slow
@needs_suite(CORPORA["deeplearning-ai-notes"])
def test_quiz_export_from_a_real_index_is_every_card_of_its_notes(tmp_path: Path) -> None:
    """The real command on a real index of Markdown notes exports the cards that the notes' own chunks give,
    all of them, each quoting the lines it cites."""
    notes = tmp_path / "notes"
    for chapter in EXPORTED_CHAPTERS:
        shutil.copytree(CORPORA["deeplearning-ai-notes"] / chapter, notes / chapter)
    out = tmp_path / "dl.jsonl"
    result = CliRunner().invoke(main, ["quiz", "--notes", str(notes), "--data-dir", str(tmp_path / "data"),
                                       "--export", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    from_the_notes = generate_questions(list(folder_chunks(notes)))
    assert sorted(map(json.dumps, records)) == sorted(json.dumps(q.to_json()) for q in from_the_notes)
    assert len(records) >= 60 and len({r["heading"] for r in records}) >= 20
    _evidence_in_cited_lines(records, notes)


def test_typos_are_told_from_names_offline() -> None:
    from quiz.spelling import typos

    assert typos("kakfa") == [("kakfa", "kafka")]
    assert typos("CodeDeploly") == [("Deploly", "deploy")]  # checked hump by hump
    assert typos("sphisticated DDoS attacks") == [("sphisticated", "sophisticated")]
    for name in ("NACL", "ebs vol", "s3", "kinesis", "zookeeper", "Redshift", "CloudFront", "databrew"):
        assert typos(name) == [], name

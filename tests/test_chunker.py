"""Chunks carry exactly their source lines and the heading they sit under."""

from __future__ import annotations

from pathlib import Path

from ingest import Document, chunk_document, infer_headings, load_document
from settings import DEFAULT_NOTES_DIR

NOTES = DEFAULT_NOTES_DIR / "aws-study-notes.txt"


def _doc(text: str, source: str = "n.txt") -> Document:
    return Document(source=source, lines=text.split("\n"))


def test_every_chunk_is_exactly_its_source_lines() -> None:
    doc = load_document(NOTES, "aws-study-notes.txt")
    raw_lines = NOTES.read_text(encoding="utf-8").split("\n")
    chunks = chunk_document(doc)
    assert len(chunks) > 50
    for chunk in chunks:
        assert chunk.text == "\n".join(raw_lines[chunk.start_line - 1:chunk.end_line])
        assert len(chunk.text) <= 1500


def test_chunks_cover_every_non_blank_line_once() -> None:
    doc = load_document(NOTES, "aws-study-notes.txt")
    covered: list[int] = []
    for chunk in chunk_document(doc):
        covered.extend(range(chunk.start_line, chunk.end_line + 1))
    assert len(covered) == len(set(covered)), "chunks overlap"
    non_blank = {n for n, line in enumerate(doc.lines, 1) if line.strip()}
    assert non_blank <= set(covered)


def test_dollar_and_markdown_headings_become_the_heading_path() -> None:
    doc = load_document(NOTES, "aws-study-notes.txt")
    by_line = {c.start_line: c for c in chunk_document(doc)}
    assert by_line[506].heading == "CloudFormation"  # "$ CloudFormation : Infrastructure as Code"
    assert by_line[389].heading == "LightGBM"  # a short title line followed by bullets
    kafka = next(c for c in by_line.values() if c.start_line <= 886 <= c.end_line)
    assert kafka.heading.endswith("Apache Kafka on AWS")  # "## Apache Kafka on AWS"


def test_bullets_stay_with_their_heading() -> None:
    text = "Intro line\n\n$ S3 : object storage\n- max object 5 TB\n- multipart above 5 GB\n\n$ EBS\n- block storage"
    chunks = chunk_document(_doc(text))
    s3 = next(c for c in chunks if "S3" in c.heading)
    assert "- max object 5 TB" in s3.text and "- multipart above 5 GB" in s3.text
    assert "block storage" not in s3.text


def test_nested_markdown_headings_form_a_path() -> None:
    text = "# AWS\n\n## Storage\n\n### S3\n- buckets hold objects\n\n## Compute\n- EC2 instances"
    chunks = chunk_document(_doc(text, "aws.md"), min_chars=0)
    s3 = next(c for c in chunks if "buckets" in c.text)
    assert s3.heading == "AWS > Storage > S3"
    ec2 = next(c for c in chunks if "EC2" in c.text)
    assert ec2.heading == "AWS > Compute"


def test_long_section_is_split_under_the_cap_on_line_boundaries() -> None:
    bullets = "\n".join(f"- fact number {i} about the service, written out at some length" for i in range(60))
    chunks = chunk_document(_doc("$ Big topic\n" + bullets), max_chars=500)
    assert len(chunks) > 3
    assert all(len(c.text) <= 500 and c.heading == "Big topic" for c in chunks)
    assert [c.start_line for c in chunks] == sorted(c.start_line for c in chunks)


def test_lead_term_lines_are_headings() -> None:
    headings = infer_headings(["", "Data Mesh : data management paradigm", "", "parquet : columnar storage"])
    assert [(h.line, h.title) for h in headings] == [(2, "Data Mesh"), (4, "parquet")]


def test_chunk_id_follows_content_not_position(tmp_path: Path) -> None:
    first = chunk_document(_doc("$ S3\n- objects up to 5 TB"))[0]
    moved = chunk_document(_doc("\n\n\n$ S3\n- objects up to 5 TB"))[0]
    assert first.id == moved.id and first.start_line != moved.start_line


def test_setext_headings_of_plain_notes_are_read() -> None:
    lines = ["KINETICS", "========", "", "RATE LAWS", "---------", "- rate = k[A]^m", "", "-----", "after a rule"]
    assert [(h.line, h.level, h.title) for h in infer_headings(lines)] == [(1, 1, "KINETICS"), (4, 2, "RATE LAWS")]

"""Every supported format loads with headings and citable locations in the unit the format has."""

from __future__ import annotations

from pathlib import Path

import pytest
from samples import eml_bytes, pdf_bytes, write_docx

from indexing import sync_index
from ingest import chunk_document, load_document, supported_suffixes
from settings import Settings
from workspace import open_workspace


def _load(path: Path):
    document = load_document(path, path.name)
    return document, chunk_document(document, max_chars=900, min_chars=0)


def test_every_issue_format_has_a_loader() -> None:
    wanted = {".txt", ".md", ".pdf", ".docx", ".html", ".htm", ".eml", ".json", ".xml", ".csv", ".rst"}
    assert wanted <= set(supported_suffixes())


def test_pdf_is_cited_by_page_and_line(tmp_path: Path) -> None:
    path = tmp_path / "aws.pdf"
    path.write_bytes(pdf_bytes([["S3 basics", "Buckets hold objects."], ["Kafka", "Topics have partitions (ordered)."]]))
    document, chunks = _load(path)
    assert document.lines[:2] == ["S3 basics", "Buckets hold objects."]
    line = document.lines.index("Topics have partitions (ordered).") + 1
    assert document.location(line, line) == "p2:2"
    assert any("p2:2" in c.location and "partitions" in c.text for c in chunks)


def test_word_paragraphs_headings_and_tables(tmp_path: Path) -> None:
    path = write_docx(tmp_path / "net.docx", [
        ("Heading 1", "Networking"), ("", "A VPC is a private network in one region."),
        ("", ""), ("Heading 2", "Subnets"), ("", "A subnet lives in exactly one availability zone.")],
        table=[["Service", "Scope"], ["VPC", "region"]])
    document, chunks = _load(path)
    assert [(h.level, h.title) for h in document.headings or []] == [(1, "Networking"), (2, "Subnets")]
    subnet = next(c for c in chunks if "exactly one availability zone" in c.text)
    assert subnet.heading == "Networking > Subnets"
    assert subnet.location.startswith("¶3")  # the heading opens the passage
    line = document.lines.index("A subnet lives in exactly one availability zone.") + 1
    assert document.location(line, line) == "¶4"  # the empty paragraph is not counted
    row = document.lines.index("VPC | region") + 1
    assert document.location(row, row) == "table 1 row 2"


def test_html_text_headings_and_source_lines(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text("<html><head><title>T</title><script>var x = 1;</script></head>\n<body>\n"
                    "<h1>DynamoDB</h1>\n<p>Items are at most\n<b>400 KB</b>.</p>\n<h2>Indexes</h2>\n"
                    "<ul><li>GSI: any attributes</li>\n<li>LSI: same partition key</li></ul>\n</body></html>\n")
    document, chunks = _load(path)
    assert "Items are at most 400 KB ." in document.lines
    assert "- LSI: same partition key" in document.lines
    assert not any("var x" in line for line in document.lines)
    lsi = next(c for c in chunks if "LSI" in c.text)
    assert lsi.heading == "DynamoDB > Indexes"
    items = document.lines.index("Items are at most 400 KB .") + 1
    assert document.location(items, items) == "4"  # the HTML source line the paragraph starts on


def test_email_headers_and_body(tmp_path: Path) -> None:
    path = tmp_path / "recap.eml"
    path.write_bytes(eml_bytes("Kinesis recap", "Shards take 1 MB/s in.\nRetention is 24 hours.", attachment="s.pdf"))
    document, chunks = _load(path)
    assert document.lines[0] == "Subject: Kinesis recap"
    assert "From: Ada <ada@example.org>" in document.lines
    body = document.lines.index("Retention is 24 hours.") + 1
    assert document.location(body, body) == "body:2"
    assert "Attachments: s.pdf" in document.lines
    assert all(c.heading == "Kinesis recap" for c in chunks)


def test_html_only_email_is_read_as_text(tmp_path: Path) -> None:
    path = tmp_path / "html.eml"
    html = "<html><body><h2>SQS</h2><p>Visibility timeout hides a message.</p></body></html>"
    path.write_bytes(eml_bytes("Queues", "", html=html).replace(b"Content-Type: text/plain", b"Content-Type: text/x-none"))
    document, _ = _load(path)
    assert "Visibility timeout hides a message." in document.lines


def test_json_records_keep_their_file_lines(tmp_path: Path) -> None:
    path = tmp_path / "cards.json"
    path.write_text('{\n  "title": "Flashcards",\n  "cards": [\n    {"q": "What is SQS?",\n     "a": "A queue"},\n'
                    '    {"q": "FIFO throughput?", "a": 300}\n  ]\n}\n')
    document, chunks = _load(path)
    line = document.lines.index("cards[0].a: A queue") + 1
    assert document.location(line, line) == "5"
    assert "cards[1].a: 300" in document.lines
    assert {c.heading for c in chunks} == {"title", "cards"}


def test_malformed_json_lines_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "log.jsonl"
    path.write_text('{"a": 1}\n{"a": \n')
    with pytest.raises(Exception, match="malformed JSON Lines at line 2"):
        load_document(path, path.name)


def test_csv_rows_become_records_with_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "terms.csv"
    path.write_text('term,definition\nS3,"Object storage,\nspans two lines"\nEC2,Virtual machines\n')
    document, _ = _load(path)
    assert document.lines == ["term: S3; definition: Object storage,", "spans two lines",
                              "term: EC2; definition: Virtual machines"]
    assert document.locations == ["2", "2", "4"]


def test_xml_elements_become_records_under_sections(tmp_path: Path) -> None:
    path = tmp_path / "books.xml"
    path.write_text('<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n<library>\n'
                    ' <book id="b1">\n  <title>AWS in Action</title>\n  <note>Use <b>IAM</b> roles &e;</note>\n'
                    ' </book>\n</library>\n')
    document, chunks = _load(path)
    assert "book/note: Use IAM roles &e;" in document.lines  # the external entity is never resolved
    assert not any("root:" in line for line in document.lines)
    note = document.lines.index("book/note: Use IAM roles &e;") + 1
    assert document.location(note, note) == "6"
    assert chunks[0].heading == "book AWS in Action"


def test_rst_underlined_titles_are_headings(tmp_path: Path) -> None:
    path = tmp_path / "guide.rst"
    path.write_text("=====\nGuide\n=====\n\nIntro.\n\nStorage\n-------\n\nS3 and EBS.\n\nGlacier\n~~~~~~~\n\nArchive.\n")
    document, chunks = _load(path)
    assert [(h.line, h.level, h.title) for h in document.headings or []] == [
        (1, 1, "Guide"), (7, 2, "Storage"), (12, 3, "Glacier")]
    assert next(c for c in chunks if "Archive." in c.text).heading == "Guide > Storage > Glacier"


def test_a_mixed_folder_is_searchable_with_format_locations(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "exam.pdf").write_bytes(pdf_bytes([["Intro"], ["Glacier Deep Archive restores within 12 hours."]]))
    write_docx(notes / "iam.docx", [("Heading 1", "IAM"), ("", "Attach policies to roles, not to users.")])
    (notes / "terms.csv").write_text("term,definition\nRedshift,columnar data warehouse for analytics\n")
    ws = open_workspace(Settings(notes_dir=notes, data_dir=tmp_path / "data"))
    try:
        report = sync_index(ws.index, ws.embedder)
        assert report.count("new") == 3
        expected = {"How long does a Glacier Deep Archive restore take?": ("exam.pdf:p1:1", "p2:1"),
                    "Should IAM policies be attached to users?": ("iam.docx:¶1", "¶2"),
                    "Which service is a columnar data warehouse?": ("terms.csv:2", "2")}
        for question, (first, last) in expected.items():
            reference = ws.retriever.search(question, 1).hits[0].chunk.reference  # the passage may span pages
            assert reference.startswith(first) and reference.endswith(last), reference
    finally:
        ws.close()

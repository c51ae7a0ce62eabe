"""Bad input: every file below gets a specific one-line message, and the rest of the folder still ingests.

The table here is the one in docs/notes-folders.md ("Bad input", linked from the README); a test checks the
two agree.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from samples import bomb_docx, encrypted_pdf_bytes, pdf_bomb_bytes, pdf_bytes, write_docx

from cli import main
from indexing import FileStatus, sync_index
from ingest import chunk_document, load_document
from ingest.notes_view import OutsideNotesError, read_lines
from settings import PROJECT_ROOT, Settings
from workspace import Workspace, open_workspace

MB = 1_000_000
FRENCH = ("Résumé du cours : la réplication multi-région protège les données. Les clés étrangères "
          "garantissent l'intégrité référentielle ; la dénormalisation accélère les lectures. ") * 4


@dataclass(frozen=True)
class BadInput:
    name: str  # the file (or link) as it appears in the notes folder
    what: str  # the row's label in the README table
    make: Callable[[Path, Path], None]  # (path, a folder outside the notes folder)
    message: str  # the start of the message the ingest report gives
    status: str = "failed"  # or "indexed": ingested, with the message as a note


def _write(data: bytes) -> Callable[[Path, Path], None]:
    return lambda path, _outside: path.write_bytes(data)


def _sparse(size: int) -> Callable[[Path, Path], None]:
    def make(path: Path, _outside: Path) -> None:
        with path.open("wb") as handle:
            handle.truncate(size)  # sparse: instant, no disk used

    return make


def _unreadable(path: Path, _outside: Path) -> None:
    path.write_text("# Secret\nnot for indexing\n")
    path.chmod(0)


def _fifo(path: Path, _outside: Path) -> None:
    os.mkfifo(path)


def _link(target: str) -> Callable[[Path, Path], None]:
    return lambda path, _outside: path.symlink_to(target)


def _link_out(path: Path, outside: Path) -> None:
    secret = outside / "private.txt"
    secret.write_text("a file that is not part of the notes\n")
    path.symlink_to(secret)


BAD_INPUTS = [
    BadInput("empty.txt", "empty file (0 bytes)", _write(b""), "empty file: nothing to index"),
    BadInput("blank.md", "only whitespace", _write(b" \n\n\t\n"), "empty file: only whitespace"),
    BadInput("photo.txt", "binary file with a text suffix (a PNG)",
             _write(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4),
             "binary content in a text file (NUL bytes); is the suffix wrong?"),
    BadInput("latin1.txt", "non-UTF-8 text (Windows-1252)", _write(FRENCH.encode("cp1252")),
             "decoded as cp1252 (not UTF-8)", status="indexed"),
    BadInput("utf16.md", "UTF-16 text (Windows Notepad)", _write(("# Notes\n" + FRENCH).encode("utf-16")),
             "decoded as utf-16 (not UTF-8)", status="indexed"),
    BadInput("huge.txt", "a 50 MB file", _sparse(50 * MB),
             "file is 50.0 MB, over the 20 MB limit (raise NOTEWISE_MAX_FILE_BYTES or split the file)"),
    BadInput("one-line.txt", "a single 1 MB line", _write(b"x" * MB),
             "a single line of 1,000,000 characters is over the 20,000 limit (is it minified or a data dump?)"),
    BadInput("corrupt.pdf", "corrupt PDF (truncated)", _write(pdf_bytes([["Kafka partitions"]])[:300]),
             "corrupt PDF, cannot be read"),
    BadInput("renamed.pdf", "text file named .pdf", _write(b"just some text\n"),
             "not a PDF: no %PDF- header (is the suffix wrong?)"),
    BadInput("locked.pdf", "password-protected PDF", _write(encrypted_pdf_bytes([["exam answers"]])),
             "password-protected PDF: save an unprotected copy to index it"),
    BadInput("scanned.pdf", "PDF without a text layer (scan)", _write(pdf_bytes([[]])),
             "PDF has no extractable text (scanned pages? run OCR on it first)"),
    BadInput("broken.docx", "corrupt Word file", _write(b"PK\x03\x04 not really a zip"),
             "not a valid Word .docx file (BadZipFile); re-save it from Word (old .doc files are not supported)"),
    BadInput("bomb.docx", "a 160 KB .docx that unpacks to 34 MB (a zip bomb)",
             lambda path, _outside: bomb_docx(path, 250_000, "x" * 100),
             "the .docx unpacks to 34.1 MB, over the 30 MB limit (a decompression bomb? raise "
             "NOTEWISE_MAX_UNPACKED_BYTES)"),
    BadInput("bomb.pdf", "a 70 KB PDF whose page unpacks to 35 MB", _write(pdf_bomb_bytes(35_000_000)),
             "page contents unpack to over 30 MB by page 1 (a decompression bomb? raise NOTEWISE_MAX_UNPACKED_BYTES)"),
    BadInput("pipe.md", "a FIFO (named pipe)", _fifo, "not a regular file (FIFO): skipped without opening it"),
    BadInput("bad.json", "malformed JSON", _write(b'{"s3": "objects",\n  "ec2": }\n'),
             "malformed JSON at line 2, column 10: Expecting value"),
    BadInput("bad.xml", "malformed XML", _write(b"<notes>\n  <s3>objects</s4>\n</notes>\n"),
             "malformed XML at line 2: Opening and ending tag mismatch"),
    BadInput("header-only.csv", "CSV with a header and no rows", _write(b"term,definition\n"),
             "CSV has a header row but no records"),
    BadInput("script.html", "web page with no visible text", _write(b"<html><script>alert(1)</script></html>"),
             "empty web page (no visible text): nothing to index"),
    BadInput("not-mail.eml", "file named .eml that is not an e-mail", _write(b"hello there\n"),
             "not an e-mail: no From/To/Subject/Date header (is the suffix wrong?)"),
    BadInput("unreadable.md", "unreadable file (chmod 000)", _unreadable,
             "permission denied: the file is not readable (mode 000; fix with `chmod u+r`)"),
    BadInput("loop", "symbolic link loop (folder links to its parent)", _link("."),
             "symbolic link loop: this folder was already visited"),
    BadInput("self.txt", "symbolic link to itself", _link("self.txt"),
             "symbolic link loop: the link leads back to itself"),
    BadInput("dangling.md", "broken symbolic link", _link("gone.md"),
             "broken symbolic link: its target does not exist"),
    BadInput("escape.txt", "symbolic link out of the notes folder", _link_out,
             "symbolic link to "),
]

GOOD_NOTES = {
    "good.md": "# Kafka\n\nKafka topics are split into partitions; each partition is an ordered log.\n",
    "sub/more.txt": "$ S3\n- Amazon S3 stores objects in buckets.\n- Versioning keeps every version of an object.\n",
}


@dataclass
class JunkFolder:
    notes: Path
    ws: Workspace
    statuses: dict[str, FileStatus]
    cli_output: str


@pytest.fixture(scope="module")
def junk(tmp_path_factory: pytest.TempPathFactory) -> JunkFolder:
    """One folder holding every bad input and a few good notes, ingested once (by the CLI, then read back)."""
    root = tmp_path_factory.mktemp("junk")
    notes, outside = root / "notes", root / "outside"
    (notes / "sub").mkdir(parents=True)
    outside.mkdir()
    for name, text in GOOD_NOTES.items():
        (notes / name).write_text(text)
    (notes / "good.pdf").write_bytes(pdf_bytes([["Glacier", "Archive storage, retrieval in hours."]]))
    write_docx(notes / "good.docx", [("Heading 1", "IAM"), ("", "Prefer roles to long-lived access keys.")])
    for bad in BAD_INPUTS:
        bad.make(notes / bad.name, outside)
    settings = Settings(notes_dir=notes, data_dir=root / "data")
    result = CliRunner().invoke(main, ["ingest", str(notes), "--data-dir", str(root / "data")])
    assert result.exit_code == 0, result.output
    ws = open_workspace(settings)
    report = sync_index(ws.index, ws.embedder)  # a second sync: unchanged files stay, bad ones are reported again
    yield JunkFolder(notes, ws, {f.source: f for f in report.files}, result.output)
    ws.close()
    (notes / "unreadable.md").chmod(0o644)


def test_table_has_at_least_twelve_bad_inputs() -> None:
    assert len([b for b in BAD_INPUTS if b.status == "failed"]) >= 12


@pytest.mark.parametrize("bad", BAD_INPUTS, ids=[b.name for b in BAD_INPUTS])
def test_bad_input_gets_its_message(junk: JunkFolder, bad: BadInput) -> None:
    status = junk.statuses[bad.name]
    assert status.status == "failed" if bad.status == "failed" else status.status in ("new", "unchanged")
    assert status.message.startswith(bad.message), status.message
    assert "\n" not in status.message and "Traceback" not in status.message


@pytest.mark.parametrize("bad", [b for b in BAD_INPUTS if b.status == "failed"], ids=lambda b: b.name)
def test_cli_summary_names_the_file_and_why(junk: JunkFolder, bad: BadInput) -> None:
    assert f"failed    {bad.name}: {bad.message}" in junk.cli_output


def test_the_rest_of_the_folder_is_indexed_whole(junk: JunkFolder) -> None:
    catalog = junk.ws.index.catalog
    for source in [*GOOD_NOTES, "good.pdf", "good.docx", "latin1.txt", "utf16.md"]:
        expected = chunk_document(load_document(junk.notes / source, source))
        assert [c.text for c in catalog.chunks_of(source)] == [c.text for c in expected]
        assert junk.statuses[source].status in ("new", "unchanged")
    assert not {b.name for b in BAD_INPUTS if b.status == "failed"} & set(catalog.files())
    hits = junk.ws.retriever.search("Which storage class is for archives?", 3).hits
    assert hits[0].chunk.source == "good.pdf" and hits[0].chunk.location == "p1:1-p1:2"


def test_non_utf8_text_is_searchable_with_its_accents(junk: JunkFolder) -> None:
    texts = [c.text for c in junk.ws.index.catalog.chunks_of("latin1.txt")]
    assert "réplication multi-région protège" in texts[0]


# ---- citation lookups ---------------------------------------------------------------------------------

CITATION_LOOKUPS = [
    ("../outside/private.txt", "refused: '../outside/private.txt' leads outside the notes folder ('..')"),
    ("/etc/passwd", "refused: '/etc/passwd' is an absolute path; citations name files inside the notes folder"),
    ("escape.txt", "refused: 'escape.txt': symbolic link to "),
    ("sub/../../outside/private.txt", "refused: 'sub/../../outside/private.txt' leads outside the notes folder"),
]


@pytest.mark.parametrize(("source", "message"), CITATION_LOOKUPS, ids=[s for s, _ in CITATION_LOOKUPS])
def test_citation_lookup_outside_the_notes_folder_is_refused(junk: JunkFolder, source: str, message: str) -> None:
    with pytest.raises(OutsideNotesError) as refused:
        read_lines(junk.notes, source, 1, 1)
    assert str(refused.value).startswith(message)


def test_citation_lookup_shows_cited_lines_in_context(junk: JunkFolder) -> None:
    view = read_lines(junk.notes, "sub/more.txt", 2, 2, context=1)
    assert [(v.number, v.cited, v.text) for v in view] == [
        (1, False, "$ S3"), (2, True, "- Amazon S3 stores objects in buckets."),
        (3, False, "- Versioning keeps every version of an object.")]
    pdf = read_lines(junk.notes, "good.pdf", 2, 2, context=0)
    assert [(v.location, v.text) for v in pdf] == [("p1:2", "Archive storage, retrieval in hours.")]


def test_cli_show_refuses_a_path_outside(junk: JunkFolder) -> None:
    result = CliRunner().invoke(main, ["show", "../outside/private.txt", "1", "--notes", str(junk.notes),
                                       "--data-dir", str(junk.ws.settings.data_dir)])
    assert result.exit_code == 1
    assert "refused" in result.output and "not part of the notes" not in result.output


# ---- the documentation keeps the same table -------------------------------------------------------------

def test_the_docs_list_every_bad_input_with_its_message() -> None:
    readme = (PROJECT_ROOT / "docs" / "notes-folders.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Bad input"):]
    rows = re.findall(r"^\|(.+)\|(.+)\|$", section, flags=re.MULTILINE)
    table = {what.strip(): message.strip().strip("`") for what, message in rows}
    for bad in BAD_INPUTS:
        assert bad.message.rstrip() in table.get(bad.what, ""), bad.what
    for source, message in CITATION_LOOKUPS[:2]:
        assert any(message.split(":", 1)[1].strip()[:20] in m for m in table.values()), source


def test_running_as_root_still_honours_chmod_000(tmp_path: Path) -> None:
    note = tmp_path / "private.md"
    note.write_text("text")
    note.chmod(0)
    with pytest.raises(Exception, match="permission denied"):
        load_document(note, "private.md")

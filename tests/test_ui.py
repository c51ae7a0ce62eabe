"""The app's view models: escaping, highlighting, cited context, uploads, index messages."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from indexing import FileStatus, SyncReport
from ingest.limits import Limits
from ui.chat import history_of, one_line
from ui.context import ContextError, cited_context
from ui.indexing import progress_fraction, sync_outcome
from ui.text import escape_block, escape_markdown, highlight_block, highlight_spans, query_terms
from ui.uploads import UploadError, safe_filename, save_upload

MD = MarkdownIt("commonmark")
TRICKY = [
    "<script>window.pwned=1</script>",
    '<img src=x onerror="window.pwned=1">',
    "**bold** _it_ `code` [link](javascript:alert(1)) ![img](x.png)",
    "# not a heading",
    "- not a list",
    "1. not a list either",
    "> not a quote",
    "a | b | c",
    ":red[not red] :smile: $x^2$ ~~strike~~",
    "back\\slash \\* star",
    "&amp; stays &lt;literal&gt;",
    "    indented, not code",
    "<!-- not a comment -->",
    "http://example.com/<b>x</b>",
]
SUFFIXES = [".md", ".txt"]


def rendered(markdown: str) -> tuple[str, set[str]]:
    """(visible text, tag names) of CommonMark-rendered markdown."""
    out = MD.render(markdown)
    tags = set(re.findall(r"<([a-z0-9]+)", out))
    text = html.unescape(re.sub(r"<[^>]+>", "", out)).replace("\xa0", " ").strip("\n")
    return text, tags


@pytest.mark.parametrize("text", TRICKY)
def test_escaped_note_text_renders_to_itself_with_no_markup(text: str) -> None:
    shown, tags = rendered(escape_markdown(text))
    assert shown == text
    assert tags == {"p"}


def test_escaped_block_keeps_each_line() -> None:
    text = "first <b>\n\n  - second\nthird **x**"
    shown, tags = rendered(escape_block(text))
    assert [line.rstrip() for line in shown.split("\n")] == ["first <b>", "", "  - second", "third **x**"]
    assert tags <= {"p", "br"}


def test_highlight_marks_query_words_from_their_start_and_keeps_the_text() -> None:
    text = "S3 buckets: s3://my-bucket, unbucketed, <bucket>"
    spans = highlight_spans(text, query_terms("What is an S3 bucket?"))
    assert "".join(piece for piece, _ in spans) == text
    assert [piece for piece, hit in spans if hit] == ["S3", "buckets", "s3", "bucket", "bucket"]
    out = MD.render(highlight_block(text, query_terms("What is an S3 bucket?")))
    assert re.findall(r"<strong>(.*?)</strong>", out) == ["S3", "buckets", "s3", "bucket", "bucket"]
    assert "&lt;" in out and "<bucket>" not in out


def test_query_terms_drop_stop_words() -> None:
    assert query_terms("What is the default eta of XGBoost?") == ["default", "xgboost", "eta"]


def test_cited_context_numbers_lines_marks_the_span_and_flags_a_changed_note(notes_dir: Path) -> None:
    (notes_dir / "n.txt").write_text("\n".join(f"line {i}" for i in range(1, 21)) + "\n")
    ctx = cited_context(notes_dir, "n.txt", 10, 11, quote="line 10\nline 11")
    assert [(line.number, line.cited) for line in ctx.lines] == [(n, n in (10, 11)) for n in range(7, 15)]
    assert ctx.reference == "n.txt:10-11" and ctx.cited_text == "line 10\nline 11" and not ctx.stale
    assert "`10` :orange-background[line 10]" in ctx.markdown()
    assert cited_context(notes_dir, "n.txt", 10, 11, quote="something else").stale


def test_cited_context_reads_a_note_under_the_limits_the_index_used(tmp_path: Path) -> None:
    """A note that only a raised line limit lets in shows its cited lines; under the defaults it is refused."""
    (tmp_path / "long.txt").write_text("short line\n" + "x" * 30_000 + "\nlast line\n", encoding="utf-8")
    raised = Limits(max_line_chars=50_000)
    assert [line.text for line in cited_context(tmp_path, "long.txt", 3, 3, context=0, limits=raised).lines] == \
        ["last line"]
    with pytest.raises(ContextError):
        cited_context(tmp_path, "long.txt", 3, 3, context=0)


@pytest.mark.parametrize("source", ["../secret.txt", "/etc/passwd", "missing.txt"])
def test_cited_context_refuses_paths_outside_the_notes_or_gone(notes_dir: Path, source: str) -> None:
    with pytest.raises(ContextError):
        cited_context(notes_dir, source, 1, 1)


def test_upload_never_overwrites_and_skips_an_identical_copy(tmp_path: Path) -> None:
    folder = tmp_path / "uploads"
    first = save_upload(folder, "kms.md", b"one", SUFFIXES, 1000)
    second = save_upload(folder, "kms.md", b"two", SUFFIXES, 1000)
    third = save_upload(folder, "kms.md", b"three", SUFFIXES, 1000)
    again = save_upload(folder, "kms.md", b"two", SUFFIXES, 1000)
    assert [p.path.name for p in (first, second, third)] == ["kms.md", "kms-1.md", "kms-2.md"]
    assert (folder / "kms.md").read_bytes() == b"one" and (folder / "kms-1.md").read_bytes() == b"two"
    assert again.path.name == "kms-1.md" and not again.created and "already" in again.message


def test_upload_name_cannot_leave_the_folder(tmp_path: Path) -> None:
    saved = save_upload(tmp_path / "up", "../../etc/evil.txt", b"x", SUFFIXES, 1000)
    assert saved.path == tmp_path / "up" / "evil.txt"
    assert safe_filename("C:\\Users\\me\\notes.md") == "notes.md"


@pytest.mark.parametrize(("name", "data", "message"), [
    ("tool.exe", b"x", "not supported"), ("big.txt", b"x" * 2000, "limit"), ("..", b"x", "not a usable")])
def test_bad_uploads_get_a_one_line_reason(tmp_path: Path, name: str, data: bytes, message: str) -> None:
    with pytest.raises(UploadError, match=message):
        save_upload(tmp_path, name, data, SUFFIXES, 1000)
    assert not any(tmp_path.iterdir())


def test_progress_moves_forward_through_the_stages() -> None:
    steps = [progress_fraction("scan", n, 4)[0] for n in range(1, 5)]
    steps += [progress_fraction("embed", n, 10)[0] for n in range(1, 11)]
    assert steps == sorted(steps) and steps[-1] == 1.0 and steps[0] > 0
    assert progress_fraction("embed", 3, 10)[1] == "Embedding passages: 3 of 10"
    assert progress_fraction("scan", 4, 4)[1] == "Read 4 notes; embedding what is new or changed…"
    assert progress_fraction("scan", 1, 1)[1] == "Read 1 note; embedding what is new or changed…"


def test_sync_outcome_guides_an_empty_folder_and_names_skipped_files() -> None:
    empty = sync_outcome(SyncReport(), empty=True, notes_dir="/n")
    assert empty.level == "warning" and "Add .txt or .md" in empty.text and "Re-index" in empty.text
    report = SyncReport(files=[FileStatus("a.md", "new", 3), FileStatus("b.pdf", "failed", message="encrypted")])
    skipped = sync_outcome(report, empty=False, notes_dir="/n")
    assert skipped.level == "warning" and skipped.text.endswith("b.pdf: encrypted.")
    asking = SyncReport(files=[FileStatus("x.pdf", "failed", message="not a PDF (is the suffix wrong?)")])
    assert sync_outcome(asking, empty=False, notes_dir="/n").text.endswith("(is the suffix wrong?)")  # no "?)."


def test_history_and_error_lines() -> None:
    turns = [{"role": "user", "content": "q"}, {"role": "assistant", "content": "a", "answer": object()}]
    assert history_of(turns) == [{"role": "user", "content": "q"}, {"role": "assistant", "content": "a"}]
    assert one_line(ValueError("first\nsecond")) == "first" and one_line(KeyError()) == "KeyError"


def test_sync_progress_counts_files_and_passages_and_estimates_the_time_left() -> None:
    from ui.indexing import SyncProgress

    counts = SyncProgress(started=100.0)
    counts.update("scan", 3, 7, now=101.0)
    assert counts.text(101.0) == "Files read: 3 of 7" and 0 < counts.fraction() < 0.1
    counts.update("scan", 7, 7, now=110.0)  # reading done at 110 s: embedding starts
    assert "time left shows after the first batch" in counts.text(110.0)
    counts.update("embed", 256, 1024, now=140.0)  # 256 passages in 30 s: 768 more take 90 s
    assert counts.seconds_left(140.0) == 90.0
    assert counts.text(140.0) == ("Files read: 7 of 7 · passages embedded: 256 of 1024 · about 2 min left")
    assert counts.fraction() == 0.1 + 0.9 * 0.25
    counts.update("embed", 1000, 1024, now=225.0)
    assert counts.text(225.0).endswith("about 3 s left")

"""Plain text and markdown: the file's own lines, decoded safely."""

from __future__ import annotations

from pathlib import Path

from charset_normalizer import from_bytes

from ingest.loaders import register
from ingest.model import Document, IngestError

#: Limits that keep one bad file from stalling an ingest; settings may lower or raise them.
LIMITS = {"max_file_bytes": 20_000_000, "max_line_chars": 20_000}


def read_bytes(path: Path) -> bytes:
    """The file's bytes, after the checks every format shares (readable, not too big)."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise IngestError(f"cannot read the file ({exc.strerror})") from exc
    if size > LIMITS["max_file_bytes"]:
        raise IngestError(f"file is {size / 1e6:.1f} MB, over the {LIMITS['max_file_bytes'] / 1e6:.0f} MB limit "
                          "(raise NOTEWISE_MAX_FILE_BYTES or split the file)")
    try:
        return path.read_bytes()
    except PermissionError as exc:
        raise IngestError("permission denied: the file is not readable (check its permissions)") from exc
    except OSError as exc:
        raise IngestError(f"cannot read the file ({exc.strerror})") from exc


def decode_text(data: bytes) -> tuple[str, str | None]:
    """Decode text, detecting the encoding when it is not UTF-8. Returns (text, warning)."""
    if b"\x00" in data[:8192]:
        raise IngestError("binary content in a text file (NUL bytes); is the suffix wrong?")
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        pass
    best = from_bytes(data).best()
    if best is None:
        raise IngestError("not text: no character encoding fits its bytes")
    return str(best), f"decoded as {best.encoding} (not UTF-8)"


def split_lines(text: str) -> list[str]:
    """Lines exactly as a citation counts them: split on '\\n', a trailing '\\r' dropped."""
    lines = text.split("\n")
    return [line[:-1] if line.endswith("\r") else line for line in lines]


def read_lines(path: Path) -> tuple[list[str], list[str]]:
    text, warning = decode_text(read_bytes(path))
    if not text.strip():
        raise IngestError("empty file: nothing to index")
    lines = split_lines(text)
    longest = max(len(line) for line in lines)
    if longest > LIMITS["max_line_chars"]:
        raise IngestError(f"a single line of {longest:,} characters is over the {LIMITS['max_line_chars']:,} "
                          "limit (is it minified or a data dump?)")
    return lines, [warning] if warning else []


@register(".txt", ".text", ".md", ".markdown", ".rst", ".org")
def load_plain(path: Path, source: str) -> Document:
    lines, warnings = read_lines(path)
    kind = "markdown" if path.suffix.lower() in {".md", ".markdown"} else "text"
    return Document(source=source, lines=lines, kind=kind, warnings=warnings)

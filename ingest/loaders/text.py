"""Plain text and markdown: the file's own lines, decoded safely."""

from __future__ import annotations

import codecs
import os
import re
import stat as stat_mode
from pathlib import Path

from charset_normalizer import CharsetMatch, from_bytes

from ingest.limits import Limits, current_limits
from ingest.loaders.registry import register
from ingest.markdown import markdown_structure
from ingest.model import Document, Heading, IngestError
from ingest.vault import EmptyNote, is_vault, note_name, notes_root, read_note


def millions(n: int) -> str:
    return f"{n / 1e6:.1f} M" if n % 1_000_000 else f"{n // 1_000_000} M"


def text_over_limit(chars: int, lines: int, expanded: bool, final: bool = True) -> str | None:
    """Why a file's text is too big after extraction (characters or lines over their limit), or None.

    ``expanded``: the text came out of a format that can expand past its file size (not plain text);
    ``final``: the whole text was read (else reading stopped as soon as a limit was passed)."""
    why = " (a compressed or markup file that expands" if expanded else " (split the file"
    limits = current_limits()
    if chars > limits.max_text_chars:
        size = f"{millions(chars)} characters" if final else f"over {millions(limits.max_text_chars)} characters"
        return (f"text is {size} after extraction, over the {millions(limits.max_text_chars)} limit{why}; "
                "raise NOTEWISE_MAX_TEXT_CHARS)")
    if lines > limits.max_lines:
        size = f"{lines:,} lines" if final else f"over {limits.max_lines:,} lines"
        return (f"text is {size} after extraction, over the {limits.max_lines:,} limit{why}; "
                "raise NOTEWISE_MAX_LINES)")
    return None


_KINDS = ((stat_mode.S_ISFIFO, "FIFO"), (stat_mode.S_ISCHR, "character device"), (stat_mode.S_ISBLK, "block device"),
          (stat_mode.S_ISSOCK, "socket"), (stat_mode.S_ISDIR, "folder"))


def not_regular(mode: int) -> str | None:
    """Why a file of this mode is never opened (a FIFO or a device blocks or never ends), or None."""
    if stat_mode.S_ISREG(mode):
        return None
    kind = next((name for test, name in _KINDS if test(mode)), "special file")
    return f"not a regular file ({kind}): skipped without opening it"


def open_regular(path: Path) -> int:
    """A read-only descriptor of ``path``, opened without blocking (a FIFO put there since the scan would
    otherwise wait for a writer forever) and checked to be a regular file before a byte is read."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except PermissionError as exc:
        raise IngestError("permission denied: the file is not readable (check its permissions)") from exc
    except OSError as exc:
        raise IngestError(f"cannot read the file ({exc.strerror})") from exc
    reason = not_regular(os.fstat(fd).st_mode)
    if reason:
        os.close(fd)
        raise IngestError(reason)
    return fd


def check_file(path: Path, stat: os.stat_result | None = None, limits: Limits | None = None) -> os.stat_result:
    """The checks every format shares before a byte is read: a regular file, readable by its permissions,
    not over ``limits.max_file_bytes`` (None: the limits in force).

    Permissions are judged from the mode bits as well as ``os.access``: a process running as root may read
    a ``chmod 000`` file, but its owner has said it should not be read, so it is skipped all the same."""
    try:
        stat = stat or path.stat()
    except OSError as exc:
        raise IngestError(f"cannot read the file ({exc.strerror})") from exc
    reason = not_regular(stat.st_mode)
    if reason:
        raise IngestError(reason)
    if not stat.st_mode & 0o444 or not os.access(path, os.R_OK):
        raise IngestError(f"permission denied: the file is not readable (mode {stat.st_mode & 0o777:03o}; "
                          "fix with `chmod u+r`)")
    max_bytes = (limits or current_limits()).max_file_bytes
    if stat.st_size > max_bytes:
        raise IngestError(f"file is {stat.st_size / 1e6:.1f} MB, over the {max_bytes / 1e6:g} MB "
                          "limit (raise NOTEWISE_MAX_FILE_BYTES or split the file)")
    return stat


def read_bytes(path: Path) -> bytes:
    """The file's bytes, after :func:`check_file`."""
    check_file(path)
    try:
        with os.fdopen(open_regular(path), "rb") as handle:
            return handle.read()
    except PermissionError as exc:
        raise IngestError("permission denied: the file is not readable (check its permissions)") from exc
    except OSError as exc:
        raise IngestError(f"cannot read the file ({exc.strerror})") from exc


_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


#: On a tie, the legacy encodings Western notes are most often in win (cp1250 would turn "è" into "č").
_PREFERRED = ("cp1252", "latin_1", "iso8859_15")


def _detect(data: bytes) -> CharsetMatch | None:
    matches = list(from_bytes(data))
    if not matches:
        return None
    best = matches[0]
    tied = {m.encoding: m for m in matches if (m.chaos, m.coherence) == (best.chaos, best.coherence)}
    return next((tied[name] for name in _PREFERRED if name in tied), best)


def decode_text(data: bytes) -> tuple[str, str | None]:
    """Decode text, detecting the encoding when it is not UTF-8. Returns (text, warning)."""
    for bom, encoding in _BOMS:  # UTF-16/32 text is full of NUL bytes, so its byte-order mark comes first
        if data.startswith(bom):
            try:
                return data.decode(encoding), f"decoded as {encoding} (not UTF-8)"
            except UnicodeDecodeError:
                break
    if b"\x00" in data[:8192]:
        raise IngestError("binary content in a text file (NUL bytes); is the suffix wrong?")
    try:
        text, warning = data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        best = _detect(data)
        if best is None:
            raise IngestError("not text: no character encoding fits its bytes") from None
        text, warning = str(best), f"decoded as {best.encoding} (not UTF-8)"
    sample = text[:65536]
    if len(_CONTROL.findall(sample)) > max(8, len(sample) // 100):
        raise IngestError("binary content in a text file (control characters); is the suffix wrong?")
    return text, warning


def split_lines(text: str) -> list[str]:
    """Lines exactly as a citation counts them: split on '\\n', a trailing '\\r' dropped."""
    lines = text.split("\n")
    return [line[:-1] if line.endswith("\r") else line for line in lines]


def check_lines(lines: list[str], what: str = "file", expanded: bool = False) -> list[str]:
    """Refuse a document with no text, too much text, or a line over the length limit; returns ``lines``."""
    if not any(line.strip() for line in lines):
        raise IngestError(f"empty {what}: nothing to index")
    too_big = text_over_limit(sum(map(len, lines)) + len(lines) - 1, len(lines), expanded)
    if too_big:
        raise IngestError(too_big)
    longest, limit = max(len(line) for line in lines), current_limits().max_line_chars
    if longest > limit:
        raise IngestError(f"a single line of {longest:,} characters is over the {limit:,} "
                          "limit (is it minified or a data dump?)")
    return lines


def read_text(path: Path) -> tuple[str, list[str]]:
    """The file decoded as text, and the warnings to show (a non-UTF-8 encoding)."""
    data = read_bytes(path)
    if not data.strip():
        raise IngestError("empty file: nothing to index" if not data else "empty file: only whitespace")
    text, warning = decode_text(data)
    return text, [warning] if warning else []


def read_lines(path: Path) -> tuple[list[str], list[str]]:
    text, warnings = read_text(path)
    return check_lines(split_lines(text)), warnings


@register(".txt", ".text", ".md", ".markdown", ".org")
def load_plain(path: Path, source: str) -> Document:
    markdown = path.suffix.lower() in {".md", ".markdown"}
    if markdown and is_vault(notes_root(path, source)):
        return load_vault_note(path, source)
    lines, warnings = read_lines(path)
    if markdown:  # real markup: parsed, no plain-notes guessing
        headings, blocks = markdown_structure(lines)
        return Document(source=source, lines=lines, kind="markdown", headings=headings, blocks=blocks,
                        warnings=warnings)
    return Document(source=source, lines=lines, kind="text", warnings=warnings)


def load_vault_note(path: Path, source: str) -> Document:
    """A note of an Obsidian vault (``ingest.vault``): the Markdown reading, with the front matter's lines
    blanked (line numbers stay the file's), the note's name (title, aliases) opening every passage's heading
    path, and its tags and links. A note with no text (a stub, front matter only) raises :class:`EmptyNote`."""
    try:
        text, warnings = read_text(path)
    except IngestError as exc:
        if str(exc).startswith("empty file"):
            raise EmptyNote(str(exc)) from exc
        raise
    raw = split_lines(text)
    lines, info = read_note(raw)
    if not any(line.strip() for line in lines):
        raise EmptyNote("empty note: front matter only")
    check_lines(raw)
    headings, blocks = markdown_structure(lines)
    name = note_name(info, path.stem)
    if name:  # every passage carries it: it renames the note's title heading, else opens the path above it
        first = headings[0] if headings else None
        bare = {info.title.lower(), path.stem.lower()} - {""}
        if (first is not None and first.level == 1 and first.title.lower() in bare
                and not any(line.strip() for line in lines[:first.line - 1])):
            headings = [Heading(first.line, 1, name[:120]), *headings[1:]]
        else:
            headings = [Heading(1, 0, name[:120]), *headings]
    return Document(source=source, lines=lines, kind="markdown", headings=headings, blocks=blocks,
                    warnings=warnings, note=info)

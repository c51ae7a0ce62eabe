"""Word .docx (python-docx): paragraphs cited as ``¶<n>``, table rows as ``table <t> row <r>``."""

from __future__ import annotations

import re
import zipfile
from io import BytesIO
from pathlib import Path

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml.etree import XMLSyntaxError

from ingest.limits import current_limits
from ingest.loaders.builder import DocumentBuilder
from ingest.loaders.registry import register
from ingest.loaders.text import read_bytes
from ingest.model import Document, IngestError

_HEADING_STYLE = re.compile(r"^(?:Heading|Überschrift|Titre|Título)\s*(\d)$", re.IGNORECASE)


def heading_level(paragraph: Paragraph) -> int | None:
    """The outline level of a heading paragraph (Title is 0), None for body text."""
    try:
        name = paragraph.style.name if paragraph.style is not None else ""
    except (KeyError, ValueError):  # a style id the styles part does not define
        return None
    if name.lower() == "title":
        return 0
    match = _HEADING_STYLE.match(name or "")
    return int(match.group(1)) if match else None


def _add_table(builder: DocumentBuilder, table: Table, number: int) -> None:
    builder.blank()
    for r, row in enumerate(table.rows, 1):
        cells: list[str] = []
        for cell in row.cells:
            text = " ".join(cell.text.split())
            if text and (not cells or cells[-1] != text):  # a merged cell repeats its text
                cells.append(text)
        if cells:
            builder.add(" | ".join(cells), f"table {number} row {r}")
    builder.blank()


def check_unpacked_size(data: bytes, what: str) -> None:
    """Refuse a zip whose parts declare more bytes than the limit, before any part is inflated: a 100 KB file
    can hold hundreds of MB of repeated XML. The declared sizes bound what is read (zipfile stops a part at
    its declared size and checks its CRC), so a part cannot lie its way past this check."""
    with zipfile.ZipFile(BytesIO(data)) as archive:
        unpacked = sum(info.file_size for info in archive.infolist())
    limit = current_limits().max_unpacked_bytes
    if unpacked > limit:
        raise IngestError(f"{what} unpacks to {unpacked / 1e6:,.1f} MB, over the {limit / 1e6:g} MB limit (a "
                          "decompression bomb? raise NOTEWISE_MAX_UNPACKED_BYTES)")


@register(".docx")
def load_docx(path: Path, source: str) -> Document:
    data = read_bytes(path)
    try:
        check_unpacked_size(data, "the .docx")
        document = docx.Document(BytesIO(data))
        blocks = list(document.iter_inner_content())
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError, XMLSyntaxError) as exc:
        raise IngestError(f"not a valid Word .docx file ({type(exc).__name__}); re-save it from Word "
                          "(old .doc files are not supported)") from exc
    builder = DocumentBuilder()
    paragraphs = tables = 0
    for block in blocks:
        if isinstance(block, Table):
            tables += 1
            _add_table(builder, block, tables)
            continue
        text = block.text.strip()
        if not text:
            continue
        paragraphs += 1
        level = heading_level(block)
        if level is not None:
            builder.heading(text, level, f"¶{paragraphs}")
        else:
            builder.add(text, f"¶{paragraphs}")
        builder.blank()
    return builder.build(source, "docx", "Word document", infer_headings=True)

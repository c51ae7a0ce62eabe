"""PDF (pypdf): the text of each page, cited as ``p<page>:<line within the page>``."""

from __future__ import annotations

import logging
from io import BytesIO
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import FileNotDecryptedError, PyPdfError

from ingest.limits import current_limits
from ingest.loaders.builder import DocumentBuilder
from ingest.loaders.registry import register
from ingest.loaders.text import read_bytes, split_lines
from ingest.model import Document, IngestError

# pypdf logs every repair it makes to a damaged file; the ingest report says what matters.
logging.getLogger("pypdf").setLevel(logging.ERROR)


def _open(data: bytes) -> PdfReader:
    if b"%PDF-" not in data[:1024]:
        raise IngestError("not a PDF: no %PDF- header (is the suffix wrong?)")
    reader = PdfReader(BytesIO(data))
    if reader.is_encrypted:
        try:
            reader.decrypt("")  # many "protected" PDFs only restrict printing; the empty password opens them
            reader.pages[0].extract_text()
        except (FileNotDecryptedError, PyPdfError, NotImplementedError) as exc:
            raise IngestError("password-protected PDF: save an unprotected copy to index it") from exc
    return reader


@register(".pdf")
def load_pdf(path: Path, source: str) -> Document:
    data = read_bytes(path)
    builder = DocumentBuilder()
    try:
        reader = _open(data)
        unpacked, limit = 0, current_limits().max_unpacked_bytes
        for number, page in enumerate(reader.pages, 1):
            contents = page.get_contents()  # decompressed, before the slow part (reading the text out of it)
            unpacked += len(contents.get_data()) if contents is not None else 0
            if unpacked > limit:
                raise IngestError(f"page contents unpack to over {limit / 1e6:g} MB by page {number} (a "
                                  "decompression bomb? raise NOTEWISE_MAX_UNPACKED_BYTES)")
            text = page.extract_text() or ""
            for line_no, line in enumerate(split_lines(text), 1):
                builder.add(line, f"p{number}:{line_no}")
            builder.blank()  # a page break ends a paragraph: passages split there first
    except IngestError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, AssertionError,
            RecursionError, OSError) as exc:  # pypdf raises all of these on damaged files
        raise IngestError(f"corrupt PDF, cannot be read ({type(exc).__name__}: {str(exc)[:120]}); "
                          "re-export or repair it") from exc
    if builder.empty:
        raise IngestError("PDF has no extractable text (scanned pages? run OCR on it first)")
    return builder.build(source, "pdf", "PDF", infer_headings=True)

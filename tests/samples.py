"""Small real files of every supported format, written by tests (no binary fixtures in the repo)."""

from __future__ import annotations

from email.message import EmailMessage
from io import BytesIO
from pathlib import Path


def _pdf_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def _assemble_pdf(objects: list[bytes]) -> bytes:
    """A PDF file of numbered ``objects`` (the first is the catalog), with its cross-reference table."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def pdf_bytes(pages: list[list[str]]) -> bytes:
    """A valid PDF with one text line per entry, Helvetica, one content stream per page."""
    objects: list[bytes] = [b"", b"", b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    kids = []
    for lines in pages:
        ops = "BT /F1 12 Tf 14 TL 72 740 Td " + " ".join(f"({_pdf_escape(s)}) Tj T*" for s in lines) + " ET"
        stream = ops.encode("latin-1")
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
        content_id = len(objects)
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> "
                       b">> /Contents %d 0 R >>" % content_id)
        kids.append(len(objects))
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (" ".join(f"{k} 0 R" for k in kids).encode(), len(kids))
    return _assemble_pdf(objects)


def encrypted_pdf_bytes(pages: list[list[str]], password: str = "secret") -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(BytesIO(pdf_bytes(pages))))
    writer.encrypt(password, algorithm="RC4-128")
    buffer = BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def write_docx(path: Path, blocks: list[tuple[str, str]], table: list[list[str]] | None = None) -> Path:
    """``blocks`` are (style, text): style "Heading 1".."Heading 3", "Title" or "" for body text."""
    import docx

    document = docx.Document()
    for style, text in blocks:
        document.add_paragraph(text, style=style or None)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
    document.save(path)
    return path


def eml_bytes(subject: str, body: str, html: str | None = None, attachment: str | None = None) -> bytes:
    message = EmailMessage()
    message["From"] = "Ada <ada@example.org>"
    message["To"] = "study-group@example.org"
    message["Subject"] = subject
    message["Date"] = "Mon, 02 Jun 2025 09:30:00 +0000"
    message.set_content(body)
    if html:
        message.add_alternative(html, subtype="html")
    if attachment:
        message.add_attachment(b"%PDF-1.4 stub", maintype="application", subtype="pdf", filename=attachment)
    return message.as_bytes()


def bomb_docx(path: Path, paragraphs: int, text: str = "a" * 60) -> Path:
    """A real .docx whose body is ``paragraphs`` copies of one paragraph: a few KB to a few hundred KB on disk
    (repeated XML deflates about 1000 to 1), any size once unpacked."""
    import zipfile

    write_docx(path, [("", "seed")])
    with zipfile.ZipFile(path) as original:
        parts = {info.filename: original.read(info) for info in original.infolist()}
    xml = parts["word/document.xml"].decode("utf-8")
    start, end = xml.index("<w:body>") + len("<w:body>"), xml.index("<w:sectPr")
    paragraph = f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"
    parts["word/document.xml"] = (xml[:start] + paragraph * paragraphs + xml[end:]).encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as bomb:
        for name, data in parts.items():
            bomb.writestr(name, data)
    return path


def pdf_bomb_bytes(unpacked: int) -> bytes:
    """A valid one-page PDF whose page contents deflate from ``unpacked`` bytes (a path drawn over and over,
    then one line of text) to a few dozen KB."""
    import zlib

    ops = b"0 0 m 1 1 l S\n" * (unpacked // 14) + b"BT /F1 12 Tf 72 740 Td (Kafka partitions) Tj ET"
    stream = zlib.compress(ops, 9)
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> "
               b"/Contents 5 0 R >>",
               b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(stream), stream)]
    return _assemble_pdf(objects)

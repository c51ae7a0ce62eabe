"""HTML (BeautifulSoup) and e-mail (.eml, stdlib ``email``).

HTML is cited by the line of the HTML source a block starts on; ``<h1>``..``<h6>`` become headings. An
e-mail's headers come first (cited by name), then its body (``body:<line>``), under its subject.
"""

from __future__ import annotations

import warnings
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

from bs4 import BeautifulSoup, Comment, Doctype, MarkupResemblesLocatorWarning, NavigableString, Tag

from ingest.loaders.builder import DocumentBuilder
from ingest.loaders.registry import register
from ingest.loaders.text import decode_text, read_bytes, read_text, split_lines
from ingest.model import Document, IngestError

HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
BLOCKS = {"p", "div", "section", "article", "main", "aside", "header", "footer", "nav", "ul", "ol", "li", "dl",
          "dt", "dd", "blockquote", "table", "thead", "tbody", "tfoot", "tr", "figure", "figcaption", "pre",
          "address", "details", "summary", "form", "fieldset", "hr", "br", "body", "html", *HEADINGS}
DROPPED = ["script", "style", "noscript", "template", "svg", "head", "iframe", "object"]


class _HtmlWalker:
    """Turns a parsed page into lines: one per block, table rows as ``cell | cell``, list items as ``- item``."""

    def __init__(self, builder: DocumentBuilder, prefix: str, line_offset: int) -> None:
        self.builder, self.prefix, self.offset = builder, prefix, line_offset
        self.run: list[str] = []
        self.run_line = 0

    def where(self, line: int | None) -> str:
        return f"{self.prefix}{(line or 1) + self.offset}"

    def flush(self, bullet: str = "") -> None:
        text = " ".join(" ".join(self.run).split())
        if text:
            self.builder.add(bullet + text, self.where(self.run_line))
        self.run = []

    def walk(self, node: Tag) -> None:
        for child in node.children:
            if isinstance(child, Comment | Doctype):
                continue
            if isinstance(child, NavigableString):
                if not self.run:
                    self.run_line = node.sourceline or 0
                self.run.append(str(child))
            elif isinstance(child, Tag):
                self.element(child)

    def element(self, tag: Tag) -> None:
        name = tag.name
        if name not in BLOCKS and not tag.find(BLOCKS):
            if not self.run:
                self.run_line = tag.sourceline or 0
            self.run.append(tag.get_text(" "))
            return
        self.flush()
        if name in HEADINGS:
            self.builder.heading(tag.get_text(" "), HEADINGS[name], self.where(tag.sourceline))
        elif name == "pre":
            for i, line in enumerate(split_lines(tag.get_text())):
                self.builder.add(line, self.where((tag.sourceline or 1) + i))
        elif name == "tr":
            cells = [" ".join(c.get_text(" ").split()) for c in tag.find_all(["td", "th"], recursive=False)]
            self.builder.add(" | ".join(c for c in cells if c), self.where(tag.sourceline))
        else:
            self.walk(tag)
            self.flush("- " if name == "li" else "")
        if name in {"p", "pre", "table", "ul", "ol", "dl", "blockquote", "section", "article", "div"}:
            self.builder.blank()


def add_html(builder: DocumentBuilder, markup: str, prefix: str = "", line_offset: int = 0) -> None:
    """Append the readable text of ``markup`` to ``builder``."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        soup = BeautifulSoup(markup, "html.parser")
    title = soup.title.get_text(" ") if soup.title and not soup.find("h1") else ""
    for tag in soup.find_all(DROPPED):
        tag.decompose()
    if title.strip():
        builder.heading(title, 0, f"{prefix}{1 + line_offset}")
    walker = _HtmlWalker(builder, prefix, line_offset)
    walker.walk(soup)
    walker.flush()


@register(".html", ".htm", ".xhtml")
def load_html(path: Path, source: str) -> Document:
    text, warns = read_text(path)
    builder = DocumentBuilder()
    add_html(builder, text)
    return builder.build(source, "html", "web page (no visible text)", warns, infer_headings=True)


def _body_text(message: EmailMessage) -> tuple[str, bool]:
    """(text, is_html) of the preferred body part; ('', False) when there is none."""
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return "", False
    try:
        content = part.get_content()
    except (LookupError, UnicodeError):  # an unknown or wrong charset: detect it from the bytes
        content, _ = decode_text(part.get_payload(decode=True) or b"")
    if isinstance(content, bytes):
        content, _ = decode_text(content)
    return str(content), part.get_content_subtype() == "html"


@register(".eml")
def load_email(path: Path, source: str) -> Document:
    data = read_bytes(path)
    if not data.strip():
        raise IngestError("empty file: nothing to index")
    message = BytesParser(policy=policy.default).parsebytes(data)
    if not any(message.get(h) for h in ("From", "To", "Subject", "Date", "Message-ID")):
        raise IngestError("not an e-mail: no From/To/Subject/Date header (is the suffix wrong?)")
    builder = DocumentBuilder()
    subject = str(message.get("Subject") or "(no subject)")
    builder.heading(subject, 1, "Subject", add_line=False)
    builder.add(f"Subject: {subject}", "Subject")
    for name in ("From", "To", "Cc", "Date"):
        if message.get(name):
            builder.add(f"{name}: {message.get(name)}", name)
    builder.blank()
    body, is_html = _body_text(message)
    if is_html:
        add_html(builder, body, prefix="body:")
    else:
        for n, line in enumerate(split_lines(body), 1):
            builder.add(line, f"body:{n}")
    attachments = [p.get_filename() for p in message.iter_attachments() if p.get_filename()]
    if attachments:
        builder.blank()
        builder.add("Attachments: " + ", ".join(attachments), "attachments")
    return builder.build(source, "email", "e-mail")

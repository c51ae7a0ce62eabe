"""Structured data as readable records, each cited by the line of the file it is on.

JSON becomes ``path.to[2].key: value`` lines, CSV rows become ``column: value; column: value`` lines and
XML elements become ``parent/child: text`` lines. Top-level JSON keys and XML sections are headings.
"""

from __future__ import annotations

import bisect
import csv
import io
import json
import re
from json.decoder import scanstring
from pathlib import Path
from typing import Any

from lxml import etree

from ingest.loaders.builder import DocumentBuilder
from ingest.loaders.registry import register
from ingest.loaders.text import read_bytes, read_text, split_lines
from ingest.model import Document, IngestError

_SPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()
JsonPath = tuple[str | int, ...]


def _skip(text: str, i: int) -> int:
    return _SPACE.match(text, i).end()  # type: ignore[union-attr]


def _json_leaves(text: str, i: int, path: JsonPath, out: list[tuple[JsonPath, Any, int]]) -> int:
    """Append (path, scalar value, offset) for every leaf of the (already validated) JSON value at ``i``;
    returns the offset just past that value."""
    i = _skip(text, i)
    opener = text[i]
    if opener not in "{[":
        value, end = _DECODER.raw_decode(text, i)
        out.append((path, value, i))
        return end
    closer, n = ("}" if opener == "{" else "]"), 0
    i = _skip(text, i + 1)
    while text[i] != closer:
        if opener == "{":
            key, i = scanstring(text, i + 1)
            i = _skip(text, i) + 1  # past ':'
            child: JsonPath = (*path, key)
        else:
            child = (*path, n)
        i = _skip(text, _json_leaves(text, i, child, out))
        if text[i] == ",":
            i = _skip(text, i + 1)
        n += 1
    return i + 1


def _path_label(path: JsonPath) -> str:
    label = ""
    for part in path:
        label += f"[{part}]" if isinstance(part, int) else (f".{part}" if label else str(part))
    return label or "value"


def _scalar(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)


@register(".json")
def load_json(path: Path, source: str) -> Document:
    text, warns = read_text(path)
    leaves: list[tuple[JsonPath, Any, int]] = []
    try:
        data = json.loads(text)
        _json_leaves(text, 0, (), leaves)
    except json.JSONDecodeError as exc:
        raise IngestError(f"malformed JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}") from exc
    except RecursionError as exc:
        raise IngestError("JSON nested too deeply to read") from exc
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
    builder = DocumentBuilder()
    record: JsonPath | None = None
    for leaf_path, value, offset in leaves:
        key = _record_key(leaf_path)
        if key != record:  # a new top-level key (a heading), or a new record of a list: a new block
            if isinstance(data, dict) and key and (record is None or record[:1] != key[:1]):
                builder.heading(str(key[0]), 1, "", add_line=False)
            else:
                builder.blank()
            record = key
        line_no = bisect.bisect_right(line_starts, offset)
        builder.add(f"{_path_label(leaf_path)}: {_scalar(value)}", str(line_no))
    return builder.build(source, "json", "JSON file", warns)


def _record_key(path: JsonPath) -> JsonPath:
    """The path up to the first index of a list of objects (one record), else the top-level key."""
    for n, part in enumerate(path):
        if isinstance(part, int):
            return path[: n + 1] if n + 1 < len(path) else path[:n]
    return path[:1]


@register(".jsonl", ".ndjson")
def load_json_lines(path: Path, source: str) -> Document:
    text, warns = read_text(path)
    builder = DocumentBuilder()
    for line_no, line in enumerate(split_lines(text), 1):
        if not line.strip():
            continue
        try:
            json.loads(line)
        except json.JSONDecodeError as exc:
            raise IngestError(f"malformed JSON Lines at line {line_no}, column {exc.colno}: {exc.msg}") from exc
        leaves: list[tuple[JsonPath, Any, int]] = []
        _json_leaves(line, 0, (), leaves)
        for leaf_path, value, _ in leaves:
            builder.add(f"{_path_label(leaf_path)}: {_scalar(value)}", str(line_no))
        builder.blank()
    return builder.build(source, "json", "JSON Lines file", warns)


@register(".csv", ".tsv")
def load_csv(path: Path, source: str) -> Document:
    text, warns = read_text(path)
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(text[:8192], delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel_tab if path.suffix.lower() == ".tsv" else csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    builder = DocumentBuilder()
    try:
        header = [h.strip() for h in next(reader, [])]
        line_no = reader.line_num + 1
        for row in reader:
            fields = [(header[i] if i < len(header) and header[i] else f"column {i + 1}", v.strip())
                      for i, v in enumerate(row)]
            record = "; ".join(f"{name}: {value}" for name, value in fields if value)
            if record:
                builder.add(record, str(line_no))
            line_no = reader.line_num + 1
    except csv.Error as exc:
        raise IngestError(f"malformed CSV at line {reader.line_num}: {exc}") from exc
    if builder.empty and header:
        raise IngestError("CSV has a header row but no records")
    return builder.build(source, "csv", "CSV file", warns)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _xml_label(element: etree._Element) -> str:
    """A section's name: its tag, plus an id/name/title attribute or <title>/<name> child when it has one."""
    name = next((element.get(a) for a in ("title", "name") if element.get(a)), None)
    if name is None:
        child = next((c for c in element if isinstance(c.tag, str) and _local(c.tag) in ("title", "name")), None)
        name = " ".join((child.text or "").split()) if child is not None else element.get("id", "")
    return f"{_local(element.tag)} {name}".strip()


def _xml_records(element: etree._Element, path: str, builder: DocumentBuilder) -> None:
    attrs = "; ".join(f"@{_local(k)}={v}" for k, v in element.attrib.items())
    children = [c for c in element if isinstance(c.tag, str)]
    mixed = (element.text or "").strip() or any((c.tail or "").strip() for c in children)
    if mixed or not children:  # a leaf, or running text with inline markup: one record
        text = " ".join(" ".join(element.itertext()).split())
        record = "; ".join(part for part in (text, attrs) if part)
        if record:
            builder.add(f"{path}: {record}", str(element.sourceline or 1))
        return
    if attrs:
        builder.add(f"{path}: {attrs}", str(element.sourceline or 1))
    for child in children:
        _xml_records(child, f"{path}/{_local(child.tag)}", builder)


@register(".xml")
def load_xml(path: Path, source: str) -> Document:
    data = read_bytes(path)
    if not data.strip():
        raise IngestError("empty file: nothing to index")
    # No entity expansion and no network: a hostile file cannot read local files or blow up memory.
    parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True, remove_pis=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise IngestError(f"malformed XML at line {exc.lineno}: {exc.msg}") from exc
    builder = DocumentBuilder()
    for child in (c for c in root if isinstance(c.tag, str)):
        if len(child):
            builder.heading(_xml_label(child), 1, "", add_line=False)
        _xml_records(child, _local(child.tag), builder)
    if not len(root):
        _xml_records(root, _local(root.tag), builder)
    return builder.build(source, "xml", "XML file")

"""Obsidian vaults: a notes folder with an ``.obsidian/`` folder at its root.

A vault's Markdown is read with its own conventions, keeping every line number exact (a citation's lines
still open the file at the right place):

- YAML front matter (PyYAML, ``safe_load``) is not text: its lines are blanked in the document. ``title``
  and ``aliases`` name the note (they open its heading path, so they are embedded and searched with every
  passage), ``tags`` become the note's tags, the rest is kept as metadata;
- ``#tag`` in the text (outside code) adds to the note's tags; ``[[Target]]``, ``[[Target|alias]]`` and
  ``![[Other note]]`` are its outgoing links (``![[image.png]]`` is an embed, not a link);
- the text itself stays as written (a quote is the file's own lines); :func:`display_text` shows it the way
  Obsidian's reading view does: a link as its alias or target, an image embed left out, ``==highlight==``
  as plain text, a callout ``> [!note] Title`` as "Note: Title", LaTeX as written.
"""

from __future__ import annotations

import datetime as _dt
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import yaml

VAULT_MARKER = ".obsidian"
IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".bmp", ".svg", ".webp", ".avif", ".tif", ".tiff",
                            ".pdf", ".mp3", ".mp4", ".webm", ".wav", ".ogg", ".m4a", ".mov"})
# Every pattern is linear: bounded, no nested quantifiers.
_WIKILINK = re.compile(r"(!?)\[\[([^\[\]\|\n]{1,300}+)(?:\|([^\[\]\n]{0,300}+))?\]\]")
_TAG = re.compile(r"(?<![\w/&#\\])#([A-Za-z_\u00c0-\uffff][\w/\-\u00c0-\uffff]{0,100}+)")
_HIGHLIGHT = re.compile(r"==(?=\S)([^=\n]{1,500}+)(?<=\S)==")
_CALLOUT = re.compile(r"^(\s{0,3}(?:>\s?)++)\[!([A-Za-z][\w-]{0,40}+)\][+-]?[ \t]*+")
_INLINE_CODE = re.compile(r"`[^`\n]{0,1000}+`")
_LINK_ADDRESS = re.compile(r"\]\([^)\n]{0,1000}+\)")  # "[text](#anchor)": an address, not a tag
#: Most values front matter may hold: YAML aliases can make a few lines stand for billions of values.
MAX_VALUES = 10_000
_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")


class EmptyNote(Exception):
    """A vault note with no text (a stub Obsidian made for a link, or front matter only): skipped, counted."""


@dataclass(frozen=True)
class NoteInfo:
    """What a vault note says about itself, besides its text."""

    title: str = ""
    aliases: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    links: tuple[str, ...] = ()  # link targets as written ("Big Bang Theory", "Physics/Optics")
    meta: dict = field(default_factory=dict)  # the other front matter keys

    def to_row(self, source: str) -> tuple:
        return (source, self.title, json.dumps(list(self.aliases)), json.dumps(list(self.tags)),
                json.dumps(list(self.links)), json.dumps(self.meta, ensure_ascii=False, default=str))

    @classmethod
    def from_row(cls, row: tuple) -> NoteInfo:
        _source, title, aliases, tags, links, meta = row
        return cls(title, tuple(json.loads(aliases)), tuple(json.loads(tags)), tuple(json.loads(links)),
                   json.loads(meta))


def notes_root(path: Path, source: str) -> Path:
    """The notes folder a file was found in (``path`` is ``root / source``)."""
    root = path
    for _ in Path(source).parts:
        root = root.parent
    return root


def is_vault(notes_dir: Path) -> bool:
    return (Path(notes_dir) / VAULT_MARKER).is_dir()


def front_matter(lines: list[str]) -> tuple[int, dict]:
    """(number of lines the front matter takes, its mapping); (0, {}) when the note has none.

    Front matter opens on the first line with ``---`` and closes with ``---`` (or ``...``); YAML that does
    not parse, or is not a mapping, is not front matter (the lines stay text)."""
    if not lines or lines[0].rstrip() != "---":
        return 0, {}
    for i in range(1, min(len(lines), 1000)):
        if lines[i].rstrip() in ("---", "..."):
            try:
                data = yaml.safe_load("\n".join(lines[1:i])) if i > 1 else {}
            except yaml.YAMLError:
                return 0, {}
            if data is None:
                data = {}
            return (i + 1, data) if isinstance(data, dict) else (0, {})
    return 0, {}


def _strings(value: object) -> list[str]:
    """A front matter value as a list of strings: a list, or a comma (or space, for tags) separated string."""
    if value is None:
        return []
    if isinstance(value, (list, tuple, set)):  # of plain values only: a nested one is no name or tag
        return [str(v).strip() for v in list(value)[:1000] if isinstance(v, (str, int, float)) and str(v).strip()]
    return [part.strip() for part in str(value).split(",") if part.strip()]


def _tag_list(value: object) -> list[str]:
    return [t.lstrip("#") for part in _strings(value) for t in part.split() if t.lstrip("#")]


class _TooBig(Exception):
    pass


def _plain(value: object, budget: list[int]) -> object:
    """A YAML value as JSON can keep it (dates as ISO text); raises _TooBig past MAX_VALUES values."""
    budget[0] -= 1
    if budget[0] < 0:
        raise _TooBig
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k)[:200]: _plain(v, budget) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v, budget) for v in value]
    return value if isinstance(value, (str, int, float, bool)) or value is None else str(value)[:1000]


def is_image(target: str) -> bool:
    return Path(target.split("#", 1)[0].strip()).suffix.lower() in IMAGE_SUFFIXES


def link_target(raw: str) -> str:
    """``Target#Heading`` -> ``Target`` (a link into a section of a note is a link to the note)."""
    return raw.split("#", 1)[0].split("^", 1)[0].strip()


def text_lines(lines: list[str]) -> list[str]:
    """The lines outside fenced code blocks, inline code removed: where tags and links are read."""
    out, fence = [], ""
    for line in lines:
        opened = _FENCE.match(line)
        if fence:
            if opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence):
                fence = ""
            continue
        if opened:
            fence = opened.group(1)
            continue
        out.append(_LINK_ADDRESS.sub("]", _INLINE_CODE.sub(" ", line)))
    return out


def read_note(lines: list[str]) -> tuple[list[str], NoteInfo]:
    """The note's lines with its front matter blanked (same count), and what it says about itself."""
    taken, data = front_matter(lines)
    body = [""] * taken + lines[taken:]
    title = data.get("title") if taken else ""
    title = str(title).strip()[:200] if isinstance(title, (str, int, float)) else ""
    aliases = _strings(data.get("aliases", data.get("alias"))) if taken else []
    tags = _tag_list(data.get("tags", data.get("tag"))) if taken else []
    links: list[str] = []
    for line in text_lines(body):
        if line.lstrip().startswith("#") and re.match(r"\s{0,3}#{1,6}\s", line):
            line = line.lstrip().lstrip("#")  # a heading's words, not a tag
        tags.extend(m.group(1).rstrip("/") for m in _TAG.finditer(line) if not m.group(1).isdigit())
        for match in _WIKILINK.finditer(line):
            target = link_target(match.group(2))
            if target and not (match.group(1) and is_image(target)):
                links.append(target)
    try:
        budget = [MAX_VALUES]
        meta = {str(k)[:200]: _plain(v, budget) for k, v in data.items() if str(k).lower() not in
                {"title", "aliases", "alias", "tags", "tag"}}
    except _TooBig:  # a YAML alias bomb (or simply too much): the name and tags are kept, the rest is not
        meta = {}
    info = NoteInfo(title, tuple(dict.fromkeys(aliases)), tuple(dict.fromkeys(tags)), tuple(dict.fromkeys(links)),
                    meta)
    return body, info


def note_name(info: NoteInfo, stem: str) -> str:
    """The name a note's passages are filed under when its front matter names it: "Title (aka A, B)";
    "" when it gives neither a title nor aliases."""
    if not info.title and not info.aliases:
        return ""
    name = info.title or stem
    aka = [a for a in info.aliases if a.lower() != name.lower()]
    return " ".join(f"{name} (aka {', '.join(aka)})".split()) if aka else " ".join(name.split())


def _link_display(match: re.Match) -> str:
    bang, target, alias = match.group(1), match.group(2), match.group(3)
    if bang and is_image(target):
        return ""
    if alias is not None and alias.strip():
        return alias.strip()
    name = target.strip()
    if "#" in name:  # [[Note#Section]] reads "Note > Section" in Obsidian
        page, _, section = name.partition("#")
        name = f"{page.strip()} > {section.strip()}" if page.strip() else section.strip()
    return name


def display_text(text: str) -> str:
    """``text`` as Obsidian's reading view shows it: links as their alias or target, image embeds left out,
    highlights as plain text, callouts as "Note: Title". LaTeX and everything else stay as written."""
    out = []
    for line in text.split("\n"):
        line = _CALLOUT.sub(lambda m: f"{m.group(1)}{m.group(2).capitalize()}: ", line)
        line = _WIKILINK.sub(_link_display, line)
        out.append(_HIGHLIGHT.sub(r"\1", line))
    return "\n".join(out)


def has_tag(tags: tuple[str, ...] | list[str], wanted: str) -> bool:
    """Whether a note with ``tags`` has tag ``wanted`` (any case; a nested tag ``physics/optics`` has ``physics``)."""
    want = wanted.lstrip("#").lower().strip("/")
    return any(t.lower() == want or t.lower().startswith(want + "/") for t in tags)


def resolve_link(target: str, sources: list[str]) -> str | None:
    """The note a link target names, as Obsidian resolves it: the path (with or without ``.md``), else the
    note of that file name anywhere in the vault (the shortest path first); None when no note has it."""
    want = target.strip().strip("/").lower()
    if not want:
        return None
    by_lower = {s.lower(): s for s in sources}
    for candidate in (want, want + ".md"):
        if candidate in by_lower:
            return by_lower[candidate]
    named = [s for s in sources if s.lower().rsplit("/", 1)[-1] in (want.rsplit("/", 1)[-1] + ".md",
                                                                     want.rsplit("/", 1)[-1])
             and s.lower().endswith(want + ".md" if not want.endswith(".md") else want)]
    return min(named, key=lambda s: (s.count("/"), s)) if named else None


def obsidian_url(notes_dir: Path, source: str) -> str | None:
    """``obsidian://open?vault=<name>&file=<path without .md>`` for a note of a vault; None elsewhere."""
    if not is_vault(notes_dir):
        return None
    name = Path(notes_dir).resolve().name
    path = source[:-3] if source.lower().endswith(".md") else source
    return f"obsidian://open?vault={quote(name, safe='')}&file={quote(path, safe='')}"


def outgoing_links(notes: dict[str, NoteInfo], source: str, sources: list[str] | None = None) -> list[str]:
    """The notes ``source`` links to (resolved to their paths; links to no note are left out)."""
    info = notes.get(source)
    if info is None:
        return []
    sources = sources if sources is not None else list(notes)
    found = (resolve_link(target, sources) for target in info.links)
    return list(dict.fromkeys(s for s in found if s and s != source))


def linked_from(notes: dict[str, NoteInfo], source: str) -> list[str]:
    """The notes that link to ``source`` (its backlinks), sorted."""
    sources = list(notes)
    return sorted(other for other in notes if other != source and source in outgoing_links(notes, other, sources))


def display_stream(pieces: Iterable[str]) -> Iterator[str]:
    """:func:`display_text` over streamed text: a piece that opens a link (``[[``), a highlight or a callout
    is held back until its line ends, so a link cut between pieces still reads as its alias."""
    held = ""
    for piece in pieces:
        held += piece
        cut = held.rfind("\n") + 1
        tail = held[cut:]
        if "[[" in tail or "==" in tail or "[!" in tail:
            ready, held = held[:cut], tail
        else:
            ready, held = held, ""
        if ready:
            yield display_text(ready)
    if held:
        yield display_text(held)

"""Narrowing a question, a search or a quiz to part of the notes: a folder, or the tags of a vault's notes.

In a question, ``#tag`` and ``in:Folder`` (``in:"Folder with spaces"``) name the scope; they are taken out
of the question only when the notes have that tag or folder, so "C#" or "#1" stay as typed."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.vault import has_tag
from store.catalog import Catalog

_TAG = re.compile(r"(?<!\S)#([A-Za-z_\u00c0-\uffff][\w/\-\u00c0-\uffff]{0,100}+)")
_FOLDER = re.compile(r"(?<!\S)in:(?:\"([^\"\n]{1,200}+)\"|([^\s\"]{1,200}+))", re.IGNORECASE)


@dataclass(frozen=True)
class Scope:
    tags: tuple[str, ...] = ()
    folder: str = ""

    def __bool__(self) -> bool:
        return bool(self.tags or self.folder.strip("/ "))

    def label(self) -> str:
        parts = [f"#{t}" for t in self.tags] + ([f"in:{self.folder}"] if self.folder else [])
        return " ".join(parts)


class ScopeError(ValueError):
    """A tag or folder the notes do not have; the message says so in one line."""


def known_tags(catalog: Catalog) -> list[str]:
    return sorted({t for info in catalog.notes().values() for t in info.tags}, key=str.lower)


def check_scope(catalog: Catalog, scope: Scope) -> None:
    """Raise :class:`ScopeError` when the scope names a tag or folder no indexed note has."""
    folder = scope.folder.strip().strip("/")
    if folder and not catalog.sources_in(folder):
        raise ScopeError(f'No indexed note is in the folder "{folder}" of the notes folder.')
    notes = catalog.notes()
    for tag in scope.tags:
        if not any(has_tag(info.tags, tag) for info in notes.values()):
            raise ScopeError(f"No indexed note is tagged #{tag.lstrip('#')}"
                             + ("" if notes else " (tags are read from Obsidian vaults)") + ".")
    if scope and not catalog.sources_in(folder, scope.tags):
        raise ScopeError(f"No indexed note matches {scope.label()}.")


def parse_scope(question: str, catalog: Catalog) -> tuple[str, Scope]:
    """The question without the ``#tag`` and ``in:Folder`` the notes have ("" when it was only those), and
    the scope they name."""
    notes = catalog.notes() if "#" in question else {}
    tags: list[str] = []
    folder = ""

    def take_tag(match: re.Match) -> str:
        tag = match.group(1).rstrip("/")
        if any(has_tag(info.tags, tag) for info in notes.values()):
            tags.append(tag)
            return " "
        return match.group(0)

    def take_folder(match: re.Match) -> str:
        nonlocal folder
        name = (match.group(1) or match.group(2)).strip().strip("/")
        if not folder and name and catalog.sources_in(name):
            folder = name
            return " "
        return match.group(0)

    text = _TAG.sub(take_tag, question) if notes else question
    text = _FOLDER.sub(take_folder, text) if "in:" in text.lower() else text
    scope = Scope(tuple(dict.fromkeys(tags)), folder)
    if not scope:
        return question, scope
    return " ".join(text.split()), scope



def scope_sources(catalog: Catalog, topic: str) -> tuple[str, set[str] | None]:
    """A quiz topic's remaining words and the notes its ``#tag``/``in:Folder`` allow ("quiz me on #optics");
    None when it names no tag or folder of the notes."""
    rest, scope = parse_scope(topic, catalog)
    if not scope:
        return topic, None
    return rest, catalog.sources_in(scope.folder, scope.tags)

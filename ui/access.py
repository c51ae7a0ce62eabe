"""Which notes folders the web app may open: only folders under the allowed roots.

Anyone who can open the app can type a folder path, so a typed path is resolved (symbolic links and ``..``
included) and accepted only under an allowed root: the roots in ``NOTEWISE_ALLOWED_ROOTS``, else the home
folder; the configured notes folder, the shipped notes and the uploads folder are always allowed. Hidden
folders below a root (``~/.ssh``, ``~/.config``, ...) are never allowed: the notes scan skips them anyway, so
a folder inside one can only be meant to reach what the scan hides. The CLI does not use this: its user owns
the machine.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from settings import DEFAULT_NOTES_DIR, Settings


class FolderRefused(ValueError):
    """A typed folder outside the allowed roots; the message says why in one line."""


@dataclass(frozen=True)
class AllowedRoots:
    """Folders under which a typed notes folder is accepted, except inside a hidden folder below a root."""

    roots: tuple[Path, ...]

    def allows(self, folder: Path) -> bool:
        """``folder`` must already be resolved."""
        return any(folder.is_relative_to(root) and not _has_hidden_part(folder.relative_to(root))
                   for root in self.roots)

    def describe(self) -> str:
        return ", ".join(str(root) for root in self.roots) + " (not hidden folders inside them)"


def _has_hidden_part(relative: Path) -> bool:
    return any(part.startswith(".") for part in relative.parts)


def _resolved(path: Path) -> Path:
    return Path(os.path.realpath(path.expanduser()))


def allowed_roots(settings: Settings) -> AllowedRoots:
    """The roots for the owner's settings (not a session's choices): the configured ones, else the home
    folder, plus the app's own folders (configured notes, shipped notes, uploads)."""
    chosen = settings.allowed_roots or [Path.home()]
    own = [settings.notes_dir, DEFAULT_NOTES_DIR, settings.effective_uploads_dir]
    return AllowedRoots(tuple(dict.fromkeys(_resolved(p) for p in [*chosen, *own])))


def check_folder(typed: str, roots: AllowedRoots) -> Path:
    """The resolved folder for ``typed``, or :class:`FolderRefused` when it lies outside ``roots``."""
    text = typed.strip()
    if not text:
        raise FolderRefused("Type the path of a notes folder.")
    if "\x00" in text:
        raise FolderRefused("A folder path cannot contain a NUL character.")
    folder = _resolved(Path(text))
    if roots.allows(folder):
        return folder
    shown = f"'{text}' leads to {folder}, which" if str(folder) != text else f"'{text}'"
    raise FolderRefused(f"{shown} is outside the folders this app may open ({roots.describe()}); "
                        "nothing changed. The owner can allow more with NOTEWISE_ALLOWED_ROOTS.")

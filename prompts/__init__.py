"""Prompt files, checked when loaded.

A prompt file is Markdown with two sections, ``# system`` and ``# user``; ``{name}`` placeholders are
filled with :meth:`Prompt.render`. Each prompt declares the variables it must use (``REQUIRED``): a file
that misses one, or uses one no caller fills, fails at load time with a message naming the file and the
variable, instead of producing a silently broken prompt at answer time. Values are inserted verbatim,
so braces in the notes' text are harmless.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from functools import cache
from pathlib import Path

PROMPTS_DIR = Path(__file__).resolve().parent

#: The variables each prompt file must use, and may only use.
REQUIRED: dict[str, frozenset[str]] = {
    "answer": frozenset({"passages", "question"}),
    "condense": frozenset({"history", "question"}),
    "refusal": frozenset({"closest", "question", "reason"}),
}

_SECTION = re.compile(r"^#\s+(system|user)\s*$", re.MULTILINE | re.IGNORECASE)


class PromptError(ValueError):
    """A prompt file that is missing, malformed or uses the wrong variables."""


@dataclass(frozen=True)
class Prompt:
    name: str
    system: str
    user: str

    def render(self, **values: str) -> list[dict[str, str]]:
        """Chat messages with the variables filled in; a missing value is an error, not a blank."""
        missing = REQUIRED.get(self.name, frozenset()) - values.keys()
        if missing:
            raise PromptError(f"prompt '{self.name}' needs values for: {', '.join(sorted(missing))}")
        messages = []
        if self.system:
            messages.append({"role": "system", "content": self.system.format_map(values)})
        messages.append({"role": "user", "content": self.user.format_map(values)})
        return messages

    def text(self, **values: str) -> str:
        """The user section alone, filled in (for prompts shown to the person, like the refusal)."""
        return self.render(**values)[-1]["content"]


def variables(template: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(template) if field}


def parse_prompt(name: str, raw: str, origin: str = "") -> Prompt:
    where = origin or f"prompt '{name}'"
    parts = _SECTION.split(raw)
    sections = {parts[i].lower(): parts[i + 1].strip() for i in range(1, len(parts) - 1, 2)}
    if "user" not in sections:
        raise PromptError(f"{where}: needs a '# user' section (and optionally '# system').")
    system, user = sections.get("system", ""), sections["user"]
    try:
        used = variables(system) | variables(user)
    except ValueError as exc:  # an unbalanced brace
        raise PromptError(f"{where}: bad placeholder ({exc}); write literal braces as {{{{ and }}}}.") from exc
    expected = REQUIRED.get(name)
    if expected is not None:
        if expected - used:
            raise PromptError(f"{where}: missing variable(s) {', '.join(sorted(expected - used))}.")
        if used - expected:
            raise PromptError(f"{where}: unknown variable(s) {', '.join(sorted(used - expected))}; "
                              f"allowed: {', '.join(sorted(expected))}.")
    return Prompt(name, system, user)


@cache
def load_prompt(name: str, folder: Path = PROMPTS_DIR) -> Prompt:
    """Load and check ``<folder>/<name>.md``."""
    path = folder / f"{name}.md"
    try:
        raw = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PromptError(f"Prompt file {path} cannot be read ({exc.strerror or exc}).") from exc
    return parse_prompt(name, raw, str(path))

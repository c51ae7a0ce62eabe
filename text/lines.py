"""Markdown line shapes: code fences, bullets, numbered items, labels, sentences wrapped over lines, bold
markers, and links (what a reader sees of them, and lines that only point elsewhere).

Each rule reads one line at a time, so it works on any passage, whatever parsed it. Every pattern is
linear in the line (``tests/test_linear_patterns.py``).
"""

from __future__ import annotations

import re

from text.tuning import TEXT
from text.words import has_words

#: A code fence: three or more backquotes or tildes; a list item may open with one ("- ```", "1. ~~~"),
#: as CommonMark reads it.
_FENCE = re.compile(r"^\s*+(?:[-*+]\s++|\d{1,9}[.)]\s++)?(?P<marker>`{3,}|~{3,})")
#: The sign of a bullet that a quote drops: dashes, stars, "•", or an arrow "=>".
_BULLET_SIGN = re.compile(r"^\s*+(?:[-*•]+|=>)\s+")
#: A list item as the chunker groups lines: a bullet, "1." / "1)", "a." / "a)", or a tab-indented line.
_LIST_ITEM = re.compile(r"^\s*(?:[-*•]|\d{1,2}[.)]|[a-z][.)])\s+|^\t+\S")
#: A numbered item's numbering ("1. ", "- 2) ", "(3) "): list numbering, not a number the line states.
_NUMBERING = re.compile(r"^\s*+(?:[-*•]\s*+)?\(?\d{1,2}[.)]\s")
#: A label or heading line ("run this:", "Steps =>", "**Note**", "# Title"): what follows belongs to it.
_OPENER = re.compile(r"(?::|=>|-|\*\*)\s*+$|^\s*+#")
#: A line that only shows a picture.
_IMAGE = re.compile(r"^\s*+!\[[^\]\n]{0,200}+\]\([^)\n]{0,500}+\)\s*+$")
#: Bold or bold-italic markers ("**term**", "***PCA***", the "**" a cut leaves: "(1979)** HL"), and a code span
#: kept whole. As in CommonMark, a marker touches its text on one side: "2**n" and "x ** 2" (powers) keep theirs.
_STRONG = re.compile(r"`[^`\n]*+`|(?<!\w)\*{2,3}+(?=[^\s*])|(?<=[^\s*])\*{2,3}+(?!\w)")
#: The first letters of a word set bold, as a mnemonic does ("**A**bsorption, **D**istribution"): CommonMark
#: closes the bold inside the word.
_STRONG_LETTERS = re.compile(r"(?<![\w*])\*{2,3}+(\w{1,3}+)\*{2,3}+(?=\w)")
#: A Markdown link or picture (its text in group 1), and a bare web address: the parts of both patterns below.
_MARKDOWN_LINK = r"!?\[([^\]\n]{0,200}+)\]\([^)\s]{0,500}+\)"
_WEB_ADDRESS = r"https?://\S++"
#: A Markdown link or picture (its text in group 1), an HTML tag, or a bare web address.
_LINK = re.compile(rf"{_MARKDOWN_LINK}|<[^<>\n]{{0,500}}+>|{_WEB_ADDRESS}")
#: Where a line points: a Markdown link or picture, an HTML link with its text, or a bare web address.
_ADDRESS = re.compile(rf"{_MARKDOWN_LINK}|<a\s[^<>\n]{{0,500}}+>[^<\n]{{0,300}}+</a>|{_WEB_ADDRESS}")
_WORD = re.compile(r"[A-Za-z]{2,}+")
#: A Markdown link's text in brackets, its address after it or cut off: "[slow query log](http...)".
_LINK_TEXT = re.compile(r"(?<!!)\[([^\[\]\n]{1,200}+)\](\([^)\s]{0,500}+\))?")
#: A wrapped line goes on with the sentence above it: it starts in lower case, a bracket, a quote or code.
_CONTINUED = re.compile(r"^\s*+[a-z(`'\"_]")


def is_fence(line: str) -> bool:
    """Whether ``line`` opens or closes a fenced code block."""
    return bool(_FENCE.match(line))


def fence_marker(line: str) -> str:
    """The backquotes or tildes of a fence line ("- ```py" -> "```"); "" for any other line."""
    match = _FENCE.match(line)
    return match.group("marker") if match else ""


def open_fence(lines: list[str], i: int) -> str | None:
    """The fence line that opens the code block line ``i`` of ``lines`` lies in, if it lies in one
    (fences pair up in order; a fence that never closes leaves the rest of the lines in code)."""
    fences = [line for line in lines[:i] if is_fence(line)]
    return fences[-1] if len(fences) % 2 == 1 else None


def in_code(lines: list[str]) -> list[bool]:
    """Per line, whether it lies between an opening and a closing fence (fence lines themselves: False)."""
    out, inside = [], False
    for line in lines:
        fence = is_fence(line)
        out.append(inside and not fence)
        inside = inside != fence
    return out


def strip_bullet(line: str) -> str:
    """``line`` stripped of white space and of one bullet sign ("  - Kafka keeps..." -> "Kafka keeps...")."""
    return _BULLET_SIGN.sub("", line.strip(), count=1)


def is_list_item(line: str) -> bool:
    """Whether ``line`` starts a list item: a bullet, a number or letter with "." or ")", or a tab indent."""
    return bool(_LIST_ITEM.match(line))


def is_numbered_item(line: str) -> bool:
    """Whether ``line`` starts with list numbering ("1. ", "- 2) ", "(3) ")."""
    return bool(_NUMBERING.match(line))


def without_numbering(line: str) -> str:
    """``line`` less its list numbering, if it has some."""
    return _NUMBERING.sub("", line)


def opens_block(line: str) -> bool:
    """Whether ``line`` is a label or a heading ("run this:", "Steps =>", "**Note**", "# Title")."""
    return bool(_OPENER.search(line))


def is_image_only(line: str) -> bool:
    """Whether ``line`` only shows a picture ("![diagram](arch.png)")."""
    return bool(_IMAGE.match(line))


def ends_sentence(line: str) -> bool:
    """Whether a line ends a sentence ("...very fast.", "...like so:", "...`-vv`).") or a code fence."""
    tail = line.rstrip()
    return tail.endswith(("```", "~~~")) or tail.rstrip(")]}\"'`*_").endswith((".", "!", "?", ":", ";"))


def sentence_goes_on(above: str, below: str) -> bool:
    """Whether the sentence of line ``above`` goes on in the next line ``below``: prose that the notes
    hard-wrap at a margin (til's notes wrap at 80 columns). Callers rule out code."""
    return bool(above.strip()) and not ends_sentence(above) and bool(_CONTINUED.match(below))


def without_strong(text: str) -> str:
    """``text`` without its bold and bold-italic markers, as a reader sees it: "**Gibson v Manchester CC
    (1979)** HL" -> "Gibson v Manchester CC (1979) HL", "**A**bsorption" -> "Absorption". Code spans and single
    stars keep theirs."""
    if "**" not in text:
        return text
    text = _STRONG_LETTERS.sub(r"\1", text)
    return _STRONG.sub(lambda m: m.group() if m.group().startswith("`") else "", text)


def readable(text: str) -> str:
    """The words a reader sees: a link's text without its address, HTML tags and bare URLs dropped."""
    return " ".join(_LINK.sub(lambda m: m.group(1) or " ", text).split())


def is_reference(text: str) -> bool:
    """A line that is only a link ("[source](https://...)", a bare URL): it can be found, but quoted as an
    answer it says nothing."""
    return not has_words(_LINK.sub(" ", text))


def points_elsewhere(line: str) -> bool:
    """Whether ``line`` only points to something else: a table row with a cell of links and a short title
    beside it ("| Design an API rate limiter | [https://stripe.com/blog/](...) |"), or a line that is a link
    with a word or three before it ("see [this post](...)", an image's "<a href=...>Source: ...</a>"); not a
    sentence that links some of its words, nor a line that goes on after its link ("The [`git bisect`](...)
    command is a")."""
    if not _ADDRESS.search(line):
        return False
    bare = _LINK.sub(" ", _ADDRESS.sub("\x00", line))
    if not line.lstrip().startswith("|"):  # ends with its link: "The [`git bisect`](...) command is a" goes on
        return len(_WORD.findall(bare)) <= TEXT.pointer_line_words and not _WORD.search(bare.rsplit("\x00", 1)[-1])
    cells = [cell for cell in bare.strip().strip("|").split("|") if cell.strip()]
    return any(not _WORD.search(cell) for cell in cells) and len(_WORD.findall(bare)) <= TEXT.pointer_row_words


def without_link_marks(text: str, source: str) -> str:
    """``text`` (a piece of the ``source`` lines) with its Markdown links as their text: "[slow query
    log](http://...)" and, where a cut dropped the address, "[slow query log]" read "slow query log".
    Brackets the source does not use as a link ("[Ar] 4s1 3d5") stay."""
    if "[" not in text:
        return text

    def text_of(m: re.Match[str]) -> str:
        return m.group(1) if m.group(2) or f"[{m.group(1)}](" in source else m.group()

    return _LINK_TEXT.sub(text_of, text)

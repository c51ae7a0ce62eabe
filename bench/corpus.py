"""Deterministic synthetic note corpora N times the size of the default notes.

Copy 0 is the notes verbatim (so the eval questions keep their answers); every further copy rewords the
notes (seeded synonym swaps, bullet styles, a few blocks moved) and splits them into files of varied
size, some as Markdown with a title heading, in sub-folders. The same seed gives byte-identical files.

    python bench/corpus.py --scale 10 --out /tmp/corpus-10x
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

if __package__ in (None, ""):
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import DEFAULT_NOTES  # noqa: E402

SYNONYMS: dict[str, list[str]] = {
    "use": ["utilise", "employ", "make use of"], "used": ["utilised", "employed", "applied"],
    "data": ["information", "records", "dataset"], "store": ["keep", "hold", "persist"],
    "service": ["offering", "managed service", "product"], "create": ["build", "make", "set up"],
    "fast": ["quick", "rapid", "speedy"], "large": ["big", "huge", "massive"],
    "need": ["require", "want", "must have"], "run": ["execute", "launch", "operate"],
    "help": ["assist", "support", "aid"], "manage": ["administer", "handle", "oversee"],
    "model": ["ML model", "predictor", "estimator"], "cost": ["price", "spend", "expense"],
    "automatically": ["on its own", "without manual steps", "by itself"], "real time": ["live", "streaming"],
    "all": ["every", "each of the"], "get": ["obtain", "fetch", "retrieve"],
    "like": ["such as", "for example", "e.g."], "multiple": ["several", "many", "various"],
    "support": ["allow", "work with", "handle"], "when": ["whenever", "in case", "if"],
    "good": ["great", "well suited", "nice"], "instance": ["machine", "node", "server"],
}
_WORD = re.compile(r"\b(" + "|".join(sorted(map(re.escape, SYNONYMS), key=len, reverse=True)) + r")\b", re.I)
_BULLET = re.compile(r"^(\s*)- ")


@dataclass(frozen=True)
class CorpusInfo:
    scale: int
    root: Path
    files: int
    bytes: int


def _blocks(text: str) -> list[str]:
    """Blank-line separated blocks (kept whole so headings stay with their bullets)."""
    return [b.strip("\n") for b in re.split(r"\n\s*\n", text) if b.strip()]


def _reword(block: str, rng: random.Random) -> str:
    def swap(match: re.Match[str]) -> str:
        word = match.group(0)
        if rng.random() > 0.5:
            return word
        choice = rng.choice(SYNONYMS[word.lower()])
        return choice.capitalize() if word[0].isupper() else choice

    bullet = rng.choice(["- ", "* ", "• ", "- "])
    lines = [_BULLET.sub(lambda m: m.group(1) + bullet, line) for line in _WORD.sub(swap, block).split("\n")]
    return "\n".join(lines)


def _shuffle_locally(blocks: list[str], rng: random.Random, window: int = 8) -> list[str]:
    """Move blocks within small windows: reordered like rewritten notes, topics stay roughly together."""
    out: list[str] = []
    for i in range(0, len(blocks), window):
        part = blocks[i:i + window]
        rng.shuffle(part)
        out.extend(part)
    return out


def _split_files(blocks: list[str], rng: random.Random) -> list[list[str]]:
    files: list[list[str]] = []
    i = 0
    while i < len(blocks):
        size = rng.choice([6, 12, 20, 30, 45, 60])
        files.append(blocks[i:i + size])
        i += size
    return files


def _file_name(first_block: str, n: int, markdown: bool) -> str:
    words = re.findall(r"[A-Za-z0-9]+", first_block.lower())[:4] or ["notes"]
    return f"{n:02d}-{'-'.join(words)}.{'md' if markdown else 'txt'}"


def write_variant(text: str, copy: int, out: Path, seed: int) -> int:
    """Write reworded, re-split copy ``copy`` of ``text`` under ``out/copy-NNN``; returns the file count."""
    rng = random.Random(seed * 100_003 + copy)
    blocks = _shuffle_locally([_reword(b, rng) for b in _blocks(text)], rng)
    folder = out / f"copy-{copy:03d}"
    folder.mkdir(parents=True, exist_ok=True)
    parts = _split_files(blocks, rng)
    for n, part in enumerate(parts):
        markdown = rng.random() < 0.3
        body = "\n\n".join(part) + "\n"
        if markdown:
            title = re.sub(r"\s+", " ", part[0].split("\n", 1)[0])[:50].strip(" :-=>$#")
            body = f"# {title or 'Notes'}\n\n{body}"
        (folder / _file_name(part[0], n, markdown)).write_text(body, encoding="utf-8")
    return len(parts)


def build_corpus(scale: int, out: Path, source: Path = DEFAULT_NOTES, seed: int = 7) -> CorpusInfo:
    """Fill ``out`` (emptied first) with ``scale`` copies of the notes in ``source``."""
    notes = sorted(p for p in source.rglob("*") if p.suffix in (".txt", ".md") and p.is_file())
    if not notes:
        raise SystemExit(f"No .txt/.md notes in {source}")
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    files = 0
    for note in notes:
        shutil.copy2(note, out / note.name)
        files += 1
    for copy in range(1, scale):
        for note in notes:
            files += write_variant(note.read_text(encoding="utf-8"), copy, out / note.stem, seed)
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    return CorpusInfo(scale, out, files, size)


def change_files(root: Path, fraction: float, seed: int = 11) -> list[Path]:
    """Edit ``fraction`` of the files under ``root`` (at least one): one line reworded in each, as a user would."""
    files = sorted(p for p in root.rglob("*") if p.is_file())
    rng = random.Random(seed)
    picked = rng.sample(files, max(1, round(len(files) * fraction)))
    for path in picked:
        lines = path.read_text(encoding="utf-8").split("\n")
        candidates = [i for i, line in enumerate(lines) if len(line.strip()) > 20] or [0]
        i = rng.choice(candidates)
        lines[i] = lines[i].rstrip() + " (revised)"
        path.write_text("\n".join(lines), encoding="utf-8")
    return picked


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=int, default=10, help="Copies of the notes (1 = the notes as they are).")
    parser.add_argument("--out", type=Path, required=True, help="Folder to write (emptied first).")
    parser.add_argument("--source", type=Path, default=DEFAULT_NOTES, help="Notes folder to copy from.")
    parser.add_argument("--seed", type=int, default=7, help="Seed of the wording and file splits.")
    args = parser.parse_args()
    if args.scale < 1:
        parser.error("--scale must be 1 or more")
    info = build_corpus(args.scale, args.out, args.source, args.seed)
    print(f"{info.scale}x corpus: {info.files} files, {info.bytes / 1e6:.2f} MB in {info.root}")


if __name__ == "__main__":
    main()

"""The project's own import graph: no cycle, and no module imports from a layer above its own (issue #26).

Every import counts, at module level, inside functions and under ``TYPE_CHECKING``: each is a dependency
a reader has to follow. Read with ``ast``; nothing is imported."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SKIPPED_DIRS = {"tests", "notes", "docs", "node_modules", "__pycache__"}

#: Top-level packages and modules, lowest layer first. A module may import its own layer and those below.
LAYERS: list[set[str]] = [
    {"settings", "text"},  # configuration; words, stems and patterns every layer reads
    {"ingest", "prompts"},  # notes -> chunks; the prompt files
    {"embed"},  # the embedding model's runtime
    {"store"},  # catalog and vectors on disk, and the reads search makes of them
    {"indexing", "lines"},  # the index's two steps: sync the notes in; then their quotable lines' vectors
    {"retrieval"},  # question -> passages
    {"workspace"},  # one notes folder's settings, index and retriever
    {"backends"},  # the generative backends
    {"answer", "quiz"},  # answers and quizzes from the passages
    {"service", "chats"},  # the only orchestration; saved conversations
    {"commands", "ui"},  # the command line's commands; the app's pages
    {"cli", "app"},  # entry points
    {"bench"},  # measurements: may call anything
]

#: (importer, imported) edges not followed: none left. An entry here needs the issue that removes it.
KNOWN_CYCLE_EDGES: set[tuple[str, str]] = set()


def module_files() -> dict[str, Path]:
    """Every project module by dotted name (``store.index``; a package by its own name)."""
    found: dict[str, Path] = {}
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if any(p.startswith(".") or p in SKIPPED_DIRS for p in parts[:-1]):
            continue
        name = ".".join(parts)[: -len(".py")]
        found[name.removesuffix(".__init__")] = path
    return found


def imported_names(module: str, path: Path) -> Iterator[str]:
    """The dotted names ``module`` imports, each as written (``from a.b import c`` gives ``a.b.c``, which
    :func:`resolve` trims to the module it is)."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            yield from (f"{base}.{alias.name}" for alias in node.names)


def resolve(name: str, modules: dict[str, Path]) -> str | None:
    """The longest project module that ``name`` starts with; None for the standard library and packages."""
    parts = name.split(".")
    for end in range(len(parts), 0, -1):
        candidate = ".".join(parts[:end])
        if candidate in modules:
            return candidate
    return None


def import_graph() -> dict[str, set[str]]:
    modules = module_files()
    graph: dict[str, set[str]] = {}
    for module, path in modules.items():
        targets = {resolve(name, modules) for name in imported_names(module, path)}
        graph[module] = {t for t in targets if t is not None and t != module}
    return graph


def layer_of(module: str) -> int:
    top = module.split(".")[0]
    for rank, names in enumerate(LAYERS):
        if top in names:
            return rank
    raise AssertionError(f"{top} is in no layer: add it to LAYERS in {Path(__file__).name}")


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each sorted."""
    order: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        order[node] = low[node] = len(order)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in order:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], order[nxt])
        if low[node] == order[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in order:
            visit(node)
    return found


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    return import_graph()


def test_the_graph_sees_the_project(graph: dict[str, set[str]]) -> None:
    assert "store.index" in graph and "settings" in graph["store.index"]
    assert "indexing.watch" in graph["commands.indexing"]  # an import inside a function counts too
    assert not any(m.startswith("tests") for m in graph)


def test_every_module_has_a_layer(graph: dict[str, set[str]]) -> None:
    for module in graph:
        layer_of(module)


def test_no_import_from_a_layer_above(graph: dict[str, set[str]]) -> None:
    upward = [f"{m} (layer {layer_of(m)}) imports {t} (layer {layer_of(t)})"
              for m, targets in sorted(graph.items()) for t in sorted(targets) if layer_of(t) > layer_of(m)]
    assert not upward, "\n".join(upward)


def test_no_import_cycle(graph: dict[str, set[str]]) -> None:
    followed = {m: {t for t in targets if (m, t) not in KNOWN_CYCLE_EDGES} for m, targets in graph.items()}
    assert not cycles(followed), cycles(followed)


def test_cycles_are_found() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_only_the_command_line_imports_click(graph: dict[str, set[str]]) -> None:
    modules = module_files()
    importers = sorted(m for m, path in modules.items()
                       if any(n == "click" or n.startswith("click.") for n in imported_names(m, path)))
    assert all(m == "cli" or m.split(".")[0] == "commands" for m in importers), importers


def test_only_the_service_syncs_and_prepares_answers(graph: dict[str, set[str]]) -> None:
    """Sync-then-prepare is written once (``service.indexing``); benchmarks may time the steps alone."""
    callers = sorted(m for m, targets in graph.items() if "lines.prepare" in targets)
    assert all(m.split(".")[0] in ("service", "bench") for m in callers), callers


def test_only_the_service_builds_an_index(graph: dict[str, set[str]]) -> None:
    """Building an index (``indexing.sync_index``) is orchestration: the service calls it, and benchmarks may
    time it alone. Front ends may name its report types (``indexing.report``) and run the folder watcher,
    which is handed the service's sync."""
    builders = {"indexing", "indexing.sync"}
    callers = sorted(m for m, targets in graph.items() if targets & builders and m.split(".")[0] != "indexing")
    assert all(m.split(".")[0] in ("service", "bench") for m in callers), callers


def test_the_store_only_persists(graph: dict[str, set[str]]) -> None:
    """store/ keeps the index and reads it for search: reading notes (ingest's loaders, scan, chunker) and
    running the model (embed/) belong to the indexing step above it. Ingest's data types it may name."""
    data_types = {"ingest.model", "ingest.vault"}
    imported = sorted({t for m, targets in graph.items() if m.split(".")[0] == "store" for t in targets})
    assert not [t for t in imported if t.split(".")[0] in ("ingest", "embed") and t not in data_types], imported

"""Obsidian vaults (tests/data/vault, with an .obsidian/ folder): front matter, wikilinks, embeds, tags,
callouts, empty stubs, links and backlinks, filters by tag and folder, obsidian:// links and Anki tags.

The vault is indexed once per module with the real embedding model and a real Chroma store, in a folder
named "My Vault #1" (so the obsidian:// link has a vault name to encode)."""

from __future__ import annotations

import json
import shutil
import sqlite3
import zipfile
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from click.testing import CliRunner

from answer import Answerer
from cli import main
from indexing import sync_index
from ingest import chunk_document, load_document
from ingest.vault import display_text, obsidian_url, read_note
from quiz.chatmode import ChatQuiz
from quiz.generate import generate_questions
from quiz.store import ProgressStore
from retrieval.scope import Scope, parse_scope, scope_sources
from settings import Settings, load_settings
from workspace import open_workspace

VAULT = Path(__file__).resolve().parent / "data" / "vault"
OPTICS = "Physics/Optics.md"
BIG_BANG = "Cosmology/Big Bang Theory.md"


@pytest.fixture(scope="module")
def vault(tmp_path_factory: pytest.TempPathFactory, session_query_encoder_dir: Path) -> tuple[Path, Path, object]:
    """(notes folder, data folder, sync report) of the indexed test vault."""
    root = tmp_path_factory.mktemp("vaults")
    notes = root / "My Vault #1"
    shutil.copytree(VAULT, notes)
    data = root / "data"
    ws = open_workspace(Settings(notes_dir=notes, data_dir=data, query_encoder_dir=session_query_encoder_dir))
    try:
        report = sync_index(ws.index, ws.embedder)
    finally:
        ws.close()
    return notes, data, report


@pytest.fixture
def ws(vault):
    notes, data, _ = vault
    workspace = open_workspace(load_settings(notes_dir=notes, data_dir=data))
    yield workspace
    workspace.close()


def run_cli(vault, *args: str) -> str:
    notes, data, _ = vault
    result = CliRunner().invoke(main, [*args, "--notes", str(notes), "--data-dir", str(data)])
    assert result.exit_code == 0, result.output
    return result.output


def test_front_matter_is_not_text_and_lines_stay_exact(ws) -> None:
    chunks = ws.index.catalog.all_chunks()
    assert chunks
    for chunk in chunks:
        assert "aliases:" not in chunk.text and "course: PHYS 201" not in chunk.text and "---" not in chunk.text
        raw = (ws.settings.notes_dir / chunk.source).read_text(encoding="utf-8").split("\n")
        assert chunk.text == "\n".join(raw[chunk.start_line - 1:chunk.end_line])  # a citation opens the file there
    note = ws.index.catalog.notes()[OPTICS]
    assert note.title == "Optics" and note.aliases == ("Light physics", "Geometrical optics")
    assert note.meta == {"course": "PHYS 201", "created": "2024-09-01"}  # the rest: kept as metadata


def test_tags_from_front_matter_and_text_but_not_code(ws) -> None:
    notes = ws.index.catalog.notes()
    assert set(notes[OPTICS].tags) == {"physics", "optics", "lab"}
    assert set(notes[BIG_BANG].tags) == {"cosmology", "cosmology/origins"}
    assert notes["Biology/Cells.md"].tags == ("biology",)  # `#notatag` and a code comment are not tags


def test_an_alias_finds_the_note(ws) -> None:
    hits = ws.retriever.search("primordial expansion", 3).hits
    assert hits[0].chunk.source == BIG_BANG
    assert "Primordial expansion" in hits[0].chunk.heading
    assert ws.retriever.search("geometrical optics", 3).hits[0].chunk.source == OPTICS


def test_wikilinks_read_as_their_alias_embeds_skipped_callouts_labelled() -> None:
    text = ("see [[Refraction|bending of light]] and [[Big Bang Theory]]\n![[prism.png]]\n"
            "![[Optics]] and [[Optics#Refraction]]\n> [!note] Critical angle\nA ==thin lens==: $n = c/v$")
    assert display_text(text) == ("see bending of light and Big Bang Theory\n\nOptics and Optics > Refraction\n"
                                  "> Note: Critical angle\nA thin lens: $n = c/v$")


def test_cli_answer_quotes_the_alias_and_batch_quote_stays_the_files_lines(vault, tmp_path: Path) -> None:
    out = run_cli(vault, "ask", "What happens to light when it crosses into another medium?")
    assert "bending of light" in out and "[[" not in out
    assert "open in Obsidian: obsidian://open?vault=My%20Vault%20%231&file=Physics%2FOptics" in out
    questions = tmp_path / "q.jsonl"
    questions.write_text(json.dumps({"id": "q1", "question": "What happens to light when it crosses into "
                                     "another medium?"}) + "\n")
    line = json.loads(run_cli(vault, "ask", "--batch", str(questions)))
    notes = vault[0]
    for cite in line["citations"]:
        lines = (notes / cite["source"]).read_text(encoding="utf-8").split("\n")
        assert cite["quote"] in "\n".join(lines[cite["start_line"] - 1:cite["end_line"]])  # the batch contract
    assert any("[[Refraction|bending of light]]" in c["quote"] for c in line["citations"])


def test_image_embed_is_not_a_link_and_transclusion_is(ws) -> None:
    notes = ws.index.catalog.notes()
    assert notes[OPTICS].links == ("Refraction", "Big Bang Theory")  # ![[prism.png]] is no link
    assert notes[BIG_BANG].links == ("Optics",)  # ![[Optics]] is


def test_backlinks_are_listed_on_citations(ws) -> None:
    from ingest.vault import linked_from, outgoing_links

    notes = ws.index.catalog.notes()
    assert linked_from(notes, OPTICS) == [BIG_BANG, "Physics/Refraction.md"]
    assert outgoing_links(notes, OPTICS) == ["Physics/Refraction.md", BIG_BANG]
    answer = Answerer(ws).ask("What is total internal reflection?")
    assert not answer.refused and answer.citations[0].source == OPTICS
    assert answer.citations[0].linked_from == [BIG_BANG, "Physics/Refraction.md"]


def test_empty_notes_are_counted_not_failures(vault) -> None:
    _, _, report = vault
    assert report.count("empty") == 2
    assert not report.failed
    assert "2 empty" in report.summary()
    assert not any("Stub.md" in line or "Front matter only" in line for line in report.lines())


def test_search_filters_by_folder_and_tag(vault) -> None:
    out = json.loads(run_cli(vault, "search", "light", "--json", "--folder", "Cosmology"))
    assert out["hits"] and {h["source"] for h in out["hits"]} == {BIG_BANG}
    out = json.loads(run_cli(vault, "search", "light", "--json", "--tag", "physics"))
    assert {h["source"] for h in out["hits"]} <= {OPTICS, "Physics/Refraction.md"}
    assert "Physics/Refraction.md" in {h["source"] for h in out["hits"]}  # the nested tag physics/waves
    everything = json.loads(run_cli(vault, "search", "light", "--json"))
    assert len({h["source"] for h in everything["hits"]}) > 2  # no filter: the whole vault
    notes, data, _ = vault
    bad = CliRunner().invoke(main, ["search", "light", "--tag", "chemistry", "--notes", str(notes),
                                    "--data-dir", str(data)])
    assert bad.exit_code == 1 and "No indexed note is tagged #chemistry." in bad.output


def test_ask_filters_by_tag_in_the_question_and_by_option(ws, vault) -> None:
    question, scope = parse_scope("what is redshift #physics", ws.index.catalog)
    assert question == "what is redshift" and scope == Scope(("physics",))
    assert parse_scope("how do I use C# #nosuchtag", ws.index.catalog) == ("how do I use C# #nosuchtag", Scope())
    answer = Answerer(ws).ask("what does light do in:Cosmology")
    assert answer.citations and {c.source for c in answer.citations} == {BIG_BANG}
    out = run_cli(vault, "ask", "What is the cell's basic unit?", "--tag", "biology", "--json")
    assert {c["source"] for c in json.loads(out)["citations"]} == {"Biology/Cells.md"}


def test_quiz_filters_by_tag_and_folder(ws, vault, tmp_path: Path) -> None:
    export = tmp_path / "q.jsonl"
    run_cli(vault, "quiz", "--tag", "cosmology", "--export", str(export))
    sources = {json.loads(line)["source"] for line in export.read_text().splitlines()}
    assert sources == {BIG_BANG}
    run_cli(vault, "quiz", "--folder", "Biology", "--export", str(export))
    assert {json.loads(line)["source"] for line in export.read_text().splitlines()} == {"Biology/Cells.md"}
    # in the chat: "quiz me on #biology"
    bank = generate_questions(ws.index.catalog.all_chunks())
    store = ProgressStore(tmp_path / "quiz.sqlite3")
    quiz = ChatQuiz(store, "c1", bank=lambda: bank, grader=lambda q, t: None,
                    scope=lambda topic: scope_sources(ws.index.catalog, topic))
    replies = quiz.handle("quiz me on #biology")
    assert "Quiz on #biology" in replies[0].text
    assert quiz.pending is not None and quiz.pending.source == "Biology/Cells.md"
    store.close()


def test_obsidian_links_are_well_formed(vault) -> None:
    notes = vault[0]
    url = obsidian_url(notes, BIG_BANG)
    parsed = urlparse(url)
    assert parsed.scheme == "obsidian" and parsed.netloc == "open"
    assert url == "obsidian://open?vault=My%20Vault%20%231&file=Cosmology%2FBig%20Bang%20Theory"
    assert parse_qs(parsed.query) == {"vault": ["My Vault #1"], "file": ["Cosmology/Big Bang Theory"]}
    assert obsidian_url(Path(__file__).parent, "x.md") is None  # not a vault: no link


def test_anki_cards_carry_the_vault_tags(vault, tmp_path: Path) -> None:
    deck = tmp_path / "deck.apkg"
    run_cli(vault, "quiz", "--folder", "Cosmology", "--export-anki", str(deck))
    with zipfile.ZipFile(deck) as package:
        (tmp_path / "c.anki2").write_bytes(package.read("collection.anki2"))
    tags = [row[0] for row in sqlite3.connect(tmp_path / "c.anki2").execute("SELECT tags FROM notes")]
    assert tags and all("cosmology" in t.split() and "cosmology::origins" in t.split() for t in tags)


def test_outside_a_vault_markdown_reads_as_before(tmp_path: Path) -> None:
    note = tmp_path / "plain" / "n.md"
    note.parent.mkdir()
    text = (VAULT / OPTICS).read_text(encoding="utf-8")
    note.write_text(text, encoding="utf-8")
    doc = load_document(note, "n.md")
    assert doc.note is None and doc.lines == text.split("\n")  # front matter stays text, as before
    assert any("aliases:" in c.text for c in chunk_document(doc))
    lines, info = read_note(text.split("\n"))
    assert lines[:6] == [""] * 6 and len(lines) == len(text.split("\n")) and info.tags[:2] == ("physics", "optics")


def _citation_page(notes_dir: str) -> None:
    from pathlib import Path

    from ui.views.citations import render_context

    render_context(Path(notes_dir), "Physics/Optics.md", 16, 17, location="16-17",
                   linked_from=["Cosmology/Big Bang Theory.md"])


def test_app_citation_shows_alias_math_and_open_in_obsidian(vault) -> None:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_citation_page, args=(str(vault[0]),), default_timeout=60).run()
    assert not at.exception
    shown = "\n".join(m.value for m in at.markdown)
    assert "bending of light" in shown and "[[" not in shown  # the alias, not the link syntax
    assert r"$n_1 \sin\theta_1 = n_2 \sin\theta_2$" in shown  # left for Streamlit to draw as math
    assert "[Open in Obsidian](obsidian://open?vault=My%20Vault%20%231&file=Physics%2FOptics)" in shown
    assert any("Linked from: Cosmology/Big Bang Theory.md" in c.value.replace("\\", "") for c in at.caption)


def test_find_in_notes_narrows_by_folder_and_shows_aliases(ws) -> None:
    from ui.find import find_passages

    found = find_passages(ws, "light bending in:Physics")
    assert found and {p.source for p in found} <= {OPTICS, "Physics/Refraction.md"}
    optics = next(p for p in found if p.source == OPTICS)
    plain = optics.highlighted.replace("\\", "").replace("*", "")
    assert "bending of light" in plain and "[[" not in plain


def test_front_matter_alias_bomb_and_link_anchors_cost_nothing() -> None:
    rows = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for prev, name in zip("abcdefg", "bcdefgh", strict=True):
        rows.append(f"{name}: &{name} [{', '.join([f'*{prev}'] * 9)}]")  # 9^8 values once expanded
    lines, info = read_note(["---", *rows, "tags: *h", "aliases: *h", "title: *h", "---",
                             "see [the top](#anchor) #real"])
    assert info.tags == ("real",) and info.aliases == () and info.title == "" and info.meta == {}
    assert lines[-1] == "see [the top](#anchor) #real" and len(lines) == len(rows) + 6


def test_a_link_cut_between_streamed_pieces_still_reads_as_its_alias() -> None:
    from ingest.vault import display_stream

    pieces = ["see [[Refr", "action|bending", " of light]] here\nA ==thin", " lens== [1]"]
    assert "".join(display_stream(pieces)) == "see bending of light here\nA thin lens [1]"


def test_app_tag_chips_narrow_the_chat(vault, monkeypatch: pytest.MonkeyPatch) -> None:
    from streamlit.testing.v1 import AppTest

    notes, data, _ = vault
    monkeypatch.setenv("NOTEWISE_NOTES_DIR", str(notes))
    monkeypatch.setenv("NOTEWISE_DATA_DIR", str(data))
    at = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "app.py"), default_timeout=180).run()
    assert not at.exception and not at.error
    chips = at.sidebar.button_group(key="scope_tags")
    assert {"biology", "cosmology", "physics"} <= set(chips.options)
    chips.set_value(["cosmology"]).run()
    at.chat_input(key="chat_question").set_value("What does light do?").run()
    assert not at.exception and not at.error
    labels = [e.label.replace("\\", "") for e in at.chat_message[-1].expander]
    assert labels and all("Big Bang Theory.md" in label for label in labels)


def test_a_resync_still_counts_empty_notes_and_a_filled_stub_is_indexed(vault, tmp_path: Path) -> None:
    notes = tmp_path / "v"
    shutil.copytree(VAULT, notes)
    ws = open_workspace(load_settings(notes_dir=notes, data_dir=tmp_path / "d"))
    try:
        sync_index(ws.index, ws.embedder)
        again = sync_index(ws.index, ws.embedder)
        assert again.count("empty") == 2 and again.count("unchanged") == 4 and not again.lines()
        (notes / "Stub.md").write_text("# Stub\n\nA stub filled in later about #biology enzymes.\n", encoding="utf-8")
        filled = sync_index(ws.index, ws.embedder)
        assert filled.count("empty") == 1 and [f.source for f in filled.files if f.status == "changed"] == ["Stub.md"]
        assert "Stub.md" in ws.index.catalog.sources_in(tags=["biology"])
    finally:
        ws.close()

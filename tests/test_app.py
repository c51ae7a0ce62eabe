"""The Streamlit app's flows through streamlit.testing.v1.AppTest, on real indexes in tmp folders."""

from __future__ import annotations

import html
import json
import re
import socket
import time
from pathlib import Path

import pytest
from conftest import DEV_SET
from streamlit.testing.v1 import AppTest

from chats import ChatStore, chats_db_path
from settings import DEFAULT_NOTES_DIR, config_file_path
from ui.text import escape_markdown
from ui.views.state import MY_NOTES, OTHER_FOLDER, SAMPLE_NOTES

APP = str(Path(__file__).resolve().parent.parent / "app.py")
NOTES_FILE = DEFAULT_NOTES_DIR / "aws-study-notes.txt"
NOTE_LINES = NOTES_FILE.read_text(encoding="utf-8").split("\n")
CITED_LINE = re.compile(r"^`(\d+)` :orange-background\[(.*)\]$")
DEV = {q["id"]: q for q in map(json.loads, DEV_SET.read_text(encoding="utf-8").splitlines())}

pytestmark = pytest.mark.slow


def start_app() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=180)
    at.run()
    assert_clean(at)
    return at


def assert_clean(at: AppTest) -> None:
    """No traceback and no error box on the page."""
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def ask(at: AppTest, question: str):
    at.chat_input(key="chat_question").set_value(question).run()
    assert_clean(at)
    return at.chat_message[-1]


def plain(markdown: str) -> str:
    """What escaped markdown shows: backslash escapes and entities undone."""
    return html.unescape(re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown))


def click(block, label: str) -> None:
    next(b for b in block.button if b.label == label).click().run()


def expander_text(expander) -> str:
    return "\n".join(m.value for m in expander.markdown)


def cited_lines(expander) -> dict[int, str]:
    """Line number -> markdown of the highlighted (cited) lines shown in a citation's context."""
    found = {}
    for row in expander_text(expander).split("  \n"):
        match = CITED_LINE.match(row.strip())
        if match:
            found[int(match.group(1))] = match.group(2)
    return found


def in_ranges(line: int, ranges: list[list[int]]) -> bool:
    return any(a <= line <= b for a, b in ranges)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def app(default_settings, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    """The app on the shipped notes, over a private copy of the session's index."""
    monkeypatch.setenv("NOTEWISE_DATA_DIR", str(default_settings.data_dir))
    return start_app()


def test_first_run_builds_the_index_and_a_restart_reuses_it(notes_dir: Path, monkeypatch) -> None:
    (notes_dir / "kms.md").write_text("# KMS\nkms : key management service, one key encrypts and decrypts\n")
    (notes_dir / "sqs.txt").write_text("sqs : simple queue service, messages kept 4 days by default\n")
    monkeypatch.setenv("NOTEWISE_NOTES_DIR", str(notes_dir))
    at = start_app()
    assert "Index updated" in at.toast[0].value and "2 new" in at.toast[0].value
    assert "Files\\: 2" in at.sidebar.caption[-1].value
    again = start_app()
    assert "Index up to date" in again.toast[0].value
    assert "Files\\: 2" in again.sidebar.caption[-1].value


def test_reindex_button_picks_up_a_new_note_incrementally(notes_dir: Path, monkeypatch) -> None:
    (notes_dir / "kms.md").write_text("# KMS\nkms : key management service, one key encrypts and decrypts\n")
    monkeypatch.setenv("NOTEWISE_NOTES_DIR", str(notes_dir))
    at = start_app()
    (notes_dir / "glue.md").write_text("# Glue\nglue crawler : infers the schema and fills the data catalog\n")
    click(at.sidebar, "Re-index")
    assert_clean(at)
    assert "1 new" in at.toast[0].value and "1 unchanged" in at.toast[0].value
    at.text_input(key="find_query").input("crawler schema").run()
    assert plain(at.main.markdown[0].value).startswith("**1. glue.md:1-2")


def test_answer_cites_the_right_lines_and_a_citation_opens_on_them(app: AppTest) -> None:
    question = DEV["d01"]
    reply = ask(app, question["question"])
    assert "parquet : columnar storage" in plain(reply.markdown[0].value)
    first = reply.expander[0]
    assert plain(first.label).startswith("[1] aws-study-notes.txt:")
    lines = cited_lines(first)
    assert lines and all(in_ranges(n, question["gold_lines"]) for n in lines)
    for number, shown in lines.items():  # the highlighted text is the file's own line
        assert shown == (escape_markdown(NOTE_LINES[number - 1]) or "&nbsp;")
    start, end = min(lines), max(lines)
    assert f"`{start - 1}`" in expander_text(first)  # context around the span
    assert first.code[0].value == f"aws-study-notes.txt:{start}" + ("" if start == end else f"-{end}")


def test_follow_up_question_uses_the_conversation(app: AppTest) -> None:
    question = DEV["d24"]
    ask(app, question["history"][0])
    reply = ask(app, question["question"])
    assert "replicate secrets across multiple region" in plain(reply.markdown[0].value).lower()
    assert any(in_ranges(n, question["gold_lines"]) for e in reply.expander for n in cited_lines(e))


def test_question_the_notes_do_not_answer_is_refused_with_closest_passages(app: AppTest) -> None:
    reply = ask(app, DEV["d27"]["question"])
    assert "Your notes don't answer" in plain(reply.warning[0].value)
    assert not any(c.value == "Sources" for c in reply.caption)
    assert reply.expander and all(cited_lines(e) for e in reply.expander)  # each closest passage opens


def test_a_near_miss_is_refused_with_the_closest_lines_listed_once(app: AppTest) -> None:
    """The helpful refusal: why, in the question's words, then the closest lines as citations that open
    in place; the lines are not listed a second time in the text."""
    reply = ask(app, "What are the S3 storage classes?")
    warning = plain(reply.warning[0].value)
    assert "What are the S3 storage classes?" in warning and '"EKS"' in warning
    assert "Closest in your notes" not in warning
    assert [c.value for c in reply.caption].count("Closest in your notes") == 1
    assert any(502 in cited_lines(e) for e in reply.expander)


def sidebar_chats(at: AppTest) -> list[str]:
    """The labels of the sidebar's saved chats."""
    return [plain(b.label) for b in at.sidebar.button if b.key and b.key.startswith("chat_open_")]


def test_a_reload_draws_the_conversation_again_with_its_citations(app: AppTest) -> None:
    question = DEV["d01"]["question"]
    ask(app, question)
    conversation = app.query_params["chat"]
    reloaded = AppTest.from_file(APP, default_timeout=180)  # a page reload: a new session, the same URL
    reloaded.query_params["chat"] = conversation
    reloaded.run()
    assert_clean(reloaded)
    user, reply = reloaded.chat_message
    assert plain(user.markdown[0].value) == question
    assert "parquet : columnar storage" in plain(reply.markdown[0].value)
    assert reply.expander and cited_lines(reply.expander[0])


def test_a_reply_is_saved_before_its_citations_are_drawn(app: AppTest, default_settings, monkeypatch) -> None:
    """A reload right after the reply appears ends the session while it draws the citations, and no later run
    of that session saves what it had not: the question and the reply are saved before the drawing."""
    import ui.views.chat as chat_view

    def session_ended(*_args, **_kwargs) -> None:
        raise RuntimeError("the browser reloaded the page")

    monkeypatch.setattr(chat_view, "render_answer", session_ended)
    app.chat_input(key="chat_question").set_value(DEV["d01"]["question"]).run()
    assert app.error or app.exception  # the run was cut off while drawing
    with ChatStore(chats_db_path(default_settings.data_dir)) as store:
        turns = store.turns(app.query_params["chat"])
    assert [t["role"] for t in turns] == ["user", "assistant"]
    assert "parquet : columnar storage" in turns[1]["content"]


def test_a_question_whose_run_was_cut_off_says_so_and_is_answered_on_ask_again(default_settings,
                                                                                monkeypatch) -> None:
    """A run cut off while answering (a folder switch reruns the page) leaves the question with no reply: the
    page says so and "Ask again" answers it, with its citations, instead of leaving it silently unanswered."""
    question, cut_off_chat = DEV["d01"]["question"], "0123456789abcdef"
    with ChatStore(chats_db_path(default_settings.data_dir)) as store:  # what the cut-off run had saved
        store.append(cut_off_chat, str(DEFAULT_NOTES_DIR), [{"role": "user", "content": question, "quiz": False}])
    monkeypatch.setenv("NOTEWISE_DATA_DIR", str(default_settings.data_dir))
    at = AppTest.from_file(APP, default_timeout=180)
    at.query_params["chat"] = cut_off_chat
    at.run()
    assert_clean(at)
    assert len(at.chat_message) == 1 and any("Not answered" in plain(c.value) for c in at.caption)
    at.button(key="chat_ask_again").click().run()
    assert_clean(at)
    user, reply = at.chat_message
    assert plain(user.markdown[0].value) == question
    assert "parquet : columnar storage" in plain(reply.markdown[0].value)
    assert reply.expander and cited_lines(reply.expander[0])
    assert not any("Not answered" in plain(c.value) for c in at.caption)
    with ChatStore(chats_db_path(default_settings.data_dir)) as store:  # the reply is saved: a reload has it
        assert [t["role"] for t in store.turns(cut_off_chat)] == ["user", "assistant"]


def test_new_chat_starts_another_id_and_the_old_chat_is_listed_and_reopens(app: AppTest) -> None:
    question = DEV["d02"]["question"]
    ask(app, question)
    first = app.query_params["chat"]
    assert len(app.chat_message) == 2
    click(app.sidebar, "New chat")
    assert_clean(app)
    assert len(app.chat_message) == 0 and app.query_params["chat"] != first
    assert sidebar_chats(app) == [f"{question} · notes"]
    app.button(key=f"chat_open_{first}").click().run()
    assert_clean(app)
    assert app.query_params["chat"] == first and len(app.chat_message) == 2


def test_a_deleted_chat_leaves_the_list_and_its_page_starts_empty(app: AppTest) -> None:
    ask(app, DEV["d02"]["question"])
    first = app.query_params["chat"]
    app.button(key=f"chat_delete_{first}").click().run()
    assert_clean(app)
    assert sidebar_chats(app) == [] and len(app.chat_message) == 0 and app.query_params["chat"] != first
    again = AppTest.from_file(APP, default_timeout=180)
    again.query_params["chat"] = first
    again.run()
    assert not again.chat_message


def test_find_in_notes_ranks_passages_with_terms_marked_and_context(app: AppTest) -> None:
    app.text_input(key="find_query").input("multipart upload").run()
    assert_clean(app)
    label, passage = app.main.markdown[0].value, app.main.markdown[1].value
    span = re.search(r"aws\\-study\\-notes\\\.txt\\:(\d+)\\-(\d+)", label)
    assert span and "**multipart**" in passage and "**upload**" in passage
    lines = cited_lines(app.main.expander[0])
    assert (min(lines), max(lines)) == (int(span.group(1)), int(span.group(2)))
    assert all(shown == (escape_markdown(NOTE_LINES[n - 1]) or "&nbsp;") for n, shown in lines.items())


def test_settings_are_saved_and_restored_on_restart(app: AppTest, monkeypatch) -> None:
    monkeypatch.setenv("NOTEWISE_OPENAI_BASE_URL", f"http://127.0.0.1:{free_port()}/v1")
    app.slider(key="top_k").set_value(7).run()
    app.selectbox(key="backend").set_value("openai").run()
    assert_clean(app)
    saved = config_file_path().read_text()
    assert "top_k = 7" in saved and 'backend = "openai"' in saved
    again = start_app()
    assert again.slider(key="top_k").value == 7
    assert again.selectbox(key="backend").value == "openai"


def test_a_setting_that_cannot_be_saved_says_so_in_one_line(app: AppTest) -> None:
    config_file_path().mkdir(parents=True)  # a folder where the config file should go: the write fails
    app.slider(key="top_k").set_value(9).run()
    assert not app.exception
    assert "Saving your choices failed" in app.error[0].value
    assert app.tabs  # the rest of the page still works


def test_unreachable_backend_says_so_and_answers_extractively(app: AppTest, monkeypatch) -> None:
    monkeypatch.setenv("NOTEWISE_OPENAI_BASE_URL", f"http://127.0.0.1:{free_port()}/v1")
    app.selectbox(key="backend").set_value("openai").run()
    assert_clean(app)
    assert app.sidebar.warning and "extractive" in app.sidebar.warning[0].value
    reply = ask(app, DEV["d01"]["question"])
    assert "parquet : columnar storage" in plain("\n".join(m.value for m in reply.markdown))
    assert reply.info and "extractive" in reply.info[0].value
    assert app.session_state["messages"][-1]["answer"].backend == "extractive"


def until_indexed(at: AppTest, timeout_s: float = 300) -> None:
    """Rerun the page until no folder indexes in the background (the previous one answers meanwhile)."""
    deadline = time.monotonic() + timeout_s
    while any(b.key == "cancel_indexing" for b in at.button):
        assert time.monotonic() < deadline, "the new folder never finished indexing"
        time.sleep(0.5)
        at.run()
    assert_clean(at)


def test_upload_saves_into_my_notes_never_overwriting_and_indexes_it(app: AppTest, default_settings) -> None:
    uploads = default_settings.effective_uploads_dir
    first = b"# KMS\nkms : key management service, one key encrypts and decrypts\n"
    app.file_uploader[0].set_value(("kms.md", first, "text/markdown")).run()
    assert_clean(app)
    assert any("Saved kms.md" in plain(s.value) for s in app.sidebar.success)
    until_indexed(app)
    assert app.radio(key="notes_choice").value == MY_NOTES
    assert (uploads / "kms.md").read_bytes() == first
    app.text_input(key="find_query").input("key management").run()
    assert "kms.md" in plain(app.main.markdown[0].value)

    second = b"# KMS\nkms keys rotate every year when rotation is on\n"
    app.file_uploader[0].set_value(("kms.md", second, "text/markdown")).run()
    assert any("Saved kms-1.md" in plain(s.value) for s in app.sidebar.success)
    assert (uploads / "kms.md").read_bytes() == first and (uploads / "kms-1.md").read_bytes() == second
    app.file_uploader[0].set_value(("kms.md", first, "text/markdown")).run()
    assert any("already in your notes" in s.value for s in app.sidebar.success)
    assert sorted(p.name for p in uploads.iterdir()) == ["kms-1.md", "kms.md"]
    app.radio(key="notes_choice").set_value(SAMPLE_NOTES).run()  # back to the sample notes: the list empties
    assert_clean(app)
    assert not app.file_uploader[0].value


def test_note_html_is_shown_as_text(notes_dir: Path, monkeypatch) -> None:
    (notes_dir / "evil.md").write_text("xss test : <img src=x onerror=alert(1)> and <script>alert(2)</script>\n")
    monkeypatch.setenv("NOTEWISE_NOTES_DIR", str(notes_dir))
    at = start_app()
    at.text_input(key="find_query").input("xss test").run()
    shown = "\n".join(m.value for m in at.main.markdown)
    assert "&lt;img src\\=x onerror\\=alert\\(1\\)&gt;" in shown and "&lt;script&gt;" in shown
    assert "<img" not in shown and "<script" not in shown
    assert not at.get("html")


def test_empty_notes_folder_gives_guidance(notes_dir: Path, monkeypatch) -> None:
    monkeypatch.setenv("NOTEWISE_NOTES_DIR", str(notes_dir))
    at = start_app()
    assert "No notes to answer from" in at.info[0].value
    assert not at.tabs


def test_a_missing_notes_folder_says_so_and_keeps_the_sidebar(app: AppTest, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))  # a typed folder must lie under an allowed root: home by default
    app.radio(key="notes_choice").set_value(OTHER_FOLDER).run()
    app.text_input(key="notes_path").input(str(tmp_path / "nowhere")).run()
    assert not app.exception
    assert "does not exist" in app.warning[0].value and not app.tabs
    app.radio(key="notes_choice").set_value(SAMPLE_NOTES).run()
    assert_clean(app)
    assert app.tabs


def test_a_folder_is_saved_as_the_default_only_once_it_has_indexed(app: AppTest, tmp_path: Path,
                                                                    monkeypatch) -> None:
    """A mistyped folder is never written to the config file (every later start and CLI command without
    --notes would fail on it); a folder that indexes is, once it has."""
    monkeypatch.setenv("HOME", str(tmp_path))  # a typed folder must lie under an allowed root: home by default
    app.radio(key="notes_choice").set_value(OTHER_FOLDER).run()
    app.text_input(key="notes_path").input(str(tmp_path / "does-not-exist")).run()
    assert "does not exist" in app.warning[0].value
    saved = config_file_path().read_text() if config_file_path().exists() else ""
    assert "does-not-exist" not in saved
    notes = tmp_path / "biology"
    notes.mkdir()
    (notes / "cells.md").write_text("# Cells\nmitochondria : where the cell makes its energy (ATP)\n")
    app.text_input(key="notes_path").input(str(notes)).run()
    until_indexed(app)  # the sample notes answer until it has
    assert f'notes_dir = "{notes}"' in config_file_path().read_text()


def test_a_broken_config_file_shows_one_line_not_a_traceback(tmp_path: Path) -> None:
    config_file_path().parent.mkdir(parents=True, exist_ok=True)
    config_file_path().write_text("top_k = = 3\n")
    at = AppTest.from_file(APP, default_timeout=180).run()
    assert not at.exception
    assert "not valid TOML" in at.error[0].value and "Traceback" not in at.error[0].value


def test_a_data_folder_that_is_a_file_shows_one_line_not_a_traceback(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "data-file").write_text("not a folder")
    monkeypatch.setenv("NOTEWISE_DATA_DIR", str(tmp_path / "data-file"))
    at = AppTest.from_file(APP, default_timeout=180).run()
    assert not at.exception, [e.value for e in at.exception]
    shown = plain(" ".join(e.value for e in at.error))
    assert "is a file, not a folder: point NOTEWISE_DATA_DIR" in shown and "Traceback" not in shown


def test_quiz_tab_shows_choices_from_the_notes_as_text(app: AppTest) -> None:
    """A choice is text from the notes: a Markdown link or image in it is shown as typed, never rendered."""
    import dataclasses

    click(app, "Start quiz")
    session = app.session_state["quiz_session"]
    hostile = ("[click me](https://example.org/x)", "![pixel](https://example.org/p.png)", "**bold**", "plain")
    session.questions[0] = dataclasses.replace(session.current, kind="mcq", choices=hostile, answer="plain")
    app.run()
    assert_clean(app)
    options = app.tabs[2].radio[0].options
    assert [plain(o) for o in options] == [f"{letter}. {c}" for letter, c in zip("ABCD", hostile, strict=True)]
    assert all("](" not in o.replace("\\]", "") for o in options)  # every bracket is escaped


def test_quiz_tab_grades_an_answer_and_shows_its_source(app: AppTest) -> None:
    click(app, "Start quiz")
    assert_clean(app)
    session = app.session_state["quiz_session"]
    question = session.current
    if question.choices:
        letter = chr(65 + question.choices.index(question.answer))
        app.tabs[2].radio[0].set_value(f"{letter}. {question.answer}")
    else:
        next(t for t in app.tabs[2].text_input if t.label == "Your answer").input(question.answer)
    click(app.tabs[2], "Check")
    assert_clean(app)
    assert app.tabs[2].success and app.tabs[2].success[0].value.startswith("Correct")
    assert cited_lines(app.tabs[2].expander[-1])  # the source opens on the question's lines
    assert app.tabs[2].dataframe  # progress by topic
    shown = "\n".join(m.value for m in app.tabs[2].markdown).replace("\\", "")
    assert "Due now: 0 of 1 card. Next due after that:" in shown  # FSRS: due counts and the next due date
    downloads = {b.label: b for b in app.tabs[2].download_button}
    assert set(downloads) == {"Anki deck (.apkg)", "CSV (front, back, source, tags)"}


SECOND_FOLDER = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "deeplearning-ai-notes"


@pytest.mark.skipif(not SECOND_FOLDER.is_dir(), reason="needs ../shared/corpora/deeplearning-ai-notes")
def test_a_folder_indexing_in_the_background_leaves_the_chat_answering_and_cancel_goes_back(
        app: AppTest, tmp_path: Path, monkeypatch) -> None:
    import shutil

    monkeypatch.setenv("HOME", str(tmp_path))
    folder = tmp_path / "deeplearning-ai-notes"
    shutil.copytree(SECOND_FOLDER, folder)
    app.radio(key="notes_choice").set_value(OTHER_FOLDER).run()
    app.text_input(key="notes_path").input(str(folder)).run()
    assert_clean(app)
    assert any("Indexing deeplearning-ai-notes" in plain(m.value) for m in app.markdown)
    assert any(b.key == "cancel_indexing" for b in app.button)
    reply = ask(app, DEV["d01"]["question"])  # the sample notes answer meanwhile
    assert "parquet : columnar storage" in plain(reply.markdown[0].value)
    app.button(key="cancel_indexing").click().run()
    assert_clean(app)
    assert any("was cancelled" in plain(s.value) for s in app.success)
    assert not any(b.key == "cancel_indexing" for b in app.button)
    assert app.text_input(key="notes_path").value == str(DEFAULT_NOTES_DIR)  # the choice that answered
    assert any(plain(c.value).startswith("Notes: notes (") for c in app.main.caption)  # the chat's folder

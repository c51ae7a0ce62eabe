"""The Quiz me tab: questions from the notes, graded answers with their source lines, progress by topic."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

import streamlit as st

import service
from quiz import Grade, ProgressStore, Question, QuizSession, topics
from quiz.export import anki_package, csv_bytes, deck_name
from quiz.plan import exam_plan, save_exam, saved_exam
from ui.text import escape_block, escape_markdown
from ui.views.citations import citation_label, render_context
from workspace import Workspace

ANY_TOPIC = "Any topic"
SESSION_KEY = "quiz_session"
LAST_KEY = "quiz_last"


def start_quiz(ws: Workspace, topic: str = "", n: int = 10, weakest_first: bool = False) -> QuizSession:
    """Begin a quiz for this browser session (also used by the chat's "quiz me on ..."); ValueError if no match."""
    with st.spinner("Preparing questions from your notes…"):
        questions = service.quiz_questions(ws)
    old = st.session_state.get(SESSION_KEY)
    if old is not None:
        old.store.close()
    session = QuizSession.start(questions, ProgressStore(ws.settings.quiz_db_path), topic=topic, n=n,
                                weakest_first=weakest_first, embedder=ws.embedder)
    st.session_state[SESSION_KEY] = session
    st.session_state[LAST_KEY] = None
    return session


def render_quiz(ws: Workspace) -> None:
    with st.spinner("Preparing questions from your notes…"):
        questions = service.quiz_questions(ws)
    if not questions:
        st.info("No quiz questions could be made from these notes yet: the quiz draws on definitions, "
                "lists and terms (lines such as 'term : meaning').")
        return
    _render_start(ws, questions)
    _render_exam(ws, questions)
    _render_downloads(ws, questions)
    session: QuizSession | None = st.session_state.get(SESSION_KEY)
    last: tuple[Question, Grade] | None = st.session_state.get(LAST_KEY)
    if last is not None:
        _render_grade(ws, *last)
    if session is not None:
        _render_current(session)
    _render_progress(ws, questions)


def _render_start(ws: Workspace, questions: list[Question]) -> None:
    names = [ANY_TOPIC] + [f"{topic} ({count})" for topic, count in topics(questions)]
    with st.expander("New quiz", expanded=st.session_state.get(SESSION_KEY) is None):
        choice = st.selectbox("Topic", names, key="quiz_topic")
        n = st.slider("Questions", 3, 20, 10, key="quiz_n")
        weakest = st.checkbox("Weakest topics first", key="quiz_weakest")
        if st.button("Start quiz", type="primary"):
            topic = "" if choice == ANY_TOPIC else choice.rsplit(" (", 1)[0]
            try:
                start_quiz(ws, topic, n, weakest)
            except ValueError as exc:
                st.warning(escape_markdown(str(exc)))


def _render_exam(ws: Workspace, questions: list[Question]) -> None:
    """The exam date field and its daily plan; "quiz me" in the chat follows the saved plan."""
    store = ProgressStore(ws.settings.quiz_db_path)
    try:
        saved = saved_exam(store)
        with st.expander("Exam plan", expanded=saved is not None):
            picked = st.date_input("Exam date", value=saved, key="quiz_exam", min_value=date.today())
            if picked != saved:
                save_exam(store, picked or None)
                saved = picked or None
            if saved is None:
                st.caption("Set your exam date for a daily plan: cards a day, weakest topics first.")
                return
            plan = exam_plan(questions, store, saved)
            for line in plan.lines:
                st.markdown(escape_markdown(line))
            if plan.today and plan.days > 0 and st.button("Start today's cards", key="quiz_exam_start"):
                old = st.session_state.get(SESSION_KEY)
                if old is not None:
                    old.store.close()
                st.session_state[SESSION_KEY] = QuizSession(plan.today, ProgressStore(ws.settings.quiz_db_path),
                                                            ws.embedder)
                st.session_state[LAST_KEY] = None
    finally:
        store.close()


def _render_downloads(ws: Workspace, questions: list[Question]) -> None:
    """The questions as cards for Anki (.apkg) and for Quizlet and other apps (.csv)."""
    note_tags = {source: note.tags for source, note in ws.index.catalog.notes().items()}
    with st.expander(f"Export {len(questions)} cards (Anki, CSV)"):
        deck = deck_name(ws.settings.notes_dir, st.text_input("Deck name", value=deck_name(ws.settings.notes_dir),
                                                              key="quiz_deck"))
        left, right = st.columns(2)
        left.download_button("Anki deck (.apkg)", data=lambda: anki_package(questions, deck, note_tags),
                             file_name=f"{deck}.apkg", mime="application/octet-stream", key="quiz_anki")
        right.download_button("CSV (front, back, source, tags)", data=lambda: csv_bytes(questions, note_tags),
                              file_name=f"{deck}.csv", mime="text/csv", key="quiz_csv")
        st.caption(f'Deck "{deck}"; importing a newer export into Anki updates these cards instead of '
                   "adding copies.")


def _render_current(session: QuizSession) -> None:
    right, answered = session.score
    question = session.current
    if question is None:
        st.success(f"Quiz done: {right} of {answered} right. Start another above.")
        return
    st.markdown(f"**Question {answered + 1} of {len(session.questions)}** · score {right}/{answered}")
    st.markdown(escape_block(question.question))
    with st.form(f"quiz-{answered}", clear_on_submit=True):
        if question.choices:
            labels = [f"{chr(65 + i)}. {c}" for i, c in enumerate(question.choices)]
            # Shown escaped, as the chat shows them: a choice from the notes is text, never a link or an image.
            picked = st.radio("Your answer", labels, index=None, format_func=escape_markdown)
            given = question.choices[labels.index(picked)] if picked else ""
        else:
            given = st.text_input("Your answer")
        submitted = st.form_submit_button("Check")
    if submitted and given.strip():
        st.session_state[LAST_KEY] = (question, session.answer(given))
        st.rerun()


def _render_grade(ws: Workspace, question: Question, result: Grade) -> None:
    show = {"correct": st.success, "partly": st.warning}.get(result.verdict, st.error)
    show(escape_markdown(result.feedback))  # opens with its verdict: Correct. / Partly right. / Not quite.
    st.caption(escape_markdown(f"Expected: {result.expected}"))
    location = f"{question.start_line}-{question.end_line}"
    with st.expander(citation_label(None, question.source, location, question.heading)):
        render_context(ws.settings.notes_dir, question.source, question.start_line, question.end_line,
                       location=location, quote=question.quote)


def _render_progress(ws: Workspace, questions: list[Question]) -> None:
    store = ProgressStore(ws.settings.quiz_db_path)
    try:
        rows = store.progress_by_topic()
        due = store.due_summary(question_ids={q.id for q in questions})
    finally:
        store.close()
    if due.text:
        st.markdown(escape_markdown(due.text))
    if not rows:
        return
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for row in rows:
        totals[row.topic][0] += row.answered
        totals[row.topic][1] += row.correct
    st.subheader("Progress by topic")
    st.dataframe([{"Topic": t, "Answered": a, "Right": r, "Accuracy": f"{r / a:.0%}"}
                  for t, (a, r) in sorted(totals.items(), key=lambda kv: kv[1][1] / kv[1][0])],
                 hide_index=True)

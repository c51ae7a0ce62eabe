"""Saved chats in the page: the conversation of the URL's ``?chat=`` id, drawn again after a reload, and the
sidebar's list of earlier chats (open, delete, New chat). Storage is :mod:`chats`; this module only keeps
the session's copy of the turns in step with it.

The session keeps the turns of one chat (``messages``) and how many of them are saved; every run first
saves the unsaved tail (a run cut short by a click still had its turns saved by the next one)."""

from __future__ import annotations

import uuid
from typing import Any

import streamlit as st

from chats import ChatStore, ChatSummary, chats_db_path
from ui.text import escape_markdown
from ui.views import state
from ui.views.chat_quiz import CONVERSATION_PARAM, conversation_id
from ui.views.gate import app_is_exposed

MESSAGES = "messages"
LOADED_CHAT = "messages_chat"  # the chat id the session's messages belong to
SAVED = "messages_saved"  # how many of them are in the store
OPENED = "chats_opened"  # ids this session has used (an exposed app lists only these)
LISTED = 20


def _store() -> ChatStore:
    return ChatStore(chats_db_path(state.current_settings().data_dir))


def open_messages() -> list[dict[str, Any]]:
    """The turns of the URL's chat, read from the store when the session holds another chat's (or none)."""
    ss = st.session_state
    chat = conversation_id()
    messages: list[dict[str, Any]] = ss.setdefault(MESSAGES, [])
    if ss.get(LOADED_CHAT) == chat:
        save_messages(messages)
        return messages
    with _store() as store:
        messages = ss[MESSAGES] = store.turns(chat)
    ss[LOADED_CHAT], ss[SAVED] = chat, len(messages)
    ss.setdefault(OPENED, set()).add(chat)
    return messages


def save_messages(messages: list[dict[str, Any]]) -> None:
    """Append the turns not saved yet to the session's chat (one transaction)."""
    ss = st.session_state
    chat, saved = ss.get(LOADED_CHAT), int(ss.get(SAVED, 0))
    if chat is None or len(messages) <= saved:
        return
    with _store() as store:
        store.append(chat, str(state.current_settings().notes_dir), messages[saved:])
    ss[SAVED] = len(messages)


def _switch_to(chat: str) -> None:
    st.query_params[CONVERSATION_PARAM] = chat
    st.session_state.pop(LOADED_CHAT, None)


@state.safe_callback("Starting a new chat")
def new_chat() -> None:
    """A fresh conversation id; the current chat stays saved and listed."""
    _switch_to(uuid.uuid4().hex[:16])


@state.safe_callback("Opening the chat")
def open_chat(chat: str) -> None:
    _switch_to(chat)


@state.safe_callback("Deleting the chat")
def delete_chat(chat: str) -> None:
    with _store() as store:
        store.delete(chat)
    if chat == st.session_state.get(LOADED_CHAT):
        _switch_to(uuid.uuid4().hex[:16])


def listed_chats() -> list[ChatSummary]:
    """The chats the sidebar lists, newest first; an app exposed beyond this machine lists only the ones
    this browser session used (the file is shared by everyone who signs in)."""
    with _store() as store:
        chats = store.chats(LISTED)
    if app_is_exposed():
        mine = st.session_state.get(OPENED, set())
        chats = [c for c in chats if c.id in mine]
    return chats


def render_chat_list() -> None:
    """The sidebar's Chats section: New chat, then each saved chat (its first question and folder) with a
    delete button; the open chat is marked."""
    st.header("Chats")
    st.button("New chat", icon=":material/add_comment:", on_click=new_chat, key="chat_new",
              help="Start a new conversation; this one stays saved below.")
    current = st.session_state.get(LOADED_CHAT)
    for chat in listed_chats():
        title, delete = st.columns([6, 1], vertical_alignment="center")
        label = f"{chat.title} · {chat.folder_name}"
        title.button(escape_markdown(label), key=f"chat_open_{chat.id}", on_click=open_chat, args=(chat.id,),
                     type="primary" if chat.id == current else "tertiary", use_container_width=True,
                     help=escape_markdown(f"Started on {chat.notes_dir}; last used {chat.updated_at:%Y-%m-%d %H:%M} UTC"))
        delete.button(":material/delete:", key=f"chat_delete_{chat.id}", on_click=delete_chat,
                      args=(chat.id,), type="tertiary", help="Delete this chat")

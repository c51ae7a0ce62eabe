"""Saved conversations: each chat's turns under its ``?chat=`` id, in SQLite in the data folder."""

from chats.codec import decode_turn, encode_turn
from chats.store import ChatStore, ChatSummary, chats_db_path

__all__ = ["ChatStore", "ChatSummary", "chats_db_path", "decode_turn", "encode_turn"]

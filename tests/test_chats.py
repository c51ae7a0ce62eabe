"""The saved chats (chats/): a real SQLite file in tmp_path, every turn kind written and read back."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from answer.model import Answer, Citation
from chats import ChatStore, chats_db_path, decode_turn, encode_turn
from ingest.model import Chunk
from quiz.chatreplies import Ask, Graded, MovedOn, Say, Summary
from quiz.model import Question
from retrieval import Hit

QUESTION = Question("mcq", "Which service queues messages?", "sqs", "aws.txt", 3, 4, "Queues", "Queues",
                    "sqs : simple queue service", ("sqs",), choices=("sqs", "sns", "kms"), siblings=("sns",))
T0 = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)


def answer_turn() -> dict:
    cite = Citation(1, "aws.txt", 3, 4, "sqs : simple queue service", "Queues", "3-4", also=[("b.md", 7, 7)])
    hit = Hit(Chunk("aws.txt", 3, 4, "Queues", "sqs : simple queue service"), 0.9, 1)
    answer = Answer("what is sqs?", "SQS is a queue [1].", False, [cite], [hit], "extractive", None, 0.8, 0.7)
    return {"role": "assistant", "content": answer.text, "answer": answer, "notes_dir": "/notes"}


@pytest.fixture
def store(tmp_path: Path):
    with ChatStore(chats_db_path(tmp_path)) as opened:
        yield opened


def test_every_turn_kind_comes_back_equal(store: ChatStore) -> None:
    turns = [{"role": "user", "content": "what is sqs?"}, answer_turn(),
             {"role": "user", "content": "quiz me", "quiz": True},
             {"role": "assistant", "content": "q", "quiz": Ask("abc", 1, 5, QUESTION, "Back."), "notes_dir": "/n"},
             {"role": "assistant", "content": "g", "quiz": Graded(QUESTION, "wrong", "No.", "sqs", "kms"),
              "notes_dir": "/n"},
             {"role": "assistant", "content": "m", "quiz": MovedOn("moved"), "notes_dir": "/n"},
             {"role": "assistant", "content": "s", "quiz": Summary(1, 2, 0, 1, ("Queues",), "due"), "notes_dir": "/n"},
             {"role": "assistant", "content": "Could not answer: x", "error": "Could not answer: x"}]
    assert store.append("c1", "/notes", turns, at=T0) == len(turns)
    back = store.turns("c1")
    assert back == turns
    assert back[1]["answer"].citations[0].also_at() == ["b.md:7"]
    assert isinstance(back[5]["quiz"], MovedOn) and isinstance(back[5]["quiz"], Say)


def test_appends_keep_order_and_the_first_question_is_the_title(store: ChatStore) -> None:
    store.append("c1", "/notes/aws", [{"role": "user", "content": "  what is kms?  "}], at=T0)
    store.append("c1", "/notes/aws", [answer_turn(), {"role": "user", "content": "and sqs?"}], at=T0)
    assert [t["content"] for t in store.turns("c1")][::2] == ["  what is kms?  ", "and sqs?"]
    (chat,) = store.chats()
    assert (chat.id, chat.title, chat.folder_name) == ("c1", "what is kms?", "aws")


def test_chats_are_listed_newest_first_and_untitled_ones_are_not(store: ChatStore) -> None:
    store.append("old", "/a", [{"role": "user", "content": "first"}], at=T0)
    store.append("new", "/b", [{"role": "user", "content": "second"}], at=T0 + timedelta(minutes=5))
    store.append("quiet", "/b", [{"role": "assistant", "content": "hello"}], at=T0 + timedelta(minutes=9))
    assert [c.id for c in store.chats()] == ["new", "old"]


def test_delete_removes_the_chat_and_its_turns(store: ChatStore, tmp_path: Path) -> None:
    store.append("c1", "/a", [{"role": "user", "content": "q"}, answer_turn()], at=T0)
    store.append("c2", "/a", [{"role": "user", "content": "other"}], at=T0)
    assert store.delete("c1") and not store.delete("c1")
    assert store.turns("c1") == [] and store.get("c1") is None and [c.id for c in store.chats()] == ["c2"]
    rows = sqlite3.connect(chats_db_path(tmp_path)).execute("SELECT COUNT(*) FROM turns").fetchone()[0]
    assert rows == 1


def test_a_failed_write_leaves_the_chat_as_it_was(store: ChatStore) -> None:
    store.append("c1", "/a", [{"role": "user", "content": "q"}], at=T0)
    store.db.execute("CREATE TRIGGER full BEFORE INSERT ON turns WHEN NEW.seq = 2 "
                     "BEGIN SELECT RAISE(ABORT, 'disk full'); END")
    with pytest.raises(sqlite3.IntegrityError):  # the second turn cannot be written: neither is
        store.append("c1", "/a", [{"role": "user", "content": "kept?"}, {"role": "user", "content": "no"}])
    assert [t["content"] for t in store.turns("c1")] == ["q"] and store.get("c1").updated_at == T0


def test_an_unreadable_turn_is_skipped_not_fatal(store: ChatStore) -> None:
    store.append("c1", "/a", [{"role": "user", "content": "q"}, {"role": "user", "content": "r"}], at=T0)
    store.db.execute("UPDATE turns SET body=? WHERE seq=0", (json.dumps({"role": "robot"}),))
    assert [t["content"] for t in store.turns("c1")] == ["r"]
    with pytest.raises(ValueError):
        decode_turn({"role": "assistant", "content": "x", "quiz": {"type": "Pickle"}})


def test_a_damaged_file_says_so_in_one_line(tmp_path: Path) -> None:
    path = chats_db_path(tmp_path)
    path.write_bytes(b"not a database at all" * 100)
    with pytest.raises(RuntimeError, match="chat history file .* is damaged"):
        ChatStore(path)


def test_encoding_is_plain_json(store: ChatStore) -> None:
    json.dumps(encode_turn(answer_turn()))  # no objects left in it

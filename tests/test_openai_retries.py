"""The OpenAI-compatible backend retries passing failures, over real HTTP to a tiny local server.

The server (http.server on 127.0.0.1) answers from a script: an HTTP status with an error body, or a
streamed chat completion in the OpenAI wire format (server-sent events), and counts the requests.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from backends import BackendError, make_backend
from settings import Settings

ANSWER = ["Kafka's default message ", "size is 1 MB [1]."]


def chunk(content: str | None, finish: str | None = None) -> bytes:
    delta = {"role": "assistant", "content": content} if content is not None else {}
    body = {"id": "c1", "object": "chat.completion.chunk", "created": 0, "model": "tiny",
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}
    return f"data: {json.dumps(body)}\n\n".encode()


class ScriptedServer(ThreadingHTTPServer):
    """Answers POST /v1/chat/completions with the next status in ``script`` (200: the streamed answer)."""

    def __init__(self, script: list[int]) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.script = script
        self.requests = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/v1"


class Handler(BaseHTTPRequestHandler):
    server: ScriptedServer

    def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        status = self.server.script[min(self.server.requests, len(self.server.script) - 1)]
        self.server.requests += 1
        if status != 200:
            body = json.dumps({"error": {"message": f"scripted {status}", "type": "test"}}).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        for piece in ANSWER:
            self.wfile.write(chunk(piece))
        self.wfile.write(chunk(None, "stop") + b"data: [DONE]\n\n")

    def log_message(self, *args: object) -> None:  # keep the test output quiet
        pass


@pytest.fixture
def serve() -> Iterator:
    servers: list[ScriptedServer] = []

    def start(script: list[int]) -> ScriptedServer:
        server = ScriptedServer(script)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def backend(url: str):
    return make_backend(Settings(openai_base_url=url, openai_model="tiny", llm_timeout_s=10.0), "openai")


@pytest.mark.parametrize("failure", [503, 429, 500])
def test_a_passing_failure_is_retried_and_the_answer_streams(serve, failure: int) -> None:
    server = serve([failure, 200])
    pieces = list(backend(server.url).execute("What is the default message size in Kafka?"))
    assert pieces == ANSWER and server.requests == 2


@pytest.mark.parametrize(("failure", "message"), [(400, "answered HTTP 400"), (401, "refused the API key"),
                                                  (404, "has no model 'tiny'")])
def test_a_client_error_is_reported_at_once_never_retried(serve, failure: int, message: str) -> None:
    server = serve([failure, 200])
    with pytest.raises(BackendError, match=message):
        list(backend(server.url).execute("hello"))
    assert server.requests == 1


def test_a_server_that_keeps_failing_is_given_up_after_three_tries(serve) -> None:
    server = serve([502])
    with pytest.raises(BackendError, match="answered HTTP 502"):
        list(backend(server.url).execute("hello"))
    assert server.requests == 3

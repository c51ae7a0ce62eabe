"""A small authenticating reverse proxy for the Chroma token tests.

The pinned ``chroma run`` (chromadb 1.5.9, the Rust server) enforces no token: its ``CHROMA_SERVER_AUTHN_*``
settings are ignored and every request is answered. So the tests put this in front of it, as the README says
a shared server should be: it forwards a request only when it carries ``Authorization: Bearer <token>`` (or
``X-Chroma-Token``), and answers anything else 401 in Chroma's own error format.
"""

from __future__ import annotations

import contextlib
import hmac
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx

#: Headers that describe one connection or one encoding, not the request: never forwarded either way.
HOP_HEADERS = {"connection", "keep-alive", "transfer-encoding", "content-length", "content-encoding", "host",
               "authorization", "x-chroma-token", "proxy-authorization", "te", "trailer", "upgrade"}


@dataclass
class ProxyLog:
    forwarded: int = 0
    refused: list[str] = field(default_factory=list)  # "METHOD path" of each refused request


def _token_of(headers) -> str:
    bearer = headers.get("Authorization", "")
    return bearer[len("Bearer "):] if bearer.startswith("Bearer ") else headers.get("X-Chroma-Token", "")


def _handler(upstream: str, token: str, log: ProxyLog, client: httpx.Client) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _forward(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else None
            if not hmac.compare_digest(_token_of(self.headers).encode(), token.encode()):
                log.refused.append(f"{self.command} {self.path}")
                message = {"error": "AuthorizationError", "message": "missing or wrong token"}
                self._reply(401, json.dumps(message).encode(), {"Content-Type": "application/json"})
                return
            headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_HEADERS}
            answer = client.request(self.command, upstream + self.path, content=body, headers=headers)
            log.forwarded += 1
            self._reply(answer.status_code, answer.content,
                        {k: v for k, v in answer.headers.items() if k.lower() not in HOP_HEADERS})

        def _reply(self, status: int, body: bytes, headers: dict[str, str]) -> None:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _forward

        def log_message(self, format: str, *args) -> None:  # keep the test output quiet
            pass

    return Handler


@contextlib.contextmanager
def token_proxy(upstream: str, token: str) -> Iterator[tuple[str, ProxyLog]]:
    """Yield (URL of a proxy on 127.0.0.1 that guards ``upstream`` with ``token``, its log)."""
    log = ProxyLog()
    with httpx.Client(timeout=60) as client:
        server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(upstream.rstrip("/"), token, log, client))
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}", log
        finally:
            server.shutdown()
            server.server_close()
            thread.join(timeout=10)

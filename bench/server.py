"""A minimal keep-alive HTTP/1.1 loopback server that is never the bottleneck.

It speaks just enough HTTP/1.1 for the benchmark (request line, ``Content-Length`` bodies,
keep-alive, pipelining) on a raw :class:`asyncio.Protocol`, so a Python client tops out long
before it does. Run it as its own process (``python -m bench.server``); it prints
``PORT <n>`` on stdout once it listens on 127.0.0.1 at an OS-chosen port.

Routes:
    ``GET /liveness/session``: ``{"request_id": <uuid>, "session_id": <uuid>}``, fresh ids.
    ``POST /liveness/verify-face``: the OpenAPI example body (``fixtures/verify_face.json``).
    ``GET /_stats``: connections accepted and requests answered so far, to spot reconnect churn.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import sys
import uuid
from pathlib import Path

FIXTURE = Path(__file__).with_name("fixtures") / "verify_face.json"
VERIFY_FACE_BODY = json.dumps(json.loads(FIXTURE.read_text()), separators=(",", ":")).encode()

_HEAD = b"HTTP/1.1 %d %s\r\ncontent-type: application/json\r\ncontent-length: %d\r\n\r\n"
_REASONS = {200: b"OK", 404: b"Not Found"}


class Stats:
    """Counters shared by every connection of one server."""

    connections = 0
    requests = 0


def response(status: int, body: bytes) -> bytes:
    """A complete HTTP/1.1 response (keep-alive is the HTTP/1.1 default)."""
    return _HEAD % (status, _REASONS[status], len(body)) + body


def session_body() -> bytes:
    """A liveness-session body with fresh ids, as the real API returns."""
    return b'{"request_id":"%s","session_id":"%s"}' % (
        str(uuid.uuid4()).encode(),
        str(uuid.uuid4()).encode(),
    )


def route(method: bytes, target: bytes) -> bytes:
    """The response bytes for one request."""
    path = target.split(b"?", 1)[0]
    if path == b"/liveness/session" and method == b"GET":
        return response(200, session_body())
    if path == b"/liveness/verify-face" and method == b"POST":
        return response(200, VERIFY_FACE_BODY)
    if path == b"/_stats":
        stats = {"connections": Stats.connections, "requests": Stats.requests}
        return response(200, json.dumps(stats).encode())
    return response(404, b'{"message":"not found"}')


def content_length(head: bytes) -> int:
    """The ``Content-Length`` of a request head, 0 when absent."""
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return int(value.strip())
    return 0


class HTTPProtocol(asyncio.Protocol):
    """One keep-alive connection: buffer bytes, answer each complete request in order."""

    def __init__(self) -> None:
        self.buffer = b""
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        Stats.connections += 1

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        out = []
        while True:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                break
            head = self.buffer[:end]
            body_end = end + 4 + content_length(head)
            if len(self.buffer) < body_end:
                break
            method, target, _ = head.split(b" ", 2)
            self.buffer = self.buffer[body_end:]
            out.append(route(method, target))
            Stats.requests += 1
        if out and self.transport is not None:
            self.transport.write(b"".join(out))


async def serve() -> None:
    """Listen on 127.0.0.1 at an OS-chosen port, announce it, serve until killed."""
    loop = asyncio.get_running_loop()
    server = await loop.create_server(HTTPProtocol, "127.0.0.1", 0, backlog=1024)
    port = server.sockets[0].getsockname()[1]
    sys.stdout.write(f"PORT {port}\n")
    sys.stdout.flush()
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve())

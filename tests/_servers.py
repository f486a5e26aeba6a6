"""A scriptable HTTP/1.1 server on 127.0.0.1 for network-level tests.

Each request is answered by a handler returning an :class:`Action`: a normal response,
a delay, a dropped or reset connection, a body cut short or trickled byte by byte, a
connection closed while idle... The server counts connections so keep-alive reuse can
be asserted. Threads, not an event loop, so async and sync tests share it.
"""

from __future__ import annotations

import contextlib
import json
import socket
import struct
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import attrs


@attrs.frozen
class Received:
    """One request as the server saw it."""

    method: str
    target: str
    headers: dict[str, str]
    body: bytes


@attrs.frozen
class Action:
    """How to answer one request."""

    status: int = 200
    body: bytes = b"{}"
    headers: tuple[tuple[str, str], ...] = (("content-type", "application/json"),)
    delay: float = 0.0  # before sending anything
    drop: bool = False  # close the socket without answering (FIN)
    close_after: bool = False  # send the response, then close
    reset: bool = False  # abort with a TCP RST instead of answering
    reset_after: int | None = None  # send the head and this many body bytes, then RST
    trickle: float = 0.0  # seconds to wait before each ``chunk`` bytes of the body
    chunk: int = 1
    idle_close: float | None = None  # close the kept-alive connection after this idle time


def json_action(payload: Any, status: int = 200, **kwargs: Any) -> Action:
    """A JSON response."""
    return Action(status=status, body=json.dumps(payload).encode(), **kwargs)


Handler = Callable[[Received], Action]


def unused_port() -> int:
    """A loopback port nothing listens on (connecting to it is refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def _abort(conn: socket.socket) -> None:
    """Make the coming close send a TCP RST instead of a FIN."""
    with contextlib.suppress(OSError):
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))


class LoopbackServer:
    """Serve ``handler`` on 127.0.0.1 (OS-chosen port) until closed.

    Attributes:
        requests: Every request received (empty when ``record=False``, for soak runs).
        request_count: How many requests were received.
        connections: How many connections were accepted.
    """

    def __init__(self, handler: Handler, *, record: bool = True) -> None:
        self.handler = handler
        self.record = record
        self.requests: list[Received] = []
        self.request_count = 0
        self.connections = 0
        self._sock = socket.create_server(("127.0.0.1", 0), backlog=1024)
        self._sock.settimeout(0.2)
        self.port = self._sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()
        self._conns: list[socket.socket] = []
        self._accept_thread = threading.Thread(target=self._accept_loop, daemon=True)
        self._accept_thread.start()

    def _accept_loop(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except (TimeoutError, OSError):
                continue
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            with self._lock:
                self.connections += 1
                self._conns.append(conn)
            thread = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            thread.start()
            self._threads.append(thread)

    def _serve(self, conn: socket.socket) -> None:
        conn.settimeout(10)
        reader = conn.makefile("rb")
        with contextlib.closing(conn), contextlib.closing(reader):
            while not self._stop.is_set():
                try:
                    request = self._read_request(reader)
                except (OSError, ValueError):
                    return
                if request is None:
                    return
                with self._lock:
                    self.request_count += 1
                    if self.record:
                        self.requests.append(request)
                action = self.handler(request)
                if not self._answer(conn, action):
                    return
                conn.settimeout(10 if action.idle_close is None else action.idle_close)

    def _answer(self, conn: socket.socket, action: Action) -> bool:
        """Play ``action``; False when the connection must be closed afterwards."""
        if action.delay:
            self._stop.wait(action.delay)
        if action.reset:
            _abort(conn)
            return False
        if action.drop:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
            return False
        head = [f"HTTP/1.1 {action.status} X", f"content-length: {len(action.body)}"]
        head += [f"{k}: {v}" for k, v in action.headers]
        if action.close_after:
            head.append("connection: close")
        body = action.body if action.reset_after is None else action.body[: action.reset_after]
        head_bytes = ("\r\n".join(head) + "\r\n\r\n").encode()
        try:
            if action.trickle:
                conn.sendall(head_bytes)
                for start in range(0, len(body), action.chunk):
                    if self._stop.wait(action.trickle):
                        return False
                    conn.sendall(body[start : start + action.chunk])
            else:
                conn.sendall(head_bytes + body)  # one write: no Nagle/delayed-ACK stall
        except OSError:
            return False
        if action.reset_after is not None:
            _abort(conn)
            return False
        return not action.close_after

    @staticmethod
    def _read_request(reader: Any) -> Received | None:
        line = reader.readline()
        if not line:
            return None
        method, target, _ = line.decode("latin-1").split(" ", 2)
        headers: dict[str, str] = {}
        while True:
            raw = reader.readline()
            if raw in (b"\r\n", b"\n", b""):
                break
            key, _, value = raw.decode("latin-1").partition(":")
            headers[key.strip().lower()] = value.strip()
        length = int(headers.get("content-length", "0"))
        body = reader.read(length) if length else b""
        return Received(method, target, headers, body)

    def close(self) -> None:
        self._stop.set()
        with contextlib.suppress(OSError):
            self._sock.shutdown(socket.SHUT_RDWR)  # wakes the blocked accept() at once
        self._sock.close()
        self._accept_thread.join(5)
        with self._lock:
            for conn in self._conns:
                with contextlib.suppress(OSError):
                    conn.shutdown(socket.SHUT_RDWR)
        for thread in self._threads:
            thread.join(5)


@contextlib.contextmanager
def serve(handler: Handler, *, record: bool = True) -> Iterator[LoopbackServer]:
    """Run a :class:`LoopbackServer` for the duration of a ``with`` block."""
    server = LoopbackServer(handler, record=record)
    try:
        yield server
    finally:
        server.close()


def wait_until(predicate: Callable[[], bool], timeout: float = 5.0) -> bool:
    """Poll ``predicate`` (bounded)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.01)
    return predicate()

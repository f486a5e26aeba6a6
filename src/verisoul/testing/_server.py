"""Loopback wiring: the fake behind a real HTTP/1.1 server on 127.0.0.1.

A stdlib ``ThreadingHTTPServer`` (one thread per connection, keep-alive, exact
Content-Length) runs in a daemon thread. On exit every open connection is shut down and
every handler thread joined, so no socket outlives the ``with`` block.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import sys
import threading
import traceback
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import attrs

from ._app import FakeApp, http_error

__all__ = ["serve"]

log = logging.getLogger("verisoul.testing")

#: A client that hangs up (a timeout, Ctrl-C) shows up as one of these while we read/write.
_HANG_UPS = (BrokenPipeError, ConnectionResetError, ConnectionAbortedError, TimeoutError)

#: Seconds an idle keep-alive connection stays open.
IDLE_TIMEOUT = 60.0


class _FakeHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = True  # server_close() joins the handler threads
    request_queue_size = 1024  # the default 5 drops connects from a burst of clients

    def __init__(self, address: tuple[str, int], app: FakeApp) -> None:
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, _Handler)
        self.app = app
        self.stopping = threading.Event()
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()

    def track(self, connection: socket.socket, is_open: bool) -> None:
        with self._open_lock:
            if is_open:
                self._open.add(connection)
            else:
                self._open.discard(connection)

    def handle_error(self, request: object, client_address: object) -> None:
        """A client that hung up is routine (one DEBUG line); anything else is a bug."""
        error = sys.exc_info()[1]
        if isinstance(error, _HANG_UPS) or self.stopping.is_set():
            log.debug("fake server: client %s hung up (%r)", client_address, error)
            return
        super().handle_error(request, client_address)  # type: ignore[arg-type]

    def shut_connections(self) -> None:
        """Wake every handler blocked on a keep-alive read so it can exit."""
        with self._open_lock:
            connections = list(self._open)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out in separate writes
    timeout = IDLE_TIMEOUT
    server: _FakeHTTPServer

    def setup(self) -> None:
        super().setup()
        self.server.track(self.connection, True)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.track(self.connection, False)

    def log_message(self, format: str, *args: object) -> None:
        """Stay quiet: the fake has its own request log."""

    def _read_body(self) -> bytes:
        if self.headers.get("transfer-encoding", "").lower() == "chunked":
            return self._read_chunked()
        length = int(self.headers.get("content-length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _read_chunked(self) -> bytes:
        chunks: list[bytes] = []
        while True:
            size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
            if size == 0:
                while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                    pass  # trailers
                return b"".join(chunks)
            chunks.append(self.rfile.read(size))
            self.rfile.readline()

    def _dispatch(self) -> None:
        body = self._read_body()
        raw_path, _, query = self.path.partition("?")
        headers = dict(self.headers.items())
        try:
            response = self.server.app.handle(self.command, raw_path, query, headers, body)
        except Exception as error:  # a bug in a route: answer 500, keep serving, show it
            traceback.print_exc()
            response = http_error(500, f"FakeVerisoul crashed: {type(error).__name__}")
        if response.delay > 0 and self.server.stopping.wait(response.delay):
            response = attrs.evolve(response, drop=True)  # shutting down: don't answer
        if response.drop:
            self.close_connection = True
            return
        self.send_response(response.status)
        for name, value in response.headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(response.body)

    def __getattr__(self, name: str) -> object:
        """Every method (TRACE, OPTIONS...) reaches the app, which answers 405 or 404."""
        if name.startswith("do_") and name[3:].isalpha():
            return self._dispatch
        raise AttributeError(name)


@contextlib.contextmanager
def serve(app: FakeApp, port: int = 0, *, host: str = "127.0.0.1") -> Iterator[str]:
    """Run ``app`` on ``http://<host>:<port>`` (port 0: the OS picks) for the ``with`` block.

    Yields:
        The base URL, e.g. ``http://127.0.0.1:54321``.
    """
    server = _FakeHTTPServer((host, port), app)
    thread = threading.Thread(
        target=server.serve_forever,
        kwargs={"poll_interval": 0.05},
        name="verisoul-fake",
        daemon=True,
    )
    thread.start()
    try:
        shown = f"[{host}]" if ":" in host else host
        yield f"http://{shown}:{server.server_port}"
    finally:
        server.stopping.set()
        server.shutdown()
        server.shut_connections()
        server.server_close()
        thread.join()

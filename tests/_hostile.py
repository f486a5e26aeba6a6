"""A hostile loopback server: bodies that never end, trickle, explode when decoded.

:class:`StreamingServer` extends :class:`tests._servers.LoopbackServer`: a handler may also
return a :class:`Stream`, whose body comes from an iterator (so a 200 MB or endless body
costs the test process no memory), optionally chunked, paced, or preceded by headers sent
one byte at a time. It records whether the client hung up before the body's end.
"""

from __future__ import annotations

import contextlib
import functools
import re
import socket
import struct
import time
import zlib
from collections.abc import Callable, Iterator
from typing import Any

import attrs

from ._servers import LoopbackServer

MIB = 1024 * 1024
#: How long any hostile body may last on the server side: a client that does not hang up
#: is still released (and fails its test) after this.
SERVER_CAP = 15.0


@attrs.frozen
class Stream:
    """A response whose body is produced while it is sent.

    Attributes:
        body: Returns the body's pieces (called once per response).
        status: The HTTP status.
        headers: Extra headers.
        length: A content-length to declare; None sends the body chunked.
        interval: Seconds to wait before each piece.
        head_interval: When set, the head is sent one byte at a time, this far apart.
    """

    body: Callable[[], Iterator[bytes]]
    status: int = 200
    headers: tuple[tuple[str, str], ...] = (("content-type", "application/json"),)
    length: int | None = None
    interval: float = 0.0
    head_interval: float | None = None
    idle_close: float | None = None  # read by LoopbackServer after the answer


def endless(piece: bytes = b" " * 1024) -> Callable[[], Iterator[bytes]]:
    """A body that never ends (until the server's cap)."""

    def pieces() -> Iterator[bytes]:
        end = time.monotonic() + SERVER_CAP
        yield b'{"padding": "'
        while time.monotonic() < end:
            yield piece

    return pieces


def sized(total: int, piece: int = MIB) -> Callable[[], Iterator[bytes]]:
    """``total`` bytes of JSON-ish text, made while sent."""
    block = b"x" * piece

    def pieces() -> Iterator[bytes]:
        sent = 0
        while sent < total:
            chunk = block[: min(piece, total - sent)]
            sent += len(chunk)
            yield chunk

    return pieces


@functools.cache
def bomb(decoded: int, wbits: int) -> bytes:
    """``decoded`` zero bytes compressed (gzip: wbits 31, zlib: 15, raw deflate: -15).

    Built in milliseconds: after a full flush the compressor's output for another MiB of
    zeros repeats, so one block is repeated and the trailer computed for the whole.
    About 1 KB on the wire per MiB decoded.
    """
    zeros = bytes(MIB)
    compressor = zlib.compressobj(9, zlib.DEFLATED, wbits)
    first = compressor.compress(zeros) + compressor.flush(zlib.Z_FULL_FLUSH)
    again = compressor.compress(zeros) + compressor.flush(zlib.Z_FULL_FLUSH)
    end = compressor.flush()
    blocks = decoded // MIB
    if wbits > 15:  # gzip trailer: CRC32 and size, little-endian
        crc = 0
        for _ in range(blocks):
            crc = zlib.crc32(zeros, crc)
        end = end[:-8] + struct.pack("<II", crc, decoded & 0xFFFFFFFF)
    elif wbits > 0:  # zlib trailer: Adler-32, big-endian
        adler = 1
        for _ in range(blocks):
            adler = zlib.adler32(zeros, adler)
        end = end[:-4] + struct.pack(">I", adler)
    return first + again * (blocks - 1) + end


def pieces_of(data: bytes, size: int = 64 * 1024) -> Callable[[], Iterator[bytes]]:
    def pieces() -> Iterator[bytes]:
        for start in range(0, len(data), size):
            yield data[start : start + size]

    return pieces


class StreamingServer(LoopbackServer):
    """A :class:`LoopbackServer` that can also play :class:`Stream` answers.

    Attributes:
        hangups: Streamed answers the client hung up on before their end.
        completed: Streamed answers sent whole.
    """

    def __init__(self, handler: Callable[[Any], Any]) -> None:
        self.hangups = 0
        self.completed = 0
        super().__init__(handler)

    def _answer(self, conn: socket.socket, action: Any) -> bool:
        if not isinstance(action, Stream):
            return super()._answer(conn, action)
        head = [f"HTTP/1.1 {action.status} X"]
        if action.length is None:
            head.append("transfer-encoding: chunked")
        else:
            head.append(f"content-length: {action.length}")
        head += [f"{k}: {v}" for k, v in action.headers]
        head_bytes = ("\r\n".join(head) + "\r\n\r\n").encode()
        try:
            if action.head_interval is None:
                conn.sendall(head_bytes)
            else:
                for index in range(len(head_bytes)):
                    if self._stop.wait(action.head_interval):
                        return False
                    conn.sendall(head_bytes[index : index + 1])
            for piece in action.body():
                if action.interval and self._stop.wait(action.interval):
                    return False
                if self._stop.is_set():
                    return False
                if action.length is None:
                    conn.sendall(b"%x\r\n%s\r\n" % (len(piece), piece))
                else:
                    conn.sendall(piece)
            if action.length is None:
                conn.sendall(b"0\r\n\r\n")
        except OSError:
            with self._lock:
                self.hangups += 1
            return False
        with self._lock:
            self.completed += 1
        return True


@contextlib.contextmanager
def serve_hostile(handler: Callable[[Any], Any]) -> Iterator[StreamingServer]:
    server = StreamingServer(handler)
    try:
        yield server
    finally:
        server.close()


_HWM = re.compile(r"VmHWM:\s+(\d+) kB")
_RSS = re.compile(r"VmRSS:\s+(\d+) kB")


class PeakMemory:
    """Peak RSS growth of this process over a block (Linux: resets VmHWM first).

    ``growth`` is None where the peak cannot be reset (not Linux, or no permission).
    """

    def __init__(self) -> None:
        self.growth: int | None = None
        self._start: int | None = None

    @staticmethod
    def _read(pattern: re.Pattern[str]) -> int | None:
        try:
            with open("/proc/self/status") as status:
                found = pattern.search(status.read())
        except OSError:
            return None
        return None if found is None else int(found.group(1)) * 1024

    def __enter__(self) -> PeakMemory:
        try:
            with open("/proc/self/clear_refs", "w") as clear:
                clear.write("5")  # resets VmHWM to the current RSS
        except OSError:
            return self
        self._start = self._read(_RSS)
        return self

    def __exit__(self, *exc: object) -> None:
        peak = self._read(_HWM)
        if self._start is not None and peak is not None:
            self.growth = peak - self._start

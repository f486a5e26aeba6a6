"""Reading a response body into memory under a size limit (no I/O: the clients feed it).

httpx decodes ``gzip`` / ``deflate`` without bounding the output of one network chunk, so
64 KiB of a gzip bomb can become tens of MiB before any check could run. For the
encodings the SDK asks for (``accept-encoding: gzip, deflate``) the body is inflated here
with zlib's ``max_length``: the decoded bytes held never exceed the limit by more than one,
so the peak is about twice the limit (the chunks, then the joined body). Any other encoding
(a server ignoring ``accept-encoding``) is decoded by httpx and checked chunk by chunk.
"""

from __future__ import annotations

import zlib
from typing import Final

import httpx

__all__ = [
    "ACCEPT_ENCODING",
    "DEFAULT_MAX_RESPONSE_BYTES",
    "TOO_LARGE",
    "BodyBuffer",
    "BodyTooLarge",
    "check_max_response_bytes",
    "decodes_raw",
]

#: The decoded body a call accepts by default: Verisoul's largest documented answers are
#: tens of KB, so this leaves ample room and still bounds memory.
DEFAULT_MAX_RESPONSE_BYTES: Final = 8 * 1024 * 1024
#: What the SDK asks servers for: the encodings it inflates under the limit itself.
ACCEPT_ENCODING: Final = "gzip, deflate"
#: Response extension set (to the limit) on a response whose body was over the limit.
TOO_LARGE: Final = "verisoul.body_over_limit"

_GZIP: Final = frozenset({"gzip", "x-gzip"})


class BodyTooLarge(Exception):
    """The decoded body passed the limit (internal: the client turns it into an APIError)."""


def check_max_response_bytes(value: int) -> int:
    """``max_response_bytes`` must be a positive int."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"max_response_bytes must be an int, not {type(value).__name__}")
    if value < 1:
        raise ValueError(f"max_response_bytes must be >= 1, got {value}")
    return value


def _encodings(headers: httpx.Headers) -> list[str]:
    raw = ",".join(headers.get_list("content-encoding"))
    names = [name.strip().lower() for name in raw.split(",")]
    return [name for name in names if name and name != "identity"]


def decodes_raw(headers: httpx.Headers) -> bool:
    """True when :class:`BodyBuffer` inflates this body itself (from the raw bytes)."""
    names = _encodings(headers)
    return not names or (len(names) == 1 and (names[0] in _GZIP or names[0] == "deflate"))


class BodyBuffer:
    """Collects a body's decoded bytes; :meth:`feed` raises once it is over ``limit``.

    Args:
        headers: The response headers (for ``content-encoding``).
        limit: The most decoded bytes accepted.
        raw: True to feed raw (still encoded) bytes, which requires :func:`decodes_raw`;
            False to feed bytes httpx already decoded.
    """

    def __init__(self, headers: httpx.Headers, limit: int, *, raw: bool) -> None:
        self.limit = limit
        self.size = 0
        self._chunks: list[bytes] = []
        names = _encodings(headers) if raw else []
        self._inflater: zlib._Decompress | None = None
        self._deflate_guess = False
        if names and names[0] in _GZIP:
            self._inflater = zlib.decompressobj(zlib.MAX_WBITS | 16)
        elif names:  # deflate: zlib-wrapped as the RFC says, or raw as some servers send
            self._inflater = zlib.decompressobj()
            self._deflate_guess = True

    def _keep(self, data: bytes) -> None:
        if data:
            self.size += len(data)
            if self.size > self.limit:
                self._chunks.clear()
                raise BodyTooLarge
            self._chunks.append(data)

    def _room(self) -> int:
        return self.limit - self.size + 1  # one byte more than allowed tells "over"

    def _inflate(self, data: bytes) -> None:
        assert self._inflater is not None
        try:
            while data:
                out = self._inflater.decompress(data, self._room())
                self._deflate_guess = False
                self._keep(out)
                data = self._inflater.unconsumed_tail
        except zlib.error as exc:
            if self._deflate_guess:
                self._deflate_guess = False
                self._inflater = zlib.decompressobj(-zlib.MAX_WBITS)
                self._inflate(data)
                return
            raise httpx.DecodingError(f"the body could not be decoded: {exc}") from None

    def feed(self, data: bytes) -> None:
        """Add the next chunk.

        Raises:
            BodyTooLarge: The decoded body is now over the limit (nothing more is kept).
            httpx.DecodingError: The compressed stream is corrupt.
        """
        if self._inflater is None:
            self._keep(data)
        else:
            self._inflate(data)

    def body(self) -> bytes:
        """The whole decoded body (call once, after the last chunk)."""
        if self._inflater is not None:
            try:
                self._keep(self._inflater.flush())
            except zlib.error as exc:
                raise httpx.DecodingError(f"the body could not be decoded: {exc}") from None
        body = b"".join(self._chunks)
        self._chunks.clear()
        return body

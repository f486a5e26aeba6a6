"""The default connection pool: several small httpcore pools behind one transport.

httpcore 1.0's pool rescans all of its connections for every idle one each time a
request starts or ends (``_assign_requests_to_connections``, encode/httpcore#1035), so
its cost per call grows with the square of the connections it holds: with the SDK's 256
keep-alive connections that pass was 98 % of the client's CPU at 256 calls in flight.
Splitting the same limits over ``shards`` real ``httpx.AsyncHTTPTransport`` /
``httpx.HTTPTransport`` pools keeps every connection alive while each pass only sees a
slice of them.

A request goes to the first shard with a free connection slot (so a sequential caller
reuses one connection of shard 0), else to the least busy one. A shard counts a request
from the moment it is handed over until its response body is closed, when httpcore
releases the connection. The two classes are hand-written twins, like those in
``_concurrency``: ``AsyncShardedTransport`` for ``AsyncVerisoul`` (asyncio and trio),
``ShardedTransport`` for the threads of a shared ``Verisoul``.
"""

from __future__ import annotations

import ssl
import threading
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from typing import Any

import httpx

__all__ = [
    "DEFAULT_SHARD_SIZE",
    "AsyncShardedTransport",
    "ShardedTransport",
    "httpcore_pools",
]

#: Connections per shard of the default pool (256 shards with the SDK's 256/256 limits).
DEFAULT_SHARD_SIZE = 1


class _Slots:
    """Which shard the next request goes to: a free connection slot, else round robin.

    ``free`` holds a shard index once per free slot; it is a stack, so the slot freed last
    is used next (a sequential caller keeps reusing one warm connection, and shards beyond
    the concurrency actually reached are never created). When every slot is busy, the
    request queues in the shards' own pools in turn.
    """

    __slots__ = ("busy", "capacity", "free", "next_overflow", "shards")

    def __init__(self, shards: int, capacity: int) -> None:
        self.shards = shards
        self.capacity = capacity
        self.busy = [0] * shards
        self.free = [index for index in reversed(range(shards)) for _ in range(capacity)]
        self.next_overflow = 0

    def take(self) -> int:
        if self.free:
            index = self.free.pop()
        else:
            index = self.next_overflow
            self.next_overflow = (index + 1) % self.shards
        self.busy[index] += 1
        return index

    def give_back(self, index: int) -> None:
        self.busy[index] -= 1
        if self.busy[index] < self.capacity:
            self.free.append(index)


def httpcore_pools(transport: object) -> list[Any]:
    """The httpcore connection pools behind ``transport``.

    A sharded transport's created shards, httpx's own transport's pool, and nothing for
    any other transport (aiohttp, a mock).
    """
    shards: Sequence[object] = getattr(transport, "shards", None) or (transport,)
    pools = [getattr(shard, "_pool", None) for shard in shards]
    return [pool for pool in pools if pool is not None]


class _AsyncCountedStream(httpx.AsyncByteStream):
    """A response body that gives its shard's slot back when closed."""

    __slots__ = ("_index", "_slots", "_stream")

    def __init__(self, stream: httpx.AsyncByteStream, slots: _Slots, index: int) -> None:
        self._stream = stream
        self._slots: _Slots | None = slots
        self._index = index

    def __aiter__(self) -> AsyncIterator[bytes]:
        return self._stream.__aiter__()  # no generator of our own in between

    async def aclose(self) -> None:
        try:
            await self._stream.aclose()
        finally:
            if self._slots is not None:
                self._slots.give_back(self._index)
                self._slots = None


class AsyncShardedTransport(httpx.AsyncBaseTransport):
    """``httpx.AsyncHTTPTransport`` pools of ``shard_size`` connections sharing ``limits``.

    Shards are created on first use.

    Args:
        limits: The totals for all shards together (``max_connections`` None: 256).
        shard_size: Connections per shard.
        verify: TLS verification, as for ``httpx.AsyncHTTPTransport``; one SSL context is
            built and shared by every shard.
    """

    def __init__(
        self,
        limits: httpx.Limits,
        shard_size: int = DEFAULT_SHARD_SIZE,
        verify: ssl.SSLContext | bool = True,
    ) -> None:
        count, self._shard_limits = _split(limits, shard_size)
        self._verify = verify if isinstance(verify, ssl.SSLContext) else _ssl_context(verify)
        self._shards: list[httpx.AsyncHTTPTransport | None] = [None] * count
        self._slots = _Slots(count, shard_size)
        #: Called with each shard as it is created (the SDK bounds its attempt time).
        self.on_new_shard: Callable[[httpx.AsyncHTTPTransport], None] | None = None

    @property
    def shards(self) -> list[httpx.AsyncHTTPTransport]:
        """The shards created so far."""
        return [shard for shard in self._shards if shard is not None]

    def _shard(self, index: int) -> httpx.AsyncHTTPTransport:
        shard = self._shards[index]
        if shard is None:
            shard = httpx.AsyncHTTPTransport(verify=self._verify, limits=self._shard_limits)
            if self.on_new_shard is not None:
                self.on_new_shard(shard)
            self._shards[index] = shard
        return shard

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        slots = self._slots
        index = slots.take()
        try:
            response = await self._shard(index).handle_async_request(request)
        except BaseException:
            slots.give_back(index)
            raise
        stream = response.stream
        assert isinstance(stream, httpx.AsyncByteStream)
        response.stream = _AsyncCountedStream(stream, slots, index)
        return response

    async def aclose(self) -> None:
        """Close every shard (each one even if another fails)."""
        errors: list[BaseException] = []
        for shard in self.shards:
            try:
                await shard.aclose()
            except BaseException as exc:  # close the rest, then report the first
                errors.append(exc)
        if errors:
            raise errors[0]


class _CountedStream(httpx.SyncByteStream):
    """Sync twin of :class:`_AsyncCountedStream` (``lock`` guards the slots)."""

    __slots__ = ("_index", "_lock", "_slots", "_stream")

    def __init__(
        self, stream: httpx.SyncByteStream, slots: _Slots, index: int, lock: threading.Lock
    ) -> None:
        self._stream = stream
        self._slots: _Slots | None = slots
        self._index = index
        self._lock = lock

    def __iter__(self) -> Iterator[bytes]:
        return iter(self._stream)  # no generator of our own in between

    def close(self) -> None:
        try:
            self._stream.close()
        finally:
            with self._lock:
                slots, self._slots = self._slots, None
                if slots is not None:
                    slots.give_back(self._index)


class ShardedTransport(httpx.BaseTransport):
    """Sync twin of :class:`AsyncShardedTransport`, safe to share between threads."""

    def __init__(
        self,
        limits: httpx.Limits,
        shard_size: int = DEFAULT_SHARD_SIZE,
        verify: ssl.SSLContext | bool = True,
    ) -> None:
        count, self._shard_limits = _split(limits, shard_size)
        self._verify = verify if isinstance(verify, ssl.SSLContext) else _ssl_context(verify)
        self._shards: list[httpx.HTTPTransport | None] = [None] * count
        self._slots = _Slots(count, shard_size)
        self._lock = threading.Lock()
        #: Called with each shard as it is created (the SDK bounds its attempt time).
        self.on_new_shard: Callable[[httpx.HTTPTransport], None] | None = None

    @property
    def shards(self) -> list[httpx.HTTPTransport]:
        """The shards created so far."""
        return [shard for shard in self._shards if shard is not None]

    def _shard(self, index: int) -> httpx.HTTPTransport:
        shard = self._shards[index]
        if shard is None:
            with self._lock:
                shard = self._shards[index]
                if shard is None:
                    shard = httpx.HTTPTransport(verify=self._verify, limits=self._shard_limits)
                    if self.on_new_shard is not None:
                        self.on_new_shard(shard)
                    self._shards[index] = shard
        return shard

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        slots, lock = self._slots, self._lock
        with lock:
            index = slots.take()
        try:
            response = self._shard(index).handle_request(request)
        except BaseException:
            with lock:
                slots.give_back(index)
            raise
        stream = response.stream
        assert isinstance(stream, httpx.SyncByteStream)
        response.stream = _CountedStream(stream, slots, index, lock)
        return response

    def close(self) -> None:
        """Close every shard (each one even if another fails)."""
        errors: list[BaseException] = []
        for shard in self.shards:
            try:
                shard.close()
            except BaseException as exc:  # close the rest, then report the first
                errors.append(exc)
        if errors:
            raise errors[0]


def _split(limits: httpx.Limits, shard_size: int) -> tuple[int, httpx.Limits]:
    """How many shards of ``shard_size`` connections ``limits`` allow, and their limits."""
    if shard_size < 1:
        raise ValueError(f"shard_size must be at least 1, got {shard_size}")
    total = 256 if limits.max_connections is None else limits.max_connections
    count = max(1, total // shard_size)
    keepalive = limits.max_keepalive_connections
    per_shard = httpx.Limits(
        max_connections=shard_size,
        max_keepalive_connections=shard_size if keepalive is None else keepalive // count,
        keepalive_expiry=limits.keepalive_expiry,
    )
    return count, per_shard


def _ssl_context(verify: bool) -> ssl.SSLContext:
    """The context httpx would build for ``verify`` (honours ``SSL_CERT_FILE``/``_DIR``)."""
    return httpx.create_ssl_context(verify=verify, trust_env=True)

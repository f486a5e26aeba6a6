"""Bounding a blocking attempt as a whole: every socket operation sees the time left.

httpx's timeouts bound each network operation, not the attempt: headers or a body
trickling in one byte just within the read timeout keep an attempt alive for as long as
the server wants. ``AsyncVerisoul`` cancels the attempt when its time is up (an anyio
cancel scope); a blocking call cannot be cancelled, so the blocking client's pools get a
network backend whose connects, reads and writes are each bounded by what is left of the
attempt (a context variable, so each thread has its own). Outside an SDK attempt the
wrapper changes nothing.

``AsyncVerisoul``'s pools get the async twin of the same backend, so a cut attempt fails
with the httpx timeout of the phase it was in (``ConnectTimeout`` means "not sent"); its
cancel scope stays as a backstop for transports that cannot be wrapped (aiohttp, custom).
The hand-written twins :func:`async_bound_pool` and :func:`bound_pool` follow
``_concurrency``'s naming, for the generated sync client.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import ssl
import time
from collections.abc import Iterable, Iterator
from typing import Any

import httpx

from ._pool import AsyncShardedTransport, ShardedTransport

__all__ = ["async_bound_pool", "attempt_time_left", "bound_pool"]

_ATTEMPT_END: contextvars.ContextVar[float | None] = contextvars.ContextVar(
    "verisoul_attempt_end", default=None
)

_SocketOption = (
    tuple[int, int, int] | tuple[int, int, bytes | bytearray] | tuple[int, int, None, int]
)


@contextlib.contextmanager
def attempt_time_left(seconds: float | None) -> Iterator[None]:
    """Within the block, no socket operation of a bounded pool outlives ``seconds``."""
    end = None if seconds is None else time.monotonic() + seconds
    token = _ATTEMPT_END.set(end)
    try:
        yield
    finally:
        _ATTEMPT_END.reset(token)


def _clamp(timeout: float | None, error: type[Exception]) -> float | None:
    end = _ATTEMPT_END.get()
    if end is None:
        return timeout
    left = end - time.monotonic()
    if left <= 0:
        raise error("the attempt's time ran out")
    return left if timeout is None else min(timeout, left)


@functools.cache
def _bounded_backend_class() -> type[Any]:
    """The wrapper classes, built on first use: ``import verisoul`` must not load httpcore."""
    import httpcore

    class BoundedStream(httpcore.NetworkStream):
        def __init__(self, inner: httpcore.NetworkStream) -> None:
            self._inner = inner

        def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
            return self._inner.read(max_bytes, _clamp(timeout, httpcore.ReadTimeout))

        def write(self, buffer: bytes, timeout: float | None = None) -> None:
            self._inner.write(buffer, _clamp(timeout, httpcore.WriteTimeout))

        def close(self) -> None:
            self._inner.close()

        def start_tls(
            self,
            ssl_context: ssl.SSLContext,
            server_hostname: str | None = None,
            timeout: float | None = None,
        ) -> httpcore.NetworkStream:
            inner = self._inner.start_tls(
                ssl_context, server_hostname, _clamp(timeout, httpcore.ConnectTimeout)
            )
            return BoundedStream(inner)

        def get_extra_info(self, info: str) -> Any:
            return self._inner.get_extra_info(info)

    class BoundedBackend(httpcore.NetworkBackend):
        def __init__(self, inner: httpcore.NetworkBackend) -> None:
            self._inner = inner

        def connect_tcp(
            self,
            host: str,
            port: int,
            timeout: float | None = None,
            local_address: str | None = None,
            socket_options: Iterable[_SocketOption] | None = None,
        ) -> httpcore.NetworkStream:
            stream = self._inner.connect_tcp(
                host,
                port,
                _clamp(timeout, httpcore.ConnectTimeout),
                local_address=local_address,
                socket_options=socket_options,
            )
            return BoundedStream(stream)

        def connect_unix_socket(
            self,
            path: str,
            timeout: float | None = None,
            socket_options: Iterable[_SocketOption] | None = None,
        ) -> httpcore.NetworkStream:
            stream = self._inner.connect_unix_socket(
                path, _clamp(timeout, httpcore.ConnectTimeout), socket_options=socket_options
            )
            return BoundedStream(stream)

        def sleep(self, seconds: float) -> None:
            self._inner.sleep(seconds)

    return BoundedBackend


@functools.cache
def _async_bounded_backend_class() -> type[Any]:
    """The async twins of the wrapper classes (asyncio and trio through httpcore)."""
    import httpcore

    class AsyncBoundedStream(httpcore.AsyncNetworkStream):
        def __init__(self, inner: httpcore.AsyncNetworkStream) -> None:
            self._inner = inner

        async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
            return await self._inner.read(max_bytes, _clamp(timeout, httpcore.ReadTimeout))

        async def write(self, buffer: bytes, timeout: float | None = None) -> None:
            await self._inner.write(buffer, _clamp(timeout, httpcore.WriteTimeout))

        async def aclose(self) -> None:
            await self._inner.aclose()

        async def start_tls(
            self,
            ssl_context: ssl.SSLContext,
            server_hostname: str | None = None,
            timeout: float | None = None,
        ) -> httpcore.AsyncNetworkStream:
            inner = await self._inner.start_tls(
                ssl_context, server_hostname, _clamp(timeout, httpcore.ConnectTimeout)
            )
            return AsyncBoundedStream(inner)

        def get_extra_info(self, info: str) -> Any:
            return self._inner.get_extra_info(info)

    class AsyncBoundedBackend(httpcore.AsyncNetworkBackend):
        def __init__(self, inner: httpcore.AsyncNetworkBackend) -> None:
            self._inner = inner

        async def connect_tcp(
            self,
            host: str,
            port: int,
            timeout: float | None = None,
            local_address: str | None = None,
            socket_options: Iterable[_SocketOption] | None = None,
        ) -> httpcore.AsyncNetworkStream:
            stream = await self._inner.connect_tcp(
                host,
                port,
                _clamp(timeout, httpcore.ConnectTimeout),
                local_address=local_address,
                socket_options=socket_options,
            )
            return AsyncBoundedStream(stream)

        async def connect_unix_socket(
            self,
            path: str,
            timeout: float | None = None,
            socket_options: Iterable[_SocketOption] | None = None,
        ) -> httpcore.AsyncNetworkStream:
            stream = await self._inner.connect_unix_socket(
                path, _clamp(timeout, httpcore.ConnectTimeout), socket_options=socket_options
            )
            return AsyncBoundedStream(stream)

        async def sleep(self, seconds: float) -> None:
            await self._inner.sleep(seconds)

    return AsyncBoundedBackend


def _wrap_backends(http: httpx.Client | httpx.AsyncClient, *, blocking: bool) -> None:
    transports: list[object] = [getattr(http, "_transport", None)]
    mounts = getattr(http, "_mounts", None)
    if isinstance(mounts, dict):
        transports += list(mounts.values())
    for transport in transports:
        if isinstance(transport, (AsyncShardedTransport, ShardedTransport)):
            # The SDK's sharded pool creates its shards later: bound each one as it comes.
            for shard in transport.shards:
                _wrap_transport(shard, blocking=blocking)
            transport.on_new_shard = functools.partial(_wrap_transport, blocking=blocking)
        else:
            _wrap_transport(transport, blocking=blocking)


def _wrap_transport(transport: object, *, blocking: bool) -> None:
    """Give one httpx transport's httpcore pool the bounded network backend."""
    pool = getattr(transport, "_pool", None)
    backend = getattr(pool, "_network_backend", None)
    if backend is None:
        return
    import httpcore

    if blocking:
        base: type[Any] = httpcore.NetworkBackend
        bounded = _bounded_backend_class()
    else:
        base = httpcore.AsyncNetworkBackend
        bounded = _async_bounded_backend_class()
    if isinstance(backend, base) and not isinstance(backend, bounded):
        pool._network_backend = bounded(backend)  # type: ignore[union-attr]


def bound_pool(http: httpx.Client) -> None:
    """Give ``http``'s httpcore pools (its transport's, its proxies') the bounded backend.

    Anything else (a MockTransport, a custom transport) is left as is: the client then
    checks the attempt's time between body chunks only.
    """
    _wrap_backends(http, blocking=True)


def async_bound_pool(http: httpx.AsyncClient) -> None:
    """Async twin of :func:`bound_pool`.

    Connects, reads and writes then each fail with the right httpx timeout (a connect cut
    short is "not sent", safe to retry), before the attempt's cancel scope, a backstop for
    other transports, would have to cut it.
    """
    _wrap_backends(http, blocking=False)

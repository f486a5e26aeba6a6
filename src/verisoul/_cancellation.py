"""Hand-written twins that let httpcore clean up after a cancelled call on asyncio too.

httpcore protects its connection clean-up with anyio cancel scopes. anyio honours the
shield for its own cancellations, but a native ``Task.cancel()`` (``asyncio.timeout``,
``asyncio.wait_for``, a web framework cancelling a request handler) is thrown straight
into the shielded clean-up. The connection then stays checked out forever, and after
enough cancellations every call fails with ``PoolTimeout`` (see encode/httpcore#1093 and
``tests/reliability/test_cancellation.py``).

Running the request in a child task of an anyio task group turns the caller's native
cancellation into an anyio cancellation of the child, which respects the shields. Trio
has only one kind of cancellation, so there the call runs as is.

A second leak needs no native cancellation: a request cancelled while it waits for a
free connection can leave behind the new connection the pool had just created for it,
never connected and assigned to nobody, holding a slot forever. After a cancelled
call, :func:`forget_orphaned_connections` drops such connections (there is no socket
to close).
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import httpx

from ._pool import httpcore_pools

__all__ = [
    "async_cancel_safe",
    "cancel_safe",
    "forget_all_connections",
    "forget_orphaned_connections",
]

_T = TypeVar("_T")


def _on_asyncio() -> bool:
    # Not imported at module level: no asyncio loop runs before asyncio is imported, and
    # ``import verisoul`` stays light.
    asyncio = sys.modules.get("asyncio")
    if asyncio is None:
        return False
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def forget_orphaned_connections(http: httpx.AsyncClient | httpx.Client) -> int:
    """Drop pooled connections that were created for a request that is gone.

    Such a connection has not started connecting (no socket) and no queued request is
    assigned to it, so nothing would ever use or remove it (encode/httpcore#1093).
    Only httpx's own transport is inspected (every shard of the SDK's sharded pool);
    anything else is left alone.

    Returns:
        How many connections were dropped.
    """
    dropped = 0
    for pool in _pools(http):
        dropped += _forget_orphans_in(pool)
    return dropped


def _forget_orphans_in(pool: Any) -> int:
    """:func:`forget_orphaned_connections` for one httpcore pool (one shard)."""
    connections = getattr(pool, "_connections", None)
    requests = getattr(pool, "_requests", None)
    if not isinstance(connections, list) or not isinstance(requests, list):
        return 0
    lock = getattr(pool, "_optional_thread_lock", None) or contextlib.nullcontext()
    with lock:
        assigned = {id(getattr(request, "connection", None)) for request in requests}
        orphans = [
            connection
            for connection in connections
            if getattr(connection, "_connection", True) is None
            and getattr(connection, "_connect_failed", True) is False
            and id(connection) not in assigned
        ]
        for connection in orphans:
            connections.remove(connection)
    return len(orphans)


def _pools(http: httpx.AsyncClient | httpx.Client) -> list[Any]:
    """The httpcore pools behind ``http``: its transport's (every shard) and its mounts'."""
    transports = [getattr(http, "_transport", None)]
    mounts = getattr(http, "_mounts", None)
    if isinstance(mounts, dict):
        transports += list(mounts.values())
    return [pool for t in transports if t is not None for pool in httpcore_pools(t)]


def forget_all_connections(http: httpx.AsyncClient | httpx.Client) -> int:
    """In a forked child: drop (unclosed) every pooled connection of a client we cannot rebuild.

    The sockets belong to the parent too; closing them here would end the parent's
    connections, reusing them would mix both processes' responses. The pool's lock is
    replaced as well: another thread of the parent may have held it at fork time.
    Only httpx's default transport is known; anything else is left alone.

    Returns:
        How many connections were dropped.
    """
    dropped = 0
    for pool in _pools(http):
        connections = getattr(pool, "_connections", None)
        requests = getattr(pool, "_requests", None)
        if not isinstance(connections, list) or not isinstance(requests, list):
            continue
        lock = getattr(pool, "_optional_thread_lock", None)
        if lock is not None:
            with contextlib.suppress(Exception):
                pool._optional_thread_lock = type(lock)()
        dropped += len(connections)
        pool._connections = []
        pool._requests = []
    return dropped


async def async_cancel_safe(
    work: Callable[[], Awaitable[_T]], http: httpx.AsyncClient | httpx.Client
) -> _T:
    """Await ``work()`` (a request on ``http``) so that cancelling it leaks nothing.

    Exceptions from ``work`` propagate unchanged (not wrapped in an ExceptionGroup);
    cancelling the caller cancels ``work``, waits for its clean-up to finish, then
    drops any connection the cancellation orphaned in ``http``'s pool.
    """
    try:
        if not _on_asyncio():
            return await work()
        results: list[_T] = []
        errors: list[Exception] = []

        async def child() -> None:
            try:
                results.append(await work())
            except Exception as exc:  # cancellation is a BaseException: it reaches the group
                errors.append(exc)

        import anyio  # loaded by then: httpx's asyncio backend runs on anyio

        async with anyio.create_task_group() as group:
            group.start_soon(child)
        if errors:
            raise errors[0]
        return results[0]
    except BaseException as exc:
        if not isinstance(exc, Exception):  # cancelled (or interrupted)
            forget_orphaned_connections(http)
        raise


def cancel_safe(work: Callable[[], _T], http: httpx.AsyncClient | httpx.Client) -> _T:
    """Sync twin of :func:`async_cancel_safe`: blocking calls are only interrupted."""
    try:
        return work()
    except BaseException as exc:
        if not isinstance(exc, Exception):  # KeyboardInterrupt while waiting for the pool
            forget_orphaned_connections(http)
        raise

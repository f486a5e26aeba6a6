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
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

import anyio

__all__ = ["async_cancel_safe", "cancel_safe"]

_T = TypeVar("_T")


def _on_asyncio() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


async def async_cancel_safe(work: Callable[[], Awaitable[_T]]) -> _T:
    """Await ``work()`` so that a native asyncio cancellation reaches it cleanly.

    Exceptions from ``work`` propagate unchanged (not wrapped in an ExceptionGroup);
    cancelling the caller cancels ``work`` and waits for its clean-up to finish.
    """
    if not _on_asyncio():
        return await work()
    results: list[_T] = []
    errors: list[Exception] = []

    async def child() -> None:
        try:
            results.append(await work())
        except Exception as exc:  # cancellation is a BaseException: it reaches the group
            errors.append(exc)

    async with anyio.create_task_group() as group:
        group.start_soon(child)
    if errors:
        raise errors[0]
    return results[0]


def cancel_safe(work: Callable[[], _T]) -> _T:
    """Sync twin of :func:`async_cancel_safe`: blocking calls cannot be cancelled."""
    return work()

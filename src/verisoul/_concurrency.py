"""Hand-written async/sync twins of the few primitives the clients need.

The sync client is generated from the async one by renaming ``async_x`` to ``x``,
so every function here exists in both flavours with the same signature.
"""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import Callable
from typing import TypeVar

import anyio
import anyio.to_thread

__all__ = [
    "async_current_loop",
    "async_run_blocking",
    "async_sleep",
    "current_loop",
    "run_blocking",
    "sleep",
]

_T = TypeVar("_T")


async def async_sleep(seconds: float) -> None:
    """Sleep on whichever event loop is running (asyncio or trio)."""
    await anyio.sleep(seconds)


def sleep(seconds: float) -> None:
    """Block the current thread."""
    time.sleep(seconds)


def async_current_loop() -> object:
    """An object identifying the running event loop (asyncio loop or trio token).

    Connections in an ``httpx.AsyncClient`` pool belong to the loop that opened them, so
    the client remembers this value and refuses to be used from another loop.
    """
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        trio = sys.modules.get("trio")
        if trio is None:
            raise
        return trio.lowlevel.current_trio_token()


def current_loop() -> object:
    """Sync twin of :func:`async_current_loop`: blocking code has no event loop."""
    return None


async def async_run_blocking(fn: Callable[..., _T], *args: object) -> _T:
    """Run blocking ``fn(*args)`` in a worker thread so the event loop keeps going.

    For short network calls that have no async flavour here (the Redis rate budget).
    A cancelled caller waits for the thread to finish; keep ``fn`` bounded by timeouts.
    """
    return await anyio.to_thread.run_sync(fn, *args)


def run_blocking(fn: Callable[..., _T], *args: object) -> _T:
    """Sync twin of :func:`async_run_blocking`: blocking code just calls ``fn``."""
    return fn(*args)

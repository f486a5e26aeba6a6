"""Hand-written async/sync twins of the few primitives the clients need.

The sync client is generated from the async one by renaming ``async_x`` to ``x``,
so every function here exists in both flavours with the same signature.
"""

from __future__ import annotations

import asyncio
import sys
import time

import anyio

__all__ = ["async_current_loop", "async_sleep", "current_loop", "sleep"]


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

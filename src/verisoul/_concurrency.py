"""Hand-written async/sync twins of the few primitives the clients need.

The sync client is generated from the async one by renaming ``async_x`` to ``x``,
so every function here exists in both flavours with the same signature.
"""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Callable, Iterator
from typing import TypeVar

from ._exceptions import VerisoulError

# asyncio and anyio are imported on first use, not with ``import verisoul``: together they
# are a large share of its import time, and sync or trio programs may never need them.

__all__ = [
    "async_current_loop",
    "async_run_blocking",
    "async_sleep",
    "async_time_limit",
    "current_loop",
    "foreign_loop_error",
    "run_blocking",
    "sleep",
    "time_limit",
]

_T = TypeVar("_T")


async def async_sleep(seconds: float) -> None:
    """Sleep on whichever event loop is running (asyncio or trio)."""
    import anyio

    await anyio.sleep(seconds)


def sleep(seconds: float) -> None:
    """Block the current thread."""
    time.sleep(seconds)


def async_current_loop() -> object:
    """An object identifying the running event loop (asyncio loop or trio token).

    Connections in an ``httpx.AsyncClient`` pool belong to the loop that opened them, so
    the client remembers this value and refuses to be used from another loop.
    """
    asyncio = sys.modules.get("asyncio")  # no asyncio loop runs before asyncio is imported
    if asyncio is not None:
        try:
            return asyncio.get_running_loop()
        except RuntimeError:
            pass
    trio = sys.modules.get("trio")
    if trio is None:
        raise RuntimeError("no running event loop")
    return trio.lowlevel.current_trio_token()


def foreign_loop_error(client_name: str) -> VerisoulError:
    """The error of an async client used (or closed) from a second event loop."""
    return VerisoulError(
        f"This {client_name} was first used in another event loop and its "
        "connections belong to that loop. Create the client inside the loop that "
        "uses it (for example in your app's lifespan or per asyncio.run())."
    )


def current_loop() -> object:
    """Sync twin of :func:`async_current_loop`: blocking code has no event loop."""
    return None


async def async_run_blocking(fn: Callable[..., _T], *args: object) -> _T:
    """Run blocking ``fn(*args)`` in a worker thread so the event loop keeps going.

    For short network calls that have no async flavour here (the Redis rate budget).
    A cancelled caller waits for the thread to finish; keep ``fn`` bounded by timeouts.
    """
    import anyio.to_thread

    return await anyio.to_thread.run_sync(fn, *args)


def run_blocking(fn: Callable[..., _T], *args: object) -> _T:
    """Sync twin of :func:`async_run_blocking`: blocking code just calls ``fn``."""
    return fn(*args)


class TimeLimit:
    """What :func:`async_time_limit` reports: whether the limit cut the block short."""

    expired: bool = False


#: How long after the attempt's end its cancel scope fires: bounded pools fail by then
#: with the timeout of the phase they were in; only other transports need the scope.
BACKSTOP_GRACE = 0.25


@contextlib.contextmanager
def async_time_limit(seconds: float | None) -> Iterator[TimeLimit]:
    """Bound the block to ``seconds`` (None: no limit); ``.expired`` tells afterwards.

    Socket operations of a bounded pool (``_attempt_time``) get only the time left; the
    block is also cancelled shortly after, wherever it waits (any transport), on asyncio
    and trio alike.
    """
    import anyio

    from ._attempt_time import attempt_time_left

    outcome = TimeLimit()
    backstop = None if seconds is None else seconds + BACKSTOP_GRACE
    with anyio.move_on_after(backstop) as scope, attempt_time_left(seconds):
        yield outcome
    outcome.expired = scope.cancelled_caught


@contextlib.contextmanager
def time_limit(seconds: float | None) -> Iterator[TimeLimit]:
    """Sync twin of :func:`async_time_limit`: a blocking call cannot be cancelled.

    Instead every socket operation of a bounded pool (``_attempt_time.bound_pool``) is
    given only the time left, so the attempt still ends in time.
    """
    from ._attempt_time import attempt_time_left

    with attempt_time_left(seconds):
        yield TimeLimit()

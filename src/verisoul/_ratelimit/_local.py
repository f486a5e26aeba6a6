"""The in-process budget: one sliding window per (API key, limit), shared process-wide.

Every client created with the same key and the same ``RateLimit(requests, period)``
gets the same :class:`SlidingWindow`, async and sync clients alike, so a process never
goes over the budget however many clients it builds. The registry is keyed by a hash
of the API key, never the key itself.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable

from ._registry import Registry
from ._spec import RateLimit
from ._window import Reservation, SlidingWindow, guarded_period

__all__ = ["LocalLimiter", "clear_budgets", "key_id", "shared_window"]

_windows: Registry[SlidingWindow] = Registry()


def key_id(api_key: str) -> str:
    """A short, stable, non-reversible name for an API key (16 hex digits of SHA-256)."""
    return hashlib.sha256(api_key.encode()).hexdigest()[:16]


def shared_window(key: str, limit: RateLimit) -> SlidingWindow:
    """The process-wide window for ``key`` (a :func:`key_id`) and this limit."""
    return _windows.get(
        (key, limit.requests, float(limit.period)),
        lambda: SlidingWindow(limit.requests, guarded_period(limit.period)),
    )


def clear_budgets() -> None:
    """Forget every in-process budget (tests)."""
    _windows.clear()


class LocalLimiter:
    """Paces calls with a process-wide :class:`SlidingWindow`.

    Attributes:
        blocking: Always False: a reservation is a few microseconds under a lock, so
            the async client calls it directly.
        max_wait: The user's cap on a wait (None: the call's deadline decides).
        description: How the budget reads in an error message.
    """

    blocking = False

    def __init__(
        self,
        window: SlidingWindow,
        limit: RateLimit,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._window = window
        self._clock = clock
        self.max_wait = limit.max_wait
        self.description = (
            f"{limit.requests} requests per {limit.period:g} s, kept in this process"
        )

    def reserve(self, max_wait: float | None) -> Reservation:
        """Take the next slot unless it is more than ``max_wait`` seconds away."""
        return self._window.reserve(self._clock(), max_wait)

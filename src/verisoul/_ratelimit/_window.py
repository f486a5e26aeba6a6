"""The budget arithmetic: a sliding window of reserved slots, no clock, no I/O.

A call asks for a slot; the window answers how long to wait for it. The answer is the
earliest time that keeps every window of ``period`` seconds at ``limit`` slots or
fewer: ``max(now, slots[-limit] + period)``. Slots are handed out in time order, so the
``limit``-th latest slot is all the state that decides, and only the last ``limit``
slots are kept. The same rule runs in Redis (``_redis.py``'s Lua script) for a fleet.

Why a sliding window and not a token bucket/GCRA: a bucket of ``limit`` tokens refilled
at ``limit/period`` lets ``2 * limit`` calls through in one window (a full bucket, then
the refill), which a server counting per window answers with 429s; an evenly spaced
GCRA never bursts but wastes the budget of an idle start. The window uses the whole
budget and never exceeds it.
"""

from __future__ import annotations

import collections
import threading
from typing import Final

import attrs

__all__ = ["JITTER_GUARD", "MIN_JITTER_GUARD", "Reservation", "SlidingWindow", "guarded_period"]

#: Slots are spaced wider than the period, by 1 % of it but at least 0.5 s: a slot is
#: reserved before the request is sent, and connecting, scheduling and the network
#: delay some requests more than others, so without a margin a call sent right at the
#: start of a window can reach Verisoul while the previous window's slowest call still
#: counts against it. For Verisoul's 60 s window this costs 1 % of the budget.
JITTER_GUARD: Final = 0.01
MIN_JITTER_GUARD: Final = 0.5


def guarded_period(period: float) -> float:
    """The spacing actually enforced between a slot and the ``limit``-th one after it."""
    return period + max(period * JITTER_GUARD, MIN_JITTER_GUARD)


@attrs.frozen
class Reservation:
    """The answer to one request for a slot.

    Attributes:
        granted: True when the slot is taken (the caller must use it after ``wait``).
            False when the slot would come later than the caller can wait: nothing
            was taken.
        wait: Seconds from now until the slot (for a refusal: until the slot it would
            have had).
    """

    granted: bool
    wait: float


class SlidingWindow:
    """At most ``limit`` slots in any window of ``period`` seconds. Thread-safe.

    The clock is the caller's (``now`` is passed in), so tests drive it by hand.
    """

    limit: int
    period: float

    def __init__(self, limit: int, period: float) -> None:
        self.limit = limit
        self.period = period
        self._slots: collections.deque[float] = collections.deque(maxlen=limit)
        self._lock = threading.Lock()

    def reserve(self, now: float, max_wait: float | None = None) -> Reservation:
        """Take the earliest free slot, unless it is more than ``max_wait`` away.

        Args:
            now: The current time on a monotonic clock, in seconds.
            max_wait: The longest the caller can wait (None: no bound).

        Returns:
            The reservation: granted with the wait before the slot, or refused.
        """
        with self._lock:
            slots = self._slots
            slot = now
            if slots:
                # Never before the latest slot: keeps the deque in time order even when
                # callers' clocks were read a little before they got the lock.
                slot = max(slot, slots[-1])
                if len(slots) == self.limit:
                    slot = max(slot, slots[0] + self.period)
            wait = slot - now
            if max_wait is not None and wait > max_wait:
                return Reservation(granted=False, wait=wait)
            slots.append(slot)
            return Reservation(granted=True, wait=wait)

    def after_fork(self) -> None:
        """Replace the lock: another thread of the parent may have held it at the fork."""
        self._lock = threading.Lock()

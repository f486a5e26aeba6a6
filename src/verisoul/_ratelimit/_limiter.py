"""What the client's request loop sees of a rate budget: a limiter and its decisions."""

from __future__ import annotations

from typing import Final, Protocol

import httpx

from .._exceptions import LocalRateLimitError
from .._retry import MIN_ATTEMPT_TIME
from ._local import LocalLimiter, clear_budgets, key_id, shared_window
from ._redis import RedisLimiter, redis_limiter
from ._registry import Registry
from ._spec import RateLimit
from ._window import Reservation

__all__ = [
    "LOOP_SPARE",
    "SLOT_SLACK",
    "Limiter",
    "allowed_wait",
    "attempt_fits",
    "budget_exhausted_error",
    "limiter_for",
    "reset_budgets",
]

#: Seconds a granted slot keeps free on top of :data:`~verisoul._retry.MIN_ATTEMPT_TIME`
#: before the deadline: the sleep until the slot may wake up late, and a slot that
#: leaves no room for the attempt is a wasted slot and a call that waited for nothing.
SLOT_SLACK: Final = 0.02
#: Seconds to spare when checking, after the sleep, that the attempt still fits.
LOOP_SPARE: Final = 0.001


class Limiter(Protocol):
    """Hands out slots of one budget.

    Attributes:
        blocking: True when :meth:`reserve` does network I/O (the async client then runs
            it in a worker thread).
        max_wait: The user's cap on a wait, seconds, or None.
    """

    blocking: bool
    max_wait: float | None

    @property
    def description(self) -> str:
        """The budget in words, for error messages."""
        ...

    def reserve(self, max_wait: float | None) -> Reservation:
        """Take the next slot unless it is more than ``max_wait`` seconds away."""
        ...


_redis_limiters: Registry[RedisLimiter] = Registry()


def limiter_for(api_key: str, limit: RateLimit | None) -> Limiter | None:
    """The limiter a client with this key and ``rate_limit=`` must use (None: no limit).

    In-process limiters of one key and limit share one window; so do Redis limiters of
    one Redis (URL or client object), which also share the connection pool and the
    warn-once state.

    Raises:
        TypeError: ``limit`` is not a :class:`RateLimit`, or ``redis_client`` is not a
            sync ``redis.Redis``.
        VerisoulError: Redis is asked for but the ``redis`` package is not installed.
    """
    if limit is None:
        return None
    if not isinstance(limit, RateLimit):
        raise TypeError(f"rate_limit must be a verisoul.RateLimit, not {type(limit).__name__}")
    kid = key_id(api_key)
    local = LocalLimiter(shared_window(kid, limit), limit)
    if not limit.uses_redis:
        return local
    # The client object itself is part of the key (kept alive by the registry entry).
    source = (
        ("url", limit.redis_url)
        if limit.redis_client is None
        else ("client", id(limit.redis_client))
    )
    registry_key = (*source, kid, limit.requests, float(limit.period), limit.max_wait)
    return _redis_limiters.get(registry_key, lambda: redis_limiter(api_key, limit, local))


def reset_budgets() -> None:
    """Forget every shared budget and Redis limiter of this process (tests)."""
    clear_budgets()
    _redis_limiters.clear()


def allowed_wait(limiter: Limiter, deadline_at: float | None, now: float) -> float | None:
    """How long a call may wait for a slot: the user's cap and what the deadline leaves.

    A slot is only worth having if an attempt still fits after it, so the deadline's
    share keeps :data:`~verisoul._retry.MIN_ATTEMPT_TIME` for the attempt, plus
    :data:`SLOT_SLACK` for the sleep to overrun.
    """
    bounds = [limiter.max_wait] if limiter.max_wait is not None else []
    if deadline_at is not None:
        bounds.append(max(0.0, deadline_at - now - MIN_ATTEMPT_TIME - SLOT_SLACK))
    return min(bounds) if bounds else None


def attempt_fits(deadline_at: float | None, now: float, spare: float = 0.0) -> bool:
    """True when an attempt may still start at ``now``, ``spare`` seconds to spare.

    With ``spare=0`` this is the request loop's own rule
    (:func:`~verisoul._retry.attempt_timeout` gives up below ``MIN_ATTEMPT_TIME``).
    After the sleep until a slot, the client asks with :data:`LOOP_SPARE`: the loop
    reads the clock once more before it starts the attempt.
    """
    return deadline_at is None or deadline_at - now >= MIN_ATTEMPT_TIME + spare


def budget_exhausted_error(
    request: httpx.Request,
    limiter: Limiter,
    reservation: Reservation,
    attempts: int,
    last_error: Exception | None = None,
) -> LocalRateLimitError:
    """The error for a call whose next slot comes too late for an attempt to fit.

    ``attempts`` counts the attempts already sent: 0 means the call sent nothing.
    Before a retry, ``last_error`` is the error of the attempt that was sent; the
    message quotes it and the caller raises this error ``from`` it, so the server's
    answer is kept as ``__cause__``.
    """
    text = (
        f"{request.method} {request.url.path}: the SDK's own rate budget "
        f"({limiter.description}) has no free slot for {reservation.wait:.2f} s, longer "
        "than this call may wait (deadline or max_wait); "
    )
    if attempts == 0:
        text += "not sent to Verisoul, which did not refuse it"
    else:
        plural = "" if attempts == 1 else "s"
        text += (
            f"retry not sent, after {attempts} attempt{plural} sent to Verisoul "
            f"(last error: {last_error})"
        )
    return LocalRateLimitError(
        text,
        request=request,
        retry_after=reservation.wait,
        attempts=attempts,
    )

"""Retry decisions: pure functions of the outcome, the attempt count and the clock.

Both clients run the same loop (send -> decide -> sleep); everything that decides lives
here so it is written and tested once.
"""

from __future__ import annotations

import datetime
import email.utils
import math
import random
import time
from typing import Final

import httpx

from ._retry_class import RetryClass

__all__ = [
    "BACKOFF_INITIAL",
    "BACKOFF_MAX",
    "MAX_RETRY_AFTER",
    "RetryClass",
    "attempt_budget",
    "attempt_timeout",
    "backoff_delay",
    "parse_retry_after",
    "retry_delay_for_error",
    "retry_delay_for_status",
    "wait_hint",
]

BACKOFF_INITIAL: Final = 0.5
BACKOFF_MAX: Final = 8.0
#: A server asking us to wait longer than this is not waited for: the error is raised
#: at once, carrying ``retry_after`` so the caller can reschedule.
MAX_RETRY_AFTER: Final = 60.0
#: No new attempt is started with less than this left before the deadline.
MIN_ATTEMPT_TIME: Final = 0.05

_RETRY_STATUSES: Final = frozenset({408, 409, 429})


#: Past this many doublings the cap is reached anyway; bounding the exponent keeps
#: ``2.0 ** n`` from overflowing for huge ``max_retries``.
_MAX_DOUBLINGS: Final = 32


def backoff_delay(retry_number: int, rng: random.Random | None = None) -> float:
    """Exponential backoff: 0.5 s doubling, capped at 8 s, minus up to 25 % jitter.

    Any ``retry_number`` works (no ``OverflowError`` for huge ones: the cap applies).
    """
    doublings = min(max(retry_number - 1, 0), _MAX_DOUBLINGS)
    base = min(BACKOFF_MAX, BACKOFF_INITIAL * 2.0**doublings)
    jitter = rng.random() if rng is not None else random.random()
    return base * (1.0 - 0.25 * jitter)


def _finite_seconds(value: float) -> float | None:
    """One rule for every form: NaN, infinities and negative values are no hint."""
    if not math.isfinite(value) or value < 0:
        return None
    return value


def parse_retry_after(headers: httpx.Headers, now: float | None = None) -> float | None:
    """Seconds the server asks us to wait, from ``retry-after-ms`` or ``Retry-After``.

    ``Retry-After`` may be seconds or an HTTP date; ``now`` (wall clock) is only used
    for the date form, and a date without a usable zone (``-0000``) is read as UTC.
    Garbage, NaN, infinities and negative values are ignored (None), in both headers;
    ``retry-after-ms`` wins when it holds a usable value.
    """
    raw_ms = headers.get("retry-after-ms")
    if raw_ms is not None:
        try:
            value_ms = _finite_seconds(float(raw_ms))
        except ValueError:
            value_ms = None
        if value_ms is not None:
            return value_ms / 1000.0
    raw = headers.get("retry-after")
    if raw is None:
        return None
    try:
        return _finite_seconds(float(raw))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(raw)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:  # "-0000": RFC 5322's "zone unknown"; HTTP dates are GMT
        when = when.replace(tzinfo=datetime.timezone.utc)
    try:
        value = when.timestamp() - (time.time() if now is None else now)
    except (OverflowError, ValueError, OSError):
        return None
    return max(0.0, value)


def wait_hint(retry_after: float | None) -> float | None:
    """The server's wait as a retry delay: ``Retry-After: 0`` (or a past date) is no hint.

    A zero wait would let a failing server be hammered as fast as the network allows
    (``max_retries=1000`` sends 1,001 requests in well under a second), so the backoff
    applies instead.
    """
    if retry_after is None or retry_after <= 0:
        return None
    return retry_after


def retry_delay_for_status(
    response: httpx.Response,
    retry_class: RetryClass,
    retries_done: int,
    max_retries: int,
    rng: random.Random | None = None,
) -> float | None:
    """Delay before retrying after an HTTP error status, or None to give up."""
    status = response.status_code
    if retries_done >= max_retries:
        return None
    if retry_class is RetryClass.UNSAFE_WRITE:
        if status != 429:
            return None
    elif status not in _RETRY_STATUSES and status < 500:
        return None
    retry_after = wait_hint(parse_retry_after(response.headers))
    if retry_after is not None:
        return retry_after if retry_after <= MAX_RETRY_AFTER else None
    return backoff_delay(retries_done + 1, rng)


def provably_not_sent(exc: Exception) -> bool:
    """True when the request cannot have reached the server."""
    return isinstance(exc, (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout))


def retryable_error(exc: Exception) -> bool:
    """Transport failures worth another attempt on an idempotent request."""
    return isinstance(exc, (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError))


def retry_delay_for_error(
    exc: Exception,
    retry_class: RetryClass,
    retries_done: int,
    max_retries: int,
    rng: random.Random | None = None,
) -> float | None:
    """Delay before retrying after a transport error, or None to give up."""
    if retries_done >= max_retries:
        return None
    if retry_class is RetryClass.UNSAFE_WRITE:
        if not provably_not_sent(exc):
            return None
    elif not retryable_error(exc):
        return None
    return backoff_delay(retries_done + 1, rng)


def attempt_budget(timeout: httpx.Timeout) -> float | None:
    """The most one attempt may take as a whole, from its start to its last body byte.

    httpx's timeouts bound each network operation (a connect, one read, one write), so a
    body trickling in one byte just faster than the read timeout would keep an attempt
    alive for as long as the server wants. The SDK also bounds the whole attempt: by the
    largest of the ``timeout`` values (30 s with the default; ``timeout=2`` gives 2 s).
    None when any of them is None: a caller who lifted a limit gets no total bound
    either (only ``deadline`` then bounds the call).
    """
    values = list(timeout.as_dict().values())
    if any(value is None for value in values):
        return None
    return max(float(value) for value in values if value is not None)


def attempt_timeout(
    timeout: httpx.Timeout, deadline_at: float | None, now: float
) -> dict[str, float | None] | None:
    """The httpx timeout for the next attempt, shrunk to what is left of the deadline.

    Returns None when the deadline leaves no room for another attempt.
    """
    if deadline_at is None:
        return timeout.as_dict()
    left = deadline_at - now
    if left < MIN_ATTEMPT_TIME:
        return None
    return {
        key: left if value is None else min(value, left)
        for key, value in timeout.as_dict().items()
    }

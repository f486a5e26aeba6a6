"""``RateLimit``: the value a user passes as ``rate_limit=`` to a client."""

from __future__ import annotations

import math
from typing import Any

import attrs
import httpx

__all__ = ["RateLimit", "redacted_url"]


def _check_requests(_: object, __: attrs.Attribute[int], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"requests must be an int, not {type(value).__name__}")
    if value < 1:
        raise ValueError(f"requests must be >= 1, got {value}")


def _check_seconds(name: str, value: object, *, allow_zero: bool) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{name} must be seconds (float), not {type(value).__name__}")
    if not math.isfinite(value) or value < 0 or (value == 0 and not allow_zero):
        raise ValueError(f"{name} must be {'>=' if allow_zero else '>'} 0 seconds, got {value!r}")


def _check_period(_: object, __: attrs.Attribute[float], value: float) -> None:
    _check_seconds("period", value, allow_zero=False)


def _check_max_wait(_: object, __: attrs.Attribute[float | None], value: float | None) -> None:
    if value is not None:
        _check_seconds("max_wait", value, allow_zero=True)


def _check_redis_url(_: object, __: attrs.Attribute[str | None], value: str | None) -> None:
    if value is not None and not isinstance(value, str):
        raise TypeError(f"redis_url must be a str, not {type(value).__name__}")


def redacted_url(url: str) -> str:
    """A Redis URL without its user name and password, safe to log."""
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL:
        return "<unparsable redis url>"
    return str(parsed.copy_with(userinfo=b"", query=None))


@attrs.frozen(repr=False)
class RateLimit:
    """A request budget the SDK keeps for one API key: ``requests`` per ``period`` seconds.

    Verisoul allows 300 requests per minute per API key, over all endpoints, and answers
    429 past that. With ``rate_limit=RateLimit(300)`` every client using the same key and
    limit paces its calls so the key never goes over budget: a call that finds the
    budget spent waits for the next free slot (within its ``deadline``) instead of
    being sent to collect a 429.

    Without ``redis_url``/``redis_client`` the budget is kept in this process and shared
    by every ``AsyncVerisoul`` and ``Verisoul`` created with the same key and limit.
    With Redis it is shared by every process and machine using that Redis, the same key
    and the same Redis database (``pip install 'verisoul[redis]'``). If Redis cannot be
    reached, each process falls back to its in-process budget (logging one warning on
    the ``"verisoul"`` logger) and tries Redis again a few seconds later.

    The budget is a sliding window: no window of ``period`` seconds ever holds more than
    ``requests`` calls, and an idle budget lets a burst of ``requests`` calls through at
    once. Slots are spaced 1 % (at least 0.5 s) wider than ``period``, to absorb the
    varying delay between taking a slot and the request reaching Verisoul, so at most
    99 % of a one-minute budget is used.

    Attributes:
        requests: Calls allowed per ``period`` (Verisoul's default: 300 per 60 s). Count
            attempts, not calls: every retry takes a slot too.
        period: Length of the window in seconds (default 60).
        redis_url: ``redis://[user:password@]host:port/db`` (or ``rediss://``, ``unix://``)
            of a Redis shared by the fleet. The SDK creates the connection pool, with
            0.5 s socket timeouts so a sick Redis never holds a call for long.
        redis_client: Instead of ``redis_url``, a ready ``redis.Redis`` (sync) client to
            use as is (its own timeouts apply; keep them short).
        max_wait: The longest a call may wait for a slot, in seconds (None: as long as
            the call's ``deadline`` allows, without a deadline until a slot frees).
    """

    requests: int = attrs.field(validator=_check_requests)
    period: float = attrs.field(default=60.0, validator=_check_period)
    redis_url: str | None = attrs.field(default=None, validator=_check_redis_url, kw_only=True)
    redis_client: Any = attrs.field(default=None, kw_only=True)
    max_wait: float | None = attrs.field(default=None, validator=_check_max_wait, kw_only=True)

    def __attrs_post_init__(self) -> None:
        if self.redis_url is not None and self.redis_client is not None:
            raise ValueError("Pass redis_url or redis_client, not both.")

    @property
    def uses_redis(self) -> bool:
        """True when the budget is kept in Redis."""
        return self.redis_url is not None or self.redis_client is not None

    def __repr__(self) -> str:
        parts = [f"requests={self.requests}", f"period={self.period:g}"]
        if self.redis_url is not None:
            parts.append(f"redis_url={redacted_url(self.redis_url)!r}")
        if self.redis_client is not None:
            parts.append(f"redis_client=<{type(self.redis_client).__name__}>")
        if self.max_wait is not None:
            parts.append(f"max_wait={self.max_wait:g}")
        return f"RateLimit({', '.join(parts)})"

"""The fleet budget: the same sliding window, kept in Redis by one atomic Lua script.

Each reservation is one round trip (``EVALSHA``): the script reads Redis' own clock,
drops slots older than the window, computes the earliest slot exactly as
:class:`~._window.SlidingWindow` does and records it, all atomically, so no process can
read a stale count between our read and our write. Slots live in a sorted set named
``verisoul:ratelimit:<sha256(api key)[:16]>`` (scores are microseconds on Redis' clock,
so machines' clocks need not agree); it expires when idle.

Redis is a helper, never a dependency of a call: its socket timeouts are short, any
Redis failure switches this process to its in-process budget with ONE warning on the
``"verisoul"`` logger, and Redis is tried again after a cooldown.
"""

from __future__ import annotations

import logging
import math
import threading
import time
import uuid
from collections.abc import Callable
from typing import Any, Final

from .._exceptions import VerisoulError
from ._local import LocalLimiter, key_id
from ._spec import RateLimit, redacted_url
from ._window import Reservation, guarded_period

__all__ = [
    "REDIS_COOLDOWN",
    "REDIS_SOCKET_TIMEOUT",
    "RESERVE_SCRIPT",
    "RedisLimiter",
    "redis_client_from_url",
    "redis_key",
]

logger = logging.getLogger("verisoul")

#: Seconds a call may spend on Redis before the in-process budget takes over.
REDIS_SOCKET_TIMEOUT: Final = 0.5
#: Seconds between two attempts to reach a Redis that failed.
REDIS_COOLDOWN: Final = 5.0

#: KEYS[1] the slot set; ARGV: limit, period (us), max wait (us, -1 = none), member id.
#: Returns {granted (1/0), wait (us)}.
RESERVE_SCRIPT: Final = """
local key = KEYS[1]
local limit = tonumber(ARGV[1])
local period = tonumber(ARGV[2])
local max_wait = tonumber(ARGV[3])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - period)
local slot = now
local latest = redis.call('ZRANGE', key, -1, -1, 'WITHSCORES')
if latest[2] then
  slot = math.max(slot, tonumber(latest[2]))
  if redis.call('ZCARD', key) >= limit then
    local nth = redis.call('ZRANGE', key, -limit, -limit, 'WITHSCORES')
    slot = math.max(slot, tonumber(nth[2]) + period)
  end
end
local wait = slot - now
if max_wait >= 0 and wait > max_wait then
  return {0, wait}
end
redis.call('ZADD', key, slot, ARGV[4])
redis.call('PEXPIRE', key, math.ceil((wait + period) / 1000) + 1000)
return {1, wait}
"""


def redis_key(api_key_id: str) -> str:
    """The Redis key of a budget: a hash of the API key, never the key itself."""
    return f"verisoul:ratelimit:{api_key_id}"


def _import_redis() -> Any:
    try:
        import redis
    except ImportError:
        raise VerisoulError(
            "RateLimit(redis_url=...) needs the redis package: pip install 'verisoul[redis]'"
        ) from None
    return redis


def redis_client_from_url(url: str) -> Any:
    """A sync ``redis.Redis`` with short timeouts and no retries of its own."""
    redis = _import_redis()
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    return redis.Redis.from_url(
        url,
        socket_timeout=REDIS_SOCKET_TIMEOUT,
        socket_connect_timeout=REDIS_SOCKET_TIMEOUT,
        retry=Retry(NoBackoff(), 0),
    )


def _check_sync_client(client: Any) -> None:
    redis = _import_redis()
    from redis.asyncio import Redis as AsyncRedis

    if isinstance(client, AsyncRedis) or not isinstance(client, redis.Redis):
        raise TypeError(
            "redis_client must be a sync redis.Redis (the SDK calls it from a worker "
            f"thread in async code), not {type(client).__name__}"
        )


class RedisLimiter:
    """Paces calls with a sliding window kept in Redis, falling back to ``fallback``.

    Attributes:
        blocking: Always True: a reservation is a network round trip, which the async
            client runs in a worker thread.
        max_wait: The user's cap on a wait (None: the call's deadline decides).
    """

    blocking = True

    def __init__(
        self,
        client: Any,
        api_key_id: str,
        limit: RateLimit,
        fallback: LocalLimiter,
        *,
        where: str,
        cooldown: float = REDIS_COOLDOWN,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._client = client
        self._script = client.register_script(RESERVE_SCRIPT)
        self._key = redis_key(api_key_id)
        self._limit = limit.requests
        self._period_us = math.ceil(guarded_period(limit.period) * 1e6)
        self._fallback = fallback
        self._where = where
        self._cooldown = cooldown
        self._clock = clock
        self._lock = threading.Lock()
        self._down_until: float | None = None
        self.max_wait = limit.max_wait
        self._shared = f"{limit.requests} requests per {limit.period:g} s, shared through Redis"

    @property
    def description(self) -> str:
        """The budget in words; says so while Redis is down and the process budget rules."""
        if self._in_cooldown():
            return f"{self._fallback.description} while Redis is unreachable"
        return self._shared

    def reserve(self, max_wait: float | None) -> Reservation:
        """Take the next slot in Redis (or locally while Redis is down)."""
        if self._in_cooldown():
            return self._fallback.reserve(max_wait)
        max_wait_us = -1 if max_wait is None else math.floor(max_wait * 1e6)
        try:
            granted, wait_us = self._script(
                keys=[self._key],
                args=[self._limit, self._period_us, max_wait_us, uuid.uuid4().hex],
            )
            reservation = Reservation(granted=bool(granted), wait=int(wait_us) / 1e6)
        except Exception as exc:  # any Redis or reply failure: the call must go on
            self._mark_down(exc)
            return self._fallback.reserve(max_wait)
        self._mark_up()
        return reservation

    def _in_cooldown(self) -> bool:
        down_until = self._down_until
        return down_until is not None and self._clock() < down_until

    def _mark_down(self, exc: Exception) -> None:
        with self._lock:
            first = self._down_until is None
            self._down_until = self._clock() + self._cooldown
        if first:
            logger.warning(
                "Redis rate budget at %s unavailable (%s: %s); using the in-process budget "
                "and retrying Redis every %g s",
                self._where,
                type(exc).__name__,
                exc,
                self._cooldown,
            )

    def _mark_up(self) -> None:
        if self._down_until is None:
            return
        with self._lock:
            recovered = self._down_until is not None
            self._down_until = None
        if recovered:
            logger.info("Redis rate budget at %s reachable again", self._where)

    def after_fork(self) -> None:
        """Replace the lock (redis-py itself resets its pool in a child process)."""
        self._lock = threading.Lock()


def redis_limiter(api_key: str, limit: RateLimit, fallback: LocalLimiter) -> RedisLimiter:
    """A new Redis limiter for ``limit`` (which has ``redis_url`` or ``redis_client``)."""
    if limit.redis_client is not None:
        _check_sync_client(limit.redis_client)
        client = limit.redis_client
        where = f"<{type(client).__name__}>"
    else:
        assert limit.redis_url is not None
        client = redis_client_from_url(limit.redis_url)
        where = redacted_url(limit.redis_url)
    return RedisLimiter(client, key_id(api_key), limit, fallback, where=where)

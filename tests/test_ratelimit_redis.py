"""The fleet budget against a real ``redis-server`` on 127.0.0.1 (started per test).

Skipped only where ``redis-server`` is not installed and ``CI`` is not set; in CI a
missing server is a failure (the nox ``tests`` session installs Debian's package).
"""

from __future__ import annotations

import logging
import os
import shutil
import socket
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import redis

import verisoul
from verisoul._ratelimit import limiter_for
from verisoul._ratelimit._limiter import reset_budgets
from verisoul._ratelimit._local import key_id
from verisoul._ratelimit._redis import RedisLimiter, redis_key
from verisoul._ratelimit._window import guarded_period

from .conftest import TEST_KEY
from .test_ratelimit import mock_transport

PASSWORD = "r3dis-pa55"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class RedisServer:
    """A throw-away ``redis-server`` on 127.0.0.1: no persistence, password required."""

    def __init__(self, binary: str, workdir: Path) -> None:
        self.binary = binary
        self.workdir = workdir
        self.port = _free_port()
        self.url = f"redis://:{PASSWORD}@127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        options = {
            "port": str(self.port),
            "bind": "127.0.0.1",
            "save": "",
            "appendonly": "no",
            "dir": str(self.workdir),
            "requirepass": PASSWORD,
        }
        argv = [
            self.binary,
            *(arg for key, value in options.items() for arg in (f"--{key}", value)),
        ]
        self.process = subprocess.Popen(
            argv,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10.0
        with self.client() as probe:
            while True:  # bounded by the deadline
                try:
                    if probe.ping():
                        return
                except redis.ConnectionError:
                    if time.monotonic() > deadline or self.process.poll() is not None:
                        raise
                time.sleep(0.02)

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)

    def client(self) -> redis.Redis:
        return redis.Redis.from_url(self.url, socket_timeout=2.0)


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    """A running redis-server for one test, killed afterwards."""
    binary = shutil.which("redis-server")
    if binary is None:
        if os.environ.get("CI"):
            pytest.fail("redis-server is not installed; CI must install it (nox -s tests does)")
        pytest.skip("redis-server not installed: apt-get install redis-server")
    server = RedisServer(binary, tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.kill()


@pytest.fixture(autouse=True)
def _fresh_budgets() -> Iterator[None]:
    reset_budgets()
    yield
    reset_budgets()


def redis_limiter(limit: verisoul.RateLimit) -> RedisLimiter:
    limiter = limiter_for(TEST_KEY, limit)
    assert isinstance(limiter, RedisLimiter)
    return limiter


def slot_scores(server: RedisServer) -> list[float]:
    with server.client() as client:
        pairs = client.zrange(redis_key(key_id(TEST_KEY)), 0, -1, withscores=True)
    return [score for _, score in pairs]


def assert_within_budget(scores: list[float], limit: int, period: float) -> None:
    """Every ``limit + 1`` consecutive slots span at least one guarded period."""
    period_us = guarded_period(period) * 1e6
    ordered = sorted(scores)
    gaps = [b - a for a, b in zip(ordered, ordered[limit:], strict=False)]
    assert gaps
    assert min(gaps) >= period_us - 1


# -- the script ---------------------------------------------------------------------------


def test_burst_then_wait_then_refusal(redis_server: RedisServer) -> None:
    limiter = redis_limiter(verisoul.RateLimit(3, period=60, redis_url=redis_server.url))
    assert [limiter.reserve(None).wait for _ in range(3)] == [0.0, 0.0, 0.0]
    waiting = limiter.reserve(None)
    assert waiting.granted
    assert 59.0 < waiting.wait <= guarded_period(60.0)
    refused = limiter.reserve(5.0)
    assert not refused.granted
    assert refused.wait > 59.0
    assert len(slot_scores(redis_server)) == 4  # the refusal took nothing


def test_key_is_a_hash_and_expires(redis_server: RedisServer) -> None:
    limiter = redis_limiter(verisoul.RateLimit(3, period=2, redis_url=redis_server.url))
    limiter.reserve(None)
    with redis_server.client() as client:
        keys = [key.decode() for key in client.keys("*")]
        ttl_ms = client.pttl(keys[0])
    assert keys == [f"verisoul:ratelimit:{key_id(TEST_KEY)}"]
    assert TEST_KEY not in keys[0]
    assert 0 < ttl_ms <= guarded_period(2.0) * 1000 + 1000


def test_threads_reserve_atomically(redis_server: RedisServer) -> None:
    limit = verisoul.RateLimit(20, period=60, redis_url=redis_server.url)
    limiter = redis_limiter(limit)
    immediate: list[bool] = []
    lock = threading.Lock()

    def worker() -> None:
        for _ in range(25):
            reservation = limiter.reserve(None)
            with lock:
                immediate.append(reservation.wait == 0.0)

    threads = [threading.Thread(target=worker) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    scores = slot_scores(redis_server)
    assert len(immediate) == len(scores) == 400
    assert sum(immediate) == 20
    assert_within_budget(scores, 20, 60.0)


PROCESS_SCRIPT = textwrap.dedent(
    """
    import sys, threading
    import verisoul
    from verisoul._ratelimit import limiter_for

    url, key = sys.argv[1], sys.argv[2]
    limiter = limiter_for(key, verisoul.RateLimit(30, period=60, redis_url=url))
    granted = []

    def worker():
        for _ in range(25):
            granted.append(limiter.reserve(0.0 if len(granted) % 2 else None).granted)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    print(sum(granted))
    """
)


def test_processes_share_one_budget_atomically(redis_server: RedisServer) -> None:
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", PROCESS_SCRIPT, redis_server.url, TEST_KEY],
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(6)
    ]
    granted = 0
    for process in processes:
        out, _ = process.communicate(timeout=120)
        assert process.returncode == 0
        granted += int(out)
    scores = slot_scores(redis_server)
    assert len(scores) == granted
    assert granted >= 300  # every unbounded reservation (half of 600) is granted
    assert_within_budget(scores, 30, 60.0)


# -- the clients ------------------------------------------------------------------------


@pytest.mark.anyio
async def test_async_and_sync_clients_use_the_redis_budget(redis_server: RedisServer) -> None:
    seen: list[str] = []
    limit = verisoul.RateLimit(3, redis_url=redis_server.url, max_wait=0)
    async_client = verisoul.AsyncVerisoul(
        api_key=TEST_KEY,
        rate_limit=limit,
        http_client=httpx.AsyncClient(transport=mock_transport(seen)),
    )
    sync_client = verisoul.Verisoul(
        api_key=TEST_KEY,
        rate_limit=limit,
        http_client=httpx.Client(transport=mock_transport(seen)),
    )
    async with async_client:
        with sync_client:
            await async_client.create_liveness_session()
            sync_client.create_liveness_session()
            await async_client.create_liveness_session()
            with pytest.raises(verisoul.LocalRateLimitError, match="shared through Redis"):
                sync_client.create_liveness_session()
            with pytest.raises(verisoul.RateLimitError):
                await async_client.create_liveness_session()
    assert len(seen) == 3
    assert len(slot_scores(redis_server)) == 3


def _verisoul_warnings(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "verisoul" and r.levelno >= logging.WARNING]


@pytest.mark.anyio
async def test_redis_going_away_falls_back_with_one_warning(
    redis_server: RedisServer, caplog: pytest.LogCaptureFixture
) -> None:
    seen: list[str] = []
    limit = verisoul.RateLimit(50, redis_url=redis_server.url, max_wait=0)
    async with verisoul.AsyncVerisoul(
        api_key=TEST_KEY,
        rate_limit=limit,
        http_client=httpx.AsyncClient(transport=mock_transport(seen)),
    ) as client:
        for _ in range(5):
            await client.create_liveness_session()
        assert len(slot_scores(redis_server)) == 5
        redis_server.kill()
        started = time.monotonic()
        for _ in range(20):
            await client.create_liveness_session()
        assert time.monotonic() - started < 2.0  # Redis never held a call back
        # The fallback is the in-process budget of the same limit: 50 per minute.
        for _ in range(30):
            await client.create_liveness_session()
        with pytest.raises(
            verisoul.LocalRateLimitError, match="kept in this process while Redis is unreachable"
        ):
            await client.create_liveness_session()
    assert len(seen) == 55
    (warning,) = _verisoul_warnings(caplog)
    message = warning.getMessage()
    assert "using the in-process budget" in message
    assert f"redis://127.0.0.1:{redis_server.port}/0" in message
    assert PASSWORD not in message


def test_redis_is_tried_again_after_the_cooldown(
    redis_server: RedisServer, caplog: pytest.LogCaptureFixture
) -> None:
    limiter = redis_limiter(verisoul.RateLimit(10, redis_url=redis_server.url))
    limiter._cooldown = 0.2
    redis_server.kill()
    for _ in range(3):
        assert limiter.reserve(None).granted  # in-process fallback
    redis_server.start()  # same port
    time.sleep(0.3)
    assert limiter.reserve(None).granted
    assert len(slot_scores(redis_server)) == 1  # back on Redis
    assert len(_verisoul_warnings(caplog)) == 1
    assert any("reachable again" in r.getMessage() for r in caplog.records)
    # A second outage warns again, once.
    redis_server.kill()
    for _ in range(3):
        limiter.reserve(None)
    assert len(_verisoul_warnings(caplog)) == 2


def test_unreachable_redis_from_the_start(caplog: pytest.LogCaptureFixture) -> None:
    url = f"redis://127.0.0.1:{_free_port()}/0"
    seen: list[str] = []
    with verisoul.Verisoul(
        api_key=TEST_KEY,
        rate_limit=verisoul.RateLimit(5, redis_url=url),
        http_client=httpx.Client(transport=mock_transport(seen)),
    ) as client:
        for _ in range(5):
            client.create_liveness_session()
    assert len(seen) == 5
    assert len(_verisoul_warnings(caplog)) == 1


def test_a_silent_redis_holds_a_call_for_half_a_second_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # A socket that accepts connections (the kernel's backlog) and never answers.
    with socket.create_server(("127.0.0.1", 0)) as silent:
        url = f"redis://127.0.0.1:{silent.getsockname()[1]}/0"
        limiter = redis_limiter(verisoul.RateLimit(5, redis_url=url))
        started = time.monotonic()
        assert limiter.reserve(None).granted
        first = time.monotonic() - started
        started = time.monotonic()
        for _ in range(4):
            assert limiter.reserve(None).granted  # in the cooldown: not even trying Redis
        rest = time.monotonic() - started
    assert 0.4 < first < 1.5
    assert rest < 0.1
    (warning,) = _verisoul_warnings(caplog)
    assert "TimeoutError" in warning.getMessage()


def test_redis_client_object(redis_server: RedisServer) -> None:
    with redis_server.client() as client:
        limit = verisoul.RateLimit(2, redis_client=client, max_wait=0)
        limiter = redis_limiter(limit)
        assert limiter_for(TEST_KEY, limit) is limiter  # one limiter per client object
        assert [limiter.reserve(0.0).granted for _ in range(3)] == [True, True, False]
        assert "redis_client=<Redis>" in repr(limit)


def test_redis_client_must_be_sync() -> None:
    import redis.asyncio

    limit = verisoul.RateLimit(2, redis_client=redis.asyncio.Redis())
    with pytest.raises(TypeError, match="must be a sync redis.Redis"):
        limiter_for(TEST_KEY, limit)

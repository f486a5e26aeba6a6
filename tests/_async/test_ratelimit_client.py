"""The client's ``rate_limit=`` option: waiting for slots, the deadline, the local error.

Written once for AsyncVerisoul; tests/_sync/ holds the generated twin for Verisoul.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

import verisoul
from verisoul import AsyncVerisoul
from verisoul._ratelimit._limiter import SLOT_SLACK, reset_budgets
from verisoul._ratelimit._window import Reservation, guarded_period
from verisoul._retry import MIN_ATTEMPT_TIME

from ..conftest import TEST_KEY
from .test_client import Recorder, instant, make_client, ok


@pytest.fixture(autouse=True)
def _fresh_budgets() -> Iterator[None]:
    reset_budgets()
    yield
    reset_budgets()


@pytest.mark.anyio
async def test_no_rate_limit_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    rec = Recorder(ok())
    async with make_client(rec) as client:
        sleeper = instant(client, monkeypatch)
        for _ in range(20):
            await client.create_liveness_session()
    assert len(rec.requests) == 20
    assert sleeper.delays == []


@pytest.mark.anyio
async def test_calls_over_budget_wait_for_their_slot(monkeypatch: pytest.MonkeyPatch) -> None:
    rec = Recorder(ok())
    async with make_client(rec, rate_limit=verisoul.RateLimit(2)) as client:
        sleeper = instant(client, monkeypatch)
        for _ in range(3):
            await client.create_liveness_session()
    assert len(rec.requests) == 3
    # The first two slots were free; the third is one (guarded) minute after the first.
    (delay,) = sleeper.delays
    assert guarded_period(60.0) - 1.0 < delay <= guarded_period(60.0)


@pytest.mark.anyio
async def test_clients_of_one_key_share_the_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    rec = Recorder(ok())
    limit = verisoul.RateLimit(2, max_wait=0)
    async with (
        make_client(rec, rate_limit=limit) as first,
        make_client(rec, rate_limit=limit) as second,
    ):
        await first.create_liveness_session()
        await second.create_liveness_session()
        with pytest.raises(verisoul.LocalRateLimitError):
            await first.create_liveness_session()
        with pytest.raises(verisoul.LocalRateLimitError):
            await second.with_options(timeout=3.0).create_liveness_session()
    assert len(rec.requests) == 2


@pytest.mark.anyio
async def test_no_slot_before_the_deadline_is_a_local_rate_limit_error() -> None:
    rec = Recorder(ok())
    async with make_client(rec, rate_limit=verisoul.RateLimit(1), deadline=5.0) as client:
        await client.create_liveness_session()
        started = time.monotonic()
        with pytest.raises(verisoul.RateLimitError) as caught:
            await client.create_liveness_session()
        assert time.monotonic() - started < 1.0  # refused at once, not after waiting
    err = caught.value
    assert isinstance(err, verisoul.LocalRateLimitError)
    assert err.local
    assert err.status_code == 429
    assert err.attempts == 0
    assert err.retry_after is not None
    assert 55.0 < err.retry_after <= guarded_period(60.0)
    assert "SDK's own rate budget (1 requests per 60 s, kept in this process)" in str(err)
    assert TEST_KEY not in str(err)
    assert len(rec.requests) == 1  # the refused call sent nothing


@pytest.mark.anyio
async def test_per_call_deadline_lets_a_call_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    rec = Recorder(ok())
    async with make_client(rec, rate_limit=verisoul.RateLimit(1), deadline=5.0) as client:
        sleeper = instant(client, monkeypatch)
        await client.create_liveness_session()
        await client.create_liveness_session(deadline=120.0)
    assert len(rec.requests) == 2
    assert len(sleeper.delays) == 1
    assert sleeper.delays[0] > 55.0


@pytest.mark.anyio
async def test_max_wait_caps_the_wait_without_a_deadline() -> None:
    rec = Recorder(ok())
    limit = verisoul.RateLimit(1, max_wait=1.0)
    async with make_client(rec, rate_limit=limit) as client:
        await client.create_liveness_session()
        with pytest.raises(verisoul.LocalRateLimitError, match="no free slot for"):
            await client.create_liveness_session()
    assert len(rec.requests) == 1


@pytest.mark.anyio
async def test_every_retry_takes_a_slot(monkeypatch: pytest.MonkeyPatch) -> None:
    rec = Recorder(httpx.Response(503), ok())
    async with make_client(rec, rate_limit=verisoul.RateLimit(2, max_wait=0)) as client:
        instant(client, monkeypatch)
        await client.create_liveness_session()  # 503 then 200: two slots
        with pytest.raises(verisoul.LocalRateLimitError):
            await client.create_liveness_session()
    assert len(rec.requests) == 2


@pytest.mark.anyio
async def test_a_retry_refused_by_the_budget_reports_the_attempts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rec = Recorder(httpx.Response(429, headers={"retry-after": "0"}))
    async with make_client(rec, rate_limit=verisoul.RateLimit(1, max_wait=0)) as client:
        instant(client, monkeypatch)
        with pytest.raises(verisoul.LocalRateLimitError) as caught:
            await client.create_liveness_session()
    assert caught.value.attempts == 1
    # Verisoul's own 429 is kept: the cause, not a local error.
    cause = caught.value.__cause__
    assert isinstance(cause, verisoul.RateLimitError)
    assert not cause.local
    assert len(rec.requests) == 1


@pytest.mark.anyio
async def test_a_retry_refused_by_the_budget_keeps_the_server_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Issue 17: the 503 was lost and the message said nothing was sent.
    rec = Recorder(httpx.Response(503, json={"message": "upstream down"}), ok())
    limit = verisoul.RateLimit(1, period=30, max_wait=1)
    async with make_client(rec, rate_limit=limit) as client:
        instant(client, monkeypatch)
        with pytest.raises(verisoul.LocalRateLimitError) as caught:
            await client.create_liveness_session()
    err = caught.value
    assert err.attempts == 1
    assert isinstance(err.__cause__, verisoul.InternalServerError)
    assert err.__cause__.status_code == 503
    assert err.__cause__.attempts == 1
    assert "retry not sent, after 1 attempt sent to Verisoul" in str(err)
    assert "upstream down" in str(err)
    assert "which did not refuse it" not in str(err)
    assert len(rec.requests) == 1


class FakeClock:
    """A clock the test moves by hand; the client's sleeps move it too."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


class EdgeLimiter:
    """A limiter granting the longest wait it is allowed, while its clock moves on.

    ``delay`` is what a reservation costs (a Redis round trip); ``wait`` overrides the
    wait granted (default: exactly ``max_wait``).
    """

    blocking = False
    max_wait: float | None = None
    description = "a test budget"

    def __init__(self, clock: FakeClock, delay: float, wait: float | None = None) -> None:
        self.clock = clock
        self.delay = delay
        self.wait = wait
        self.asked: list[float | None] = []

    def reserve(self, max_wait: float | None) -> Reservation:
        self.asked.append(max_wait)
        self.clock.now += self.delay
        wait = self.wait if self.wait is not None else max_wait
        assert wait is not None
        return Reservation(granted=True, wait=wait)


def edge_client(
    rec: Recorder, monkeypatch: pytest.MonkeyPatch, limiter_delay: float, **kwargs: Any
) -> tuple[AsyncVerisoul, FakeClock, EdgeLimiter]:
    client = make_client(rec, rate_limit=verisoul.RateLimit(1), **kwargs)
    clock = FakeClock()
    limiter = EdgeLimiter(clock, limiter_delay)
    monkeypatch.setattr(client, "_clock", clock)
    monkeypatch.setattr(client, "_sleep", clock.sleep)
    monkeypatch.setattr(client, "_limiter", limiter)
    return client, clock, limiter


@pytest.mark.anyio
async def test_a_slot_granted_at_the_edge_of_the_deadline_is_refused_at_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Issue 17: a slot granted within a fraction of a millisecond of the deadline's
    # margin made the call sleep, then raise APITimeoutError "after 0 attempts".
    rec = Recorder(ok())
    client, clock, limiter = edge_client(rec, monkeypatch, 0.0005, deadline=1.0)
    async with client:
        with pytest.raises(verisoul.LocalRateLimitError) as caught:
            await client.create_liveness_session()
    assert caught.value.attempts == 0
    assert caught.value.__cause__ is None
    assert clock.sleeps == []  # refused at once, not after waiting
    assert rec.requests == []
    # The wait offered keeps the attempt's minimum time and the slack for the sleep.
    assert limiter.asked == [pytest.approx(1.0 - MIN_ATTEMPT_TIME - SLOT_SLACK)]


@pytest.mark.anyio
async def test_a_sleep_overrunning_the_slot_is_a_local_rate_limit_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rec = Recorder(ok())
    client, clock, limiter = edge_client(rec, monkeypatch, 0.0, deadline=1.0)
    limiter.wait = 0.5

    async def late_sleep(seconds: float) -> None:
        clock.now += seconds + 0.49  # woken up far too late for the attempt

    monkeypatch.setattr(client, "_sleep", late_sleep)
    async with client:
        with pytest.raises(verisoul.LocalRateLimitError) as caught:
            await client.create_liveness_session()
    assert caught.value.attempts == 0
    assert rec.requests == []


@pytest.mark.anyio
async def test_a_slot_with_room_for_the_attempt_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    rec = Recorder(ok())
    client, clock, limiter = edge_client(rec, monkeypatch, 0.0, deadline=1.0)
    limiter.wait = 1.0 - MIN_ATTEMPT_TIME - SLOT_SLACK
    async with client:
        await client.create_liveness_session()
    assert clock.sleeps == [limiter.wait]
    assert len(rec.requests) == 1


@pytest.mark.anyio
async def test_no_slot_is_taken_when_the_deadline_leaves_no_attempt(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The retry's wait does not fit before the deadline: the call ends with the server's
    # error without spending a slot of the budget on a retry.
    rec = Recorder(httpx.Response(503, headers={"retry-after-ms": "970"}), ok())
    client, _, limiter = edge_client(rec, monkeypatch, 0.0, deadline=1.0)
    async with client:
        with pytest.raises(verisoul.APIError) as caught:
            await client.create_liveness_session()
    assert not isinstance(caught.value, verisoul.LocalRateLimitError)
    assert caught.value.attempts == 1
    assert len(limiter.asked) == 1
    assert len(rec.requests) == 1


@pytest.mark.anyio
async def test_real_wait_on_a_short_window() -> None:
    rec = Recorder(ok())
    async with make_client(rec, rate_limit=verisoul.RateLimit(2, period=0.1)) as client:
        started = time.monotonic()
        for _ in range(3):
            await client.create_liveness_session()
        elapsed = time.monotonic() - started
    # Two per 0.1 s: slots at 0, 0 and one guarded period later.
    assert guarded_period(0.1) <= elapsed < guarded_period(0.1) + 1.5
    assert len(rec.requests) == 3


def test_rate_limit_must_be_a_rate_limit() -> None:
    with pytest.raises(TypeError, match="rate_limit must be a verisoul.RateLimit"):
        verisoul.AsyncVerisoul(api_key=TEST_KEY, rate_limit=300)  # type: ignore[arg-type]

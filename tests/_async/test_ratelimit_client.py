"""The client's ``rate_limit=`` option: waiting for slots, the deadline, the local error.

Written once for AsyncVerisoul; tests/_sync/ holds the generated twin for Verisoul.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest

import verisoul
from verisoul._ratelimit._limiter import reset_budgets
from verisoul._ratelimit._window import guarded_period

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

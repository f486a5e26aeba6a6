"""The in-process rate budget: window arithmetic (hand-driven clock), the RateLimit
value, the process-wide registry, and one budget shared by an async and a sync client."""

from __future__ import annotations

import random
import threading
from collections.abc import Iterator

import httpx
import pytest

import verisoul
from verisoul._ratelimit import allowed_wait, attempt_fits, budget_exhausted_error, limiter_for
from verisoul._ratelimit._limiter import SLOT_SLACK, reset_budgets
from verisoul._ratelimit._local import LocalLimiter, key_id, shared_window
from verisoul._ratelimit._spec import redacted_url
from verisoul._ratelimit._window import Reservation, SlidingWindow, guarded_period
from verisoul._retry import MIN_ATTEMPT_TIME

from .conftest import TEST_KEY

OK_BODY = {
    "request_id": "0f6d2c41-1b2a-4c3d-8e9f-a0b1c2d3e4f5",
    "session_id": "8a3e5b6f-5c3d-4d3e-9a6f-2b1c0d9e8f7a",
}


@pytest.fixture(autouse=True)
def _fresh_budgets() -> Iterator[None]:
    reset_budgets()
    yield
    reset_budgets()


def max_in_any_window(slots: list[float], period: float) -> int:
    """The most slots found in one half-open window [t, t + period).

    Slots are rebuilt as ``now + wait``, which may round a hair below the real slot.
    """
    ordered = sorted(slots)
    best = 0
    start = 0
    for end, slot in enumerate(ordered):
        while ordered[start] <= slot - period + 1e-9:
            start += 1
        best = max(best, end - start + 1)
    return best


# -- the window ---------------------------------------------------------------------


def test_idle_budget_lets_a_full_burst_through_then_waits_a_period() -> None:
    window = SlidingWindow(3, 10.0)
    assert [window.reserve(100.0).wait for _ in range(3)] == [0.0, 0.0, 0.0]
    assert window.reserve(100.0) == Reservation(granted=True, wait=10.0)
    assert window.reserve(104.0) == Reservation(granted=True, wait=6.0)
    # The window slides: the slot freed at 110 goes to the next caller at 110.
    assert window.reserve(110.0) == Reservation(granted=True, wait=0.0)


def test_refusal_beyond_max_wait_takes_nothing() -> None:
    window = SlidingWindow(1, 10.0)
    assert window.reserve(0.0).granted
    refused = window.reserve(1.0, max_wait=5.0)
    assert refused == Reservation(granted=False, wait=9.0)
    # The refused call did not push the next caller back.
    assert window.reserve(1.0, max_wait=9.0) == Reservation(granted=True, wait=9.0)


def test_zero_max_wait_only_takes_a_free_slot() -> None:
    window = SlidingWindow(2, 1.0)
    granted = [window.reserve(0.0, max_wait=0.0).granted for _ in range(4)]
    assert granted == [True, True, False, False]


def test_never_over_budget_and_uses_it_all_under_random_demand() -> None:
    rng = random.Random(7)
    limit, period = 20, 1.0
    window = SlidingWindow(limit, period)
    now, slots = 0.0, []
    while now < 50.0:  # bounded: the clock only moves forward
        now += rng.expovariate(100.0)  # ~5x the budget
        reservation = window.reserve(now, max_wait=2.0)
        if reservation.granted:
            slots.append(now + reservation.wait)
    assert max_in_any_window(slots, period) == limit
    in_time = [s for s in slots if s < 50.0]
    assert len(in_time) >= 0.99 * 50 * limit


def test_guarded_period_uses_at_least_95_percent_of_the_budget() -> None:
    # Saturated demand for 10 periods: slots come every guarded period.
    window = SlidingWindow(10, guarded_period(60.0))
    slots = [window.reserve(0.0).wait for _ in range(100)]
    served_in_ten_minutes = sum(1 for s in slots if s < 600.0)
    assert served_in_ten_minutes / 100 >= 0.95
    assert max_in_any_window(slots, 60.0) == 10


@pytest.mark.parametrize(
    ("period", "guarded"), [(60.0, 60.6), (300.0, 303.0), (10.0, 10.5), (1.0, 1.5)]
)
def test_guard_is_one_percent_but_at_least_half_a_second(period: float, guarded: float) -> None:
    assert guarded_period(period) == pytest.approx(guarded)


def test_late_clock_readings_keep_slots_in_order() -> None:
    # A thread that read the clock before another got the lock must not slip in earlier.
    window = SlidingWindow(2, 10.0)
    assert window.reserve(5.0).wait == 0.0
    assert window.reserve(4.0) == Reservation(granted=True, wait=1.0)
    assert window.reserve(5.0) == Reservation(granted=True, wait=10.0)


def test_threads_never_push_the_window_over_budget() -> None:
    limit, period = 25, 1.0
    window = SlidingWindow(limit, period)
    slots: list[float] = []
    lock = threading.Lock()
    clock = iter(range(10**6))  # a shared, strictly increasing fake clock
    clock_lock = threading.Lock()

    def worker() -> None:
        for _ in range(100):
            with clock_lock:
                now = next(clock) / 1000.0
            reservation = window.reserve(now)
            with lock:
                slots.append(now + reservation.wait)

    threads = [threading.Thread(target=worker) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert len(slots) == 1600
    assert max_in_any_window(slots, period) == limit


# -- the public value -----------------------------------------------------------------


def test_rate_limit_defaults_to_a_minute() -> None:
    limit = verisoul.RateLimit(300)
    assert (limit.requests, limit.period, limit.uses_redis) == (300, 60.0, False)
    assert repr(limit) == "RateLimit(requests=300, period=60)"


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"requests": 0}, ValueError),
        ({"requests": True}, TypeError),
        ({"requests": 2.5}, TypeError),
        ({"requests": 1, "period": 0}, ValueError),
        ({"requests": 1, "period": float("inf")}, ValueError),
        ({"requests": 1, "period": "60"}, TypeError),
        ({"requests": 1, "max_wait": -1}, ValueError),
        ({"requests": 1, "redis_url": b"redis://x"}, TypeError),
        ({"requests": 1, "redis_url": "redis://x", "redis_client": object()}, ValueError),
    ],
)
def test_rate_limit_rejects_nonsense(kwargs: dict[str, object], error: type[Exception]) -> None:
    with pytest.raises(error):
        verisoul.RateLimit(**kwargs)  # type: ignore[arg-type]


def test_rate_limit_repr_hides_the_redis_password() -> None:
    limit = verisoul.RateLimit(60, period=10, redis_url="redis://user:s3cret@cache:6380/2")
    assert "s3cret" not in repr(limit)
    assert "redis://cache:6380/2" in repr(limit)
    assert redacted_url("redis://:s3cret@cache:6379/0?password=s3cret") == "redis://cache:6379/0"


def test_key_id_is_a_short_hash_never_the_key() -> None:
    kid = key_id(TEST_KEY)
    assert len(kid) == 16
    assert int(kid, 16) >= 0
    assert TEST_KEY[:8] not in kid
    assert kid == key_id(TEST_KEY) != key_id(TEST_KEY + "x")


def test_one_window_per_key_and_limit() -> None:
    limit = verisoul.RateLimit(300)
    same = shared_window(key_id(TEST_KEY), verisoul.RateLimit(300, period=60.0))
    assert shared_window(key_id(TEST_KEY), limit) is same
    assert shared_window(key_id("other"), limit) is not same
    assert shared_window(key_id(TEST_KEY), verisoul.RateLimit(301)) is not same


def test_limiter_for() -> None:
    assert limiter_for(TEST_KEY, None) is None
    limiter = limiter_for(TEST_KEY, verisoul.RateLimit(5, max_wait=2.0))
    assert isinstance(limiter, LocalLimiter)
    assert not limiter.blocking
    assert limiter.max_wait == 2.0
    assert limiter.description == "5 requests per 60 s, kept in this process"
    with pytest.raises(TypeError, match=r"rate_limit must be a verisoul\.RateLimit"):
        limiter_for(TEST_KEY, 300)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("max_wait", "deadline_at", "expected"),
    [
        (None, None, None),
        (3.0, None, 3.0),
        (None, 110.0, 10.0 - MIN_ATTEMPT_TIME - SLOT_SLACK),
        (3.0, 110.0, 3.0),
        (30.0, 110.0, 10.0 - MIN_ATTEMPT_TIME - SLOT_SLACK),
        (None, 99.0, 0.0),
    ],
)
def test_allowed_wait(
    max_wait: float | None, deadline_at: float | None, expected: float | None
) -> None:
    limiter = LocalLimiter(SlidingWindow(1, 1.0), verisoul.RateLimit(1, max_wait=max_wait))
    assert allowed_wait(limiter, deadline_at, 100.0) == expected


def test_budget_exhausted_error_says_it_is_local() -> None:
    limiter = LocalLimiter(SlidingWindow(1, 1.0), verisoul.RateLimit(300))
    request = httpx.Request("GET", "https://api.sandbox.verisoul.ai/liveness/session")
    err = budget_exhausted_error(request, limiter, Reservation(granted=False, wait=12.5), 0)
    assert isinstance(err, verisoul.RateLimitError)
    assert isinstance(err, verisoul.LocalRateLimitError)
    assert err.local
    assert (err.status_code, err.code, err.retry_after, err.attempts) == (
        429,
        "local_rate_limit",
        12.5,
        0,
    )
    assert err.request is request
    assert "SDK's own rate budget (300 requests per 60 s, kept in this process)" in str(err)
    assert "12.50 s" in str(err)
    assert "not sent to Verisoul, which did not refuse it" in str(err)


def test_budget_exhausted_error_before_a_retry_says_what_was_sent() -> None:
    limiter = LocalLimiter(SlidingWindow(1, 1.0), verisoul.RateLimit(300))
    request = httpx.Request("GET", "https://api.sandbox.verisoul.ai/liveness/session")
    last = verisoul.InternalServerError(
        "GET /liveness/session: 503 upstream down", response=httpx.Response(503, request=request)
    )
    err = budget_exhausted_error(request, limiter, Reservation(False, 3.0), 2, last)
    assert err.attempts == 2
    assert "retry not sent, after 2 attempts sent to Verisoul" in str(err)
    assert "(last error: GET /liveness/session: 503 upstream down)" in str(err)
    assert "did not refuse it" not in str(err)


@pytest.mark.parametrize(
    ("deadline_at", "now", "spare", "expected"),
    [
        (None, 5.0, 0.0, True),
        (10.0, 10.0 - MIN_ATTEMPT_TIME, 0.0, True),
        (10.0, 10.0 - MIN_ATTEMPT_TIME + 1e-6, 0.0, False),
        (10.0, 10.0 - MIN_ATTEMPT_TIME, 0.001, False),
        (10.0, 10.0 - MIN_ATTEMPT_TIME - 0.001, 0.001, True),
    ],
)
def test_attempt_fits(deadline_at: float | None, now: float, spare: float, expected: bool) -> None:
    assert attempt_fits(deadline_at, now, spare) is expected


def test_a_verisoul_429_is_not_local() -> None:
    request = httpx.Request("GET", "https://api.sandbox.verisoul.ai/x")
    err = verisoul.RateLimitError("x", response=httpx.Response(429, request=request))
    assert not err.local


# -- one budget across async and sync clients ---------------------------------------------


def mock_transport(seen: list[str]) -> httpx.MockTransport:
    """A transport answering every request 200, recording its path in ``seen``."""

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.path)
        return httpx.Response(200, json=OK_BODY)

    return httpx.MockTransport(handle)


@pytest.mark.anyio
async def test_async_and_sync_clients_share_one_budget() -> None:
    seen: list[str] = []
    limit = verisoul.RateLimit(3)
    async_client = verisoul.AsyncVerisoul(
        api_key=TEST_KEY,
        rate_limit=limit,
        deadline=5.0,
        http_client=httpx.AsyncClient(transport=mock_transport(seen)),
    )
    sync_client = verisoul.Verisoul(
        api_key=TEST_KEY,
        rate_limit=verisoul.RateLimit(3),  # an equal value: the same budget
        deadline=5.0,
        http_client=httpx.Client(transport=mock_transport(seen)),
    )
    other_key = verisoul.Verisoul(
        api_key=TEST_KEY + "-other",
        rate_limit=limit,
        deadline=5.0,
        http_client=httpx.Client(transport=mock_transport(seen)),
    )
    async with async_client:
        with sync_client, other_key:
            await async_client.create_liveness_session()
            sync_client.create_liveness_session()
            await async_client.create_liveness_session()
            with pytest.raises(verisoul.LocalRateLimitError):
                sync_client.create_liveness_session()
            with pytest.raises(verisoul.LocalRateLimitError):
                await async_client.create_liveness_session()
            other_key.create_liveness_session()  # another key has its own budget
    assert len(seen) == 4

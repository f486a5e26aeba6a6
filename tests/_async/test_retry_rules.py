"""Deadline vs ``Retry-After`` and the odd hints (issue 13 item 9, issue 17 items 7-10).

* A wait (the server's or the backoff) that does not fit in the deadline ends the call
  at once with the last error itself: a 429 stays a RateLimitError with retry_after.
* APITimeoutError after failed attempts chains the last one as ``__cause__``.
* ``Retry-After: 0`` (and a date in the past) is no hint: the backoff applies.
* NaN, infinite and negative hints are no hint, in both headers.
* Any number of retries works (no OverflowError from the backoff).
* ``timeout=DEFAULT_TIMEOUT`` passed explicitly is kept with an injected http_client.

Written once for AsyncVerisoul, run on each ``anyio_backend`` of the conftest; tests/_sync/
holds the generated twin.
"""

from __future__ import annotations

import time

import httpx
import pytest

import verisoul
from verisoul import AsyncVerisoul
from verisoul._retry import BACKOFF_MAX

from .._servers import Action, json_action, serve
from ..conftest import TEST_KEY
from ..reliability.figures import record
from .test_client import Recorder, instant, make_client, ok

TRIED = "hardening: hostile behaviours tried"


def busy(status: int, **headers: str) -> httpx.Response:
    return httpx.Response(status, headers=headers, json={"message": "busy"})


# -- the wait does not fit in the deadline ------------------------------------------------


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("status", "error_class"),
    [(429, verisoul.RateLimitError), (503, verisoul.InternalServerError)],
)
@pytest.mark.parametrize("hint", ["retry-after", "retry-after-ms"])
async def test_a_server_wait_past_the_deadline_raises_the_error_itself(
    status: int,
    error_class: type[verisoul.APIStatusError],
    hint: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    value = "20" if hint == "retry-after" else "20000"
    rec = Recorder(busy(status, **{hint: value}))
    async with make_client(rec, deadline=5.0, max_retries=5) as client:
        sleeper = instant(client, monkeypatch)
        with pytest.raises(verisoul.APIStatusError) as info:
            await client.create_liveness_session()
    record(TRIED)
    assert type(info.value) is error_class
    assert info.value.retry_after == 20.0
    assert info.value.attempts == 1
    assert sleeper.delays == []
    assert len(rec.requests) == 1


@pytest.mark.anyio
async def test_a_backoff_past_the_deadline_raises_the_error_itself(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rec = Recorder(busy(503))
    # The first backoff is 0.375-0.5 s: it does not fit in 0.3 s.
    async with make_client(rec, deadline=0.3, max_retries=5) as client:
        sleeper = instant(client, monkeypatch)
        with pytest.raises(verisoul.InternalServerError) as info:
            await client.create_liveness_session()
    assert info.value.attempts == 1
    assert sleeper.delays == []


@pytest.mark.anyio
async def test_a_connection_error_past_the_deadline_stays_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rec = Recorder(httpx.ConnectError("refused"))
    async with make_client(rec, deadline=0.3, max_retries=5) as client:
        instant(client, monkeypatch)
        with pytest.raises(verisoul.APIConnectionError) as info:
            await client.create_liveness_session()
    assert type(info.value) is verisoul.APIConnectionError
    assert isinstance(info.value.__cause__, httpx.ConnectError)


@pytest.mark.anyio
async def test_a_wait_that_fits_is_taken(monkeypatch: pytest.MonkeyPatch) -> None:
    rec = Recorder(busy(429, **{"retry-after": "2"}), ok())
    async with make_client(rec, deadline=5.0) as client:
        sleeper = instant(client, monkeypatch)
        await client.create_liveness_session()
    assert sleeper.delays == [2.0]


@pytest.mark.anyio
async def test_a_timeout_after_failed_attempts_chains_the_last_one() -> None:
    """503, then an attempt the deadline cuts: APITimeoutError, the cut attempt as cause."""
    script = [json_action({"message": "busy"}, 503), Action(body=b"{}", delay=5.0)]
    with serve(lambda _: script.pop(0) if len(script) > 1 else script[0]) as server:
        async with AsyncVerisoul(
            api_key=TEST_KEY, base_url=server.url, deadline=1.5, max_retries=3
        ) as client:
            started = time.monotonic()
            with pytest.raises(verisoul.APITimeoutError) as info:
                await client.create_liveness_session()
            elapsed = time.monotonic() - started
    record(TRIED)
    error = info.value
    assert "deadline of 1.5 s" in str(error)
    assert error.attempts == 2
    assert isinstance(error.__cause__, verisoul.APITimeoutError)
    assert isinstance(error.__cause__.__cause__, httpx.TimeoutException)
    assert elapsed <= 1.5 + 1.0


# -- hints that are no hint ---------------------------------------------------------------


@pytest.mark.anyio
@pytest.mark.parametrize(
    "headers",
    [
        {"retry-after": "0"},
        {"retry-after-ms": "0"},
        {"retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"},  # in the past
        {"retry-after": "inf"},
        {"retry-after": "nan"},
        {"retry-after": "-5"},
        {"retry-after-ms": "inf"},
        {"retry-after-ms": "nan"},
        {"retry-after-ms": "-5"},
        {"retry-after-ms": "1e999"},
    ],
    ids=lambda h: "=".join(next(iter(h.items()))),
)
async def test_a_zero_or_unusable_hint_means_backoff(
    headers: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    rec = Recorder(busy(503, **headers))
    async with make_client(rec, max_retries=4) as client:
        sleeper = instant(client, monkeypatch)
        with pytest.raises(verisoul.InternalServerError) as info:
            await client.create_liveness_session()
    record(TRIED)
    assert info.value.attempts == 5
    assert len(sleeper.delays) == 4
    for number, delay in enumerate(sleeper.delays, 1):
        full = min(BACKOFF_MAX, 0.5 * 2 ** (number - 1))
        assert 0.75 * full <= delay <= full
    if "0" not in headers.values() and "GMT" not in "".join(headers.values()):
        assert info.value.retry_after is None


@pytest.mark.anyio
async def test_max_retries_far_beyond_the_backoff_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    """``2.0 ** 1024`` overflows: 1,100 retries must still end in the documented error."""
    rec = Recorder(busy(503))
    async with make_client(rec, max_retries=1100) as client:
        sleeper = instant(client, monkeypatch)
        with pytest.raises(verisoul.InternalServerError) as info:
            await client.create_liveness_session()
    record(TRIED)
    assert info.value.attempts == 1101
    assert max(sleeper.delays) <= BACKOFF_MAX


# -- an explicit timeout is kept ----------------------------------------------------------


@pytest.mark.anyio
async def test_explicit_default_timeout_is_kept_with_an_injected_client() -> None:
    http = httpx.AsyncClient(transport=httpx.MockTransport(Recorder(ok())), timeout=1.0)
    async with AsyncVerisoul(
        api_key=TEST_KEY, http_client=http, timeout=verisoul.DEFAULT_TIMEOUT
    ) as explicit:
        assert explicit.timeout == verisoul.DEFAULT_TIMEOUT
    async with AsyncVerisoul(api_key=TEST_KEY, http_client=http) as implicit:
        assert implicit.timeout == httpx.Timeout(1.0)
    await http.aclose()


@pytest.mark.anyio
async def test_the_default_timeout_is_unchanged() -> None:
    async with AsyncVerisoul(api_key=TEST_KEY) as client:
        assert client.timeout == verisoul.DEFAULT_TIMEOUT

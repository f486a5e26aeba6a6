"""Promises of docs/retries.md: what is retried, backoff, Retry-After, timeouts, deadline."""

from __future__ import annotations

import email.utils
import random
import time

import httpx
import pytest

import verisoul
from verisoul._retry import RetryClass, backoff_delay, retry_delay_for_error

from ._support import ENROLL_BODY, SESSION_ID, Script, client, ok


class FixedRandom(random.Random):
    """``random()`` always returns ``value``."""

    def __init__(self, value: float) -> None:
        super().__init__(0)
        self.value = value

    def random(self) -> float:
        return self.value


def test_retries_md_default_timeout_max_retries_and_deadline() -> None:
    """docs/retries.md: "**`timeout`** bounds each HTTP attempt (default: 5 s to connect, 30
    s for the rest"
    docs/retries.md: "**`max_retries`** is the number of extra attempts after a retryable
    failure (default 2);"
    docs/retries.md: "**`deadline`** bounds the whole call, every attempt and wait included
    (default: none)."
    docs/configuration.md: "5 s to connect or get a pooled connection, 30 s for the rest"
    """
    script = Script(httpx.Response(503))
    sdk, _ = client(script)
    with sdk, pytest.raises(verisoul.InternalServerError) as caught:
        sdk.create_liveness_session()
    assert caught.value.attempts == 3 == len(script.requests)
    own = verisoul.Verisoul(api_key=sdk._config.api_key.reveal())
    with own:
        assert own.timeout == httpx.Timeout(30.0, connect=5.0, pool=5.0)
        assert own.max_retries == 2
        assert own.deadline is None
    assert httpx.Timeout(30.0, connect=5.0, pool=5.0) == verisoul.DEFAULT_TIMEOUT


IDEMPOTENT_RETRIED = [
    httpx.ConnectError("refused"),
    httpx.ConnectTimeout("connect"),
    httpx.PoolTimeout("pool"),
    httpx.ReadTimeout("read"),
    httpx.WriteTimeout("write"),
    httpx.ReadError("reset"),
    httpx.RemoteProtocolError("protocol"),
    httpx.Response(408),
    httpx.Response(409),
    httpx.Response(429),
    httpx.Response(500),
    httpx.Response(503),
    httpx.Response(599),
]
NEVER_RETRIED = [400, 401, 403, 404, 422, 418]


@pytest.mark.parametrize("failure", IDEMPOTENT_RETRIED, ids=repr)
def test_retries_md_reads_retry_every_transient_failure(
    failure: httpx.Response | Exception,
) -> None:
    """docs/retries.md: "| Could not connect, connect timeout, no free pooled connection in
    time | retried | retried (the request never left) |"
    docs/retries.md: "| 429 Too Many Requests | retried | retried (Verisoul refused it
    unprocessed) |"
    docs/retries.md: "| 408, 409, 500 and above | retried | not retried |"
    """
    script = Script(failure, ok())
    sdk, sleeps = client(script)
    with sdk:
        assert sdk.create_liveness_session().session_id == SESSION_ID
    assert len(script.requests) == 2
    assert len(sleeps.delays) == 1


@pytest.mark.parametrize(
    ("failure", "retried"),
    [
        (httpx.ConnectError("refused"), True),
        (httpx.ConnectTimeout("connect"), True),
        (httpx.PoolTimeout("pool"), True),
        (httpx.Response(429), True),
        (httpx.ReadTimeout("read"), False),
        (httpx.WriteTimeout("write"), False),
        (httpx.ReadError("reset"), False),
        (httpx.RemoteProtocolError("protocol"), False),
        (httpx.Response(408), False),
        (httpx.Response(409), False),
        (httpx.Response(500), False),
        (httpx.Response(503), False),
    ],
    ids=repr,
)
def test_retries_md_writes_retry_only_what_never_reached_verisoul(
    failure: httpx.Response | Exception, retried: bool
) -> None:
    """docs/retries.md: "| Read or write timeout, connection reset, protocol error | retried |
    **not retried**: `APIConnectionError` / `APITimeoutError` with `outcome_unknown=True` |"
    docs/retries.md: "So writes are retried only when the request provably never reached
    Verisoul, and otherwise the error says the outcome is unknown"
    """
    script = Script(failure, ok(ENROLL_BODY))
    sdk, _ = client(script)
    with sdk:
        if retried:
            sdk.enroll_account(SESSION_ID, "account-1")
            assert len(script.requests) == 2
            return
        with pytest.raises(verisoul.APIError) as caught:
            sdk.enroll_account(SESSION_ID, "account-1")
    assert len(script.requests) == 1
    assert caught.value.attempts == 1
    if isinstance(failure, Exception):
        assert isinstance(caught.value, verisoul.APIConnectionError)
        assert caught.value.outcome_unknown
        assert isinstance(caught.value, verisoul.APITimeoutError) == isinstance(
            failure, httpx.TimeoutException
        )


@pytest.mark.parametrize("status", NEVER_RETRIED)
def test_retries_md_other_4xx_and_bad_bodies_are_never_retried(status: int) -> None:
    """docs/retries.md: "| Any other 4xx (400, 401, 403, 404, 422...) | not retried | not
    retried |"
    docs/retries.md: "| A 2xx with a malformed body | not retried | not retried |"
    """
    for response in (httpx.Response(status), httpx.Response(200, json={"nope": 1})):
        script = Script(response, ok())
        sdk, sleeps = client(script)
        with sdk, pytest.raises(verisoul.APIError) as caught:
            sdk.create_liveness_session()
        assert len(script.requests) == 1
        assert caught.value.attempts == 1
        assert sleeps.delays == []


def test_retries_md_backoff_doubles_from_half_a_second_to_8_with_jitter() -> None:
    """docs/retries.md: "Between attempts the SDK waits 0.5 s, then 1 s, 2 s, 4 s, capped at 8
    s"
    """
    no_jitter = FixedRandom(0.0)
    assert [backoff_delay(n, no_jitter) for n in range(1, 7)] == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0]
    full_jitter = FixedRandom(1.0)
    assert [backoff_delay(n, full_jitter) for n in range(1, 6)] == [
        0.375,
        0.75,
        1.5,
        3.0,
        6.0,
    ]
    # The client uses it: retries after 503s wait the schedule, each within its jitter band.
    script = Script(httpx.Response(503))
    sdk, sleeps = client(script, max_retries=5)
    with sdk, pytest.raises(verisoul.InternalServerError):
        sdk.create_liveness_session()
    for delay, base in zip(sleeps.delays, [0.5, 1.0, 2.0, 4.0, 8.0], strict=True):
        assert 0.75 * base <= delay <= base
    # Random, not fixed: 200 draws of the first delay are not all equal.
    draws = {backoff_delay(1) for _ in range(200)}
    assert len(draws) > 100
    assert min(draws) >= 0.375
    assert max(draws) <= 0.5
    # Transport errors back off the same way.
    assert retry_delay_for_error(
        httpx.ConnectError("x"), RetryClass.IDEMPOTENT, 2, 5, no_jitter
    ) == pytest.approx(2.0)


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"Retry-After": "3"}, 3.0),
        ({"Retry-After": "0.25"}, 0.25),
        ({"retry-after-ms": "1500"}, 1.5),
        ({"retry-after-ms": "200", "Retry-After": "9"}, 0.2),
    ],
)
def test_retries_md_retry_after_replaces_the_backoff(
    headers: dict[str, str], expected: float
) -> None:
    """docs/retries.md: "When the response carries `Retry-After` (seconds or an HTTP date) or
    `retry-after-ms`, that wait is used instead."
    """
    script = Script(httpx.Response(503, headers=headers), ok())
    sdk, sleeps = client(script)
    with sdk:
        sdk.create_liveness_session()
    assert sleeps.delays == [pytest.approx(expected)]


def test_retries_md_retry_after_as_an_http_date() -> None:
    """docs/retries.md: "When the response carries `Retry-After` (seconds or an HTTP date) or
    `retry-after-ms`, that wait is used instead."
    """
    when = email.utils.formatdate(time.time() + 30, usegmt=True)
    script = Script(httpx.Response(429, headers={"Retry-After": when}), ok())
    sdk, sleeps = client(script)
    with sdk:
        sdk.create_liveness_session()
    (delay,) = sleeps.delays
    assert 25.0 < delay <= 30.0


@pytest.mark.parametrize("headers", [{"Retry-After": "61"}, {"retry-after-ms": "90000"}])
def test_retries_md_a_retry_after_over_60_s_is_raised_at_once(headers: dict[str, str]) -> None:
    """docs/retries.md: "A server asking for more than 60 s is not waited for: the error is
    raised at once, with [`retry_after`][verisoul.APIStatusError] set so you can reschedule the
    work."
    README.md: "a server asking for longer gets the error raised at once, with `retry_after`
    set, so you can reschedule"
    """
    script = Script(httpx.Response(429, headers=headers), ok())
    sdk, sleeps = client(script)
    with sdk, pytest.raises(verisoul.RateLimitError) as caught:
        sdk.create_liveness_session()
    assert sleeps.delays == []
    assert len(script.requests) == 1
    assert caught.value.retry_after is not None
    assert caught.value.retry_after > 60.0
    # 60 s itself is still waited for.
    script = Script(httpx.Response(429, headers={"Retry-After": "60"}), ok())
    sdk, sleeps = client(script)
    with sdk:
        sdk.create_liveness_session()
    assert sleeps.delays == [60.0]


def test_retries_md_without_a_deadline_about_92_s_when_verisoul_hangs() -> None:
    """docs/retries.md: "about 92 s with the defaults when Verisoul hangs." """
    read = verisoul.DEFAULT_TIMEOUT.read
    assert read is not None
    waits = sum(
        backoff_delay(n, FixedRandom(0.0)) for n in range(1, verisoul.DEFAULT_MAX_RETRIES + 1)
    )
    worst = (verisoul.DEFAULT_MAX_RETRIES + 1) * read + waits
    assert round(worst) in (91, 92)
    # And the client really makes three read-timed-out attempts.
    script = Script(httpx.ReadTimeout("hang"))
    sdk, sleeps = client(script)
    with sdk, pytest.raises(verisoul.APITimeoutError) as caught:
        sdk.create_liveness_session()
    assert caught.value.attempts == 3
    assert sum(sleeps.delays) <= waits


def test_retries_md_each_attempt_timeout_shrinks_to_the_deadline() -> None:
    """docs/retries.md: "Each attempt's timeout shrinks to what is left of the deadline."
    README.md: "With a `deadline`, each attempt's timeout shrinks to the time left"
    """
    script = Script(httpx.Response(503, headers={"Retry-After": "1"}), ok())
    sdk, _ = client(script, deadline=3.0)
    with sdk:
        sdk.create_liveness_session()
    first, second = script.timeouts
    assert first == {"connect": 3.0, "read": 3.0, "write": 3.0, "pool": 3.0}
    assert second == {"connect": 2.0, "read": 2.0, "write": 2.0, "pool": 2.0}


@pytest.mark.parametrize("wait", ["3.5", "2.96"])
def test_retries_md_no_retry_past_the_deadline_or_with_under_50_ms(wait: str) -> None:
    """docs/retries.md: "A retry is not started when its wait would run past the deadline, nor
    with less than 50 ms left."
    """
    script = Script(httpx.Response(503, headers={"Retry-After": wait}), ok())
    sdk, _ = client(script, deadline=3.0)
    with sdk, pytest.raises(verisoul.APIError) as caught:
        sdk.create_liveness_session()
    assert len(script.requests) == 1
    assert caught.value.attempts == 1
    # 2.9 s leaves 100 ms: the retry runs.
    script = Script(httpx.Response(503, headers={"Retry-After": "2.9"}), ok())
    sdk, _ = client(script, deadline=3.0)
    with sdk:
        sdk.create_liveness_session()
    assert len(script.requests) == 2


def test_retries_md_differences_retry_after_over_60_s() -> None:
    """docs/retries.md: "A wait over 60 s is not waited for: the error is raised at once with
    `retry_after` set"
    """
    script = Script(httpx.Response(503, headers={"Retry-After": "120"}), ok())
    sdk, sleeps = client(script)
    with sdk, pytest.raises(verisoul.InternalServerError) as caught:
        sdk.create_liveness_session()
    assert caught.value.retry_after == 120.0
    assert sleeps.delays == []  # openai would back off 0.5 s and retry
    assert len(script.requests) == 1


@pytest.mark.parametrize(
    ("response", "write", "requests"),
    [
        (httpx.Response(503, headers={"x-should-retry": "false"}), False, 2),
        (httpx.Response(400, headers={"x-should-retry": "true"}), False, 1),
        (httpx.Response(500, headers={"x-should-retry": "true"}), True, 1),
        (httpx.Response(429, headers={"x-should-retry": "false"}), True, 2),
    ],
)
def test_retries_md_differences_x_should_retry_is_ignored(
    response: httpx.Response, write: bool, requests: int
) -> None:
    """docs/retries.md: "`x-should-retry` is ignored; only the status, the error and the
    endpoint's retry class decide"
    """
    script = Script(response, ok(ENROLL_BODY if write else None))
    sdk, _ = client(script)
    with sdk:
        call = (
            (lambda: sdk.enroll_account(SESSION_ID, "account-1"))
            if write
            else sdk.create_liveness_session
        )
        if requests == 2:
            call()
        else:
            with pytest.raises(verisoul.APIStatusError):
                call()
    assert len(script.requests) == requests


def test_retries_md_differences_default_timeouts() -> None:
    """docs/retries.md: "30 s per attempt, 5 s to connect and to get a pooled connection" """
    with verisoul.Verisoul(api_key="k") as sdk:
        assert sdk.timeout.as_dict() == {"connect": 5.0, "read": 30.0, "write": 30.0, "pool": 5.0}
    assert verisoul.DEFAULT_TIMEOUT.as_dict() == sdk.timeout.as_dict()

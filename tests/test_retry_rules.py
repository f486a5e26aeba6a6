"""The pure retry rules behind the client's loop (issue 17 items 7-9)."""

from __future__ import annotations

import math

import httpx
import pytest

from verisoul._retry import BACKOFF_MAX, backoff_delay, parse_retry_after, wait_hint

NOW = 1_445_412_480.0  # Wed, 21 Oct 2015 07:28:00 GMT


@pytest.mark.parametrize("number", [1, 2, 5, 30, 1024, 1025, 10_000, 10**9])
def test_backoff_never_overflows(number: int) -> None:
    delay = backoff_delay(number)
    assert math.isfinite(delay)
    assert 0 < delay <= BACKOFF_MAX


@pytest.mark.parametrize("zone", ["GMT", "+0000", "-0000", "UTC"])
def test_a_retry_after_date_in_any_utc_spelling_is_honoured(zone: str) -> None:
    headers = httpx.Headers({"retry-after": f"Wed, 21 Oct 2015 07:28:07 {zone}"})
    assert parse_retry_after(headers, now=NOW) == pytest.approx(7.0)


@pytest.mark.parametrize(
    "headers",
    [
        {"retry-after": "inf"},
        {"retry-after": "-inf"},
        {"retry-after": "nan"},
        {"retry-after": "1e999"},
        {"retry-after": "-1"},
        {"retry-after-ms": "inf"},
        {"retry-after-ms": "nan"},
        {"retry-after-ms": "1e999"},
        {"retry-after-ms": "-1"},
        {"retry-after-ms": "soon"},
        {"retry-after": "Wed, 21 Oct 99999 07:28:07 GMT"},
    ],
)
def test_one_rule_for_unusable_values(headers: dict[str, str]) -> None:
    assert parse_retry_after(httpx.Headers(headers), now=NOW) is None


def test_an_unusable_ms_value_falls_back_to_retry_after() -> None:
    headers = httpx.Headers({"retry-after-ms": "inf", "retry-after": "3"})
    assert parse_retry_after(headers) == 3.0


@pytest.mark.parametrize(("value", "hint"), [(None, None), (0.0, None), (0.25, 0.25)])
def test_zero_is_no_hint(value: float | None, hint: float | None) -> None:
    assert wait_hint(value) == hint

"""Pure pieces of the core: retry decisions, error mapping, secrets, validation."""

from __future__ import annotations

import email.utils
import json
import pickle
import random
import uuid

import httpx
import pytest

import verisoul
from verisoul._response import connection_error, status_error
from verisoul._retry import (
    RetryClass,
    attempt_timeout,
    backoff_delay,
    parse_retry_after,
    retry_delay_for_error,
    retry_delay_for_status,
)
from verisoul._secret import ApiKey
from verisoul._urls import quote_segment
from verisoul._validation import validate_uuid

REQUEST = httpx.Request("POST", "https://api.sandbox.verisoul.ai/liveness/enroll")


def response(status: int, body: object = None, **headers: str) -> httpx.Response:
    content = b"" if body is None else json.dumps(body).encode()
    return httpx.Response(status, content=content, headers=headers, request=REQUEST)


def test_backoff_doubles_with_bounded_jitter() -> None:
    rng = random.Random(7)
    for n, base in [(1, 0.5), (2, 1.0), (3, 2.0), (4, 4.0), (5, 8.0), (9, 8.0)]:
        delay = backoff_delay(n, rng)
        assert 0.75 * base <= delay <= base


def test_retry_after_forms() -> None:
    now = 1_700_000_000.0
    date = email.utils.formatdate(now + 7, usegmt=True)
    assert parse_retry_after(httpx.Headers({"retry-after": date}), now=now) == pytest.approx(7)
    assert parse_retry_after(httpx.Headers({"retry-after": "2"})) == 2.0
    assert parse_retry_after(httpx.Headers({"retry-after-ms": "250"})) == 0.25
    assert parse_retry_after(httpx.Headers({"retry-after": "soon"})) is None
    assert parse_retry_after(httpx.Headers({"retry-after": "-3"})) is None
    assert parse_retry_after(httpx.Headers({"retry-after": "nan"})) is None
    assert parse_retry_after(httpx.Headers({})) is None


@pytest.mark.parametrize(
    ("status", "retry_class", "retried"),
    [
        (503, RetryClass.IDEMPOTENT, True),
        (429, RetryClass.IDEMPOTENT, True),
        (409, RetryClass.IDEMPOTENT, True),
        (400, RetryClass.IDEMPOTENT, False),
        (503, RetryClass.UNSAFE_WRITE, False),
        (429, RetryClass.UNSAFE_WRITE, True),
    ],
)
def test_status_retry_classes(status: int, retry_class: RetryClass, retried: bool) -> None:
    delay = retry_delay_for_status(response(status), retry_class, 0, 2)
    assert (delay is not None) is retried
    assert retry_delay_for_status(response(status), retry_class, 2, 2) is None


@pytest.mark.parametrize(
    ("error", "idempotent", "unsafe"),
    [
        (httpx.ConnectError("x"), True, True),
        (httpx.ConnectTimeout("x"), True, True),
        (httpx.PoolTimeout("x"), True, True),
        (httpx.ReadTimeout("x"), True, False),
        (httpx.ReadError("x"), True, False),
        (httpx.RemoteProtocolError("x"), True, False),
        (httpx.UnsupportedProtocol("x"), False, False),
        (httpx.DecodingError("x"), False, False),
    ],
)
def test_error_retry_classes(error: Exception, idempotent: bool, unsafe: bool) -> None:
    assert (retry_delay_for_error(error, RetryClass.IDEMPOTENT, 0, 2) is not None) is idempotent
    assert (retry_delay_for_error(error, RetryClass.UNSAFE_WRITE, 0, 2) is not None) is unsafe


def test_unsafe_write_transport_error_is_outcome_unknown() -> None:
    err = connection_error(httpx.ReadTimeout("slow"), REQUEST, RetryClass.UNSAFE_WRITE, 1)
    assert isinstance(err, verisoul.APITimeoutError)
    assert err.outcome_unknown
    assert "outcome is unknown" in str(err)
    sent_nothing = connection_error(httpx.ConnectError("no"), REQUEST, RetryClass.UNSAFE_WRITE, 3)
    assert not sent_nothing.outcome_unknown
    assert type(sent_nothing) is verisoul.APIConnectionError


def test_attempt_timeout_shrinks_to_the_deadline() -> None:
    timeout = httpx.Timeout(30.0, connect=5.0)
    assert attempt_timeout(timeout, None, 0.0) == timeout.as_dict()
    assert attempt_timeout(timeout, 10.0, 8.0) == {
        "connect": 2.0,
        "read": 2.0,
        "write": 2.0,
        "pool": 2.0,
    }
    assert attempt_timeout(httpx.Timeout(None), 10.0, 9.0) == dict.fromkeys(
        ("connect", "read", "write", "pool"), 1.0
    )
    assert attempt_timeout(timeout, 10.0, 9.99) is None


@pytest.mark.parametrize(
    ("body", "code", "message", "request_id"),
    [
        ({"request_id": "r-1", "success": False, "error": "session_not_found"},
         "session_not_found", None, "r-1"),
        ({"error": "missing_project_id"}, "missing_project_id", None, None),
        ({"statusCode": 400, "message": "Account not found"}, None, "Account not found", None),
        ({"message": "email is required", "error": "Bad Request", "statusCode": 400},
         "Bad Request", "email is required", None),
        ({"error": 400, "message": "bad list"}, "400", "bad list", None),
        ([1, 2], None, None, None),
    ],
)  # fmt: skip
def test_every_documented_error_shape(
    body: object, code: str | None, message: str | None, request_id: str | None
) -> None:
    err = status_error(response(400, body), attempts=1)
    assert isinstance(err, verisoul.BadRequestError)
    assert (err.code, err.request_id, err.body) == (code, request_id, body)
    for part in (code, message, request_id):
        if part:
            assert part in str(err)
    assert str(err).startswith("POST /liveness/enroll failed with HTTP 400")


def test_api_key_is_redacted_and_unpicklable() -> None:
    key = ApiKey("sk_live_secret")
    assert "sk_live_secret" not in repr(key) + str(key) + f"{key}"
    assert key.reveal() == "sk_live_secret"
    assert key == ApiKey("sk_live_secret")
    with pytest.raises(TypeError):
        pickle.dumps(key)


def test_quote_segment_keeps_the_route() -> None:
    assert quote_segment("vip/2024?x #1%", "list_name") == "vip%2F2024%3Fx%20%231%25"
    for dots in (".", ".."):
        with pytest.raises(ValueError, match="list_name"):
            quote_segment(dots, "list_name")
    assert quote_segment("v1.2", "list_name") == "v1.2"
    with pytest.raises(ValueError, match="list_name"):
        quote_segment("", "list_name")
    with pytest.raises(TypeError):
        quote_segment(3, "list_name")  # type: ignore[arg-type]


def test_validate_uuid_canonicalises() -> None:
    value = uuid.uuid4()
    assert validate_uuid(str(value).upper(), "x") == str(value)
    assert validate_uuid(value, "x") == str(value)
    with pytest.raises(ValueError, match="session_id must be a UUID"):
        validate_uuid("nope", "session_id")

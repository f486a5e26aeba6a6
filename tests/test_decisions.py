"""Exact results of the decision modules: messages, edges, arithmetic.

The behaviour is tested elsewhere; these pin what a user reads (every error message a
configuration, retry, response or webhook failure produces) and the boundaries where an
off-by-one would hide (the 60 s Retry-After cap, the 50 ms attempt floor, a 0 tolerance).
They are the fast tests ``nox -s mutation`` relies on (see tests/mutation/equivalent.txt).
"""

from __future__ import annotations

import hashlib
import hmac
import random
from collections.abc import Callable
from typing import Any

import attrs
import httpx
import pytest

import verisoul
from verisoul import webhooks
from verisoul._config import DEFAULT_TIMEOUT, USER_AGENT, resolve_config
from verisoul._response import connection_error, deadline_error, parse_success, status_error
from verisoul._retry import (
    MIN_ATTEMPT_TIME,
    RetryClass,
    attempt_timeout,
    parse_retry_after,
    retry_delay_for_error,
    retry_delay_for_status,
)
from verisoul._shape import ResponseShapeError
from verisoul._validation import check_deadline, check_max_retries, to_timeout

KEY = "sk_test_Xy-decisions"
#: A wrong-typed argument (typed Any so that mypy lets the test pass it).
BAD: Any = "5"
BAD_INT: Any = 5
REQUEST = httpx.Request("GET", "https://api.sandbox.verisoul.ai/liveness/session")


def message(call: Callable[[], object]) -> str:
    """``Type: text`` of what ``call`` raises."""
    try:
        call()
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"
    raise AssertionError("did not raise")


class FixedRandom(random.Random):
    def __init__(self, value: float) -> None:
        super().__init__(0)
        self.value = value

    def random(self) -> float:
        return self.value


def config(**kwargs: Any) -> Any:
    values: dict[str, Any] = {
        "api_key": KEY,
        "environment": None,
        "base_url": None,
        "timeout": DEFAULT_TIMEOUT,
        "max_retries": 2,
        "deadline": None,
        "default_headers": None,
        "allow_insecure_http": False,
    }
    values.update(kwargs)
    return resolve_config(**values)


# -- configuration -------------------------------------------------------------------------

CONFIG_ERRORS: list[tuple[Callable[[], object], str]] = [
    (
        lambda: to_timeout(BAD),
        "TypeError: timeout must be seconds (float) or httpx.Timeout, not str",
    ),
    (
        lambda: to_timeout(True),
        "TypeError: timeout must be seconds (float) or httpx.Timeout, not bool",
    ),
    (lambda: to_timeout(-1), "ValueError: timeout must be > 0 seconds, got -1"),
    (lambda: to_timeout(0), "ValueError: timeout must be > 0 seconds, got 0"),
    (lambda: check_max_retries(BAD), "TypeError: max_retries must be an int, not str"),
    (lambda: check_max_retries(-1), "ValueError: max_retries must be >= 0, got -1"),
    (lambda: check_deadline(BAD), "TypeError: deadline must be seconds (float) or None, not str"),
    (
        lambda: check_deadline(True),
        "TypeError: deadline must be seconds (float) or None, not bool",
    ),
    (lambda: check_deadline(-2.5), "ValueError: deadline must be > 0 seconds, got -2.5"),
    (
        lambda: config(api_key=None),
        "VerisoulError: No API key: pass api_key=... or set the VERISOUL_API_KEY environment "
        "variable.",
    ),
    (
        lambda: config(api_key=""),
        "VerisoulError: No API key: pass api_key=... or set the VERISOUL_API_KEY environment "
        "variable.",
    ),
    (lambda: config(api_key=5), "TypeError: api_key must be a str, not int"),
    (
        lambda: config(api_key=" k"),
        "VerisoulError: The API key cannot be sent: character 1 of 2 is whitespace at an end, "
        "a control character or not ASCII (check what was pasted).",
    ),
    (
        lambda: config(api_key="a\nb"),
        "VerisoulError: The API key cannot be sent: character 2 of 3 is whitespace at an end, "
        "a control character or not ASCII (check what was pasted).",
    ),
    (
        lambda: config(api_key="a\0b"),
        "VerisoulError: The API key cannot be sent: character 2 of 3 is whitespace at an end, "
        "a control character or not ASCII (check what was pasted).",
    ),
    (
        lambda: config(base_url="ftp://h.test/x"),
        "VerisoulError: base_url must be an absolute http(s) URL, got 'ftp://h.test/x'",
    ),
    (
        lambda: config(base_url="/relative"),
        "VerisoulError: base_url must be an absolute http(s) URL, got '/relative'",
    ),
    (
        lambda: config(base_url="http://api.example.com/v1"),
        "VerisoulError: Refusing clear-text base_url 'http://api.example.com/v1': the API key "
        "would travel unencrypted. Use https, or pass allow_insecure_http=True if you really "
        "mean it.",
    ),
    (
        lambda: config(environment="staging"),
        "VerisoulError: Unknown Verisoul environment 'staging': use 'sandbox' or 'production' "
        "(argument environment= or env VERISOUL_ENVIRONMENT), or pass base_url=.",
    ),
    (
        lambda: config(default_headers={"X-Api-Key": "z"}),
        "ValueError: default_headers: 'X-Api-Key' is set by the SDK (pass the key as api_key=)",
    ),
]


@pytest.mark.parametrize(("call", "expected"), CONFIG_ERRORS)
def test_configuration_error_messages(call: Callable[[], object], expected: str) -> None:
    assert message(call) == expected


def test_to_timeout_names_the_argument() -> None:
    assert message(lambda: to_timeout(BAD, "per-call timeout")) == (
        "TypeError: per-call timeout must be seconds (float) or httpx.Timeout, not str"
    )
    assert to_timeout(2) == httpx.Timeout(2.0)
    assert to_timeout(httpx.Timeout(3.0, connect=1.0)) == httpx.Timeout(3.0, connect=1.0)


def test_default_timeouts_are_5_s_to_connect_and_30_s_to_read() -> None:
    assert DEFAULT_TIMEOUT.connect == 5.0
    assert DEFAULT_TIMEOUT.pool == 5.0
    assert DEFAULT_TIMEOUT.read == 30.0
    assert DEFAULT_TIMEOUT.write == 30.0


def test_resolved_headers_are_exactly_the_three_defaults() -> None:
    assert dict(config().headers) == {
        "x-api-key": KEY,
        "user-agent": USER_AGENT,
        "accept": "application/json",
        "accept-encoding": "gzip, deflate",
    }
    merged = config(default_headers={"User-Agent": "mine/1", "Accept": "text/x", "X-Team": "a"})
    assert dict(merged.headers) == {
        "x-api-key": KEY,
        "user-agent": "mine/1",
        "accept": "text/x",
        "accept-encoding": "gzip, deflate",
        "x-team": "a",
    }
    assert config().api_key.reveal() == KEY


def test_keys_may_hold_any_visible_character() -> None:
    for key in ("sk_X", "XX", "a-b_c.d"):
        assert config(api_key=key).api_key.reveal() == key


@pytest.mark.parametrize(
    ("base_url", "resolved"),
    [
        ("https://proxy.test/", "https://proxy.test"),
        ("https://proxy.test/X/", "https://proxy.test/X"),
        ("http://127.0.0.1:9/", "http://127.0.0.1:9"),
        ("http://localhost:9", "http://localhost:9"),
        ("http://app.localhost:9", "http://app.localhost:9"),
        ("http://[::1]:9", "http://[::1]:9"),
    ],
)
def test_base_url_resolution_and_loopback(base_url: str, resolved: str) -> None:
    cfg = config(base_url=base_url)
    assert cfg.base_url == resolved
    assert cfg.environment is None


def test_with_overrides_keeps_what_is_not_overridden() -> None:
    cfg = config(deadline=5.0, max_retries=3, timeout=7.0)
    same = cfg.with_overrides(None, None, None)
    assert (same.deadline, same.max_retries, same.timeout) == (5.0, 3, httpx.Timeout(7.0))
    timeout_only = cfg.with_overrides(1.0, None, None)
    assert (timeout_only.deadline, timeout_only.max_retries) == (5.0, 3)
    assert timeout_only.timeout == httpx.Timeout(1.0)
    retries_only = cfg.with_overrides(None, 0, None)
    assert (retries_only.deadline, retries_only.timeout) == (5.0, httpx.Timeout(7.0))
    other = cfg.with_overrides(1.0, 0, 2.0)
    assert (other.deadline, other.max_retries, other.timeout) == (2.0, 0, httpx.Timeout(1.0))


# -- retry decisions -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({}, None),
        ({"retry-after-ms": "1500"}, 1.5),
        ({"retry-after-ms": "0"}, 0.0),
        ({"retry-after-ms": "0", "retry-after": "5"}, 0.0),
        ({"retry-after-ms": "-5", "retry-after": "3"}, 3.0),
        ({"retry-after-ms": "soon", "retry-after": "3"}, 3.0),
        ({"retry-after-ms": "nan", "retry-after": "3"}, 3.0),
        ({"retry-after": "0"}, 0.0),
        ({"retry-after": "2.5"}, 2.5),
        ({"retry-after": "-1"}, None),
        ({"retry-after": "nan"}, None),
        ({"retry-after": "later"}, None),
        ({"retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"}, 30.0),
        ({"retry-after": "Wed, 21 Oct 2015 07:26:00 GMT"}, 0.0),
    ],
)
def test_parse_retry_after(headers: dict[str, str], expected: float | None) -> None:
    now = 1445412450.0  # 2015-10-21 07:27:30 UTC
    assert parse_retry_after(httpx.Headers(headers), now=now) == expected


def test_retry_delays_use_the_given_random_source_and_the_retry_number() -> None:
    rng = FixedRandom(1.0)
    busy = httpx.Response(503, request=REQUEST)
    assert retry_delay_for_status(busy, RetryClass.IDEMPOTENT, 0, 2, rng) == 0.375
    assert retry_delay_for_status(busy, RetryClass.IDEMPOTENT, 1, 2, rng) == 0.75
    assert retry_delay_for_status(busy, RetryClass.IDEMPOTENT, 2, 2, rng) is None
    error = httpx.ConnectError("refused")
    assert retry_delay_for_error(error, RetryClass.IDEMPOTENT, 0, 2, rng) == 0.375
    assert retry_delay_for_error(error, RetryClass.UNSAFE_WRITE, 1, 2, rng) == 0.75
    assert retry_delay_for_error(error, RetryClass.IDEMPOTENT, 2, 2, rng) is None
    capped = httpx.Response(429, headers={"retry-after": "60"}, request=REQUEST)
    assert retry_delay_for_status(capped, RetryClass.UNSAFE_WRITE, 0, 2, rng) == 60.0
    over = httpx.Response(429, headers={"retry-after": "60.5"}, request=REQUEST)
    assert retry_delay_for_status(over, RetryClass.UNSAFE_WRITE, 0, 2, rng) is None


def test_attempt_timeout_at_the_floor() -> None:
    timeout = httpx.Timeout(30.0, connect=5.0)
    assert attempt_timeout(timeout, MIN_ATTEMPT_TIME, 0.0) == {
        "connect": MIN_ATTEMPT_TIME,
        "read": MIN_ATTEMPT_TIME,
        "write": MIN_ATTEMPT_TIME,
        "pool": MIN_ATTEMPT_TIME,
    }
    assert attempt_timeout(timeout, MIN_ATTEMPT_TIME * 0.99, 0.0) is None
    assert attempt_timeout(timeout, None, 0.0) == timeout.as_dict()
    assert attempt_timeout(httpx.Timeout(None, connect=1.0), 10.0, 0.0) == {
        "connect": 1.0,
        "read": 10.0,
        "write": 10.0,
        "pool": 10.0,
    }


# -- responses -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("exc", "retry", "attempts", "expected", "cls", "unknown"),
    [
        (
            httpx.ReadTimeout("read timed out"),
            RetryClass.IDEMPOTENT,
            1,
            "GET /liveness/session timed out (ReadTimeout: read timed out) at host "
            "api.sandbox.verisoul.ai",
            verisoul.APITimeoutError,
            False,
        ),
        (
            httpx.ConnectError("refused"),
            RetryClass.IDEMPOTENT,
            3,
            "GET /liveness/session failed (ConnectError: refused) at host api.sandbox.verisoul.ai "
            "after 3 attempts",
            verisoul.APIConnectionError,
            False,
        ),
        (
            httpx.ReadError(""),
            RetryClass.UNSAFE_WRITE,
            2,
            "GET /liveness/session failed (ReadError: ReadError) at host api.sandbox.verisoul.ai "
            "after 2 attempts; the request "
            "may have reached Verisoul, so it was not retried and its outcome is unknown",
            verisoul.APIConnectionError,
            True,
        ),
        (
            httpx.ConnectTimeout("slow"),
            RetryClass.UNSAFE_WRITE,
            1,
            "GET /liveness/session timed out (ConnectTimeout: slow) at host "
            "api.sandbox.verisoul.ai",
            verisoul.APITimeoutError,
            False,
        ),
    ],
)
def test_connection_errors(
    exc: Exception,
    retry: RetryClass,
    attempts: int,
    expected: str,
    cls: type[Exception],
    unknown: bool,
) -> None:
    err = connection_error(exc, REQUEST, retry, attempts)
    assert type(err) is cls
    assert str(err) == expected
    assert err.request is REQUEST
    assert err.attempts == attempts
    assert err.outcome_unknown is unknown


@pytest.mark.parametrize(
    ("response", "attempts", "expected"),
    [
        (
            httpx.Response(400, json={"error": "session_not_found", "message": "no such"}),
            1,
            "GET /liveness/session failed with HTTP 400: session_not_found - no such",
        ),
        (
            httpx.Response(400, json={"statusCode": 400, "message": "Account not found"}),
            2,
            "GET /liveness/session failed with HTTP 400: Account not found after 2 attempts",
        ),
        (
            httpx.Response(503),
            3,
            "GET /liveness/session failed with HTTP 503: Service Unavailable after 3 attempts",
        ),
        (httpx.Response(599), 1, "GET /liveness/session failed with HTTP 599: error"),
        (
            httpx.Response(502, text="  Bad\n gateway  "),
            1,
            "GET /liveness/session failed with HTTP 502: Bad Gateway: Bad gateway",
        ),
        (
            httpx.Response(400, json={"request_id": "r-1", "error": "x", "success": False}),
            1,
            "GET /liveness/session failed with HTTP 400: x (request_id r-1)",
        ),
        (
            httpx.Response(409, json={"error": 409}),
            1,
            "GET /liveness/session failed with HTTP 409: 409",
        ),
        (
            httpx.Response(409, json={"error": True, "message": ["x"]}),
            1,
            "GET /liveness/session failed with HTTP 409: Conflict",
        ),
    ],
)
def test_status_error_messages(response: httpx.Response, attempts: int, expected: str) -> None:
    response.request = REQUEST
    err = status_error(response, attempts)
    assert str(err) == expected
    assert err.attempts == attempts
    assert err.response is response


def test_a_long_text_body_is_cut_in_the_error() -> None:
    long = httpx.Response(500, text="y" * 201, request=REQUEST)
    err = status_error(long, 1)
    assert err.body == "y" * 200 + "..."
    exact = httpx.Response(500, text="z" * 200, request=REQUEST)
    assert status_error(exact, 1).body == "z" * 200
    assert status_error(httpx.Response(500, request=REQUEST), 1).body is None


@pytest.mark.parametrize(
    ("attempts", "last", "expected"),
    [
        (0, None, "GET /liveness/session: deadline of 2.5 s exhausted after 0 attempts"),
        (1, None, "GET /liveness/session: deadline of 2.5 s exhausted after 1 attempt"),
        (
            2,
            ValueError("boom"),
            "GET /liveness/session: deadline of 2.5 s exhausted after 2 attempts "
            "(last error: boom)",
        ),
    ],
)
def test_deadline_errors(attempts: int, last: Exception | None, expected: str) -> None:
    err = deadline_error(REQUEST, 2.5, attempts, last)
    assert str(err) == expected
    assert err.request is REQUEST
    assert err.attempts == attempts
    assert err.__cause__ is last


def _shape_error(data: object) -> object:
    raise ResponseShapeError("session_id: expected a string")


def test_parse_success_errors_keep_the_body_and_attempts() -> None:
    html = httpx.Response(200, text="<p>hi</p>", headers={"Content-Type": "text/html"})
    html.request = REQUEST
    with pytest.raises(verisoul.APIResponseValidationError) as caught:
        parse_success(html, _shape_error, 2)
    assert str(caught.value) == (
        "GET /liveness/session answered 200 with a body that is not JSON "
        "(content-type 'text/html')"
    )
    assert caught.value.body == "<p>hi</p>"
    assert caught.value.attempts == 2
    assert caught.value.__cause__ is None
    wrong = httpx.Response(200, json={"request_id": "r-9", "session_id": 5}, request=REQUEST)
    with pytest.raises(verisoul.APIResponseValidationError) as shape:
        parse_success(wrong, _shape_error, 3)
    assert str(shape.value) == (
        "GET /liveness/session answered 200 with an unexpected body: session_id: expected a string"
    )
    assert shape.value.body == {"request_id": "r-9", "session_id": 5}
    assert shape.value.request_id == "r-9"
    assert shape.value.attempts == 3
    odd = httpx.Response(200, json={"request_id": 7}, request=REQUEST)
    with pytest.raises(verisoul.APIResponseValidationError) as no_id:
        parse_success(odd, _shape_error, 1)
    assert no_id.value.request_id is None


# -- webhooks --------------------------------------------------------------------------------

SECRET = "whsec_test"
BODY = b'{"event_type":"email.intelligence.completed"}'
NOW = 1_700_000_000


def _header_bytes(value: str) -> bytes:
    """How a delivery's header value is signed: its latin-1 bytes (what WSGI and ASGI
    decoded), or UTF-8 for text that latin-1 cannot hold."""
    try:
        return value.encode("latin-1")
    except UnicodeEncodeError:
        return value.encode("utf-8")


def signed(
    body: bytes = BODY, *, timestamp: int = NOW, extra: dict[str, str] | None = None
) -> dict[str, str]:
    extra = extra or {"x-id": "1"}
    names = " ".join(extra)
    parts = [str(timestamp).encode(), names.encode(), *map(_header_bytes, extra.values())]
    signature = hmac.new(SECRET.encode(), b".".join([*parts, body]), hashlib.sha256).hexdigest()
    return {"x-signature": f"t={timestamp},h={names},v1={signature}", **extra}


def test_signatures_over_utf8_and_latin1_headers_verify() -> None:
    for value in ("plain", "caf\u00e9", "\u20ac5"):
        headers = signed(extra={"x-id": value})
        webhooks.verify_signature(BODY, headers, SECRET, now=NOW)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("t=1,h=x", "malformed x-signature header: missing v1"),
        ("h=x,v1=" + "a" * 64, "malformed x-signature header: missing t"),
        ("v1=" + "a" * 64, "malformed x-signature header: missing t, h"),
        ("t=1,h=x,junk", "malformed x-signature header: every part must look like key=value"),
        ("t=1,t=2,h=x,v1=" + "a" * 64, "malformed x-signature header: 't' appears more than once"),
        (
            "t=123=,h=x,v1=" + "a" * 64,
            "malformed x-signature header: t is not a Unix timestamp in seconds",
        ),
        (
            "t=1234567890123,h=x,v1=" + "a" * 64,
            "malformed x-signature header: t is not a Unix timestamp in seconds",
        ),
        (
            "t=1,h= ,v1=" + "a" * 64,
            "malformed x-signature header: h must list the signed header names",
        ),
        ("t=1,h=x,v1=abc", "malformed x-signature header: v1 must be 64 hexadecimal characters"),
    ],
)
def test_malformed_signature_header_messages(header: str, expected: str) -> None:
    with pytest.raises(webhooks.WebhookVerificationError) as caught:
        webhooks.verify_signature(BODY, {"x-signature": header, "x": "1"}, SECRET, now=NOW)
    assert str(caught.value) == expected
    assert caught.value.reason == "malformed_signature"


def test_a_twelve_digit_timestamp_is_read() -> None:
    headers = {"x-signature": "t=123456789012,h=x,v1=" + "a" * 64, "x": "1"}
    with pytest.raises(webhooks.WebhookVerificationError) as caught:
        webhooks.verify_signature(BODY, headers, SECRET, now=NOW)
    assert caught.value.reason == "signature_mismatch"


def test_webhook_verification_messages() -> None:
    wrong = signed(body=b"other")
    assert message(lambda: webhooks.verify_signature(BODY, wrong, SECRET, now=NOW)) == (
        "WebhookVerificationError: webhook signature does not match: check the secret, and "
        "hash the raw body bytes (not re-serialised JSON)"
    )
    old = signed(timestamp=NOW - 400)
    assert message(lambda: webhooks.verify_signature(BODY, old, SECRET, now=NOW)) == (
        "WebhookVerificationError: webhook timestamp is 400 s old, more than the 300 s "
        "tolerance (a replay, or a clock out of sync)"
    )
    future = signed(timestamp=NOW + 400)
    assert message(lambda: webhooks.verify_signature(BODY, future, SECRET, now=NOW)) == (
        "WebhookVerificationError: webhook timestamp is 400 s in the future, more than the "
        "300 s tolerance (check this server's clock)"
    )
    assert message(lambda: webhooks.verify_signature(BODY, {}, SECRET, now=NOW)) == (
        "WebhookVerificationError: the x-signature header is missing"
    )
    conflict = [("x-signature", signed()["x-signature"]), ("X-Signature", "t=2")]
    headers = httpx.Headers(conflict)
    assert message(lambda: webhooks.verify_signature(BODY, dict(conflict), SECRET, now=NOW)) == (
        "WebhookVerificationError: the x-signature header appears more than once with "
        "different values"
    )
    assert headers  # an httpx.Headers keeps both
    assert message(lambda: webhooks.verify_signature(BODY, signed(), "", now=NOW)) == (
        "ValueError: the webhook secret is empty"
    )
    assert message(lambda: webhooks.verify_signature(BODY, signed(), 5, now=NOW)) == (  # type: ignore[arg-type]
        "TypeError: secret must be str or bytes, got int"
    )
    assert message(lambda: webhooks.verify_signature(5, signed(), SECRET, now=NOW)) == (  # type: ignore[arg-type]
        "TypeError: payload must be the raw request body (bytes), got int"
    )
    assert message(lambda: webhooks.verify_signature(BODY, signed(), SECRET, tolerance=-1)) == (
        "ValueError: tolerance must be a finite number of seconds >= 0"
    )
    assert message(lambda: webhooks.parse_email_event(b"{not json")).startswith(
        "WebhookPayloadError: webhook body is not valid JSON: "
    )
    assert message(lambda: webhooks.parse_email_event(5)) == (  # type: ignore[arg-type]
        "TypeError: payload must be bytes, str or a decoded JSON object, got int"
    )


def test_webhook_tolerance_edges() -> None:
    webhooks.verify_signature(BODY, signed(), SECRET, tolerance=0, now=NOW)
    webhooks.verify_signature(
        BODY, signed(timestamp=NOW - 1), SECRET, tolerance=0.5, now=NOW - 0.5
    )
    webhooks.verify_signature(BODY.decode(), signed(), SECRET.encode(), now=NOW)
    stale = signed(timestamp=NOW - 100)
    with pytest.raises(webhooks.WebhookVerificationError, match="100 s old"):
        webhooks.verify_and_parse_email_event(BODY, stale, SECRET, tolerance=10, now=NOW)


# -- request builders ------------------------------------------------------------------------

SID = "8a3e5b6f-5c3d-4d3e-9a6f-2b1c0d9e8f7a"
UUID_HINT = "must be a UUID such as '00000000-0000-0000-0000-000000000000'"
ARGUMENT_ERRORS: list[tuple[Callable[[verisoul.Verisoul], object], str]] = [
    (lambda c: c.get_session(""), "ValueError: session_id must not be empty"),
    (lambda c: c.get_session(BAD_INT), "TypeError: session_id must be a str, not int"),
    (lambda c: c.unauthenticated_session(""), "ValueError: session_id must not be empty"),
    (lambda c: c.get_account(""), "ValueError: account_id must not be empty"),
    (lambda c: c.get_account_sessions(""), "ValueError: account_id must not be empty"),
    (lambda c: c.delete_account(""), "ValueError: account_id must not be empty"),
    (lambda c: c.get_list(""), "ValueError: list_name must not be empty"),
    (lambda c: c.delete_list(""), "ValueError: list_name must not be empty"),
    (lambda c: c.create_list("", "d"), "ValueError: list_name must not be empty"),
    (lambda c: c.create_list("x", BAD_INT), "TypeError: description must be a str, not int"),
    (lambda c: c.add_account_to_list("vip", ""), "ValueError: account_id must not be empty"),
    (lambda c: c.remove_account_from_list("", "a"), "ValueError: list_name must not be empty"),
    (lambda c: c.verify_phone(""), "ValueError: phone_number must not be empty"),
    (
        lambda c: c.authenticate_session("s", {"id": "a"}, accounts_linked=BAD),
        "TypeError: accounts_linked must be a bool, not str",
    ),
    (
        lambda c: c.unauthenticated_session("s", accounts_linked=BAD_INT),
        "TypeError: accounts_linked must be a bool, not int",
    ),
    (lambda c: c.verify_face("x"), f"ValueError: session_id {UUID_HINT}, got 'x'"),
    (lambda c: c.verify_identity(SID, ""), "ValueError: account_id must not be empty"),
    (lambda c: c.enroll_account(SID, BAD_INT), "TypeError: account_id must be a str, not int"),
    (
        lambda c: c.create_liveness_session("nope"),
        f"ValueError: referring_session_id {UUID_HINT}, got 'nope'",
    ),
    (
        lambda c: c.create_liveness_session(simulate=BAD_INT),
        "TypeError: simulate must be a str, not int",
    ),
    (lambda c: c.submit_email_batch([]), "ValueError: an email batch needs at least one entry"),
]


@pytest.mark.parametrize(("call", "expected"), ARGUMENT_ERRORS)
def test_argument_error_messages_and_nothing_is_sent(
    call: Callable[[verisoul.Verisoul], object], expected: str
) -> None:
    sent: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(500)

    http = httpx.Client(transport=httpx.MockTransport(record))
    with verisoul.Verisoul(api_key=KEY, http_client=http) as client:
        assert message(lambda: call(client)) == expected
    assert sent == []


def test_verisoul_base_url_is_read_when_nothing_else_says_where(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("VERISOUL_BASE_URL", "http://127.0.0.1:8123/")
    assert config().base_url == "http://127.0.0.1:8123"
    assert config().hosted_page == "http://127.0.0.1:8123/"  # a local fake hosts the page
    assert config(environment="production").base_url == "https://api.prod.verisoul.ai"
    assert config(base_url="https://proxy.test").base_url == "https://proxy.test"
    monkeypatch.setenv("VERISOUL_BASE_URL", "")
    assert config().base_url == "https://api.sandbox.verisoul.ai"


def test_behind_a_proxy_the_hosted_page_follows_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert config(base_url="https://proxy.test").hosted_page == "sandbox"
    monkeypatch.setenv("VERISOUL_ENVIRONMENT", " Production ")
    assert config(base_url="https://proxy.test").hosted_page == "production"
    assert config(base_url="https://proxy.test", environment="sandbox").hosted_page == "sandbox"


# -- advice, environments and request ids in errors --------------------------------------------

SANDBOX = "https://api.sandbox.verisoul.ai/liveness/session"
PRODUCTION = "https://api.prod.verisoul.ai/liveness/session"
CUSTOM = "https://proxy.test/api/liveness/session"
KEY_HINT = (
    "refused the API key. Sandbox and production keys differ: use a key issued for this "
    "environment (api_key= or VERISOUL_API_KEY), or pick the environment the key belongs "
    "to (environment= or VERISOUL_ENVIRONMENT)."
)
PROJECT_HINT = (
    "accepted the key but not for this call. In the Verisoul dashboard, check that the key "
    "belongs to the project you mean and that the product this endpoint belongs to is "
    "enabled for that project."
)
GROUPS_HINT = (
    "The project has groups enabled, and Verisoul does not create Face Match or ID Check "
    "sessions for such projects this way. In the Verisoul dashboard, check the project's "
    "groups setting, or use a project without groups for liveness."
)


@pytest.mark.parametrize(
    ("url", "status", "body", "expected"),
    [
        (
            SANDBOX,
            401,
            None,
            "GET /liveness/session failed with HTTP 401: Unauthorized. Verisoul's sandbox "
            f"environment (api.sandbox.verisoul.ai) {KEY_HINT}",
        ),
        (
            PRODUCTION,
            401,
            None,
            "GET /liveness/session failed with HTTP 401: Unauthorized. Verisoul's production "
            f"environment (api.prod.verisoul.ai) {KEY_HINT}",
        ),
        (
            CUSTOM,
            403,
            None,
            "GET /api/liveness/session failed with HTTP 403: Forbidden. the API at proxy.test "
            f"(a custom base_url, neither sandbox nor production) {PROJECT_HINT}",
        ),
        (
            "https://api.sandbox.verisoul.ai.evil.test/liveness/session",
            403,
            None,
            "GET /liveness/session failed with HTTP 403: Forbidden. the API at "
            "api.sandbox.verisoul.ai.evil.test (a custom base_url, neither sandbox nor "
            f"production) {PROJECT_HINT}",
        ),
        (
            SANDBOX,
            400,
            {"error": "groups_enabled"},
            f"GET /liveness/session failed with HTTP 400: groups_enabled. {GROUPS_HINT}",
        ),
        (SANDBOX, 401 + 1, None, "GET /liveness/session failed with HTTP 402: Payment Required"),
        (SANDBOX, 404, None, "GET /liveness/session failed with HTTP 404: Not Found"),
        (
            SANDBOX,
            409,
            {"error": "groups_enabled"},
            "GET /liveness/session failed with HTTP 409: groups_enabled",
        ),
        (
            SANDBOX,
            400,
            {"error": "session_not_found"},
            "GET /liveness/session failed with HTTP 400: session_not_found",
        ),
    ],
)
def test_status_errors_say_what_to_check(
    url: str, status: int, body: object, expected: str
) -> None:
    response = httpx.Response(status, json=body) if body else httpx.Response(status)
    response.request = httpx.Request("GET", url)
    assert str(status_error(response, 1)) == expected


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({}, None),
        ({"x-request-id": " r-1 "}, "r-1"),
        ({"request-id": "r-2"}, "r-2"),
        ({"x-amzn-requestid": "r-3"}, "r-3"),
        ({"x-amz-cf-id": "r-4"}, "r-4"),
        ({"cf-ray": "r-5"}, "r-5"),
        ({"x-request-id": "", "cf-ray": "r-6"}, "r-6"),
        ({"cf-ray": "r-7", "x-request-id": "r-8"}, "r-8"),
        ({"x-request-id": "z" * 300}, "z" * 200),
    ],
)
def test_request_ids_from_headers(headers: dict[str, str], expected: str | None) -> None:
    response = httpx.Response(500, headers=headers, request=REQUEST)
    assert status_error(response, 1).request_id == expected
    if expected is not None:
        assert f"(request_id {expected})" in str(status_error(response, 1))
    body_id = httpx.Response(500, json={"request_id": "body"}, headers=headers, request=REQUEST)
    assert status_error(body_id, 1).request_id == "body"


def test_a_bad_success_body_takes_the_header_request_id() -> None:
    wrong = httpx.Response(200, json=[1], headers={"x-request-id": "hdr"}, request=REQUEST)
    with pytest.raises(verisoul.APIResponseValidationError) as caught:
        parse_success(wrong, _shape_error, 1)
    assert caught.value.request_id == "hdr"


@attrs.frozen
class _Result:
    value: int
    request_id: str | None = None


@attrs.frozen
class _NoId:
    value: int


def test_a_success_without_a_request_id_takes_the_header_one() -> None:
    headers = {"x-request-id": "hdr"}
    response = httpx.Response(200, json={"v": 1}, headers=headers, request=REQUEST)
    assert parse_success(response, lambda _: _Result(1), 1) == _Result(1, "hdr")
    assert parse_success(response, lambda _: _Result(1, "body"), 1) == _Result(1, "body")
    assert parse_success(response, lambda _: _NoId(1), 1) == _NoId(1)
    assert parse_success(response, lambda _: {"request_id": None}, 1) == {"request_id": None}
    bare = httpx.Response(200, json={"v": 1}, request=REQUEST)
    assert parse_success(bare, lambda _: _Result(1), 1) == _Result(1)


class _Plain:
    """Not an attrs class, but with a request_id attribute."""

    request_id = None


def test_a_result_that_is_not_attrs_is_returned_as_is() -> None:
    plain = _Plain()
    for headers in ({}, {"x-request-id": "hdr"}):
        response = httpx.Response(200, json={"v": 1}, headers=headers, request=REQUEST)
        assert parse_success(response, lambda _: plain, 1) is plain


def test_the_raw_response_records_the_parsed_response_and_attempts() -> None:
    body = {"request_id": "r", "session_id": "8a3e5b6f-5c3d-4d3e-9a6f-2b1c0d9e8f7a"}
    answers = [httpx.Response(503), httpx.Response(200, json=body, headers={"x-n": "2"})]
    http = httpx.Client(transport=httpx.MockTransport(lambda _: answers.pop(0)))
    with verisoul.Verisoul(api_key=KEY, http_client=http) as client:
        client._sleep = lambda seconds: None  # type: ignore[method-assign]
        raw = client.with_raw_response.create_liveness_session()
    assert raw.attempts == 2
    assert raw.status_code == 200
    assert raw.headers["x-n"] == "2"
    assert raw.parsed.request_id == "r"

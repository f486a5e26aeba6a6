"""More exact results of the decision modules: key echoes, size limits, edges.

Companion of tests/test_decisions.py (also run by ``nox -s mutation``): what a server or
proxy that quotes the API key back turns into (every place the key could reach an error is
scrubbed), the over-limit messages, per-call overrides of the response size limit, the
zero-wait and whole-attempt retry edges, webhook bodies a framework decoded with
surrogateescape, and the length cap of ``simulate``.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Iterator
from typing import Any

import attrs
import httpx
import pytest

import verisoul
from verisoul import webhooks
from verisoul._body import TOO_LARGE
from verisoul._config import DEFAULT_TIMEOUT, resolve_config
from verisoul._exceptions import VerisoulError
from verisoul._requests.liveness import session_params
from verisoul._response import (
    connection_error,
    deadline_error,
    header_request_id,
    parse_success,
    status_error,
)
from verisoul._retry import RetryClass, attempt_budget, parse_retry_after, wait_hint
from verisoul._secret import REDACTED
from verisoul._shape import ResponseShapeError

KEY = "sk_test_Qz-mutation-key-0123"
URL = "https://api.sandbox.verisoul.ai/liveness/session"


def keyed(url: str = URL) -> httpx.Request:
    """A request carrying the API key, as the client sends it."""
    return httpx.Request("GET", url, headers={"x-api-key": KEY})


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


# -- key echoes in error responses -----------------------------------------------------------


def test_a_json_error_body_quoting_the_key_is_scrubbed() -> None:
    body = {"error": "unauthorized", "message": f"bad key {KEY}", "echo": [KEY, 1]}
    response = httpx.Response(401, json=body, request=keyed())
    err = status_error(response, 1)
    assert err.body == {
        "error": "unauthorized",
        "message": f"bad key {REDACTED}",
        "echo": [REDACTED, 1],
    }
    assert str(err).startswith(
        f"GET /liveness/session failed with HTTP 401: unauthorized - bad key {REDACTED}. "
    )
    assert KEY not in str(err)


def test_a_text_error_body_quoting_the_key_is_scrubbed() -> None:
    response = httpx.Response(502, text=f"proxy saw x-api-key: {KEY}", request=keyed())
    err = status_error(response, 1)
    assert err.body == f"proxy saw x-api-key: {REDACTED}"
    assert str(err) == (
        f"GET /liveness/session failed with HTTP 502: Bad Gateway: proxy saw x-api-key: {REDACTED}"
    )


def test_the_same_body_without_a_key_on_the_request_is_kept() -> None:
    """The key scrubbed is the one the request carried (its x-api-key header), no other."""
    plain = httpx.Request("GET", URL)
    response = httpx.Response(502, text=f"proxy saw x-api-key: {KEY}", request=plain)
    assert status_error(response, 1).body == f"proxy saw x-api-key: {KEY}"


def test_a_header_request_id_quoting_the_key_is_scrubbed() -> None:
    headers = {"x-request-id": f"id-{KEY}"}
    response = httpx.Response(500, headers=headers, request=keyed())
    err = status_error(response, 1)
    assert err.request_id == f"id-{REDACTED}"
    assert str(err) == (
        f"GET /liveness/session failed with HTTP 500: Internal Server Error "
        f"(request_id id-{REDACTED})"
    )
    assert header_request_id(httpx.Headers(headers), KEY) == f"id-{REDACTED}"
    assert header_request_id(httpx.Headers(headers)) == f"id-{KEY}"


def test_a_reason_phrase_or_path_quoting_the_key_is_scrubbed_from_the_message() -> None:
    reason = httpx.Response(
        502, extensions={"reason_phrase": f"bad {KEY}".encode()}, request=keyed()
    )
    assert str(status_error(reason, 1)) == (
        f"GET /liveness/session failed with HTTP 502: bad {REDACTED}"
    )
    path = httpx.Response(404, request=keyed(f"https://api.sandbox.verisoul.ai/x/{KEY}"))
    assert str(status_error(path, 1)) == f"GET /x/{REDACTED} failed with HTTP 404: Not Found"


def _shape_error_quoting(data: object) -> object:
    raise ResponseShapeError(f"session_id: expected a string, got {KEY!r}")


def test_a_bad_success_body_quoting_the_key_is_scrubbed() -> None:
    body = {"session_id": KEY, KEY: "x"}
    headers = {"x-request-id": f"h-{KEY}"}
    response = httpx.Response(200, json=body, headers=headers, request=keyed())
    with pytest.raises(verisoul.APIResponseValidationError) as caught:
        parse_success(response, _shape_error_quoting, 2)
    assert caught.value.body == {"session_id": REDACTED, REDACTED: "x"}
    assert caught.value.request_id == f"h-{REDACTED}"
    assert str(caught.value) == (
        "GET /liveness/session answered 200 with an unexpected body: session_id: expected a "
        f"string, got '{REDACTED}'"
    )
    assert caught.value.attempts == 2


def test_a_non_json_success_body_quoting_the_key_is_scrubbed() -> None:
    response = httpx.Response(200, text=f"<p>{KEY}</p>", request=keyed())
    with pytest.raises(verisoul.APIResponseValidationError) as caught:
        parse_success(response, _shape_error_quoting, 1)
    assert caught.value.body == f"<p>{REDACTED}</p>"


@attrs.frozen
class _Result:
    value: int
    request_id: str | None = None


def test_a_success_takes_the_header_request_id_scrubbed() -> None:
    headers = {"x-request-id": f"h-{KEY}"}
    response = httpx.Response(200, json={"v": 1}, headers=headers, request=keyed())
    assert parse_success(response, lambda _: _Result(1), 1) == _Result(1, f"h-{REDACTED}")


def test_the_body_is_decoded_once_for_a_shape_error() -> None:
    """The error carries the very object the parser was given (no second decode)."""
    seen: list[object] = []

    def parse(data: object) -> object:
        seen.append(data)
        raise ResponseShapeError("nope")

    response = httpx.Response(200, json={"a": [1]}, request=keyed())
    with pytest.raises(verisoul.APIResponseValidationError) as caught:
        parse_success(response, parse, 1)
    assert caught.value.body is seen[0]


def test_connection_errors_quoting_the_key_are_scrubbed_with_their_cause() -> None:
    exc = httpx.ProxyError(f"proxy refused CONNECT with x-api-key: {KEY}")
    err = connection_error(exc, keyed(), RetryClass.IDEMPOTENT, 1)
    assert str(err) == (
        f"GET /liveness/session failed (ProxyError: proxy refused CONNECT with x-api-key: "
        f"{REDACTED}) at host api.sandbox.verisoul.ai"
    )
    assert exc.args == (f"proxy refused CONNECT with x-api-key: {REDACTED}",)


def test_a_connection_error_without_an_echo_keeps_the_exception_as_is() -> None:
    errno = ConnectionRefusedError(111, "Connection refused")
    err = connection_error(errno, keyed(), RetryClass.IDEMPOTENT, 1)
    assert errno.args == (111, "Connection refused")
    assert str(err) == (
        "GET /liveness/session failed (ConnectionRefusedError: [Errno 111] Connection "
        "refused) at host api.sandbox.verisoul.ai"
    )
    bare = ConnectionResetError()
    err = connection_error(bare, keyed(), RetryClass.IDEMPOTENT, 1)
    assert bare.args == ()
    assert str(err) == (
        "GET /liveness/session failed (ConnectionResetError: ConnectionResetError) at host "
        "api.sandbox.verisoul.ai"
    )


def test_a_deadline_error_scrubs_the_last_error() -> None:
    err = deadline_error(keyed(), 1.0, 2, ValueError(f"echo {KEY}"))
    assert str(err) == (
        "GET /liveness/session: deadline of 1 s exhausted after 2 attempts "
        f"(last error: echo {REDACTED})"
    )


# -- bodies over max_response_bytes ------------------------------------------------------------

OVER = (
    "a body larger than max_response_bytes=1000 bytes (decoded); it was not read and the "
    "connection was dropped"
)


def test_a_success_over_the_size_limit() -> None:
    response = httpx.Response(200, extensions={TOO_LARGE: 1000}, request=keyed())
    with pytest.raises(verisoul.APIResponseValidationError) as caught:
        parse_success(response, _shape_error_quoting, 3)
    assert str(caught.value) == f"GET /liveness/session answered 200 with {OVER}"
    assert caught.value.response is response
    assert caught.value.attempts == 3
    assert caught.value.body is None


@pytest.mark.parametrize(
    ("status", "detail"),
    [(502, "Bad Gateway"), (599, "error")],
)
def test_an_error_over_the_size_limit(status: int, detail: str) -> None:
    response = httpx.Response(status, extensions={TOO_LARGE: 1000}, request=keyed())
    err = status_error(response, 1)
    assert str(err) == f"GET /liveness/session failed with HTTP {status}: {detail} with {OVER}"
    plain = httpx.Response(status, extensions={"other": 1000}, request=keyed())
    expected = f"GET /liveness/session failed with HTTP {status}: {detail}"
    assert str(status_error(plain, 1)) == expected


# -- configuration ---------------------------------------------------------------------------


def test_with_overrides_sets_the_size_limit_and_the_rest() -> None:
    cfg = config(deadline=5.0, max_retries=3, timeout=7.0)
    limited = cfg.with_overrides(None, None, None, max_response_bytes=1000)
    assert limited.max_response_bytes == 1000
    assert (limited.deadline, limited.max_retries, limited.timeout) == (
        5.0,
        3,
        httpx.Timeout(7.0),
    )
    assert limited.base_url == cfg.base_url
    assert limited.api_key == cfg.api_key
    every = cfg.with_overrides(1.0, 0, 2.0, max_response_bytes=2048)
    assert (every.deadline, every.max_retries, every.timeout, every.max_response_bytes) == (
        2.0,
        0,
        httpx.Timeout(1.0),
        2048,
    )
    timeout_only = cfg.with_overrides(1.0, None, None, max_response_bytes=2048)
    assert (timeout_only.deadline, timeout_only.max_retries) == (5.0, 3)
    assert timeout_only.timeout == httpx.Timeout(1.0)
    retries_only = cfg.with_overrides(None, 1, None, max_response_bytes=2048)
    assert (retries_only.deadline, retries_only.max_retries) == (5.0, 1)
    deadline_only = cfg.with_overrides(None, None, 9.0, max_response_bytes=2048)
    assert (deadline_only.deadline, deadline_only.max_retries) == (9.0, 3)
    assert deadline_only.timeout == httpx.Timeout(7.0)
    with pytest.raises((TypeError, ValueError)):
        cfg.with_overrides(None, None, None, max_response_bytes=-1)


@pytest.fixture
def no_environment(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in ("VERISOUL_ENVIRONMENT", "VERISOUL_BASE_URL", "VERISOUL_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


@pytest.mark.parametrize(
    ("named", "base_url", "page"),
    [
        (None, "http://127.0.0.1:8080", "http://127.0.0.1:8080/"),
        (None, "https://proxy.example.com", "sandbox"),
        ("", "http://127.0.0.1:8080", "http://127.0.0.1:8080/"),
        (" Production ", "http://127.0.0.1:8080", "production"),
        ("sandbox", "https://proxy.example.com", "sandbox"),
        ("production", "https://proxy.example.com", "production"),
    ],
)
def test_hosted_page_behind_a_base_url(
    no_environment: pytest.MonkeyPatch, named: str | None, base_url: str, page: str
) -> None:
    if named is not None:
        no_environment.setenv("VERISOUL_ENVIRONMENT", named)
    assert config(base_url=base_url).hosted_page == page


def test_an_unknown_environment_variable_is_refused_with_a_base_url(
    no_environment: pytest.MonkeyPatch,
) -> None:
    no_environment.setenv("VERISOUL_ENVIRONMENT", " Staging ")
    with pytest.raises(VerisoulError) as caught:
        config(base_url="https://proxy.example.com")
    assert str(caught.value) == (
        "Unknown Verisoul environment 'staging' in VERISOUL_ENVIRONMENT: use 'sandbox' or "
        "'production'."
    )


# -- retry decisions -------------------------------------------------------------------------


def test_wait_hint_edges() -> None:
    assert wait_hint(None) is None
    assert wait_hint(0.0) is None
    assert wait_hint(-1.0) is None
    assert wait_hint(0.001) == 0.001
    assert wait_hint(60.0) == 60.0


def test_attempt_budget() -> None:
    assert attempt_budget(httpx.Timeout(30.0, connect=5.0)) == 30.0
    assert attempt_budget(httpx.Timeout(2)) == 2.0
    assert attempt_budget(httpx.Timeout(1.0, read=None)) is None
    assert attempt_budget(httpx.Timeout(None)) is None


@pytest.fixture
def far_from_utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A local time zone 9 hours from UTC (a naive datetime would be read in it)."""
    if not hasattr(time, "tzset"):
        pytest.skip("time.tzset is not available on this platform")
    monkeypatch.setenv("TZ", "JST-9")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.usefixtures("far_from_utc")
def test_a_date_without_a_zone_is_read_as_utc_whatever_the_local_zone() -> None:
    now = 1445412450.0  # 2015-10-21 07:27:30 UTC
    unknown = httpx.Headers({"retry-after": "Wed, 21 Oct 2015 07:28:00 -0000"})
    assert parse_retry_after(unknown, now=now) == 30.0
    gmt = httpx.Headers({"retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"})
    assert parse_retry_after(gmt, now=now) == 30.0
    east = httpx.Headers({"retry-after": "Wed, 21 Oct 2015 09:28:00 +0200"})
    assert parse_retry_after(east, now=now) == 30.0


# -- webhooks --------------------------------------------------------------------------------

SECRET = "whsec_test"
NOW = 1_700_000_000


def signed(body: bytes) -> dict[str, str]:
    parts = [str(NOW).encode(), b"x-id", b"1", body]
    signature = hmac.new(SECRET.encode(), b".".join(parts), hashlib.sha256).hexdigest()
    return {"x-signature": f"t={NOW},h=x-id,v1={signature}", "x-id": "1"}


def test_a_body_decoded_with_surrogateescape_verifies_then_is_refused_as_not_utf8() -> None:
    raw = b'{"event_type":"\xff"}'
    text = raw.decode("utf-8", "surrogateescape")
    webhooks.verify_signature(text, signed(raw), SECRET, now=NOW)
    with pytest.raises(webhooks.WebhookPayloadError) as caught:
        webhooks.verify_and_parse_email_event(text, signed(raw), SECRET, now=NOW)
    assert str(caught.value) == "webhook body is not valid UTF-8"
    with pytest.raises(webhooks.WebhookPayloadError) as as_bytes:
        webhooks.parse_email_event(raw)
    assert str(as_bytes.value) == "webhook body is not valid UTF-8"


def test_a_body_nested_too_deeply_is_refused() -> None:
    deep = b"[" * 100_000 + b"]" * 100_000
    with pytest.raises(webhooks.WebhookPayloadError) as caught:
        webhooks.parse_email_event(deep)
    assert str(caught.value) == "webhook body is nested too deeply to be an event"
    assert caught.value.__cause__ is None


# -- request builders ------------------------------------------------------------------------


def test_simulate_is_capped_at_1024_characters() -> None:
    assert session_params(None, "x" * 1024, id_check=False) == {"simulate": "x" * 1024}
    with pytest.raises(ValueError) as caught:
        session_params(None, "x" * 1025, id_check=False)
    assert str(caught.value) == "simulate must be at most 1024 characters, got 1025"

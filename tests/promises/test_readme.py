"""Promises of README.md: every endpoint's HTTP shape and retry class, inputs, logging."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import httpx
import pytest

import verisoul
from verisoul import Account

from ..conftest import TEST_KEY
from ._support import SESSION_ID, Script, client

Call = Callable[[verisoul.Verisoul], object]
ACCOUNT = Account("user-42", email="jo@example.com")

#: method, call, HTTP method, path, query, JSON body, retried (idempotent)
ENDPOINTS: list[tuple[str, Call, str, str, dict[str, str], Any, bool]] = [
    (
        "create_liveness_session",
        lambda c: c.create_liveness_session(),
        "GET",
        "/liveness/session",
        {},
        None,
        True,
    ),
    (
        "create_liveness_session(referring)",
        lambda c: c.create_liveness_session(SESSION_ID),
        "GET",
        "/liveness/session",
        {"referring_session_id": SESSION_ID},
        None,
        True,
    ),
    (
        "create_id_check_session",
        lambda c: c.create_id_check_session(),
        "GET",
        "/liveness/session",
        {"id": "true"},
        None,
        True,
    ),
    (
        "verify_face",
        lambda c: c.verify_face(SESSION_ID),
        "POST",
        "/liveness/verify-face",
        {},
        {"session_id": SESSION_ID},
        True,
    ),
    (
        "verify_id",
        lambda c: c.verify_id(SESSION_ID),
        "POST",
        "/liveness/verify-id",
        {},
        {"session_id": SESSION_ID},
        True,
    ),
    (
        "verify_identity",
        lambda c: c.verify_identity(SESSION_ID, "user-42"),
        "POST",
        "/liveness/verify-identity",
        {},
        {"session_id": SESSION_ID, "account_id": "user-42"},
        True,
    ),
    (
        "enroll_account",
        lambda c: c.enroll_account(SESSION_ID, "user-42"),
        "POST",
        "/liveness/enroll",
        {},
        {"session_id": SESSION_ID, "account_id": "user-42"},
        False,
    ),
    (
        "authenticate_session",
        lambda c: c.authenticate_session("s-1", ACCOUNT),
        "POST",
        "/session/authenticate",
        {},
        {"session_id": "s-1", "account": {"id": "user-42", "email": "jo@example.com"}},
        True,
    ),
    (
        "authenticate_session(linked)",
        lambda c: c.authenticate_session("s-1", {"id": "a"}, accounts_linked=True),
        "POST",
        "/session/authenticate",
        {"accounts_linked": "true"},
        {"session_id": "s-1", "account": {"id": "a"}},
        True,
    ),
    (
        "unauthenticated_session",
        lambda c: c.unauthenticated_session("s-1"),
        "POST",
        "/session/unauthenticated",
        {},
        {"session_id": "s-1"},
        True,
    ),
    (
        "unauthenticated_session(linked)",
        lambda c: c.unauthenticated_session("s-1", accounts_linked=True),
        "POST",
        "/session/unauthenticated",
        {"accounts_linked": "true"},
        {"session_id": "s-1"},
        True,
    ),
    ("get_session", lambda c: c.get_session("s-1"), "GET", "/session/s-1", {}, None, True),
    ("get_account", lambda c: c.get_account("a/b"), "GET", "/account/a%2Fb", {}, None, True),
    (
        "update_account",
        lambda c: c.update_account(ACCOUNT),
        "PUT",
        "/account/user-42",
        {},
        {"id": "user-42", "email": "jo@example.com"},
        True,
    ),
    (
        "delete_account",
        lambda c: c.delete_account("user-42"),
        "DELETE",
        "/account/user-42",
        {},
        None,
        False,
    ),
    (
        "get_account_sessions",
        lambda c: c.get_account_sessions("user-42"),
        "GET",
        "/account/user-42/sessions",
        {},
        None,
        True,
    ),
    (
        "get_linked_accounts",
        lambda c: c.get_linked_accounts("user-42"),
        "GET",
        "/account/user-42/accounts-linked",
        {},
        None,
        True,
    ),
    ("list_lists", lambda c: c.list_lists(), "GET", "/list", {}, None, True),
    ("get_list", lambda c: c.get_list("vip/2024"), "GET", "/list/vip%2F2024", {}, None, True),
    (
        "create_list",
        lambda c: c.create_list("vip/2024", "Early customers"),
        "POST",
        "/list/vip%2F2024",
        {},
        {"list_description": "Early customers"},
        False,
    ),
    ("delete_list", lambda c: c.delete_list("vip"), "DELETE", "/list/vip", {}, None, False),
    (
        "add_account_to_list",
        lambda c: c.add_account_to_list("vip", "user-42"),
        "POST",
        "/list/vip/account/user-42",
        {},
        None,
        False,
    ),
    (
        "remove_account_from_list",
        lambda c: c.remove_account_from_list("vip", "user-42"),
        "DELETE",
        "/list/vip/account/user-42",
        {},
        None,
        False,
    ),
    (
        "verify_phone",
        lambda c: c.verify_phone("+14155550123"),
        "POST",
        "/phone",
        {},
        {"phone_number": "+14155550123"},
        True,
    ),
    (
        "submit_email",
        lambda c: c.submit_email("jo@example.com"),
        "POST",
        "/email",
        {},
        None,
        False,
    ),
    (
        "submit_email_batch",
        lambda c: c.submit_email_batch(["jo@example.com"]),
        "POST",
        "/email",
        {},
        None,
        False,
    ),
]


@pytest.mark.parametrize(
    ("call", "method", "path", "query", "body", "retried"),
    [pytest.param(*row[1:], id=row[0]) for row in ENDPOINTS],
)
def test_readme_every_endpoint_sends_its_request_with_its_retry_class(
    call: Call,
    method: str,
    path: str,
    query: dict[str, str],
    body: Any,
    retried: bool,
) -> None:
    """README.md: "| method | HTTP | returns | retry |"
    README.md: "Path segments are percent-encoded, so a list named `"vip/2024"` stays one
    segment."
    docs/retries.md: "| Method | Retry class | Why |"
    """
    script = Script(httpx.Response(503))
    sdk, _ = client(script, max_retries=1)
    with sdk, pytest.raises(verisoul.InternalServerError) as caught:
        call(sdk)
    request = script.requests[0]
    assert request.method == method
    assert request.url.raw_path.split(b"?")[0].decode() == path
    assert dict(request.url.params) == query
    if body is not None:
        import json

        assert json.loads(request.content) == body
    elif method in ("GET", "DELETE"):
        assert request.content == b""
    assert len(script.requests) == (2 if retried else 1)
    assert caught.value.attempts == len(script.requests)


@pytest.mark.parametrize(
    "account",
    [
        {"id": "user-42", "phone": "4155550123"},
        {"id": "user-42", "first_name": "x" * 257},
        {"id": "user-42", "expected_countries": ["us"]},
        {"id": "user-42", "expected_countries": ["USA"]},
        {"email": "jo@example.com"},
    ],
)
def test_readme_accounts_are_checked_before_anything_is_sent(account: dict[str, Any]) -> None:
    """README.md: "`id` is required; `phone` must be E.164 (`+14155550123`), names at most 256
    characters, `expected_countries` uppercase 2-letter codes, all checked before anything is
    sent."
    """
    script = Script(httpx.Response(500))
    sdk, _ = client(script)
    with sdk:
        with pytest.raises((TypeError, ValueError)):
            sdk.authenticate_session("s-1", account)
        with pytest.raises((TypeError, ValueError)):
            sdk.update_account(account)
        # The limits themselves are accepted.
        good = {"id": "u", "phone": "+14155550123", "first_name": "x" * 256}
        good["expected_countries"] = ["US"]  # type: ignore[assignment]
        with pytest.raises(verisoul.InternalServerError):
            sdk.update_account(good, max_retries=0)
    assert len(script.requests) == 1


def test_readme_one_debug_record_per_attempt_and_no_headers(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """README.md: "at INFO one record per attempt (method, path, status, attempt, elapsed ms)
    and one per retry; DEBUG adds the URL and the headers, with `x-api-key` and your own
    headers' values shown as `<redacted>`. Bodies and the key are never logged."
    """
    ok_body = {"request_id": "r", "session_id": SESSION_ID}
    script = Script(
        httpx.Response(503), httpx.ConnectError("refused"), httpx.Response(200, json=ok_body)
    )
    sdk, _ = client(script)
    caplog.clear()
    with caplog.at_level(logging.DEBUG, logger="verisoul"), sdk:
        sdk.create_liveness_session()
    records = [r for r in caplog.records if r.name == "verisoul"]
    info = [r.getMessage() for r in records if r.levelno == logging.INFO]
    attempts = [m for m in info if "(attempt " in m]
    assert len(attempts) == 3, info
    assert attempts[0].startswith("GET /liveness/session -> 503 (attempt 1, ")
    assert attempts[1].startswith("GET /liveness/session -> ConnectError (attempt 2, ")
    assert attempts[2].startswith("GET /liveness/session -> 200 (attempt 3, ")
    assert all(m.endswith(" ms)") for m in attempts)
    assert len([m for m in info if m.startswith("retrying ")]) == 2, info
    debug = " ".join(r.getMessage() for r in records if r.levelno == logging.DEBUG)
    assert "x-api-key: <redacted>" in debug
    for record in records:
        assert TEST_KEY not in record.getMessage()
        assert SESSION_ID not in record.getMessage()  # the response body is not logged

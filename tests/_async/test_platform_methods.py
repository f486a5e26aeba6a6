"""The platform methods (sessions, accounts, lists, phone, email) against scripted responses.

Responses are the examples from Verisoul's OpenAPI files (tests/data). Written once for
AsyncVerisoul; tests/_sync/ holds the generated twin for Verisoul.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

import verisoul
from verisoul import AsyncVerisoul
from verisoul._async.platform import AsyncPlatformAPI
from verisoul._models.account import (
    AccountDeletion,
    AccountReport,
    AccountSessions,
    LinkedAccounts,
)
from verisoul._models.email import EmailBatchSubmission, EmailSubmission
from verisoul._models.lists import ListChange, ListDetails, Lists
from verisoul._models.phone import PhoneVerification
from verisoul._models.session import Session, SessionEvaluation

from ..conftest import TEST_KEY
from .test_client import Recorder, instant, make_client

DATA = json.loads((Path(__file__).parents[1] / "data" / "platform_examples.json").read_text())
EXAMPLES: dict[str, Any] = DATA["responses"]
ERRORS: dict[str, Any] = DATA["errors"]
REQUESTS: dict[str, Any] = DATA["requests"]

SESSION_ID = "56f9a065-1583-48af-a5c4-cd5921b21a12"
NASTY = "vip/2024?x y#z%"
NASTY_QUOTED = "vip%2F2024%3Fx%20y%23z%25"

Call = Callable[[AsyncVerisoul], Any]


def body_of(request: httpx.Request) -> Any:
    return json.loads(request.content) if request.content else None


ACCOUNT = {"id": "john-doe", "email": "johndoe.example@gmail.com", "lists": ["us_users"]}
UPDATE = {"id": "john doe/1", "phone": "+14155550123", "expected_countries": ["US", "CA"]}

# name -> (call, method, raw path, query, JSON body, example, model)
OPERATIONS: dict[str, tuple[Call, str, str, dict[str, str], Any, str, type[Any]]] = {
    "authenticate_session": (
        lambda c: c.authenticate_session(SESSION_ID, ACCOUNT),
        "POST",
        "/session/authenticate",
        {},
        {"session_id": SESSION_ID, "account": ACCOUNT},
        "session_authenticate",
        SessionEvaluation,
    ),
    "authenticate_session_linked": (
        lambda c: c.authenticate_session(
            SESSION_ID, verisoul.Account("john-doe"), accounts_linked=True
        ),
        "POST",
        "/session/authenticate",
        {"accounts_linked": "true"},
        {"session_id": SESSION_ID, "account": {"id": "john-doe"}},
        "session_authenticate_linked",
        SessionEvaluation,
    ),
    "unauthenticated_session": (
        lambda c: c.unauthenticated_session(SESSION_ID),
        "POST",
        "/session/unauthenticated",
        {},
        {"session_id": SESSION_ID},
        "session_unauthenticated",
        SessionEvaluation,
    ),
    "unauthenticated_session_linked": (
        lambda c: c.unauthenticated_session(SESSION_ID, accounts_linked=True),
        "POST",
        "/session/unauthenticated",
        {"accounts_linked": "true"},
        {"session_id": SESSION_ID},
        "session_unauthenticated_linked",
        SessionEvaluation,
    ),
    "get_session": (
        lambda c: c.get_session(SESSION_ID),
        "GET",
        f"/session/{SESSION_ID}",
        {},
        None,
        "session_get",
        Session,
    ),
    "get_account": (
        lambda c: c.get_account("john-doe"),
        "GET",
        "/account/john-doe",
        {},
        None,
        "account_get",
        AccountReport,
    ),
    "update_account": (
        lambda c: c.update_account(UPDATE),
        "PUT",
        "/account/john%20doe%2F1",
        {},
        UPDATE,
        "account_update",
        AccountReport,
    ),
    "delete_account": (
        lambda c: c.delete_account("john-doe"),
        "DELETE",
        "/account/john-doe",
        {},
        None,
        "account_delete",
        AccountDeletion,
    ),
    "get_account_sessions": (
        lambda c: c.get_account_sessions("john-doe"),
        "GET",
        "/account/john-doe/sessions",
        {},
        None,
        "account_sessions",
        AccountSessions,
    ),
    "get_linked_accounts": (
        lambda c: c.get_linked_accounts("john-doe"),
        "GET",
        "/account/john-doe/accounts-linked",
        {},
        None,
        "account_linked",
        LinkedAccounts,
    ),
    "list_lists": (lambda c: c.list_lists(), "GET", "/list", {}, None, "list_all", Lists),
    "get_list": (
        lambda c: c.get_list(NASTY),
        "GET",
        f"/list/{NASTY_QUOTED}",
        {},
        None,
        "list_get",
        ListDetails,
    ),
    "create_list": (
        lambda c: c.create_list(NASTY, "List of US based users"),
        "POST",
        f"/list/{NASTY_QUOTED}",
        {},
        {"list_description": "List of US based users"},
        "list_create",
        ListChange,
    ),
    "delete_list": (
        lambda c: c.delete_list(NASTY),
        "DELETE",
        f"/list/{NASTY_QUOTED}",
        {},
        None,
        "list_delete",
        ListChange,
    ),
    "add_account_to_list": (
        lambda c: c.add_account_to_list(NASTY, "a/b?c"),
        "POST",
        f"/list/{NASTY_QUOTED}/account/a%2Fb%3Fc",
        {},
        None,
        "list_add_account",
        ListChange,
    ),
    "remove_account_from_list": (
        lambda c: c.remove_account_from_list("us_users", "john-doe"),
        "DELETE",
        "/list/us_users/account/john-doe",
        {},
        None,
        "list_remove_account",
        ListChange,
    ),
    "verify_phone": (
        lambda c: c.verify_phone("+1234567890"),
        "POST",
        "/phone",
        {},
        {"phone_number": "+1234567890"},
        "phone",
        PhoneVerification,
    ),
    "submit_email": (
        lambda c: c.submit_email(
            REQUESTS["email"]["email"],
            claims=REQUESTS["email"]["claims"],
            identity_intelligence=True,
        ),
        "POST",
        "/email",
        {},
        REQUESTS["email"],
        "email",
        EmailSubmission,
    ),
    "submit_email_batch": (
        lambda c: c.submit_email_batch(
            REQUESTS["email_batch"]["emails"],
            batch_name=REQUESTS["email_batch"]["batch_name"],
            identity_intelligence=True,
        ),
        "POST",
        "/email",
        {},
        REQUESTS["email_batch"],
        "email_batch",
        EmailBatchSubmission,
    ),
}

IDEMPOTENT = {
    "authenticate_session",
    "unauthenticated_session",
    "get_session",
    "get_account",
    "update_account",
    "get_account_sessions",
    "get_linked_accounts",
    "list_lists",
    "get_list",
    "verify_phone",
}
UNSAFE = {
    "delete_account",
    "create_list",
    "delete_list",
    "add_account_to_list",
    "remove_account_from_list",
    "submit_email",
    "submit_email_batch",
}


def test_every_public_platform_method_is_covered() -> None:
    methods = {name for name in vars(AsyncPlatformAPI) if not name.startswith("_")}
    assert issubclass(AsyncVerisoul, AsyncPlatformAPI)
    assert methods == IDEMPOTENT | UNSAFE
    assert {name.removesuffix("_linked") for name in OPERATIONS} == methods


@pytest.mark.anyio
@pytest.mark.parametrize("name", sorted(OPERATIONS))
async def test_request_shape_and_typed_result(name: str) -> None:
    call, method, path, query, body, example, model = OPERATIONS[name]
    rec = Recorder(httpx.Response(200, json=EXAMPLES[example]))
    async with make_client(rec) as client:
        result = await call(client)
    (request,) = rec.requests
    assert request.method == method
    assert request.url.raw_path.decode().partition("?")[0] == path
    assert dict(request.url.params) == query
    assert body_of(request) == body
    assert request.headers["x-api-key"] == TEST_KEY
    assert type(result) is model
    if "request_id" in EXAMPLES[example]:
        assert result.request_id == EXAMPLES[example]["request_id"]


@pytest.mark.anyio
async def test_linked_accounts_come_back_only_when_asked() -> None:
    rec = Recorder(
        httpx.Response(200, json=EXAMPLES["session_authenticate"]),
        httpx.Response(200, json=EXAMPLES["session_authenticate_linked"]),
    )
    async with make_client(rec) as client:
        plain = await client.authenticate_session(SESSION_ID, {"id": "john-doe"})
        linked = await client.authenticate_session(
            SESSION_ID, {"id": "john-doe"}, accounts_linked=True
        )
    assert "accounts_linked" not in rec.requests[0].url.params
    assert rec.requests[1].url.params["accounts_linked"] == "true"
    assert plain.linked_accounts == ()
    assert linked.linked_accounts is not None
    assert len(linked.linked_accounts) == 2


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (
            lambda c: c.authenticate_session(SESSION_ID, {"id": "u", "phone": "555"}),
            ValueError,
            "E.164",
        ),
        (lambda c: c.authenticate_session(SESSION_ID, {"ID": "u"}), ValueError, "unknown Account"),
        (lambda c: c.authenticate_session("", {"id": "u"}), ValueError, "session_id"),
        (lambda c: c.authenticate_session(SESSION_ID, "u"), TypeError, "Account or a dict"),
        (
            lambda c: c.unauthenticated_session(SESSION_ID, accounts_linked="yes"),
            TypeError,
            "bool",
        ),
        (lambda c: c.get_session(""), ValueError, "session_id"),
        (lambda c: c.get_account(7), TypeError, "account_id"),
        (lambda c: c.update_account({"id": "u", "lists": ["vip"]}), ValueError, "cannot change"),
        (lambda c: c.get_list(" "), ValueError, "list_name"),
        (lambda c: c.create_list("vip", None), TypeError, "description"),
        (lambda c: c.add_account_to_list("vip", ""), ValueError, "account_id"),
        (lambda c: c.verify_phone(""), ValueError, "phone_number"),
        (lambda c: c.submit_email("a@b.c", claims={"country": "usa"}), ValueError, "2-letter"),
        (lambda c: c.submit_email_batch([]), ValueError, "at least one"),
        (lambda c: c.submit_email_batch(["a@b.c"] * 1001), ValueError, "at most 1000"),
    ],
)
async def test_bad_input_sends_nothing(call: Call, error: type[Exception], message: str) -> None:
    rec = Recorder(httpx.Response(200, json={}))
    async with make_client(rec) as client:
        with pytest.raises(error, match=message):
            await call(client)
    assert rec.requests == []


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("name", "error", "code", "message", "request_id"),
    [
        ("get_session", "session_not_found", None, "Session ID not found", None),
        ("get_account", "account_not_found", None, "Account not found", None),
        ("create_list", "list_exists", None, "List already exists.", None),
        ("list_lists", "list_all_error", "400", "Unexpected error", None),
        ("verify_phone", "phone_invalid", None, "Invalid phone number", None),
        ("submit_email", "email_required", "Bad Request", "email is required", None),
        (
            "submit_email_batch",
            "email_batch_missing_email",
            "Bad Request",
            "each entry in emails must have an email field",
            None,
        ),
        (
            "get_session",
            "liveness_session_not_found",
            "session_not_found",
            None,
            "8e3c7dd6-73e3-4e46-bbd2-a10c322f59d5",
        ),
        ("get_list", "redirect_missing_project", "missing_project_id", None, None),
    ],
)
async def test_documented_error_bodies(
    name: str, error: str, code: str | None, message: str | None, request_id: str | None
) -> None:
    call = OPERATIONS[name][0]
    rec = Recorder(httpx.Response(400, json=ERRORS[error]))
    async with make_client(rec) as client:
        with pytest.raises(verisoul.BadRequestError) as info:
            await call(client)
    err = info.value
    assert err.status_code == 400
    assert err.code == code
    assert err.request_id == request_id
    assert err.body == ERRORS[error]
    assert len(rec.requests) == 1
    if message is not None:
        assert message in str(err)
    if code is not None:
        assert code in str(err)


@pytest.mark.anyio
async def test_empty_error_object_still_raises_bad_request() -> None:
    rec = Recorder(httpx.Response(400, json={}))
    async with make_client(rec) as client:
        with pytest.raises(verisoul.BadRequestError) as info:
            await client.list_lists()
    assert info.value.code is None
    assert "400" in str(info.value)


def retryable_failures(name: str) -> list[httpx.Response | Exception]:
    """Two failures the endpoint's retry class must retry through."""
    if name in IDEMPOTENT:
        return [httpx.ReadTimeout("slow"), httpx.Response(503)]
    return [httpx.ConnectError("refused"), httpx.Response(429)]  # provably not applied


@pytest.mark.anyio
@pytest.mark.parametrize("name", sorted(IDEMPOTENT | UNSAFE))
async def test_retried_through_the_failures_its_class_allows(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    call, *_, example, _model = OPERATIONS[name]
    rec = Recorder(*retryable_failures(name), httpx.Response(200, json=EXAMPLES[example]))
    async with make_client(rec) as client:
        instant(client, monkeypatch)
        await call(client)
    assert len(rec.requests) == 3


@pytest.mark.anyio
@pytest.mark.parametrize("name", sorted(UNSAFE))
async def test_unsafe_writes_are_not_resent_once_they_may_have_arrived(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    call = OPERATIONS[name][0]
    rec = Recorder(httpx.ReadTimeout("slow"))
    async with make_client(rec) as client:
        instant(client, monkeypatch)
        with pytest.raises(verisoul.APITimeoutError) as info:
            await call(client)
        assert info.value.outcome_unknown is True
        assert len(rec.requests) == 1
        rec.responses = [httpx.Response(500)]
        with pytest.raises(verisoul.InternalServerError):
            await call(client)
        assert len(rec.requests) == 2


@pytest.mark.anyio
async def test_per_call_overrides(monkeypatch: pytest.MonkeyPatch) -> None:
    rec = Recorder(httpx.Response(500))
    async with make_client(rec, max_retries=3) as client:
        instant(client, monkeypatch)
        with pytest.raises(verisoul.InternalServerError):
            await client.get_account("john-doe", max_retries=0, timeout=2.5)
        assert len(rec.requests) == 1
        assert rec.requests[0].extensions["timeout"]["read"] == 2.5
        rec.responses = [httpx.Response(200, json=EXAMPLES["phone"])]
        await client.verify_phone("+1234567890", deadline=30.0)
        assert rec.requests[1].extensions["timeout"]["read"] <= 30.0


@pytest.mark.anyio
async def test_malformed_success_names_the_field() -> None:
    body = dict(EXAMPLES["account_get"], decision=["Real"])
    rec = Recorder(httpx.Response(200, json=body))
    async with make_client(rec) as client:
        with pytest.raises(verisoul.APIResponseValidationError, match=r"body\.decision"):
            await client.get_account("john-doe")

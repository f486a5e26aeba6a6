"""Session endpoints: ``GET /session/{id}``, ``/session/authenticate``, ``/unauthenticated``.

Device sessions come from Verisoul's frontend SDK in real life; in the fake a test makes
them with ``FakeVerisoul.create_platform_session()``. Any other id answers 400
"Session ID not found". Authenticating creates the account or updates it, records the
session on both sides and puts the account on the lists it names (creating them).
"""

from __future__ import annotations

from typing import Any

from ._http import FakeRequest, FakeResponse, json_response
from ._platform_reports import evaluation_body, session_body
from ._platform_requests import (
    SESSION_NOT_FOUND,
    account_fields,
    bad_request,
    context,
    session_id_from,
)
from ._platform_state import AccountRecord, PlatformSessionRecord
from ._routing import Route
from ._state import FakeState

__all__ = ["ROUTES"]


def _wants_links(request: FakeRequest) -> bool:
    return request.query.get("accounts_linked", "").lower() == "true"


def _target(
    request: FakeRequest, state: FakeState
) -> tuple[dict[str, Any], PlatformSessionRecord] | FakeResponse:
    """The JSON body and the known session it names."""
    body = request.json_object()
    if body is None:
        return bad_request("body must be a JSON object")
    raw = body.get("session_id")
    if not isinstance(raw, str) or not raw:
        return bad_request("session_id must be a non-empty string")
    session_id = session_id_from(raw)
    record = state.platform.sessions.get(session_id) if session_id else None
    if record is None:
        return bad_request(SESSION_NOT_FOUND)
    return body, record


def get_session(request: FakeRequest, state: FakeState) -> FakeResponse:
    """``GET /session/{session_id}``."""
    session_id = session_id_from(request.params["session_id"])
    record = state.platform.sessions.get(session_id) if session_id else None
    if record is None:
        return bad_request(SESSION_NOT_FOUND)
    return json_response(200, session_body(record, context(request, state)))


def _record_login(
    state: FakeState, session: PlatformSessionRecord, fields: dict[str, Any]
) -> AccountRecord:
    store = state.platform
    now = state.clock()
    account_id = fields["id"]
    account = store.accounts.get(account_id)
    if account is None:
        account = store.accounts[account_id] = AccountRecord(account_id, now, now)
    account.apply(fields)
    account.last_seen = now
    if session.session_id not in account.session_ids:
        account.session_ids.append(session.session_id)
    if account_id not in session.account_ids:
        session.account_ids.append(account_id)
    for name in fields.get("lists", ()):
        store.add_to_list(name, account_id)
    return account


def authenticate(request: FakeRequest, state: FakeState) -> FakeResponse:
    """``POST /session/authenticate``: tie the session to an account and evaluate both."""
    target = _target(request, state)
    if isinstance(target, FakeResponse):
        return target
    body, session = target
    fields = account_fields("account", body.get("account"), session_only=True)
    if isinstance(fields, FakeResponse):
        return fields
    account = _record_login(state, session, fields)
    report = evaluation_body(
        session, account, context(request, state), with_linked=_wants_links(request)
    )
    return json_response(200, report)


def unauthenticated(request: FakeRequest, state: FakeState) -> FakeResponse:
    """``POST /session/unauthenticated``: evaluate a session with no account."""
    target = _target(request, state)
    if isinstance(target, FakeResponse):
        return target
    _, session = target
    report = evaluation_body(
        session, None, context(request, state), with_linked=_wants_links(request)
    )
    return json_response(200, report)


ROUTES: tuple[Route, ...] = (
    Route("POST", "/session/authenticate", authenticate),
    Route("POST", "/session/unauthenticated", unauthenticated),
    Route("GET", "/session/{session_id}", get_session),
)

"""Account endpoints: ``/account/{account_id}`` GET/PUT/DELETE, its sessions and links.

Accounts exist once ``POST /session/authenticate`` created them; any other id answers
400 "Account not found". Linked accounts share an email, phone, username, device or
network with this one (see :meth:`PlatformStore.match_types`).
"""

from __future__ import annotations

from ._http import FakeRequest, FakeResponse, json_response
from ._platform_reports import account_report_body, linked_account_body
from ._platform_requests import account_fields, bad_request, context
from ._platform_state import AccountRecord
from ._routing import Route
from ._state import FakeState

__all__ = ["ACCOUNT_NOT_FOUND", "ROUTES"]

ACCOUNT_NOT_FOUND = "Account not found"


def _account(request: FakeRequest, state: FakeState) -> AccountRecord | FakeResponse:
    record = state.platform.accounts.get(request.params["account_id"])
    return record if record is not None else bad_request(ACCOUNT_NOT_FOUND)


def get_account(request: FakeRequest, state: FakeState) -> FakeResponse:
    """``GET /account/{account_id}``: the account's profile, activity and scores."""
    account = _account(request, state)
    if isinstance(account, FakeResponse):
        return account
    return json_response(200, account_report_body(account, context(request, state)))


def update_account(request: FakeRequest, state: FakeState) -> FakeResponse:
    """``PUT /account/{account_id}``: store the fields given (the path names the account)."""
    account = _account(request, state)
    if isinstance(account, FakeResponse):
        return account
    body = request.json_object()
    if body is None:
        return bad_request("body must be a JSON object")
    fields = account_fields("body", body, session_only=False)
    if isinstance(fields, FakeResponse):
        return fields
    account.apply(fields)
    return json_response(200, account_report_body(account, context(request, state)))


def delete_account(request: FakeRequest, state: FakeState) -> FakeResponse:
    """``DELETE /account/{account_id}``: forget the account everywhere."""
    account = _account(request, state)
    if isinstance(account, FakeResponse):
        return account
    state.platform.delete_account(account.account_id)
    body = {"request_id": request.request_id, "account_id": account.account_id, "success": True}
    return json_response(200, body)


def account_sessions(request: FakeRequest, state: FakeState) -> FakeResponse:
    """``GET /account/{account_id}/sessions``: ids of the sessions it authenticated on."""
    account = _account(request, state)
    if isinstance(account, FakeResponse):
        return account
    sessions = [session.session_id for session in state.platform.account_sessions(account)]
    return json_response(200, {"request_id": request.request_id, "sessions": sessions})


def linked_accounts(request: FakeRequest, state: FakeState) -> FakeResponse:
    """``GET /account/{account_id}/accounts-linked``: accounts sharing identity or device."""
    account = _account(request, state)
    if isinstance(account, FakeResponse):
        return account
    store = state.platform
    linked = [
        linked_account_body(other, types, store) for other, types in store.linked_accounts(account)
    ]
    return json_response(200, {"request_id": request.request_id, "accounts_linked": linked})


ROUTES: tuple[Route, ...] = (
    Route("GET", "/account/{account_id}", get_account),
    Route("PUT", "/account/{account_id}", update_account),
    Route("DELETE", "/account/{account_id}", delete_account),
    Route("GET", "/account/{account_id}/sessions", account_sessions),
    Route("GET", "/account/{account_id}/accounts-linked", linked_accounts),
)

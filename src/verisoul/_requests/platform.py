"""Request builders for the platform endpoints: sessions, accounts, lists, phone, email.

Pure functions shared by both clients, one per endpoint: they validate the arguments
and return the :class:`~verisoul._endpoints.RequestParts`, so a bad argument fails
before anything is sent. Path values are percent-encoded as ONE segment each by
:meth:`~verisoul._endpoints.Endpoint.render_path` (``"vip/2024?x"`` stays one segment).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .._endpoints import RequestParts
from .._inputs import Account, EmailClaims, EmailEntry, email_batch_body, email_body
from .._validation import check_bool, check_str, validate_non_empty_str

__all__ = [
    "add_account_to_list",
    "authenticate_session",
    "create_list",
    "delete_account",
    "delete_list",
    "get_account",
    "get_account_sessions",
    "get_linked_accounts",
    "get_list",
    "get_session",
    "list_lists",
    "remove_account_from_list",
    "submit_email",
    "submit_email_batch",
    "unauthenticated_session",
    "update_account",
    "verify_phone",
]


def _accounts_linked_params(accounts_linked: bool) -> dict[str, str] | None:
    """``?accounts_linked=true`` when asked for, else no query at all."""
    return {"accounts_linked": "true"} if check_bool(accounts_linked, "accounts_linked") else None


def _session_body(session_id: str) -> dict[str, Any]:
    return {"session_id": validate_non_empty_str(session_id, "session_id")}


def authenticate_session(
    session_id: str, account: Account | Mapping[str, Any], accounts_linked: bool
) -> RequestParts:
    """``POST /session/authenticate``: the session, the account's data, and the query."""
    body = _session_body(session_id)
    body["account"] = Account.from_value(account).to_json()
    return RequestParts(params=_accounts_linked_params(accounts_linked), json=body)


def unauthenticated_session(session_id: str, accounts_linked: bool) -> RequestParts:
    """``POST /session/unauthenticated``."""
    return RequestParts(
        params=_accounts_linked_params(accounts_linked), json=_session_body(session_id)
    )


def get_session(session_id: str) -> RequestParts:
    """``GET /session/{session_id}``."""
    return RequestParts({"session_id": session_id})


def get_account(account_id: str) -> RequestParts:
    """``GET /account/{account_id}``."""
    return RequestParts({"account_id": account_id})


def update_account(account: Account | Mapping[str, Any]) -> RequestParts:
    """``PUT /account/{account_id}``: the id comes from the account itself.

    Raises:
        TypeError, ValueError: An invalid account, or one with ``group``/``lists`` set.
    """
    checked = Account.from_value(account)
    return RequestParts({"account_id": checked.id}, json=checked.to_update_json())


def delete_account(account_id: str) -> RequestParts:
    """``DELETE /account/{account_id}``."""
    return RequestParts({"account_id": account_id})


def get_account_sessions(account_id: str) -> RequestParts:
    """``GET /account/{account_id}/sessions``."""
    return RequestParts({"account_id": account_id})


def get_linked_accounts(account_id: str) -> RequestParts:
    """``GET /account/{account_id}/accounts-linked``."""
    return RequestParts({"account_id": account_id})


def list_lists() -> RequestParts:
    """``GET /list``."""
    return RequestParts()


def get_list(list_name: str) -> RequestParts:
    """``GET /list/{list_name}``."""
    return RequestParts({"list_name": list_name})


def create_list(list_name: str, description: str) -> RequestParts:
    """``POST /list/{list_name}`` with ``{list_description}``.

    Raises:
        TypeError: ``description`` is not a str.
    """
    return RequestParts(
        {"list_name": list_name}, json={"list_description": check_str(description, "description")}
    )


def delete_list(list_name: str) -> RequestParts:
    """``DELETE /list/{list_name}``."""
    return RequestParts({"list_name": list_name})


def add_account_to_list(list_name: str, account_id: str) -> RequestParts:
    """``POST /list/{list_name}/account/{account_id}``."""
    return RequestParts({"list_name": list_name, "account_id": account_id})


def remove_account_from_list(list_name: str, account_id: str) -> RequestParts:
    """``DELETE /list/{list_name}/account/{account_id}``."""
    return RequestParts({"list_name": list_name, "account_id": account_id})


def verify_phone(phone_number: str) -> RequestParts:
    """``POST /phone`` (the number itself is checked by Verisoul, not here)."""
    return RequestParts(
        json={"phone_number": validate_non_empty_str(phone_number, "phone_number")}
    )


def submit_email(
    email: str, claims: EmailClaims | Mapping[str, Any] | None, identity_intelligence: bool
) -> RequestParts:
    """``POST /email`` with one address."""
    return RequestParts(json=email_body(email, claims, identity_intelligence))


def submit_email_batch(
    entries: Iterable[EmailEntry | str | Mapping[str, Any]],
    batch_name: str | None,
    identity_intelligence: bool,
) -> RequestParts:
    """``POST /email`` with ``emails``: 1 to 1,000 entries."""
    return RequestParts(json=email_batch_body(entries, batch_name, identity_intelligence))

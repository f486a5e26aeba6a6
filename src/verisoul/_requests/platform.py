"""Request builders for the platform endpoints: sessions, accounts, lists, phone, email.

Pure functions shared by both clients: they validate arguments and return paths, query
parameters and bodies, so a bad argument fails before anything is sent. Every value
placed in a path goes through :func:`verisoul._urls.quote_segment`, so ``"vip/2024?x"``
stays one segment.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .._inputs import Account
from .._urls import quote_segment
from .._validation import validate_non_empty_str

__all__ = [
    "account_path",
    "accounts_linked_params",
    "authenticate_body",
    "create_list_body",
    "list_account_path",
    "list_path",
    "phone_body",
    "session_body",
    "session_path",
]


def accounts_linked_params(accounts_linked: bool) -> dict[str, str] | None:
    """``?accounts_linked=true`` when asked for, else no query at all.

    Raises:
        TypeError: ``accounts_linked`` is not a bool.
    """
    if not isinstance(accounts_linked, bool):
        raise TypeError(f"accounts_linked must be a bool, not {type(accounts_linked).__name__}")
    return {"accounts_linked": "true"} if accounts_linked else None


def session_body(session_id: str) -> dict[str, Any]:
    """The body of ``POST /session/unauthenticated``."""
    return {"session_id": validate_non_empty_str(session_id, "session_id")}


def authenticate_body(session_id: str, account: Account | Mapping[str, Any]) -> dict[str, Any]:
    """The body of ``POST /session/authenticate``.

    Raises:
        TypeError, ValueError: An empty ``session_id`` or an invalid ``account``.
    """
    body = session_body(session_id)
    body["account"] = Account.from_value(account).to_json()
    return body


def session_path(session_id: str) -> str:
    """``/session/{session_id}``."""
    return f"/session/{quote_segment(session_id, 'session_id')}"


def account_path(account_id: str, suffix: str = "") -> str:
    """``/account/{account_id}`` plus an optional fixed ``suffix`` (``/sessions``...)."""
    return f"/account/{quote_segment(account_id, 'account_id')}{suffix}"


def list_path(list_name: str) -> str:
    """``/list/{list_name}``."""
    return f"/list/{quote_segment(list_name, 'list_name')}"


def list_account_path(list_name: str, account_id: str) -> str:
    """``/list/{list_name}/account/{account_id}``."""
    return f"{list_path(list_name)}/account/{quote_segment(account_id, 'account_id')}"


def create_list_body(description: str) -> dict[str, Any]:
    """The body of ``POST /list/{list_name}``.

    Raises:
        TypeError: ``description`` is not a str.
    """
    if not isinstance(description, str):
        raise TypeError(f"description must be a str, not {type(description).__name__}")
    return {"list_description": description}


def phone_body(phone_number: str) -> dict[str, Any]:
    """The body of ``POST /phone`` (the number is checked by Verisoul, not here)."""
    return {"phone_number": validate_non_empty_str(phone_number, "phone_number")}

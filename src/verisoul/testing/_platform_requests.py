"""Request checks shared by the platform routes (sessions, accounts, lists, phone).

Errors use the ``{"statusCode": 400, "message": ...}`` shape of those specs. Messages the
specs document are used verbatim ("Session ID not found", "Account not found"...); checks
the specs give no message for use class-validator's wording, which NestJS APIs send.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._http import FakeRequest, FakeResponse, http_error
from ._platform_reports import PlatformContext
from ._routes_liveness import canonical_uuid
from ._state import FakeState

__all__ = [
    "SESSION_NOT_FOUND",
    "account_fields",
    "bad_request",
    "context",
    "session_id_from",
]

SESSION_NOT_FOUND = "Session ID not found"

#: Longest values the Session spec allows for account fields.
MAX_LENGTHS = {"phone": 32, "first_name": 256, "last_name": 256, "username": 256}

_OPTIONAL_STRINGS = ("email", "phone", "first_name", "last_name", "username")


def bad_request(message: str) -> FakeResponse:
    """A 400 in the platform shape."""
    return http_error(400, message)


def context(request: FakeRequest, state: FakeState) -> PlatformContext:
    """The report context for this request."""
    return PlatformContext(state.platform, state.project_id, request.request_id, state.clock())


def session_id_from(value: object) -> str | None:
    """The canonical id of a session named by ``value`` (None: cannot name one)."""
    return canonical_uuid(value)


def _check_string(owner: str, name: str, value: object) -> str | None:
    if not isinstance(value, str):
        return f"{owner}.{name} must be a string"
    limit = MAX_LENGTHS.get(name)
    if limit is not None and len(value) > limit:
        return f"{owner}.{name} must be shorter than or equal to {limit} characters"
    return None


def _check_string_list(owner: str, name: str, value: object, size: int | None) -> str | None:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        return f"{owner}.{name} must be an array of strings"
    if size is not None and any(len(item) != size or not item.isalpha() for item in value):
        return f"each value in {owner}.{name} must be a 2-letter country code"
    if size is None and not all(value):
        return f"each value in {owner}.{name} must not be empty"
    return None


def account_fields(
    owner: str, data: object, *, session_only: bool
) -> dict[str, Any] | FakeResponse:
    """Validate an account object (``session_only``: ``group`` and ``lists`` allowed).

    Returns:
        The fields given (unknown keys dropped, as NestJS's whitelist does), or a 400.
    """
    if not isinstance(data, Mapping):
        return bad_request(f"{owner} must be an object")
    account_id = data.get("id")
    if not isinstance(account_id, str) or not account_id:
        return bad_request(f"{owner}.id must be a non-empty string")
    fields: dict[str, Any] = {"id": account_id}
    problems = []
    for name in _OPTIONAL_STRINGS:
        if name in data:
            problems.append(_check_string(owner, name, data[name]))
            fields[name] = data[name]
    if "expected_countries" in data:
        value = data["expected_countries"]
        problems.append(_check_string_list(owner, "expected_countries", value, 2))
        fields["expected_countries"] = value
    if "metadata" in data:
        if not isinstance(data["metadata"], Mapping):
            problems.append(f"{owner}.metadata must be an object")
        fields["metadata"] = data["metadata"]
    if session_only and "group" in data:
        problems.append(_check_string(owner, "group", data["group"]))
        fields["group"] = data["group"]
    if session_only and "lists" in data:
        problems.append(_check_string_list(owner, "lists", data["lists"], None))
        fields["lists"] = data["lists"]
    found = [problem for problem in problems if problem is not None]
    return bad_request(found[0]) if found else fields

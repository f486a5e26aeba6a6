"""Request builders for the ``/liveness`` endpoints."""

from __future__ import annotations

import uuid

from .._endpoints import RequestParts
from .._validation import MAX_QUERY_VALUE_LENGTH, validate_non_empty_str, validate_uuid

__all__ = [
    "create_id_check_session",
    "create_liveness_session",
    "enroll_account",
    "verify_face",
    "verify_id",
    "verify_identity",
]


def create_liveness_session(
    referring_session_id: str | uuid.UUID | None, simulate: str | None
) -> RequestParts:
    """``GET /liveness/session``."""
    return RequestParts(params=session_params(referring_session_id, simulate, id_check=False))


def create_id_check_session(
    referring_session_id: str | uuid.UUID | None, simulate: str | None
) -> RequestParts:
    """``GET /liveness/session?id=true``."""
    return RequestParts(params=session_params(referring_session_id, simulate, id_check=True))


def verify_face(session_id: str | uuid.UUID) -> RequestParts:
    """``POST /liveness/verify-face``."""
    return RequestParts(json=session_body(session_id))


def verify_id(session_id: str | uuid.UUID) -> RequestParts:
    """``POST /liveness/verify-id``."""
    return RequestParts(json=session_body(session_id))


def enroll_account(session_id: str | uuid.UUID, account_id: str) -> RequestParts:
    """``POST /liveness/enroll``."""
    return RequestParts(json=session_account_body(session_id, account_id))


def verify_identity(session_id: str | uuid.UUID, account_id: str) -> RequestParts:
    """``POST /liveness/verify-identity``."""
    return RequestParts(json=session_account_body(session_id, account_id))


def session_params(
    referring_session_id: str | uuid.UUID | None, simulate: str | None, *, id_check: bool
) -> dict[str, str] | None:
    """Query parameters for ``GET /liveness/session``: only the ones given.

    Raises:
        TypeError, ValueError: A malformed ``referring_session_id`` or ``simulate``.
    """
    params: dict[str, str] = {}
    if id_check:
        params["id"] = "true"
    if referring_session_id is not None:
        params["referring_session_id"] = validate_uuid(
            referring_session_id, "referring_session_id"
        )
    if simulate is not None:
        params["simulate"] = validate_non_empty_str(
            simulate, "simulate", max_length=MAX_QUERY_VALUE_LENGTH
        )
    return params or None


def session_body(session_id: str | uuid.UUID) -> dict[str, str]:
    """JSON body ``{session_id}`` of the verify endpoints.

    Raises:
        TypeError, ValueError: ``session_id`` is not a UUID.
    """
    return {"session_id": validate_uuid(session_id, "session_id")}


def session_account_body(session_id: str | uuid.UUID, account_id: str) -> dict[str, str]:
    """JSON body ``{session_id, account_id}`` of enroll and verify-identity.

    Raises:
        TypeError, ValueError: ``session_id`` is not a UUID or ``account_id`` is not a
            non-empty string.
    """
    return {
        "session_id": validate_uuid(session_id, "session_id"),
        "account_id": validate_non_empty_str(account_id, "account_id"),
    }

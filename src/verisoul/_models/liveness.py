"""Models for the Face Match and ID Check (liveness) endpoints."""

from __future__ import annotations

import attrs

from .._shape import expect_object, req_str

__all__ = ["LivenessSession", "parse_liveness_session"]


@attrs.frozen
class LivenessSession:
    """A short-lived Face Match / ID Check session token.

    Send the user to the hosted page with ``session_id``; it expires soon, so create it
    right before the redirect.

    Attributes:
        session_id: The session token (a UUID string).
        request_id: Verisoul's id for this API request (quote it to support).
    """

    session_id: str
    request_id: str


def parse_liveness_session(data: object) -> LivenessSession:
    """Parse the body of ``GET /liveness/session``."""
    obj = expect_object(data)
    return LivenessSession(
        session_id=req_str(obj, "session_id"), request_id=req_str(obj, "request_id")
    )

"""``POST /email``: single submissions (``email``) and batches (``emails``) on one path.

Errors use the Email specs' shape ``{"message", "error": "Bad Request", "statusCode"}``.
A batch over :data:`MAX_BATCH` entries answers 400 too; the docs state the cap but no
message for it, so the fake's wording is its own. When a webhook is configured
(``FakeVerisoul.configure_email_webhook``) the answer says ``webhook_configured: true``
and the fake records one signed delivery per email; otherwise it records nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from ._email_events import EmailJob, signed_delivery
from ._http import FakeRequest, FakeResponse, json_response
from ._routing import Route
from ._state import FakeState

__all__ = ["MAX_BATCH", "ROUTES"]

#: Most entries a batch may hold (current docs; an older page said 5,000).
MAX_BATCH = 1000

EMAIL_REQUIRED = "email is required"
ENTRY_WITHOUT_EMAIL = "each entry in emails must have an email field"
BATCH_TOO_LARGE = f"emails must contain no more than {MAX_BATCH} elements"


def email_error(message: str) -> FakeResponse:
    """A 400 in the Email specs' shape."""
    return json_response(400, {"message": message, "error": "Bad Request", "statusCode": 400})


def _claims_problem(claims: object, where: str) -> str | None:
    """What is wrong with a ``claims`` object's types, as NestJS's validator words it."""
    if not isinstance(claims, Mapping):
        return f"{where} must be an object"
    name = claims.get("name")
    if name is not None:
        if not isinstance(name, Mapping):
            return f"{where}.name must be an object"
        for part in ("first", "last"):
            if part in name and not isinstance(name[part], str):
                return f"{where}.name.{part} must be a string"
    for field in ("phone", "country"):
        if field in claims and not isinstance(claims[field], str):
            return f"{where}.{field} must be a string"
    return None


def _type_problem(entry: Mapping[str, Any], where: str = "") -> str | None:
    """A wrongly typed optional field of an email entry (or of the batch's root)."""
    if "identity_intelligence" in entry and not isinstance(entry["identity_intelligence"], bool):
        return f"{where}identity_intelligence must be a boolean value"
    if "claims" in entry:
        return _claims_problem(entry["claims"], f"{where}claims")
    return None


def _flag(value: object, default: bool) -> bool:
    return value if isinstance(value, bool) else default


def _claims(entry: Mapping[str, Any]) -> Mapping[str, Any] | None:
    claims = entry.get("claims")
    return claims if isinstance(claims, Mapping) else None


def _has_email(entry: Mapping[str, Any]) -> bool:
    email = entry.get("email")
    return isinstance(email, str) and bool(email)


def _record(state: FakeState, jobs: list[EmailJob]) -> bool:
    """Record the deliveries for ``jobs``; True when a webhook is configured."""
    webhook = state.platform.email_webhook
    if webhook is None:
        return False
    now = state.clock()
    state.platform.deliveries.extend(
        signed_delivery(job, webhook, state.project_id, now) for job in jobs
    )
    return True


def _single(request: FakeRequest, state: FakeState, body: Mapping[str, Any]) -> FakeResponse:
    email = body.get("email")
    if not isinstance(email, str) or not email:
        return email_error(EMAIL_REQUIRED)
    problem = _type_problem(body)
    if problem is not None:
        return email_error(problem)
    job = EmailJob(
        request.request_id,
        None,
        email,
        _claims(body),
        _flag(body.get("identity_intelligence"), False),
    )
    configured = _record(state, [job])
    return json_response(200, {"request_id": request.request_id, "webhook_configured": configured})


def _batch(state: FakeState, body: Mapping[str, Any]) -> FakeResponse:
    entries = body["emails"]
    if not isinstance(entries, list) or not entries:
        return email_error(EMAIL_REQUIRED)
    if len(entries) > MAX_BATCH:
        return email_error(BATCH_TOO_LARGE)
    if not all(isinstance(entry, Mapping) and _has_email(entry) for entry in entries):
        return email_error(ENTRY_WITHOUT_EMAIL)
    if "batch_name" in body and not isinstance(body["batch_name"], str):
        return email_error("batch_name must be a string")
    if "identity_intelligence" in body and not isinstance(body["identity_intelligence"], bool):
        return email_error("identity_intelligence must be a boolean value")
    for index, entry in enumerate(entries):
        problem = _type_problem(entry, f"emails.{index}.")
        if problem is not None:
            return email_error(problem)
    batch_id = str(uuid.uuid4())
    name = body.get("batch_name")
    if not isinstance(name, str) or not name:
        name = f"batch-{batch_id[:8]}"
    default = _flag(body.get("identity_intelligence"), False)
    jobs = [
        EmailJob(
            str(uuid.uuid4()),
            batch_id,
            entry["email"],
            _claims(entry),
            _flag(entry.get("identity_intelligence"), default),
        )
        for entry in entries
    ]
    configured = _record(state, jobs)
    answer = {
        "batch_id": batch_id,
        "batch_name": name,
        "status": "pending",
        "total_count": len(jobs),
        "webhook_configured": configured,
    }
    return json_response(200, answer)


def submit_email(request: FakeRequest, state: FakeState) -> FakeResponse:
    """``POST /email``: a batch when the body has ``emails``, else a single address."""
    body = request.json_object()
    if body is None:
        return email_error(EMAIL_REQUIRED)
    if "emails" in body:
        return _batch(state, body)
    return _single(request, state, body)


ROUTES: tuple[Route, ...] = (Route("POST", "/email", submit_email),)

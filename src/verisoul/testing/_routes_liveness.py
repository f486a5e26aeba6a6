"""Face Match and ID Check endpoints: ``/liveness/session``, ``enroll`` and the verifies.

Error bodies follow the liveness specs: ``{"request_id", "success": false, "error"}`` with a
snake_case code the operation's OpenAPI file lists. Request-shape problems the files give no
code for (a body that is not a JSON object, a missing ``account_id``, a malformed ``id`` or
``referring_session_id``) answer 400 with the same shape minus ``error``, and a
``message`` saying what is wrong: the fake invents no code, so a client reading ``error``
sees none (the SDK's ``BadRequestError.code`` is None). A ``session_id`` that is not a UUID
cannot name a session, so it answers the listed ``session_not_found``.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from .. import _validation
from ._http import FakeRequest, FakeResponse, json_response
from ._liveness_reports import ReportContext, verify_face_body, verify_id_body
from ._routing import Route
from ._state import SIMULATE_CASES, FakeState, LivenessSessionRecord, Product

__all__ = ["ROUTES", "new_session_id"]

#: The sandbox's hosted verification page (the public redirect's target).
HOSTED_PAGE = "https://app.sandbox.verisoul.ai/"

#: Enrolment must happen within this many seconds of session creation (30 days).
ENROLL_WINDOW = 30 * 24 * 3600.0


def canonical_uuid(value: object) -> str | None:
    """``value`` as a lower-case hyphenated UUID, or None when it is not one."""
    return _validation.canonical_uuid(value, hyphenated_only=True)


def new_session_id() -> str:
    """A fresh session id."""
    return str(uuid.uuid4())


def liveness_error(
    request: FakeRequest, code: str | None, message: str | None = None
) -> FakeResponse:
    """A 400 in the liveness error shape (``code`` None: no ``error`` field, see above)."""
    body: dict[str, Any] = {"request_id": request.request_id, "success": False}
    if code is not None:
        body["error"] = code
    if message is not None:
        body["message"] = message
    return json_response(400, body)


def _product_from_query(value: str | None) -> Product | None:
    if value is None or value == "false":
        return "face_match"
    if value == "true":
        return "id_check"
    return None


ErrorBuilder = Callable[[FakeRequest, str | None, str | None], FakeResponse]


def _issue_session(
    request: FakeRequest, state: FakeState, error: ErrorBuilder
) -> LivenessSessionRecord | FakeResponse:
    """Create a session from the query (``id``, ``referring_session_id``, ``simulate``)."""
    if state.groups_enabled:
        return error(request, "groups_enabled", None)
    product = _product_from_query(request.query.get("id"))
    if product is None:
        return error(request, None, "id must be true or false")
    referring = request.query.get("referring_session_id")
    referring_id = canonical_uuid(referring) if referring is not None else None
    if referring is not None and referring_id is None:
        return error(request, None, "referring_session_id must be a UUID")
    record = LivenessSessionRecord(
        session_id=new_session_id(),
        product=product,
        created_at=state.clock(),
        referring_session_id=referring_id,
    )
    simulate = request.query.get("simulate")
    if simulate in SIMULATE_CASES:
        record.finish(simulate, _scenario_face(state), None, state.scenario)
    state.liveness.sessions[record.session_id] = record
    return record


def _scenario_face(state: FakeState) -> str | None:
    """The face the current scenario asks for (None: a new face)."""
    account_id = state.scenario.same_face_as
    if account_id is None:
        return None
    try:
        return state.liveness.enrolled_face(account_id)
    except ValueError:
        return None


def create_session(request: FakeRequest, state: FakeState) -> FakeResponse:
    """``GET /liveness/session``: issue a session (finished at once with ``simulate``)."""
    record = _issue_session(request, state, liveness_error)
    if isinstance(record, FakeResponse):
        return record
    return json_response(200, {"request_id": request.request_id, "session_id": record.session_id})


def _redirect_error(request: FakeRequest, code: str | None, message: str | None) -> FakeResponse:
    """The public redirect's 400 shape: ``{"error": code}``, or ``{"message"}`` unlisted."""
    return json_response(400, {"error": code} if code is not None else {"message": message})


def _hosted_page_for(request: FakeRequest) -> str:
    """The fake's own page when it is served on loopback, else the sandbox's."""
    host = request.headers.get("host", "")
    name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
    if name in ("127.0.0.1", "localhost", "[::1]"):
        return f"http://{host}/"
    return HOSTED_PAGE


def public_redirect(request: FakeRequest, state: FakeState) -> FakeResponse:
    """``GET /public/liveness-redirect`` (no key): issue a session, 302 to the hosted page.

    Any UUID is accepted as ``project_id``; a missing or malformed one answers
    ``missing_project_id``.
    """
    if canonical_uuid(request.query.get("project_id")) is None:
        return _redirect_error(request, "missing_project_id", None)
    record = _issue_session(request, state, _redirect_error)
    if isinstance(record, FakeResponse):
        return record
    location = f"{_hosted_page_for(request)}?{urlencode({'session_id': record.session_id})}"
    return FakeResponse(302, (("location", location),))


def _target(
    request: FakeRequest, state: FakeState, product: Product | None
) -> tuple[LivenessSessionRecord, dict[str, Any]] | FakeResponse:
    """The finished session the JSON body names, usable for ``product`` (None: any)."""
    body = request.json_object()
    if body is None:
        return liveness_error(request, None, "body must be a JSON object")
    session_id = canonical_uuid(body.get("session_id"))
    record = state.liveness.sessions.get(session_id) if session_id else None
    if record is None:
        return liveness_error(request, "session_not_found")
    if product is not None and record.product != product:
        return liveness_error(request, "session_not_valid_for_this_endpoint")
    code = record.blocking_error()
    if code is not None:
        return liveness_error(request, code)
    return record, body


def _target_and_account(
    request: FakeRequest, state: FakeState, product: Product | None
) -> tuple[LivenessSessionRecord, str] | FakeResponse:
    """Like :func:`_target`, plus the body's required ``account_id``."""
    target = _target(request, state, product)
    if isinstance(target, FakeResponse):
        return target
    record, body = target
    account_id = body.get("account_id")
    if not isinstance(account_id, str) or not account_id:
        return liveness_error(request, None, "account_id must be a non-empty string")
    return record, account_id


def enroll(request: FakeRequest, state: FakeState) -> FakeResponse:
    """``POST /liveness/enroll``: tie a finished session to one account, once."""
    target = _target_and_account(request, state, None)
    if isinstance(target, FakeResponse):
        return target
    record, account_id = target
    if state.clock() - record.created_at > ENROLL_WINDOW:
        return liveness_error(request, "session_older_than_30_days")
    if record.account_id is not None:
        return liveness_error(request, "session_already_tied_to_an_account")
    state.liveness.enroll(record, account_id)
    return json_response(200, {"request_id": request.request_id, "success": True})


def verify_identity(request: FakeRequest, state: FakeState) -> FakeResponse:
    """``POST /liveness/verify-identity``: 1:1, is this the account's enrolled face?"""
    target = _target_and_account(request, state, "face_match")
    if isinstance(target, FakeResponse):
        return target
    record, account_id = target
    enrolled = state.liveness.enrolled_sessions(account_id)
    if not enrolled:
        return liveness_error(request, "account_not_found")
    match = any(other.face == record.face for other in enrolled)
    return json_response(200, {"request_id": request.request_id, "success": True, "match": match})


def _verify(request: FakeRequest, state: FakeState, product: Product) -> FakeResponse:
    target = _target(request, state, product)
    if isinstance(target, FakeResponse):
        return target
    record, _ = target
    context = ReportContext(
        project_id=state.project_id,
        request_id=request.request_id,
        now=state.clock(),
        links=state.liveness.linked_accounts(record),
    )
    build = verify_face_body if product == "face_match" else verify_id_body
    return json_response(200, build(record, context))


def verify_face(request: FakeRequest, state: FakeState) -> FakeResponse:
    """``POST /liveness/verify-face``: the Face Match report (1:N matches included)."""
    return _verify(request, state, "face_match")


def verify_id(request: FakeRequest, state: FakeState) -> FakeResponse:
    """``POST /liveness/verify-id``: the ID Check report."""
    return _verify(request, state, "id_check")


ROUTES: tuple[Route, ...] = (
    Route("GET", "/public/liveness-redirect", public_redirect, auth=False),
    Route("GET", "/liveness/session", create_session),
    Route("POST", "/liveness/enroll", enroll),
    Route("POST", "/liveness/verify-identity", verify_identity),
    Route("POST", "/liveness/verify-face", verify_face),
    Route("POST", "/liveness/verify-id", verify_id),
)

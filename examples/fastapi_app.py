"""Face Match in a FastAPI app: start a session, then verify and enroll the user on return.

Run it (sandbox)::

    pip install verisoul fastapi uvicorn
    VERISOUL_API_KEY=... uvicorn fastapi_app:app --app-dir examples

1. ``POST /face-match/start`` with ``{"account_id": ..., "verisoul_session_id": ...}``
   answers the URL of Verisoul's hosted page; send the user's browser there.
2. Verisoul sends the browser back to ``GET /face-match/done?session_id=...&success=...``;
   the app verifies the face on the server and enrolls it to the account.

Configuration comes from the environment: ``VERISOUL_API_KEY``, ``VERISOUL_ENVIRONMENT``
(``sandbox`` or ``production``) and, to point the app at another API such as a
``FakeVerisoul`` in tests, ``VERISOUL_BASE_URL``.
"""

from __future__ import annotations

import logging
import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

import verisoul

log = logging.getLogger(__name__)


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    # One client for the whole app: its connection pool is shared by every request.
    base_url = os.environ.get("VERISOUL_BASE_URL")  # None: VERISOUL_ENVIRONMENT's API
    # deadline: every call answers within 10 s, retries and waits included, so a 429
    # whose Retry-After says 60 s fails fast instead of holding the request a minute.
    async with verisoul.AsyncVerisoul(base_url=base_url, deadline=10.0) as client:
        app.state.verisoul = client
        # Sessions we started, session id -> account id. Use your database in production
        # so that any worker can finish the flow.
        app.state.pending = {}
        yield


app = FastAPI(lifespan=lifespan)


def answer_for(error: verisoul.APIError) -> tuple[int, str]:
    """Our status and message when a Verisoul call fails."""
    if isinstance(error, verisoul.APITimeoutError):
        return 504, "Verisoul did not answer in time, try again"
    if isinstance(error, (verisoul.APIConnectionError, verisoul.RateLimitError)):
        return 503, "Verisoul is unavailable, try again"
    if isinstance(error, verisoul.BadRequestError):  # about this session: the caller's side
        status = 409 if error.code == "session_already_tied_to_an_account" else 400
        return status, f"Verisoul refused the session: {error.code}"
    return 502, "Verisoul failed, try again later"  # our key, an outage, a bad answer


@app.exception_handler(verisoul.APIError)
async def verisoul_failed(request: Request, error: verisoul.APIError) -> JSONResponse:
    log.warning("Verisoul call failed: %r", error)  # never shows the key
    status, message = answer_for(error)
    return JSONResponse({"detail": message}, status_code=status)


class StartRequest(BaseModel):
    account_id: str = Field(min_length=1, max_length=256)  # yours: the signed-in user's id
    verisoul_session_id: uuid.UUID | None = None  # from the Verisoul script in the browser


@app.post("/face-match/start")
async def start_face_match(body: StartRequest, request: Request) -> dict[str, str]:
    client: verisoul.AsyncVerisoul = request.app.state.verisoul
    session = await client.create_liveness_session(referring_session_id=body.verisoul_session_id)
    request.app.state.pending[session.session_id] = body.account_id
    url = client.hosted_url(
        session,
        redirect_url=str(request.url_for("finish_face_match")),
        # A custom VERISOUL_BASE_URL has no hosted page of its own: show the sandbox's.
        environment=client.environment or "sandbox",
    )
    return {"session_id": session.session_id, "url": url}


@app.get("/face-match/done")
async def finish_face_match(request: Request) -> dict[str, object]:
    client: verisoul.AsyncVerisoul = request.app.state.verisoul
    pending: dict[str, str] = request.app.state.pending
    try:
        redirect = verisoul.parse_redirect(request.url.query)
    except ValueError as error:
        raise HTTPException(400, f"not a Verisoul redirect: {error}") from None
    session_id = redirect.session_id or ""
    if not redirect.success:
        pending.pop(session_id, None)  # every failure needs a new session
        raise HTTPException(400, f"Face Match failed ({redirect.error_message}): start again")
    account_id = pending.get(session_id)
    if account_id is None:
        raise HTTPException(404, "unknown Face Match session: start again")

    # The redirect comes from the browser and can be forged: ask Verisoul.
    result = await client.verify_face(session_id)
    if result.decision != verisoul.Decision.REAL:
        pending.pop(session_id, None)
        raise HTTPException(403, f"Face Match declined: {result.decision}")
    enrolled_to = result.metadata.account_id if result.metadata else None
    if enrolled_to != account_id:  # equal when an earlier try enrolled but lost the answer
        await client.enroll_account(session_id, account_id)
    pending.pop(session_id, None)
    return {
        "account_id": account_id,
        "session_id": session_id,
        "decision": result.decision,
        "risk_score": result.risk_score,
        "enrolled": True,
    }

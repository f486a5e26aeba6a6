"""Face Match and ID Check in a FastAPI app: start a session, then verify and enroll on return.

Run it (sandbox)::

    pip install verisoul fastapi uvicorn
    VERISOUL_API_KEY=... uvicorn fastapi_app:app --app-dir examples

Or entirely on your machine, against the fake Verisoul and its stand-in hosted page::

    verisoul mock serve --port 8080 &
    export VERISOUL_BASE_URL=http://127.0.0.1:8080 VERISOUL_API_KEY=test-key
    uvicorn fastapi_app:app --app-dir examples     # then open http://127.0.0.1:8000/

1. ``POST /face-match/start`` (or ``/id-check/start``) with ``{"account_id": ...,
   "verisoul_session_id": ...}`` answers the URL of Verisoul's hosted page; send the
   user's browser there. ``GET /`` is a small start page doing the same from a browser.
2. Verisoul sends the browser back to ``GET /face-match/done?session_id=...&success=...``
   (or ``/id-check/done``); the app verifies on the server and enrolls the account.

Configuration comes from the environment, read by the SDK itself: ``VERISOUL_API_KEY``,
``VERISOUL_ENVIRONMENT`` (``sandbox`` or ``production``) and, to point the app at another
API such as ``verisoul mock serve``, ``VERISOUL_BASE_URL``.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Literal

from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from pydantic import BaseModel, Field

import verisoul

log = logging.getLogger(__name__)

Product = Literal["face-match", "id-check"]


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    # One client for the whole app: its connection pool is shared by every request.
    # deadline: every call answers within 10 s, retries and waits included, so a 429
    # whose Retry-After says 60 s fails fast instead of holding the request a minute.
    async with verisoul.AsyncVerisoul(deadline=10.0) as client:  # reads VERISOUL_* vars
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


async def start(
    request: Request, product: Product, account_id: str, referring: uuid.UUID | None
) -> dict[str, str]:
    """Create a session of ``product`` and the hosted page URL that comes back to us."""
    client: verisoul.AsyncVerisoul = request.app.state.verisoul
    if product == "id-check":
        session = await client.create_id_check_session(referring_session_id=referring)
        done = "finish_id_check"
    else:
        session = await client.create_liveness_session(referring_session_id=referring)
        done = "finish_face_match"
    request.app.state.pending[session.session_id] = account_id
    url = client.hosted_url(session, redirect_url=str(request.url_for(done)))
    return {"session_id": session.session_id, "url": url}


@app.post("/face-match/start")
async def start_face_match(body: StartRequest, request: Request) -> dict[str, str]:
    return await start(request, "face-match", body.account_id, body.verisoul_session_id)


@app.post("/id-check/start")
async def start_id_check(body: StartRequest, request: Request) -> dict[str, str]:
    return await start(request, "id-check", body.account_id, body.verisoul_session_id)


async def finish(request: Request, product: Product) -> dict[str, object]:
    """Read the redirect, then ask Verisoul for the verdict and enroll on a pass."""
    client: verisoul.AsyncVerisoul = request.app.state.verisoul
    pending: dict[str, str] = request.app.state.pending
    name = "ID Check" if product == "id-check" else "Face Match"
    try:
        redirect = verisoul.parse_redirect(request.url.query)
    except ValueError as error:
        raise HTTPException(400, f"not a Verisoul redirect: {error}") from None
    session_id = redirect.session_id or ""
    if not redirect.success:
        pending.pop(session_id, None)  # every failure needs a new session
        raise HTTPException(400, f"{name} failed ({redirect.error_message}): start again")
    account_id = pending.get(session_id)
    if account_id is None:
        raise HTTPException(404, f"unknown {name} session: start again")

    # The redirect comes from the browser and can be forged: ask Verisoul.
    if product == "id-check":
        result = await client.verify_id(session_id)
        decision, score, metadata = result.decision, result.risk_score, result.metadata
    else:
        face = await client.verify_face(session_id)
        decision, score, metadata = face.decision, face.risk_score, face.metadata
    if decision != verisoul.Decision.REAL:
        pending.pop(session_id, None)
        raise HTTPException(403, f"{name} declined: {decision}")
    enrolled_to = metadata.account_id if metadata else None
    if enrolled_to != account_id:  # equal when an earlier try enrolled but lost the answer
        await client.enroll_account(session_id, account_id)
    pending.pop(session_id, None)
    return {
        "account_id": account_id,
        "session_id": session_id,
        "decision": decision,
        "risk_score": score,
        "enrolled": True,
    }


@app.get("/face-match/done")
async def finish_face_match(request: Request) -> dict[str, object]:
    return await finish(request, "face-match")


@app.get("/id-check/done")
async def finish_id_check(request: Request) -> dict[str, object]:
    return await finish(request, "id-check")


# -- a start page, to click through the flow in a browser -------------------------------------


@app.get("/", response_class=HTMLResponse)
async def start_page() -> str:
    return (
        "<!doctype html><title>Verification</title><h1>Verify your identity</h1>"
        '<form method="get" action="/begin">'
        '<label>Account id <input name="account_id" value="user-42" required></label> '
        '<button name="product" value="face-match" id="face-match">Face Match</button> '
        '<button name="product" value="id-check" id="id-check">ID Check</button></form>'
    )


@app.get("/begin")
async def begin(
    request: Request,
    account_id: str = Query(min_length=1, max_length=256),
    product: Product = "face-match",
) -> RedirectResponse:
    """The start page's form: create the session and send the browser to the hosted page."""
    started = await start(request, product, account_id, None)
    log.info("account %r sent to the hosted page", account_id)
    return RedirectResponse(started["url"], status_code=303)

"""Face Match in an aiohttp app: start a session, then verify and enroll the user on return.

Run it (sandbox)::

    pip install verisoul aiohttp
    VERISOUL_API_KEY=... python examples/aiohttp_app.py

1. ``POST /face-match/start`` with ``{"account_id": ..., "verisoul_session_id": ...}``
   answers the URL of Verisoul's hosted page; send the user's browser there.
2. Verisoul sends the browser back to ``GET /face-match/done?session_id=...&success=...``;
   the app verifies the face on the server and enrolls it to the account.

Configuration comes from the environment, read by the SDK itself: ``VERISOUL_API_KEY``,
``VERISOUL_ENVIRONMENT`` (``sandbox`` or ``production``) and, to point the app at another
API such as ``verisoul mock serve``, ``VERISOUL_BASE_URL``.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

from aiohttp import web
from aiohttp.typedefs import Handler

import verisoul

log = logging.getLogger(__name__)

VERISOUL = web.AppKey("verisoul", verisoul.AsyncVerisoul)
# Sessions we started, session id -> account id. Use your database in production so that
# any worker can finish the flow.
PENDING = web.AppKey("pending", dict[str, str])


async def verisoul_client(app: web.Application) -> AsyncIterator[None]:
    # One client for the whole app, opened in the server's event loop and closed at exit.
    # deadline: every call answers within 10 s, retries and waits included, so a 429
    # whose Retry-After says 60 s fails fast instead of holding the request a minute.
    async with verisoul.AsyncVerisoul(deadline=10.0) as client:  # reads VERISOUL_* vars
        app[VERISOUL] = client
        app[PENDING] = {}
        yield


def problem(status: int, message: str) -> web.Response:
    return web.json_response({"detail": message}, status=status)


def answer_for(error: verisoul.APIError) -> web.Response:
    """Our answer when a Verisoul call fails."""
    if isinstance(error, verisoul.APITimeoutError):
        return problem(504, "Verisoul did not answer in time, try again")
    if isinstance(error, (verisoul.APIConnectionError, verisoul.RateLimitError)):
        return problem(503, "Verisoul is unavailable, try again")
    if isinstance(error, verisoul.BadRequestError):  # about this session: the caller's side
        status = 409 if error.code == "session_already_tied_to_an_account" else 400
        return problem(status, f"Verisoul refused the session: {error.code}")
    return problem(502, "Verisoul failed, try again later")  # our key, an outage, a bad answer


@web.middleware
async def verisoul_errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except verisoul.APIError as error:
        log.warning("Verisoul call failed: %r", error)  # never shows the key
        return answer_for(error)


async def start_face_match(request: web.Request) -> web.Response:
    try:
        body = await request.json()
    except ValueError:
        return problem(400, "the body must be a JSON object")
    account_id = body.get("account_id") if isinstance(body, dict) else None
    if not isinstance(account_id, str) or not account_id:  # yours: the signed-in user's id
        return problem(400, "account_id must be a non-empty string")
    client = request.app[VERISOUL]
    try:
        session = await client.create_liveness_session(body.get("verisoul_session_id"))
    except (TypeError, ValueError) as error:  # checked before anything is sent
        return problem(400, f"bad verisoul_session_id: {error}")
    request.app[PENDING][session.session_id] = account_id
    url = client.hosted_url(
        session, redirect_url=str(request.url.join(request.app.router["finish"].url_for()))
    )
    return web.json_response({"session_id": session.session_id, "url": url})


async def finish_face_match(request: web.Request) -> web.Response:
    client, pending = request.app[VERISOUL], request.app[PENDING]
    try:
        redirect = verisoul.parse_redirect(request.query_string)
    except ValueError as error:
        return problem(400, f"not a Verisoul redirect: {error}")
    session_id = redirect.session_id or ""
    if not redirect.success:
        pending.pop(session_id, None)  # every failure needs a new session
        return problem(400, f"Face Match failed ({redirect.error_message}): start again")
    account_id = pending.get(session_id)
    if account_id is None:
        return problem(404, "unknown Face Match session: start again")

    # The redirect comes from the browser and can be forged: ask Verisoul.
    result = await client.verify_face(session_id)
    if result.decision != verisoul.Decision.REAL:
        pending.pop(session_id, None)
        return problem(403, f"Face Match declined: {result.decision}")
    enrolled_to = result.metadata.account_id if result.metadata else None
    if enrolled_to != account_id:  # equal when an earlier try enrolled but lost the answer
        await client.enroll_account(session_id, account_id)
    pending.pop(session_id, None)
    return web.json_response(
        {
            "account_id": account_id,
            "session_id": session_id,
            "decision": result.decision,
            "risk_score": result.risk_score,
            "enrolled": True,
        }
    )


def create_app() -> web.Application:
    app = web.Application(middlewares=[verisoul_errors])
    app.cleanup_ctx.append(verisoul_client)
    app.router.add_post("/face-match/start", start_face_match)
    app.router.add_get("/face-match/done", finish_face_match, name="finish")
    return app


if __name__ == "__main__":
    web.run_app(create_app(), host="127.0.0.1", port=8000)

"""``FakeVerisoul``: the public face of the fake (wiring, test controls, faults, log)."""

from __future__ import annotations

import itertools
import math
import time
from collections.abc import Callable
from contextlib import AbstractContextManager

import httpx

from ._app import ROUTE_GROUPS, FakeApp
from ._faults import Fault, RateLimiter, parse_route_filter
from ._log import LoggedRequest
from ._server import serve
from ._state import FakeDocument, FakeState
from ._transport import async_transport, sync_transport

__all__ = ["FAKE_BASE_URL", "FakeVerisoul"]

#: The base URL in-process clients use (the transport never leaves the process).
FAKE_BASE_URL = "https://api.sandbox.verisoul.ai"


def _header_seconds(value: float | str) -> str:
    if isinstance(value, str):
        return value
    return str(int(value)) if float(value).is_integer() else str(math.ceil(value))


class FakeVerisoul:
    """A stateful, in-memory imitation of the Verisoul API for tests and demos.

    Use it in-process (``fake.client()`` / ``fake.async_client()``, no sockets) or over
    real HTTP (``with fake.serve() as base_url:``). It behaves like the sandbox: sessions it
    issued are known, ``simulate`` finishes them at once, :meth:`complete_session` plays
    the user's part of the hosted flow, and enrolment ties a session to one account.

    Args:
        api_key: The only key it accepts in ``x-api-key`` (others get 401).
        project_id: Reported in response metadata (default: a random UUID).
        clock: Wall-clock seconds, used for session age and timestamps; inject one to
            test ``session_older_than_30_days``.
        groups_enabled: Imitate a project with groups on (session creation answers 400
            ``groups_enabled``).
    """

    def __init__(
        self,
        api_key: str = "test-key",
        *,
        project_id: str | None = None,
        clock: Callable[[], float] = time.time,
        groups_enabled: bool = False,
    ) -> None:
        if not api_key:
            raise ValueError("api_key must be a non-empty string")
        state = FakeState(clock=clock, groups_enabled=groups_enabled)
        if project_id is not None:
            state.project_id = project_id
        self._api_key = api_key
        self._state = state
        self._app = FakeApp(api_key, state, itertools.chain.from_iterable(ROUTE_GROUPS))

    def __repr__(self) -> str:
        with self._state.lock:
            sessions = len(self._state.liveness.sessions)
        return f"FakeVerisoul(project_id={self._state.project_id!r}, sessions={sessions})"

    # -- wiring ---------------------------------------------------------------------

    @property
    def api_key(self) -> str:
        """The key this fake accepts (pass it to clients you build yourself)."""
        return self._api_key

    @property
    def project_id(self) -> str:
        """The project id reported in verify metadata."""
        return self._state.project_id

    def transport(self) -> httpx.MockTransport:
        """An in-process transport for an ``httpx.Client`` of your own."""
        return sync_transport(self._app)

    def async_transport(self) -> httpx.MockTransport:
        """An in-process transport for an ``httpx.AsyncClient`` of your own."""
        return async_transport(self._app)

    def serve(self, port: int = 0) -> AbstractContextManager[str]:
        """Serve the fake over HTTP on 127.0.0.1 for the ``with`` block.

        Args:
            port: TCP port; 0 lets the OS choose a free one.

        Returns:
            A context manager yielding the base URL (``http://127.0.0.1:<port>``).
        """
        return serve(self._app, port)

    # -- playing the user's part ---------------------------------------------------------

    def issued_sessions(self) -> tuple[str, ...]:
        """Ids of every liveness session issued so far, oldest first."""
        with self._state.lock:
            return tuple(self._state.liveness.sessions)

    def start_session(self, session_id: str) -> None:
        """Mark a session as opened by the user (verify then answers ``session_not_complete``).

        Raises:
            KeyError: The fake never issued this session.
        """
        with self._state.lock:
            record = self._state.liveness.sessions[session_id.lower()]
            if record.stage == "created":
                record.stage = "started"

    def complete_session(
        self,
        session_id: str,
        *,
        face: str | None = None,
        outcome: str = "success",
        document: FakeDocument | None = None,
    ) -> None:
        """Finish the hosted flow of a session, as the user's browser would.

        Args:
            session_id: A session this fake issued.
            face: Who was in front of the camera: sessions with equal ``face`` labels are
                the same person (verify-identity matches, verify-face links accounts).
                Default: a face seen nowhere else.
            outcome: ``"success"``, a documented failure such as ``"liveness_check_failed"``
                or ``"failed_to_process_id_scan"``, or a verify error code such as
                ``"id_scan_not_complete"``; failures make verify and enroll answer the
                matching 400 code (see ``OUTCOME_ERRORS``).
            document: The ID scanned (ID Check sessions; default: a unique document).

        Raises:
            KeyError: The fake never issued this session.
            ValueError: Unknown ``outcome``.
        """
        with self._state.lock:
            self._state.liveness.sessions[session_id.lower()].finish(outcome, face, document)

    def enrolled_account(self, session_id: str) -> str | None:
        """The account a session is enrolled to, if any.

        Raises:
            KeyError: The fake never issued this session.
        """
        with self._state.lock:
            return self._state.liveness.sessions[session_id.lower()].account_id

    # -- faults ---------------------------------------------------------------------

    def fail_next(
        self,
        status: int,
        *,
        times: int = 1,
        retry_after: float | str | None = None,
        body: bytes | None = None,
        route: str | None = None,
    ) -> None:
        """Answer the next ``times`` requests with ``status`` without processing them.

        Args:
            status: HTTP status to answer (e.g. 429, 500, 503).
            times: How many requests to fail.
            retry_after: ``Retry-After`` value: seconds, or a string sent verbatim (an
                HTTP date).
            body: Body bytes (default: ``{"statusCode": N, "message": "<reason>"}``).
            route: Only requests to ``"/path"`` or ``"METHOD /path"`` (a concrete path or
                a route template); default: any request.
        """
        header = None if retry_after is None else _header_seconds(retry_after)
        fault = Fault("status", status=status, retry_after=header, body=body or b"")
        self._arm(fault, times, route)

    def delay_next(self, seconds: float, *, times: int = 1, route: str | None = None) -> None:
        """Delay the answer to the next ``times`` requests by ``seconds``.

        Over HTTP the server sleeps before answering. In-process the transport sleeps,
        and when ``seconds`` exceeds the request's read timeout it sleeps only that long
        and raises ``httpx.ReadTimeout``, as a real socket would. The request is processed
        either way.
        """
        self._arm(Fault("delay", seconds=seconds), times, route)

    def drop_next(
        self, *, times: int = 1, route: str | None = None, after_processing: bool = False
    ) -> None:
        """Close the connection instead of answering the next ``times`` requests.

        Over HTTP the socket is closed without a response; in-process the transport
        raises ``httpx.RemoteProtocolError``. With ``after_processing=True`` the request
        takes effect first (a response lost on its way back).
        """
        self._arm(Fault("drop", process=after_processing), times, route)

    def malform_next(
        self, *, times: int = 1, route: str | None = None, body: bytes | None = None
    ) -> None:
        """Process the next ``times`` requests but send ``body`` (default: truncated JSON)."""
        self._arm(Fault("malformed", body=body or b""), times, route)

    def _arm(self, fault: Fault, times: int, route: str | None) -> None:
        where = parse_route_filter(route)
        with self._state.lock:
            self._app.faults.arm(fault, times, where)

    def pending_faults(self) -> int:
        """How many faulty answers are still armed."""
        with self._state.lock:
            return self._app.faults.pending()

    def clear_faults(self) -> None:
        """Disarm every fault."""
        with self._state.lock:
            self._app.faults.clear()

    def rate_limit(
        self,
        limit: int | None,
        *,
        per: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """Answer 429 with ``Retry-After`` beyond ``limit`` requests per ``per`` seconds.

        Counts authenticated requests across all endpoints, like Verisoul's per-key
        limit (300 a minute by default there). ``limit=None`` removes the limit.
        """
        limiter = None if limit is None else RateLimiter(limit, per, clock)
        with self._state.lock:
            self._app.rate_limiter = limiter

    # -- request log ------------------------------------------------------------------

    @property
    def requests(self) -> tuple[LoggedRequest, ...]:
        """Every request received so far (API key redacted), oldest first."""
        return self._app.requests()

    def clear_requests(self) -> None:
        """Empty the request log."""
        self._app.clear_requests()

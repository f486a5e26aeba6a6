"""``FakeVerisoul``: the public face of the fake (wiring, test controls, faults, log)."""

from __future__ import annotations

import functools
import itertools
import math
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from typing import TYPE_CHECKING, Any

import attrs
import httpx

from ._app import ROUTE_GROUPS, FakeApp
from ._control import handle_control
from ._faults import Fault, RateLimiter, parse_route_filter
from ._log import LoggedRequest
from ._platform_state import (
    EmailWebhook,
    PlatformSessionRecord,
    WebhookDelivery,
    default_device_id,
    default_ip_address,
)
from ._routes_liveness import new_session_id
from ._scenario import Scenario
from ._server import serve
from ._state import FakeDocument, FakeState
from ._transport import async_transport, sync_transport

if TYPE_CHECKING:
    from verisoul import AsyncVerisoul, Verisoul

__all__ = ["FakeVerisoul"]


def _make_status_fault(status: int, retry_after: float | str | None, body: bytes | None) -> Fault:
    if retry_after is None or isinstance(retry_after, str):
        header = retry_after
    else:
        header = str(math.ceil(retry_after))
    return Fault("status", status=status, retry_after=header, body=body or b"")


class FakeVerisoul:
    """A stateful, in-memory imitation of the Verisoul API for tests and demos.

    Use it in-process (``fake.client()`` / ``fake.async_client()``, no sockets) or over
    real HTTP (``with fake.serve() as base_url:``). It behaves like the sandbox: sessions it
    issued are known, ``simulate`` finishes them at once, :meth:`complete_session` plays
    the user's part of the hosted flow, and enrolment ties a session to one account.

    The platform API is stateful too. Device sessions normally come from Verisoul's
    frontend SDK; here :meth:`create_platform_session` makes one (other ids answer 400
    "Session ID not found"). Authenticating a session creates or updates its account and
    the lists it names; accounts sharing an email, phone, username, device or IP address
    are linked. ``POST /phone`` judges numbers by their E.164 shape and answers
    deterministic carriers; ``POST /email`` answers ``webhook_configured: false`` until
    :meth:`configure_email_webhook` is called, after which :meth:`email_events` holds the
    signed ``email.intelligence.completed`` deliveries the fake would have sent.

    Args:
        api_key: The only key it accepts in ``x-api-key`` (others get 401).
        project_id: Reported in response metadata (default: a random UUID).
        clock: Wall-clock seconds, used for session age and timestamps; inject one to
            test ``session_older_than_30_days``.
        groups_enabled: Imitate a project with groups on (session creation answers 400
            ``groups_enabled``).
        log_limit: How many requests :attr:`requests` keeps (the newest; None: all).
            :attr:`request_count` counts every request regardless.
    """

    def __init__(
        self,
        api_key: str = "test-key",
        *,
        project_id: str | None = None,
        clock: Callable[[], float] = time.time,
        groups_enabled: bool = False,
        log_limit: int | None = 10_000,
    ) -> None:
        if not api_key:
            raise ValueError("api_key must be a non-empty string")
        state = FakeState(clock=clock, groups_enabled=groups_enabled)
        if project_id is not None:
            state.project_id = project_id
        self._api_key = api_key
        self._state = state
        routes = itertools.chain.from_iterable(ROUTE_GROUPS)
        self._app = FakeApp(api_key, state, routes, log_limit=log_limit)
        self._fault_scopes: list[list[object]] = []
        self._app.control = functools.partial(handle_control, self)

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

    def serve(self, port: int = 0, *, host: str = "127.0.0.1") -> AbstractContextManager[str]:
        """Serve the fake over HTTP for the ``with`` block.

        Besides the API, the server answers the stand-in hosted page (``GET /?session_id=``,
        where ``hosted_url()`` of a client on this base URL points) and the control API
        under ``/_fake/`` (see the testing guide). Neither needs the API key.

        Args:
            port: TCP port; 0 lets the OS choose a free one.
            host: Address to listen on. The default, 127.0.0.1, keeps the keyless control
                API on this machine.

        Returns:
            A context manager yielding the base URL (``http://127.0.0.1:<port>``).
        """
        return serve(self._app, port, host=host)

    def client(self, **kwargs: Any) -> Verisoul:
        """A sync :class:`verisoul.Verisoul` wired to this fake in-process (no sockets).

        Args:
            **kwargs: Any ``Verisoul`` argument but ``http_client``. By default the key is
                the fake's and the environment ``"sandbox"`` (the host is never contacted).
                ``transport`` is accepted and checked, but in-process the fake itself is
                the connection layer: to run requests over aiohttp, use :meth:`serve`.
        """
        from verisoul import Verisoul

        return Verisoul(**self._client_kwargs(kwargs, httpx.Client(transport=self.transport())))

    def async_client(self, **kwargs: Any) -> AsyncVerisoul:
        """An :class:`verisoul.AsyncVerisoul` wired to this fake in-process (no sockets).

        Works on asyncio and trio. Arguments as for :meth:`client`.
        """
        from verisoul import AsyncVerisoul

        http_client = httpx.AsyncClient(transport=self.async_transport())
        return AsyncVerisoul(**self._client_kwargs(kwargs, http_client))

    def _client_kwargs(self, kwargs: dict[str, Any], http_client: object) -> dict[str, Any]:
        if "http_client" in kwargs:
            raise TypeError("the fake supplies http_client itself; use serve() for your own")
        from verisoul._transports import check_transport

        # In-process the fake is the connection layer: ``transport`` is checked, then
        # has nothing to choose (serve() + base_url= exercises aiohttp for real).
        check_transport(kwargs.pop("transport", None), None)
        kwargs.setdefault("api_key", self._api_key)
        if kwargs.get("base_url") is None:
            kwargs.setdefault("environment", "sandbox")
        kwargs["http_client"] = http_client
        return kwargs

    # -- playing the user's part ---------------------------------------------------------

    def issued_sessions(self) -> tuple[str, ...]:
        """Ids of every liveness session issued so far, oldest first."""
        with self._state.lock:
            return tuple(self._state.liveness.sessions)

    def start_session(self, session_id: str) -> None:
        """Mark a session as opened by the user (verify then answers ``session_not_complete``).

        Args:
            session_id: A session this fake issued.

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
        outcome: str | None = None,
        document: FakeDocument | None = None,
        decision: str | None = None,
        risk_flags: Iterable[str] | None = None,
        risk_score: float | None = None,
        document_signals: Mapping[str, Any] | None = None,
        same_face_as: str | None = None,
        scenario: Scenario | None = None,
    ) -> None:
        """Finish the hosted flow of a session, as the user's browser would.

        What is not given comes from ``scenario``, else from the fake's current scenario
        (:meth:`set_scenario`; by default a pass with a computed verdict).

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
            decision: ``"Real"``, ``"Suspicious"`` or ``"Fake"`` for verify to report.
            risk_flags: The risk flags verify reports (replacing the computed ones).
            risk_score: The risk score verify reports (0 to 1).
            document_signals: ID Check ``document_signals`` fields to report, e.g.
                ``{"id_validity": "likely_fake_id"}`` (documented values only).
            same_face_as: An account id: the user shows the face enrolled to it (a repeat
                face; verify-identity against that account matches).
            scenario: A :class:`Scenario` giving all of the above at once.

        Raises:
            KeyError: The fake never issued this session.
            ValueError: Unknown ``outcome`` or ``decision``, a value out of range, or
                ``same_face_as`` names an account with no enrolled face.
        """
        changes: dict[str, Any] = {
            "outcome": outcome,
            "decision": decision,
            "risk_flags": None if risk_flags is None else tuple(risk_flags),
            "risk_score": risk_score,
            "same_face_as": same_face_as,
        }
        if document_signals is not None:
            changes["document_signals"] = document_signals
        with self._state.lock:
            chosen = attrs.evolve(
                scenario or self._state.scenario,
                **{name: value for name, value in changes.items() if value is not None},
            )
            self._state.finish_session(session_id, chosen, face, document)

    def set_scenario(self, scenario: Scenario | None = None, **fields: Any) -> None:
        """How sessions end from now on when nothing more specific is asked.

        Applies to the stand-in hosted page's defaults, to ``simulate`` sessions and to
        :meth:`complete_session` calls that leave a field out. ``set_scenario()`` with no
        argument goes back to the default (a pass with a computed verdict).

        Args:
            scenario: The new default.
            **fields: Or its fields (``decision="Suspicious"``, ``risk_flags=[...]``...).

        Raises:
            TypeError, ValueError: An unknown field or a value out of range.
        """
        chosen = attrs.evolve(scenario or Scenario(), **fields)
        with self._state.lock:
            self._state.scenario = chosen

    @property
    def scenario(self) -> Scenario:
        """The current default scenario (see :meth:`set_scenario`)."""
        with self._state.lock:
            return self._state.scenario

    def reset(self) -> None:
        """Back to a fresh fake: no sessions, accounts, lists, faults, rate limit, log.

        The API key, project id and :attr:`request_count` are kept.
        """
        with self._state.lock:
            self._state.reset()
            self._app.faults.clear()
            self._app.rate_limiter = None
            self._app.clear_requests()

    def enrolled_account(self, session_id: str) -> str | None:
        """The account a session is enrolled to, if any.

        Args:
            session_id: A session this fake issued.

        Raises:
            KeyError: The fake never issued this session.
        """
        with self._state.lock:
            return self._state.liveness.sessions[session_id.lower()].account_id

    # -- platform: sessions, accounts, email webhook ---------------------------------

    def create_platform_session(
        self,
        *,
        device_id: str | None = None,
        ip_address: str | None = None,
        country_code: str = "US",
    ) -> str:
        """Make a device session, as Verisoul's frontend SDK would in the user's browser.

        Pass the returned id to ``authenticate_session``, ``unauthenticated_session`` or
        ``get_session``.

        Args:
            device_id: The device seen; accounts authenticated on sessions with the same
                device are linked (``match_type`` ``device``). Default: a new device.
            ip_address: The address seen; equal addresses link accounts (``network``).
                Default: one unique to the session.
            country_code: The session's true country (ISO 3166-1 alpha-2).

        Returns:
            The new session id (a UUID string).
        """
        session_id = new_session_id()
        record = PlatformSessionRecord(
            session_id=session_id,
            started_at=self._state.clock(),
            device_id=device_id or default_device_id(session_id),
            ip_address=ip_address or default_ip_address(session_id),
            country_code=country_code,
        )
        with self._state.lock:
            self._state.platform.sessions[session_id] = record
        return session_id

    def account_ids(self) -> tuple[str, ...]:
        """Ids of every account that exists now (created by authentication), oldest first."""
        with self._state.lock:
            return tuple(self._state.platform.accounts)

    def configure_email_webhook(
        self, secret: str, *, url: str = "https://webhooks.example.com/verisoul"
    ) -> None:
        """Imitate a project with an email webhook subscription.

        From now on ``POST /email`` answers ``webhook_configured: true`` and records one
        signed delivery per email (see :meth:`email_events`); nothing is sent anywhere.

        Args:
            secret: The subscription's shared secret; deliveries are signed with it.
            url: Recorded on each delivery.

        Raises:
            ValueError: ``secret`` is empty.
        """
        if not secret:
            raise ValueError("secret must be a non-empty string")
        with self._state.lock:
            self._state.platform.email_webhook = EmailWebhook(url, secret)

    def remove_email_webhook(self) -> None:
        """Back to no subscription: ``webhook_configured: false``, nothing recorded."""
        with self._state.lock:
            self._state.platform.email_webhook = None

    def email_events(self) -> tuple[WebhookDelivery, ...]:
        """The ``email.intelligence.completed`` deliveries the fake would have sent.

        Each has the raw ``body`` bytes and the ``headers`` (``x-signature`` included) to
        feed to your webhook handler or to :func:`verisoul.webhooks.verify_signature`.
        """
        with self._state.lock:
            return tuple(self._state.platform.deliveries)

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
        self._arm(_make_status_fault(status, retry_after, body), times, route)

    def fail_randomly(
        self,
        status: int,
        rate: float,
        *,
        retry_after: float | str | None = None,
        body: bytes | None = None,
        route: str | None = None,
        seed: int | None = None,
    ) -> None:
        """Like :meth:`fail_next`, for each request with probability ``rate``, until cleared.

        Args:
            status: HTTP status to answer.
            rate: Probability (0 to 1) that a request gets the fault.
            retry_after: ``Retry-After`` value, as for :meth:`fail_next`.
            body: Body bytes, as for :meth:`fail_next`.
            route: Only requests to this route, as for :meth:`fail_next`.
            seed: Makes the sequence of chosen requests repeatable.
        """
        fault = _make_status_fault(status, retry_after, body)
        self._arm_random(fault, rate, route, seed)

    def delay_next(self, seconds: float, *, times: int = 1, route: str | None = None) -> None:
        """Delay the answer to the next ``times`` requests by ``seconds``.

        Over HTTP the server sleeps before answering. In-process the transport sleeps,
        and when ``seconds`` exceeds the request's read timeout it sleeps only that long
        and raises ``httpx.ReadTimeout``, as a real socket would. The request is processed
        either way.

        Args:
            seconds: How long to wait before answering.
            times: How many requests to delay.
            route: Only requests to this route, as for :meth:`fail_next`.
        """
        self._arm(Fault("delay", seconds=seconds), times, route)

    def drop_next(
        self, *, times: int = 1, route: str | None = None, after_processing: bool = False
    ) -> None:
        """Close the connection instead of answering the next ``times`` requests.

        Over HTTP the socket is closed without a response; in-process the transport
        raises ``httpx.RemoteProtocolError``. With ``after_processing=True`` the request
        takes effect first (a response lost on its way back).

        Args:
            times: How many requests to drop.
            route: Only requests to this route, as for :meth:`fail_next`.
            after_processing: Apply the request before dropping the connection.
        """
        self._arm(Fault("drop", process=after_processing), times, route)

    def drop_randomly(
        self,
        rate: float,
        *,
        route: str | None = None,
        after_processing: bool = False,
        seed: int | None = None,
    ) -> None:
        """Like :meth:`drop_next`, for each request with probability ``rate``, until cleared.

        Args:
            rate: Probability (0 to 1) that a request is dropped.
            route: Only requests to this route, as for :meth:`fail_next`.
            after_processing: Apply the request before dropping the connection.
            seed: Makes the sequence of chosen requests repeatable.
        """
        self._arm_random(Fault("drop", process=after_processing), rate, route, seed)

    def malform_next(
        self, *, times: int = 1, route: str | None = None, body: bytes | None = None
    ) -> None:
        """Process the next ``times`` requests but send a malformed body.

        Args:
            times: How many answers to malform.
            route: Only requests to this route, as for :meth:`fail_next`.
            body: The body to send instead (default: truncated JSON).
        """
        self._arm(Fault("malformed", body=body or b""), times, route)

    def _arm(self, fault: Fault, times: int, route: str | None) -> None:
        where = parse_route_filter(route)
        with self._state.lock:
            handle = self._app.faults.arm(fault, times, where)
            if self._fault_scopes:
                self._fault_scopes[-1].append(handle)

    def _arm_random(self, fault: Fault, rate: float, route: str | None, seed: int | None) -> None:
        where = parse_route_filter(route)
        with self._state.lock:
            handle = self._app.faults.arm_random(fault, rate, where, seed)
            if self._fault_scopes:
                self._fault_scopes[-1].append(handle)

    @contextmanager
    def faults(
        self,
        status: int | None = None,
        *,
        times: int = 1,
        retry_after: float | str | None = None,
        body: bytes | None = None,
        route: str | None = None,
    ) -> Iterator[FakeVerisoul]:
        """A block whose faults end with it: what the block armed and did not use is dropped.

        ``with fake.faults(503, times=5): client.verify_face(...)`` fails up to five
        requests of that block; if the call gave up after three attempts, the two unused
        failures are discarded at the end of the block instead of hitting the next call.
        Every fault armed inside the block (``fail_next``, ``delay_next``, ``drop_next``,
        ``malform_next``, the random ones) is scoped the same way; blocks nest.

        Args:
            status: Arm ``fail_next(status, ...)`` for the block (None: arm nothing yet).
            times: As for :meth:`fail_next`.
            retry_after: As for :meth:`fail_next`.
            body: As for :meth:`fail_next`.
            route: As for :meth:`fail_next`.

        Yields:
            This fake, to arm more faults on.
        """
        handles: list[object] = []
        with self._state.lock:
            self._fault_scopes.append(handles)
        try:
            if status is not None:
                self.fail_next(
                    status, times=times, retry_after=retry_after, body=body, route=route
                )
            yield self
        finally:
            with self._state.lock:
                self._fault_scopes.remove(handles)
                self._app.faults.disarm(handles)

    def pending_faults(self) -> int:
        """How many faulty answers are still armed."""
        with self._state.lock:
            return self._app.faults.pending()

    @property
    def fault_count(self) -> int:
        """How many requests got a fault so far (armed or random)."""
        return self._app.fault_count

    def clear_faults(self) -> None:
        """Disarm every fault, random ones included."""
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
        limit (300 a minute by default there).

        Args:
            limit: Requests allowed per window; ``None`` removes the limit.
            per: The window, in seconds.
            clock: Monotonic seconds (inject one to test without waiting).
        """
        limiter = None if limit is None else RateLimiter(limit, per, clock)
        with self._state.lock:
            self._app.rate_limiter = limiter

    # -- request log ------------------------------------------------------------------

    @property
    def requests(self) -> tuple[LoggedRequest, ...]:
        """Every request received so far (API key redacted), oldest first."""
        return self._app.requests()

    @property
    def request_count(self) -> int:
        """How many requests arrived so far (never reset; unaffected by ``log_limit``)."""
        return self._app.request_count

    def clear_requests(self) -> None:
        """Empty the request log (:attr:`request_count` keeps counting)."""
        self._app.clear_requests()

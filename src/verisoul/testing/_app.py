"""The fake's core: one pure-ish ``handle()`` from request values to response values.

It logs the request, applies armed faults, routes, checks the API key and the rate limit,
and runs the route handler, all under the state lock. It knows nothing about sockets or
httpx: :mod:`._transport` and :mod:`._server` adapt it to those.
"""

from __future__ import annotations

import collections
import hmac
import json
import uuid
from collections.abc import Callable, Iterable, Mapping
from urllib.parse import parse_qsl

import attrs

from . import (
    _routes_accounts,
    _routes_email,
    _routes_lists,
    _routes_liveness,
    _routes_phone,
    _routes_sessions,
)
from ._control import is_control_path
from ._faults import Fault, FaultPlan, RateLimiter
from ._http import FakeRequest, FakeResponse, http_error
from ._log import LoggedRequest, redact_headers
from ._routing import Route, Router
from ._state import FakeState

__all__ = ["ROUTE_GROUPS", "FakeApp", "http_error"]

#: Every endpoint group the fake serves; a new group is one more ``_routes_*`` module here.
ROUTE_GROUPS: tuple[tuple[Route, ...], ...] = (
    _routes_liveness.ROUTES,
    _routes_sessions.ROUTES,
    _routes_accounts.ROUTES,
    _routes_lists.ROUTES,
    _routes_phone.ROUTES,
    _routes_email.ROUTES,
)

#: Answers the stand-in hosted page and ``/_fake/`` (method, path, query, headers, body).
ControlHandler = Callable[[str, str, str, dict[str, str], bytes], FakeResponse]

#: The body of a ``malformed`` fault when none is given: truncated JSON.
MALFORMED_BODY = b'{"request_id": "'


class FakeApp:
    """Routes, auth, faults, rate limit and the request log over one :class:`FakeState`."""

    def __init__(
        self,
        api_key: str,
        state: FakeState,
        routes: Iterable[Route],
        *,
        log_limit: int | None = None,
    ) -> None:
        self._api_key = api_key.encode()
        self.state = state
        self.router = Router(routes)
        self.faults = FaultPlan()
        self.rate_limiter: RateLimiter | None = None
        self._log: collections.deque[LoggedRequest] = collections.deque(maxlen=log_limit)
        self.request_count = 0
        self.fault_count = 0
        #: The page and control API (set by ``FakeVerisoul``): never logged nor faulted.
        self.control: ControlHandler | None = None

    def __repr__(self) -> str:
        return f"FakeApp(routes={len(self.router.routes)})"

    def requests(self) -> tuple[LoggedRequest, ...]:
        """A snapshot of the request log, oldest first."""
        with self.state.lock:
            return tuple(self._log)

    def clear_requests(self) -> None:
        """Empty the request log."""
        with self.state.lock:
            self._log.clear()

    def handle(
        self,
        method: str,
        path: str,
        query: str,
        headers: Mapping[str, str],
        body: bytes,
    ) -> FakeResponse:
        """Answer one request.

        Args:
            method: HTTP method (any case).
            path: Raw, percent-encoded path without the query.
            query: Raw query string without the ``?``.
            headers: Request headers (any case).
            body: Raw body bytes.

        Returns:
            The response, possibly asking the wiring to delay or drop the connection.
        """
        method = method.upper()
        lowered = {name.lower(): value for name, value in headers.items()}
        if self.control is not None and is_control_path(path):
            return self.control(method, path, query, lowered, body)
        pairs = tuple(parse_qsl(query, keep_blank_values=True))
        with self.state.lock:
            self._log.append(LoggedRequest(method, path, pairs, redact_headers(lowered), body))
            self.request_count += 1
            found = self.router.resolve(method, path)
            route = found.route
            fault = self.faults.take(method, path, route.template if route else None)
            self.fault_count += fault is not None
            if fault is not None and fault.kind == "status":
                return _status_fault(fault)
            if fault is not None and fault.kind == "drop" and not fault.process:
                return FakeResponse(0, drop=True)
            if route is None:
                response = http_error(405 if found.path_known else 404)
                if found.path_known:
                    response = with_header(response, "allow", ", ".join(found.allowed))
            else:
                request = FakeRequest(
                    method=method,
                    path=path,
                    params=found.params,
                    query=dict(reversed(pairs)),  # the first value wins
                    headers=lowered,
                    body=body,
                    request_id=str(uuid.uuid4()),
                )
                response = self._admitted(route, request)
            return _spoil(response, fault)

    def _admitted(self, route: Route, request: FakeRequest) -> FakeResponse:
        if route.auth:
            given = request.headers.get("x-api-key", "").encode()
            if not hmac.compare_digest(given, self._api_key):
                return http_error(401, "Unauthorized")
            if self.rate_limiter is not None:
                wait = self.rate_limiter.admit()
                if wait is not None:
                    return with_header(http_error(429), "retry-after", str(wait))
        return route.handler(request, self.state)


def with_header(response: FakeResponse, name: str, value: str) -> FakeResponse:
    """``response`` with one more header."""
    return attrs.evolve(response, headers=(*response.headers, (name, value)))


def _status_fault(fault: Fault) -> FakeResponse:
    if fault.body:
        content_type = _guess_content_type(fault.body)
        response = FakeResponse(fault.status, (("content-type", content_type),), fault.body)
    else:
        response = http_error(fault.status)
    if fault.retry_after is not None:
        response = with_header(response, "retry-after", fault.retry_after)
    return response


def _guess_content_type(body: bytes) -> str:
    try:
        json.loads(body)
    except ValueError:
        return "text/plain; charset=utf-8"
    return "application/json"


def _spoil(response: FakeResponse, fault: Fault | None) -> FakeResponse:
    """Apply a post-processing fault (delay, drop after processing, malformed body)."""
    if fault is None:
        return response
    if fault.kind == "delay":
        return attrs.evolve(response, delay=fault.seconds)
    if fault.kind == "drop":
        return FakeResponse(0, drop=True)
    return attrs.evolve(response, body=fault.body or MALFORMED_BODY)

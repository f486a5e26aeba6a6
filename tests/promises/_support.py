"""Helpers for the promise tests: a sync client on a scripted MockTransport, instant sleeps."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

import verisoul

from ..conftest import TEST_KEY

SESSION_ID = "8a3e5b6f-5c3d-4d3e-9a6f-2b1c0d9e8f7a"
REQUEST_ID = "0f6d2c41-1b2a-4c3d-8e9f-a0b1c2d3e4f5"
OK_BODY = {"request_id": REQUEST_ID, "session_id": SESSION_ID}
ENROLL_BODY = {"request_id": REQUEST_ID, "success": True}


def ok(body: object = None) -> httpx.Response:
    """A 200 with a session token (or ``body``)."""
    return httpx.Response(200, json=OK_BODY if body is None else body)


class Script:
    """A MockTransport handler playing responses (or raising errors) in order.

    The last item repeats. Records every request it saw.
    """

    def __init__(self, *items: httpx.Response | Exception | Callable[[], Any]) -> None:
        self.items = list(items)
        self.requests: list[httpx.Request] = []
        #: Each attempt's timeout as sent (the request object is reused across attempts).
        self.timeouts: list[dict[str, float | None]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        self.timeouts.append(dict(request.extensions.get("timeout", {})))
        item = self.items.pop(0) if len(self.items) > 1 else self.items[0]
        if isinstance(item, Exception):
            raise item
        if isinstance(item, httpx.Response):
            return item
        result = item()
        assert isinstance(result, httpx.Response)
        return result


class Sleeps:
    """Replaces a client's sleep: records the delays and moves a fake clock."""

    def __init__(self) -> None:
        self.delays: list[float] = []
        self.now = 1000.0

    def clock(self) -> float:
        return self.now

    def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)
        self.now += seconds


def client(script: Script, **kwargs: Any) -> tuple[verisoul.Verisoul, Sleeps]:
    """A ``Verisoul`` sending to ``script``, whose sleeps and clock are a :class:`Sleeps`."""
    kwargs.setdefault("api_key", TEST_KEY)
    http = httpx.Client(transport=httpx.MockTransport(script))
    sdk = verisoul.Verisoul(http_client=http, **kwargs)
    sleeps = Sleeps()
    sdk._sleep = sleeps  # type: ignore[method-assign]
    sdk._clock = sleeps.clock  # type: ignore[method-assign]
    return sdk, sleeps

"""In-process wiring: ``httpx.MockTransport`` handlers that call the fake directly.

Transport faults are imitated the way httpx would report them from a real socket:
``drop`` raises ``httpx.RemoteProtocolError``; ``delay`` sleeps (``time.sleep`` for the sync
client, ``anyio.sleep`` for the async one) and, when the delay exceeds the request's read
timeout, sleeps only that long and raises ``httpx.ReadTimeout`` instead of answering.
"""

from __future__ import annotations

import time

import anyio
import httpx

from ._app import FakeApp
from ._http import FakeResponse

__all__ = ["async_transport", "sync_transport"]


def _call_app(app: FakeApp, request: httpx.Request) -> FakeResponse:
    raw_path, _, query = request.url.raw_path.decode("ascii").partition("?")
    return app.handle(request.method, raw_path, query, dict(request.headers), request.content)


def _wait_plan(request: httpx.Request, response: FakeResponse) -> tuple[float, bool]:
    """Seconds to sleep, and whether the request then times out instead of answering."""
    timeouts = request.extensions.get("timeout", {})
    read = timeouts.get("read") if isinstance(timeouts, dict) else None
    if read is not None and response.delay > read:
        return float(read), True
    return response.delay, False


def _finish(request: httpx.Request, response: FakeResponse, times_out: bool) -> httpx.Response:
    if times_out:
        raise httpx.ReadTimeout("Timed out waiting for the fake's answer", request=request)
    if response.drop:
        raise httpx.RemoteProtocolError(
            "Server disconnected without sending a response.", request=request
        )
    return httpx.Response(
        response.status, headers=list(response.headers), content=response.body, request=request
    )


def sync_transport(app: FakeApp) -> httpx.MockTransport:
    """A transport for ``httpx.Client`` that answers from ``app``."""

    def handler(request: httpx.Request) -> httpx.Response:
        response = _call_app(app, request)
        seconds, times_out = _wait_plan(request, response)
        if seconds > 0:
            time.sleep(seconds)
        return _finish(request, response, times_out)

    return httpx.MockTransport(handler)


def async_transport(app: FakeApp) -> httpx.MockTransport:
    """A transport for ``httpx.AsyncClient`` (asyncio or trio) that answers from ``app``."""

    async def handler(request: httpx.Request) -> httpx.Response:
        response = _call_app(app, request)
        seconds, times_out = _wait_plan(request, response)
        if seconds > 0:
            await anyio.sleep(seconds)
        return _finish(request, response, times_out)

    return httpx.MockTransport(handler)

"""The pool the client owns carries the SDK's headers; requests are built from cached URLs.

Both are per-call CPU savings (issue 7); these tests pin the behaviour they must keep.
"""

from __future__ import annotations

import httpx
import pytest

from verisoul import AsyncVerisoul
from verisoul._urls import absolute_url

from ..conftest import TEST_KEY

BODY = {"request_id": "r-1", "session_id": "s-1"}


class Seen:
    """A MockTransport handler that keeps every request."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return httpx.Response(200, json=BODY)


def owned_client_seeing(seen: Seen, **options: object) -> AsyncVerisoul:
    """A client with its own pool, whose network is replaced by ``seen``."""
    client = AsyncVerisoul(api_key=TEST_KEY, base_url="https://api.example.test", **options)  # type: ignore[arg-type]
    client._http._transport = httpx.MockTransport(seen)
    return client


@pytest.mark.anyio
async def test_owned_pool_sends_each_sdk_header_once() -> None:
    seen = Seen()
    async with owned_client_seeing(seen, default_headers={"x-team": "fraud"}) as client:
        await client.create_liveness_session()
        await client.with_options(max_retries=0).create_liveness_session()
    assert len(seen.requests) == 2
    for request in seen.requests:
        assert request.headers.get_list("x-api-key") == [TEST_KEY]
        assert request.headers["user-agent"].startswith("verisoul-python/")
        assert request.headers["x-team"] == "fraud"
        assert str(request.url) == "https://api.example.test/liveness/session"


@pytest.mark.anyio
async def test_injected_client_defaults_are_left_alone() -> None:
    seen = Seen()
    http = httpx.AsyncClient(transport=httpx.MockTransport(seen), headers={"x-proxy": "1"})
    async with AsyncVerisoul(
        api_key=TEST_KEY, base_url="https://api.example.test", http_client=http
    ) as client:
        await client.create_liveness_session()
    assert "x-api-key" not in http.headers
    assert seen.requests[0].headers["x-api-key"] == TEST_KEY
    assert seen.requests[0].headers["x-proxy"] == "1"
    await http.aclose()


def test_absolute_urls_are_parsed_once() -> None:
    first = absolute_url("https://api.example.test", "/liveness/session")
    assert absolute_url("https://api.example.test", "/liveness/session") is first
    assert str(first) == "https://api.example.test/liveness/session"

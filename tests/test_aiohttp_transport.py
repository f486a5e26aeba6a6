"""AsyncVerisoul on the aiohttp transport against a real loopback server.

The whole async suite also runs on this transport (``nox -s tests-aiohttp``); these tests
cover what differs: the asyncio-only check and the retry safety of dropped connections.
"""

from __future__ import annotations

import socket
from typing import Any

import httpx
import pytest

import verisoul
from verisoul import AsyncVerisoul
from verisoul._retry import RetryClass

from ._servers import Action, json_action, serve
from .conftest import TEST_KEY

OK_BODY = {"request_id": "r-1", "session_id": "s-1"}


def _identity(data: object) -> object:
    return data


def on_aiohttp(url: str, **options: Any) -> AsyncVerisoul:
    """A client of the loopback server ``url`` on the aiohttp transport."""
    return AsyncVerisoul(api_key=TEST_KEY, base_url=url, transport="aiohttp", **options)


@pytest.mark.parametrize("anyio_backend", ["asyncio"])
@pytest.mark.anyio
async def test_calls_go_through_aiohttp_with_keep_alive() -> None:
    with serve(lambda _: json_action(OK_BODY)) as server:
        async with on_aiohttp(server.url) as client:
            sessions = [await client.create_liveness_session() for _ in range(3)]
            assert type(client._http._transport).__name__ == "VerisoulAiohttpTransport"
    assert [s.session_id for s in sessions] == ["s-1"] * 3
    assert server.connections == 1
    assert server.requests[0].headers["x-api-key"] == TEST_KEY


@pytest.mark.parametrize("anyio_backend", ["trio"])
@pytest.mark.anyio
async def test_trio_gets_a_clear_error_and_sends_nothing() -> None:
    with serve(lambda _: json_action(OK_BODY)) as server:
        async with on_aiohttp(server.url) as client:
            with pytest.raises(verisoul.VerisoulError, match="asyncio only"):
                await client.create_liveness_session()
    assert server.requests == []


@pytest.mark.parametrize("anyio_backend", ["asyncio"])
@pytest.mark.anyio
async def test_dropped_unsafe_write_is_not_resent() -> None:
    with serve(lambda _: Action(drop=True)) as server:
        async with on_aiohttp(server.url, max_retries=2) as client:
            with pytest.raises(verisoul.APIConnectionError) as info:
                await client._request(
                    "POST", "/liveness/enroll", _identity, json={}, retry=RetryClass.UNSAFE_WRITE
                )
    assert info.value.outcome_unknown is True
    assert info.value.attempts == 1
    assert len(server.requests) == 1


@pytest.mark.parametrize("anyio_backend", ["asyncio"])
@pytest.mark.anyio
async def test_refused_connection_is_retried_even_for_unsafe_writes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with socket.socket() as probe:  # a port with nobody listening
        probe.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{probe.getsockname()[1]}"
    async with on_aiohttp(url, max_retries=1) as client:
        delays: list[float] = []

        async def no_wait(seconds: float) -> None:
            delays.append(seconds)

        monkeypatch.setattr(client, "_sleep", no_wait)
        with pytest.raises(verisoul.APIConnectionError) as info:
            await client._request(
                "POST", "/liveness/enroll", _identity, json={}, retry=RetryClass.UNSAFE_WRITE
            )
    assert info.value.outcome_unknown is False
    assert info.value.attempts == 2
    assert len(delays) == 1


@pytest.mark.parametrize("anyio_backend", ["asyncio"])
@pytest.mark.anyio
async def test_slow_server_is_a_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    def slow(_: Any) -> Action:
        return json_action(OK_BODY, delay=1.0)

    with serve(slow) as server:
        async with on_aiohttp(server.url, timeout=0.2, max_retries=0) as client:
            with pytest.raises(verisoul.APITimeoutError) as info:
                await client.create_liveness_session()
    assert isinstance(info.value.__cause__, httpx.ReadTimeout)
    assert info.value.attempts == 1
    assert len(server.requests) == 1

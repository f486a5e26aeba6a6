"""The transport switch (argument checks, clear errors, aiohttp's error mapping) and the
default sharded pool, on loopback servers: asyncio, trio and threads."""

from __future__ import annotations

import asyncio
import inspect
import os
import random
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import aiohttp
import anyio
import httpcore
import httpx
import pytest

import verisoul
from verisoul import _aiohttp_transport as aio
from verisoul import _transports
from verisoul._async import _base
from verisoul._cancellation import forget_orphaned_connections
from verisoul._pool import AsyncShardedTransport, ShardedTransport, httpcore_pools
from verisoul._retry import provably_not_sent
from verisoul._transports import check_transport

from ._servers import Action, Received, json_action, serve
from .conftest import TEST_KEY


def test_no_transport_means_httpx() -> None:
    assert check_transport(None, None) == "httpx"
    assert check_transport("aiohttp", None) == "aiohttp"


@pytest.mark.parametrize(
    ("transport", "http_client", "error", "match"),
    [
        ("requests", None, ValueError, "one of"),
        (b"aiohttp", None, TypeError, "must be a str"),
        ("httpx", object(), ValueError, "not both"),
    ],
)
def test_bad_transport_arguments(
    transport: object, http_client: object, error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        check_transport(transport, http_client)  # type: ignore[arg-type]


def test_the_sync_client_has_no_transport_option() -> None:
    """Only httpx's connection layer blocks: the generated client does not offer a choice."""
    assert "transport" not in inspect.signature(verisoul.Verisoul).parameters
    with pytest.raises(TypeError, match="transport"):
        verisoul.Verisoul(api_key=TEST_KEY, transport="httpx")  # type: ignore[call-arg]


def test_missing_extra_names_the_pip_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "httpx_aiohttp", None)  # import now fails
    monkeypatch.delitem(sys.modules, "verisoul._aiohttp_transport")
    with pytest.raises(verisoul.VerisoulError, match=r"pip install 'verisoul\[aiohttp\]'"):
        verisoul.AsyncVerisoul(api_key=TEST_KEY, transport="aiohttp")


def _bare(cls: type[BaseException]) -> BaseException:
    """An instance for isinstance checks (aiohttp's constructors want live connections)."""
    return cls.__new__(cls)


@pytest.mark.parametrize(
    ("failure", "expected"),
    [
        (aiohttp.ConnectionTimeoutError, httpx.ConnectTimeout),
        (aiohttp.ClientConnectorError, httpx.ConnectError),
        (aiohttp.ClientConnectorDNSError, httpx.ConnectError),
        (aiohttp.SocketTimeoutError, httpx.ReadTimeout),
        (asyncio.TimeoutError, httpx.ReadTimeout),
        (aiohttp.ServerDisconnectedError, httpx.RemoteProtocolError),
        (aiohttp.ClientResponseError, httpx.RemoteProtocolError),
        (aiohttp.ClientPayloadError, httpx.ReadError),
        (aiohttp.ClientConnectionResetError, httpx.ReadError),
        (aiohttp.ClientOSError, httpx.ReadError),
        (aiohttp.InvalidURL, httpx.TransportError),
    ],
)
def test_aiohttp_failures_map_to_what_they_mean_for_a_retry(
    failure: type[BaseException], expected: type[httpx.TransportError]
) -> None:
    assert aio.httpx_error_class(_bare(failure)) is expected


def test_foreign_exceptions_are_not_mapped() -> None:
    assert aio.httpx_error_class(ValueError("x")) is None


def test_a_dropped_connection_is_not_taken_for_a_failed_connect() -> None:
    # httpx-aiohttp maps ServerDisconnectedError to ConnectTimeout ("never sent"), which
    # would let the retry policy resend an unsafe write that may have been applied.
    theirs = httpx.ConnectTimeout("Server disconnected")
    theirs.__cause__ = aiohttp.ServerDisconnectedError()
    assert provably_not_sent(theirs)
    ours = aio.remapped(theirs)
    assert type(ours) is httpx.RemoteProtocolError
    assert isinstance(ours.__cause__, aiohttp.ServerDisconnectedError)
    assert not provably_not_sent(ours)


def test_precise_mappings_are_kept() -> None:
    theirs = httpx.UnsupportedProtocol("ftp://x")
    theirs.__cause__ = _bare(aiohttp.NonHttpUrlClientError)
    assert aio.remapped(theirs) is theirs
    connect = httpx.ConnectError("refused")
    connect.__cause__ = _bare(aiohttp.ClientConnectorError)
    assert aio.remapped(connect) is connect


# -- the default pool: single-connection httpcore shards (issue 16) -----------------------

LIMITS_4 = httpx.Limits(max_connections=4, max_keepalive_connections=4)
SESSION = json_action({"request_id": "r", "session_id": "s"})
BACKENDS = ["asyncio", "trio"]


@pytest.fixture(autouse=True)
def _default_pool(
    monkeypatch: pytest.MonkeyPatch, _async_clients_on_the_test_transport: None
) -> None:
    """The default pool is tested here, also under ``nox -s tests-aiohttp`` (which makes
    every other AsyncVerisoul use aiohttp), and without a proxy in the environment (a proxy
    keeps httpx's single pool)."""
    monkeypatch.setattr(_base, "async_http_pool", _transports.async_http_pool)
    for name in list(os.environ):
        if name.lower().endswith("_proxy"):
            monkeypatch.delenv(name)


def shards_of(http: httpx.AsyncClient | httpx.Client) -> list[Any]:
    transport = http._transport
    assert isinstance(transport, (AsyncShardedTransport, ShardedTransport))
    return list(transport.shards)


def all_slots_free(transport: object) -> bool:
    assert isinstance(transport, (AsyncShardedTransport, ShardedTransport))
    slots = transport._slots
    return slots.busy == [0] * slots.shards and len(slots.free) == slots.shards * slots.capacity


def test_both_clients_default_to_the_sharded_pool_without_redirects() -> None:
    async_client = verisoul.AsyncVerisoul(api_key=TEST_KEY)
    sync_client = verisoul.Verisoul(api_key=TEST_KEY)
    try:
        assert isinstance(async_client._http._transport, AsyncShardedTransport)
        assert isinstance(sync_client._http._transport, ShardedTransport)
        assert async_client._http.follow_redirects is False
        assert sync_client._http.follow_redirects is False
        assert async_client._http._transport.shards == []
        for transport in (async_client._http._transport, sync_client._http._transport):
            slots = transport._slots
            assert (slots.shards, slots.capacity) == (256, 1)  # 256 one-connection pools
    finally:
        anyio.run(async_client.aclose)
        sync_client.close()


def test_a_proxy_in_the_environment_keeps_httpx_single_pool(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:9")
    client = verisoul.Verisoul(api_key=TEST_KEY)
    try:
        transport = client._http._transport
        assert isinstance(transport, httpx.HTTPTransport)  # one pool, through the proxy
        assert "Proxy" in type(transport._pool).__name__
    finally:
        client.close()
    # A loopback base_url never goes through the proxy: it keeps the sharded pool.
    local = verisoul.Verisoul(api_key=TEST_KEY, base_url="http://127.0.0.1:9")
    try:
        assert isinstance(local._http._transport, ShardedTransport)
    finally:
        local.close()


@pytest.mark.parametrize("backend", BACKENDS)
def test_async_sequential_calls_reuse_one_connection(backend: str) -> None:
    with serve(lambda _: SESSION) as server:

        async def main() -> None:
            async with verisoul.AsyncVerisoul(api_key=TEST_KEY, base_url=server.url) as client:
                for _ in range(5):
                    await client.create_liveness_session()
                assert len(shards_of(client._http)) == 1
                assert all_slots_free(client._http._transport)

        anyio.run(main, backend=backend)
        assert server.connections == 1


def test_sync_sequential_calls_reuse_one_connection() -> None:
    with serve(lambda _: SESSION) as server:
        with verisoul.Verisoul(api_key=TEST_KEY, base_url=server.url) as client:
            for _ in range(5):
                client.create_liveness_session()
            assert len(shards_of(client._http)) == 1
        assert server.connections == 1


def slow(_: Received) -> Action:
    return Action(body=SESSION.body, delay=0.2)


@pytest.mark.parametrize("backend", BACKENDS)
def test_async_concurrent_requests_spread_across_shards_and_close_closes_all(
    backend: str,
) -> None:
    with serve(slow) as server:

        async def main() -> list[Any]:
            transport = AsyncShardedTransport(LIMITS_4)
            async with httpx.AsyncClient(base_url=server.url, transport=transport) as http:
                for calls in (4, 8):  # 8: more calls than connections, the rest queue
                    async with anyio.create_task_group() as group:
                        for _ in range(calls):
                            group.start_soon(http.get, "/x")
                    shards = shards_of(http)
                    assert len(shards) == 4
                    assert [len(shard._pool.connections) for shard in shards] == [1, 1, 1, 1]
                    assert all_slots_free(transport)
            return shards

        shards = anyio.run(main, backend=backend)
        assert server.connections == 4
        assert server.request_count == 12
        assert [shard._pool.connections for shard in shards] == [[], [], [], []]


def test_sync_concurrent_requests_spread_across_shards_and_close_closes_all() -> None:
    with serve(slow) as server:
        transport = ShardedTransport(LIMITS_4)
        with (
            httpx.Client(base_url=server.url, transport=transport) as http,
            ThreadPoolExecutor(max_workers=8) as threads,
        ):
            for calls in (4, 8):
                list(threads.map(lambda _: http.get("/x").raise_for_status(), range(calls)))
                shards = shards_of(http)
                assert len(shards) == 4
                assert [len(shard._pool.connections) for shard in shards] == [1, 1, 1, 1]
                assert all_slots_free(transport)
        assert server.connections == 4
        assert [shard._pool.connections for shard in shards] == [[], [], [], []]


def redirecting(request: Received) -> Action:
    return Action(status=302, body=b"", headers=(("location", "/elsewhere"),))


@pytest.mark.parametrize("backend", BACKENDS)
def test_async_redirects_are_never_followed(backend: str) -> None:
    with serve(redirecting) as server:

        async def main() -> None:
            async with verisoul.AsyncVerisoul(api_key=TEST_KEY, base_url=server.url) as client:
                with pytest.raises(verisoul.APIStatusError, match="302"):
                    await client.create_liveness_session()

        anyio.run(main, backend=backend)
        assert [r.target for r in server.requests] == ["/liveness/session"]


def test_sync_redirects_are_never_followed() -> None:
    with serve(redirecting) as server:
        with (
            verisoul.Verisoul(api_key=TEST_KEY, base_url=server.url) as client,
            pytest.raises(verisoul.APIStatusError, match="302"),
        ):
            client.create_liveness_session()
        assert [r.target for r in server.requests] == ["/liveness/session"]


class DropsEveryThird:
    """Answers, answers then closes, drops without answering; again."""

    def __init__(self) -> None:
        self.count = 0
        self.lock = threading.Lock()

    def __call__(self, _: Received) -> Action:
        with self.lock:
            self.count += 1
            turn = self.count % 3
        if turn == 0:
            return Action(drop=True)
        return Action(body=b'{"ok": true}', close_after=turn == 2)


@pytest.mark.parametrize("backend", BACKENDS)
def test_async_a_dropped_shard_connection_is_replaced(backend: str) -> None:
    with serve(DropsEveryThird()) as server:

        async def main() -> None:
            transport = AsyncShardedTransport(LIMITS_4)
            async with httpx.AsyncClient(base_url=server.url, transport=transport) as http:
                failures = 0
                for _ in range(6):
                    try:
                        (await http.get("/x")).raise_for_status()
                    except httpx.RemoteProtocolError:
                        failures += 1
                    assert all_slots_free(transport)
                assert failures == 2
                assert len(shards_of(http)) == 1  # sequential: always the same shard

        anyio.run(main, backend=backend)
        assert server.connections == 4  # a new connection after each close and drop


def test_sync_a_dropped_shard_connection_is_replaced() -> None:
    with serve(DropsEveryThird()) as server:
        transport = ShardedTransport(LIMITS_4)
        with httpx.Client(base_url=server.url, transport=transport) as http:
            failures = 0
            for _ in range(6):
                try:
                    http.get("/x").raise_for_status()
                except httpx.RemoteProtocolError:
                    failures += 1
                assert all_slots_free(transport)
            assert failures == 2
        assert server.connections == 4


@pytest.mark.parametrize("backend", BACKENDS)
def test_orphaned_connections_are_found_in_every_shard(backend: str) -> None:
    with serve(slow) as server:

        async def main() -> None:
            async with verisoul.AsyncVerisoul(api_key=TEST_KEY, base_url=server.url) as client:
                async with anyio.create_task_group() as group:
                    for _ in range(3):
                        group.start_soon(client.create_liveness_session)
                shards = shards_of(client._http)
                assert len(shards) == 3
                pool = shards[2]._pool
                origin = httpcore.Origin(b"http", b"127.0.0.1", server.port)
                orphan = pool.create_connection(origin)  # never connected, nobody's
                pool._connections.append(orphan)
                assert forget_orphaned_connections(client._http) == 1
                assert orphan not in pool._connections
                assert forget_orphaned_connections(client._http) == 0

        anyio.run(main, backend=backend)


@pytest.mark.parametrize("backend", BACKENDS)
def test_cancelled_calls_leave_every_shard_clean(
    backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two shards of one connection and 8 calls: cancellations also hit queued calls."""
    monkeypatch.setattr(
        "verisoul._transports.DEFAULT_LIMITS",
        httpx.Limits(max_connections=2, max_keepalive_connections=2),
    )
    rng = random.Random(backend)

    def handler(_: Received) -> Action:
        return Action(body=SESSION.body, delay=0.01)

    with serve(handler, record=False) as server:

        async def main() -> int:
            completed = 0
            async with verisoul.AsyncVerisoul(api_key=TEST_KEY, base_url=server.url) as client:
                transport = client._http._transport

                async def call() -> None:
                    nonlocal completed
                    with anyio.move_on_after(rng.uniform(0.0, 0.05)):
                        await client.create_liveness_session()
                        completed += 1

                for _ in range(10):
                    async with anyio.create_task_group() as group:
                        for _ in range(8):
                            group.start_soon(call)
                    assert all_slots_free(transport)
                    for pool in httpcore_pools(transport):
                        assert pool._requests == []
                        assert all(c.is_idle() or c.is_closed() for c in pool.connections)
                assert len(shards_of(client._http)) == 2
                await client.create_liveness_session()
            return completed

        completed = anyio.run(main, backend=backend)
        assert 0 < completed < 80


def test_every_shard_gets_the_bounded_network_backend() -> None:
    """Shards come and go on demand; each one must bound its attempt's time (issue 13)."""
    with (
        serve(lambda _: SESSION) as server,
        verisoul.Verisoul(api_key=TEST_KEY, base_url=server.url) as client,
    ):
        client.create_liveness_session()
        pools = httpcore_pools(client._http._transport)
        assert pools
        for pool in pools:
            assert "Bounded" in type(pool._network_backend).__name__

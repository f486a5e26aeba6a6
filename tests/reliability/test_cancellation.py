"""Cancelling calls at random points never leaks a pooled connection.

Hundreds of calls are cancelled mid-flight (while connecting, sending, waiting for the
head, reading a trickling body, or sleeping before a retry) with an anyio cancel scope
(asyncio and trio), ``asyncio.Task.cancel``, ``asyncio.wait_for`` and a trio nursery
cancel. After every
cancellation the pool must have no request waiting and no connection checked out, and
the next call must succeed.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import threading
from collections.abc import Awaitable, Callable, Coroutine, Iterator
from typing import Any

import anyio
import httpcore
import httpx
import pytest
import trio

from verisoul import AsyncVerisoul
from verisoul._pool import httpcore_pools

from .._servers import Action, LoopbackServer, Received, json_action, serve
from ..conftest import TEST_KEY
from .conftest import OK_BODY, SESSION_ID
from .figures import record
from .settings import CANCEL_ITERATIONS

Canceller = Callable[[Callable[[], Awaitable[object]], float], Coroutine[Any, Any, None]]

OK = json_action(OK_BODY)


class RandomFaults:
    """Answers with a random short delay, a 503, or a trickled body (seeded)."""

    def __init__(self, seed: int) -> None:
        self._rng = random.Random(seed)
        self._lock = threading.Lock()
        self.enabled = True

    def __call__(self, _: Received) -> Action:
        with self._lock:
            roll = self._rng.random()
            delay = self._rng.uniform(0.0, 0.01)
        if not self.enabled or roll < 0.6:
            return Action(body=OK.body, delay=delay if self.enabled else 0.0)
        if roll < 0.8:
            return Action(503, b"", delay=delay)
        return Action(body=OK.body, trickle=0.002, chunk=8)


@pytest.fixture
def faults_server(request: pytest.FixtureRequest) -> Iterator[tuple[LoopbackServer, RandomFaults]]:
    handler = RandomFaults(seed=hash(request.node.name) & 0xFFFF)
    with serve(handler, record=False) as server:
        yield server, handler


@pytest.fixture(autouse=True)
def _fast_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("verisoul._retry.BACKOFF_INITIAL", 0.005)


def pools_of(client: AsyncVerisoul) -> list[httpcore.AsyncConnectionPool]:
    """Every httpcore pool of the client (the shards of the SDK's own pool)."""
    pools = httpcore_pools(client._http._transport)
    assert all(isinstance(pool, httpcore.AsyncConnectionPool) for pool in pools)
    return pools


def assert_pool_clean(client: AsyncVerisoul) -> None:
    """No request waits for a connection and no connection is checked out."""
    for pool in pools_of(client):
        assert pool._requests == []
        busy = [c for c in pool.connections if not (c.is_idle() or c.is_closed())]
        assert busy == [], busy


async def assert_recovers(client: AsyncVerisoul, handler: RandomFaults) -> None:
    """Once the faults stop, the next calls succeed and leave the pool clean."""
    handler.enabled = False
    sessions = [await client.create_liveness_session() for _ in range(3)]
    assert all(s.session_id == SESSION_ID for s in sessions)
    assert_pool_clean(client)


async def with_anyio_scope(call: Callable[[], Awaitable[object]], after: float) -> None:
    with anyio.move_on_after(after):
        await call()


async def with_task_cancel(call: Callable[[], Awaitable[object]], after: float) -> None:
    task = asyncio.ensure_future(call())
    await asyncio.sleep(after)
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)


async def with_asyncio_wait_for(call: Callable[[], Awaitable[object]], after: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(call(), after)


async def with_trio_nursery(call: Callable[[], Awaitable[object]], after: float) -> None:
    async def run() -> None:
        await call()

    async with trio.open_nursery() as nursery:
        nursery.start_soon(run)
        await trio.sleep(after)
        nursery.cancel_scope.cancel()


CANCELLERS: dict[str, tuple[str, Canceller]] = {
    "anyio cancel scope, asyncio": ("asyncio", with_anyio_scope),
    "anyio cancel scope, trio": ("trio", with_anyio_scope),
    "asyncio task.cancel": ("asyncio", with_task_cancel),
    "asyncio.wait_for": ("asyncio", with_asyncio_wait_for),
    "trio nursery cancel": ("trio", with_trio_nursery),
}


@pytest.mark.parametrize("name", list(CANCELLERS))
def test_cancel_at_random_points_leaks_nothing(
    name: str, faults_server: tuple[LoopbackServer, RandomFaults]
) -> None:
    backend, cancel = CANCELLERS[name]
    server, handler = faults_server
    rng = random.Random(name)

    async def main() -> dict[str, Any]:
        outcomes = {"cancelled": 0, "completed": 0}
        async with AsyncVerisoul(api_key=TEST_KEY, base_url=server.url, max_retries=3) as client:
            finished: list[object] = []

            async def call() -> object:
                result = await client.create_liveness_session()
                finished.append(result)
                return result

            for _ in range(CANCEL_ITERATIONS):
                before = len(finished)
                await cancel(call, rng.uniform(0.0, 0.02))
                outcomes["completed" if len(finished) > before else "cancelled"] += 1
                assert_pool_clean(client)
            await assert_recovers(client, handler)
        return outcomes

    outcomes = anyio.run(main, backend=backend)
    record("cancellation: calls cancelled mid-flight", outcomes["cancelled"])
    record("cancellation: calls completed before the cancel", outcomes["completed"])
    assert outcomes["cancelled"] + outcomes["completed"] == CANCEL_ITERATIONS
    # The random points must really land mid-flight most of the time.
    assert outcomes["cancelled"] >= CANCEL_ITERATIONS // 3


@pytest.mark.parametrize("name", list(CANCELLERS))
def test_cancel_under_pool_contention_leaks_nothing(
    name: str, faults_server: tuple[LoopbackServer, RandomFaults]
) -> None:
    """16 calls share 4 connections, so cancellations also hit calls queued for one."""
    backend, cancel = CANCELLERS[name]
    server, handler = faults_server
    rng = random.Random(name)
    rounds = max(1, CANCEL_ITERATIONS // 5)

    async def main() -> int:
        completed = 0
        http = httpx.AsyncClient(limits=httpx.Limits(max_connections=4))
        async with AsyncVerisoul(
            api_key=TEST_KEY, base_url=server.url, http_client=http, max_retries=3
        ) as client:

            async def call() -> object:
                nonlocal completed
                result = await client.create_liveness_session()
                completed += 1
                return result

            for _ in range(rounds):
                async with anyio.create_task_group() as group:
                    for _ in range(16):
                        group.start_soon(cancel, call, rng.uniform(0.0, 0.03))
                assert_pool_clean(client)
            await assert_recovers(client, handler)
        await http.aclose()
        return completed

    completed = anyio.run(main, backend=backend)
    record("cancellation: calls cancelled mid-flight", rounds * 16 - completed)
    record("cancellation: calls completed before the cancel", completed)
    assert completed < rounds * 16

"""Many calls at once on one client: one pool, no errors (async tasks and sync threads)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import anyio
import pytest

import verisoul

from ._servers import json_action, serve
from .conftest import TEST_KEY

BODY = {
    "request_id": "0f6d2c41-1b2a-4c3d-8e9f-a0b1c2d3e4f5",
    "session_id": "8a3e5b6f-5c3d-4d3e-9a6f-2b1c0d9e8f7a",
}
CALLS = 200


@pytest.mark.anyio
async def test_200_concurrent_calls_on_one_async_client() -> None:
    results: list[verisoul.types.LivenessSession] = []
    with serve(lambda _: json_action(BODY)) as server:
        async with verisoul.AsyncVerisoul(api_key=TEST_KEY, base_url=server.url) as client:
            pool = client._http

            async def one() -> None:
                results.append(await client.create_liveness_session())

            async with anyio.create_task_group() as tg:
                for _ in range(CALLS):
                    tg.start_soon(one)
            assert client._http is pool
    assert len(results) == CALLS
    assert all(r.session_id == BODY["session_id"] for r in results)
    assert len(server.requests) == CALLS
    assert server.connections <= CALLS  # one pool, bounded by the limits


def test_200_concurrent_calls_on_one_sync_client_from_threads() -> None:
    with (
        serve(lambda _: json_action(BODY)) as server,
        verisoul.Verisoul(api_key=TEST_KEY, base_url=server.url) as client,
        ThreadPoolExecutor(max_workers=32) as pool,
    ):
        results = list(pool.map(lambda _: client.create_liveness_session(), range(CALLS)))
    assert len(results) == CALLS
    assert len(server.requests) == CALLS
    assert server.connections <= 32

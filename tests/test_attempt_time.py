"""The bounded network backend of the SDK's pools (``_attempt_time``).

A cut attempt fails with the httpx timeout of the phase it was in: a connect cut short is
``ConnectTimeout`` (nothing sent, safe to retry even for a write), not a read timeout.
"""

from __future__ import annotations

import anyio
import httpx
import pytest

from verisoul import AsyncVerisoul, Verisoul
from verisoul._attempt_time import attempt_time_left

from ._servers import json_action, serve
from .conftest import TEST_KEY

OK = json_action({"request_id": "r", "session_id": "8a3e5b6f-5c3d-4d3e-9a6f-2b1c0d9e8f7a"})


def test_sync_connect_with_no_time_left_is_a_connect_timeout() -> None:
    with serve(lambda _: OK) as server, Verisoul(api_key=TEST_KEY, base_url=server.url) as c:
        with attempt_time_left(0.0), pytest.raises(httpx.ConnectTimeout):
            c._http.get(server.url)
        assert server.request_count == 0
        assert c._http.get(server.url).status_code == 200  # outside an attempt: unbounded


@pytest.mark.parametrize("backend", ["asyncio", "trio"])
def test_async_connect_with_no_time_left_is_a_connect_timeout(backend: str) -> None:
    async def main(url: str) -> int:
        async with AsyncVerisoul(api_key=TEST_KEY, base_url=url) as client:
            with attempt_time_left(0.0), pytest.raises(httpx.ConnectTimeout):
                await client._http.get(url)
            return (await client._http.get(url)).status_code

    with serve(lambda _: OK) as server:
        assert anyio.run(main, server.url, backend=backend) == 200
        assert server.request_count == 1

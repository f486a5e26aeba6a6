"""``examples/fastapi_app.py`` under 200 concurrent users: no errors, one SDK client, one pool.

Each user is a browser of its own (its own HTTP client and connection). Verisoul is the fake
behind a loopback server that counts the TCP connections it accepts: the app's one client
keeps them alive and reuses them, where a client per request would open one per call.
"""

from __future__ import annotations

import ssl
from collections.abc import Iterator

import anyio
import httpx
import pytest

from verisoul.testing import FakeVerisoul

from ..conftest import TEST_KEY
from .conftest import ClientSpy, CountingServer, forward_to, load_example, uvicorn_server

USERS = 200
#: Generous: the burst takes 1-3 s on an idle 2-core machine, longer on a busy one.
BURST_TIMEOUT = 60


@pytest.fixture
def counting_verisoul(
    fake: FakeVerisoul, monkeypatch: pytest.MonkeyPatch
) -> Iterator[CountingServer]:
    server = CountingServer(forward_to(fake), record=False)
    try:
        monkeypatch.setenv("VERISOUL_API_KEY", TEST_KEY)
        monkeypatch.setenv("VERISOUL_BASE_URL", server.url)
        yield server
    finally:
        server.close()


@pytest.fixture
def app_url(
    counting_verisoul: CountingServer, sdk_clients: ClientSpy, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    with uvicorn_server(load_example("fastapi_app", monkeypatch).app) as url:
        yield url


async def start_all(app_url: str, accounts: list[str]) -> list[httpx.Response]:
    """Every account starts Face Match at once, each from its own browser."""
    tls = ssl.create_default_context()  # built once: loading CA files 200 times is slow
    answers: dict[str, httpx.Response] = {}

    async def user(account: str) -> None:
        async with httpx.AsyncClient(base_url=app_url, verify=tls, timeout=30) as browser:
            answers[account] = await browser.post(
                "/face-match/start", json={"account_id": account}
            )

    with anyio.fail_after(BURST_TIMEOUT):
        async with anyio.create_task_group() as tasks:
            for account in accounts:
                tasks.start_soon(user, account)
    return [answers[account] for account in accounts]


@pytest.mark.anyio
async def test_200_concurrent_users_share_one_client_and_pool(
    app_url: str, fake: FakeVerisoul, sdk_clients: ClientSpy, counting_verisoul: CountingServer
) -> None:
    accounts = [f"acct-{n}" for n in range(USERS)]

    answers = await start_all(app_url, accounts)

    assert [answer.status_code for answer in answers] == [200] * USERS
    sessions = {answer.json()["session_id"] for answer in answers}
    assert sessions == set(fake.issued_sessions())
    assert len(sessions) == USERS
    assert len(sdk_clients.created) == 1
    assert counting_verisoul.request_count == USERS
    opened = counting_verisoul.connections
    assert opened <= USERS  # at most one per concurrent call

    # Later calls reuse the pool's kept-alive connections.
    more = await start_all(app_url, ["late-1"])
    more += await start_all(app_url, ["late-2"])
    assert [answer.status_code for answer in more] == [200, 200]
    assert counting_verisoul.connections == opened
    assert len(sdk_clients.created) == 1

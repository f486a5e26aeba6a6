"""The async in-process transport and the loopback server from ``httpx.AsyncClient``."""

from __future__ import annotations

import time

import httpx
import pytest

from verisoul.testing import FakeVerisoul

from .conftest import KEY


def _async_http(fake: FakeVerisoul) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=fake.async_transport(), base_url="https://f", headers={"x-api-key": KEY}
    )


@pytest.mark.anyio
async def test_async_flow(fake: FakeVerisoul) -> None:
    async with _async_http(fake) as http:
        session = (await http.get("/liveness/session")).json()["session_id"]
        fake.complete_session(session, face="carol")
        enrol = await http.post(
            "/liveness/enroll", json={"session_id": session, "account_id": "c"}
        )
        assert enrol.status_code == 200
        again = (await http.get("/liveness/session")).json()["session_id"]
        fake.complete_session(again, face="carol")
        verdict = await http.post(
            "/liveness/verify-identity", json={"session_id": again, "account_id": "c"}
        )
        assert verdict.json()["match"] is True


@pytest.mark.anyio
async def test_async_delay_and_timeout(fake: FakeVerisoul) -> None:
    fake.delay_next(0.05)
    fake.delay_next(10)
    async with _async_http(fake) as http:
        started = time.monotonic()
        assert (await http.get("/liveness/session")).status_code == 200
        assert time.monotonic() - started >= 0.05
        with pytest.raises(httpx.ReadTimeout):
            await http.get("/liveness/session", timeout=httpx.Timeout(1, read=0.05))


@pytest.mark.anyio
async def test_async_drop_and_status(fake: FakeVerisoul) -> None:
    fake.drop_next()
    fake.fail_next(503, retry_after=1)
    async with _async_http(fake) as http:
        with pytest.raises(httpx.RemoteProtocolError):
            await http.get("/liveness/session")
        assert (await http.get("/liveness/session")).status_code == 503
        assert (await http.get("/liveness/session")).status_code == 200


@pytest.mark.anyio
async def test_async_client_over_loopback(fake: FakeVerisoul) -> None:
    with fake.serve() as url:
        async with httpx.AsyncClient(base_url=url, headers={"x-api-key": KEY}) as http:
            fake.drop_next()
            with pytest.raises(httpx.RemoteProtocolError):
                await http.get("/liveness/session")
            for _ in range(3):
                assert (await http.get("/liveness/session")).status_code == 200
    assert len(fake.issued_sessions()) == 3

"""Fault matrix on a real loopback server: every way the network or a proxy can fail.

Each case ends in success or in exactly one documented exception type, after the
expected number of attempts and within the call's deadline. Written once for
AsyncVerisoul (run on asyncio and trio); tests/_sync/ holds the generated twin.
"""

from __future__ import annotations

import json
import threading
import time
from typing import Any

import attrs
import httpx
import pytest

import verisoul
from verisoul import AsyncVerisoul
from verisoul._concurrency import async_sleep

from .._servers import Action, Received, json_action, serve, unused_port
from ..conftest import TEST_KEY
from ..reliability.figures import record

SESSION_ID = "8a3e5b6f-5c3d-4d3e-9a6f-2b1c0d9e8f7a"
REQUEST_ID = "0f6d2c41-1b2a-4c3d-8e9f-a0b1c2d3e4f5"
OK_BODY = {"request_id": REQUEST_ID, "session_id": SESSION_ID}
OK = json_action(OK_BODY)
OK_BYTES = OK.body

#: Every call in the matrix gets this total budget; none may take longer.
DEADLINE = 3.0
#: Reads time out fast so the slow cases stay quick; connecting stays generous.
TIMEOUT = httpx.Timeout(2.0, read=0.25)
MAX_RETRIES = 2
TEN_MB = 10 * 1024 * 1024

HTML = (("content-type", "text/html"),)
RESET = Action(reset=True)
DROP = Action(drop=True)
RESET_MID_BODY = Action(body=OK_BYTES, reset_after=len(OK_BYTES) // 2)
TRICKLE_SLOWER_THAN_READ = Action(body=OK_BYTES, trickle=0.4, chunk=8)
PROXY_502 = Action(502, b"<html><body><h1>502 Bad Gateway</h1>nginx</body></html>", HTML)
BIG_JSON = json.dumps({**OK_BODY, "padding": "x" * TEN_MB}).encode()
BIG_HTML_502 = Action(
    502, b"<html>" + b"<p>upstream error</p>" * (TEN_MB // 20) + b"</html>", HTML
)


@attrs.frozen
class Fault:
    """One row of the matrix.

    Attributes:
        script: The server's answers in order; the last one repeats.
        outcome: The one exception type the call must raise, or None for success.
        attempts: HTTP attempts the call must make (the server counts them too).
    """

    script: tuple[Action, ...]
    outcome: type[verisoul.VerisoulError] | None
    attempts: int


FAULTS: dict[str, Fault] = {
    "reset before the response, once": Fault((RESET, OK), None, 2),
    "reset before the response, always": Fault((RESET,), verisoul.APIConnectionError, 3),
    "closed before the response, always": Fault((DROP,), verisoul.APIConnectionError, 3),
    "reset mid-body, once": Fault((RESET_MID_BODY, OK), None, 2),
    "reset mid-body, always": Fault((RESET_MID_BODY,), verisoul.APIConnectionError, 3),
    "first byte slower than the read timeout, once": Fault(
        (Action(body=OK_BYTES, delay=0.5), OK), None, 2
    ),
    "body trickling slower than the read timeout": Fault(
        (TRICKLE_SLOWER_THAN_READ,), verisoul.APITimeoutError, 3
    ),
    "HTML 502 from a proxy, once": Fault((PROXY_502, OK), None, 2),
    "HTML 502 from a proxy, always": Fault((PROXY_502,), verisoul.InternalServerError, 3),
    "non-JSON 200": Fault(
        (Action(body=b"<html>maintenance</html>", headers=HTML),),
        verisoul.APIResponseValidationError,
        1,
    ),
    "JSON of the wrong shape": Fault(
        (json_action({"request_id": REQUEST_ID, "session_id": 7}),),
        verisoul.APIResponseValidationError,
        1,
    ),
    "JSON array instead of object": Fault(
        (json_action([OK_BODY]),), verisoul.APIResponseValidationError, 1
    ),
    "10 MB JSON body, over max_response_bytes": Fault(
        (Action(body=BIG_JSON),), verisoul.APIResponseValidationError, 1
    ),
    "10 MB HTML 502": Fault((BIG_HTML_502,), verisoul.InternalServerError, 3),
    "no content-type on a 200": Fault((Action(body=OK_BYTES, headers=()),), None, 1),
    "no content-type on a 503": Fault(
        (Action(503, b"", headers=()),), verisoul.InternalServerError, 3
    ),
    "Retry-After beyond the deadline": Fault(
        (Action(503, b"", headers=(("retry-after", "30"),)),), verisoul.InternalServerError, 1
    ),
    "429 whose Retry-After is beyond the deadline": Fault(
        (Action(429, b"", headers=(("retry-after", "30"),)),), verisoul.RateLimitError, 1
    ),
}


class Script:
    """A server handler that plays actions in order, repeating the last."""

    def __init__(self, *actions: Action) -> None:
        self.actions = list(actions)
        self._lock = threading.Lock()

    def __call__(self, _: Received) -> Action:
        with self._lock:
            return self.actions.pop(0) if len(self.actions) > 1 else self.actions[0]


@pytest.fixture(autouse=True)
def _fast_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    """Real sleeps, but short ones: the matrix is about outcomes, not waiting."""
    monkeypatch.setattr("verisoul._retry.BACKOFF_INITIAL", 0.02)


def make_client(url: str, **kwargs: Any) -> AsyncVerisoul:
    kwargs.setdefault("timeout", TIMEOUT)
    kwargs.setdefault("max_retries", MAX_RETRIES)
    kwargs.setdefault("deadline", DEADLINE)
    return AsyncVerisoul(api_key=TEST_KEY, base_url=url, **kwargs)


def check_error(err: verisoul.VerisoulError, attempts: int) -> None:
    """Exact attempts, a bounded message, and no secret in it."""
    assert isinstance(err, verisoul.APIError)
    assert err.attempts == attempts
    assert len(str(err)) < 1000
    assert TEST_KEY not in str(err)
    assert TEST_KEY not in repr(err)


@pytest.mark.anyio
@pytest.mark.parametrize("name", list(FAULTS))
async def test_fault(name: str) -> None:
    fault = FAULTS[name]
    with serve(Script(*fault.script)) as server:
        async with make_client(server.url) as client:
            started = time.monotonic()
            try:
                session = await client.create_liveness_session()
            except verisoul.VerisoulError as exc:
                error: verisoul.VerisoulError | None = exc
            else:
                error = None
                assert session.session_id == SESSION_ID
            elapsed = time.monotonic() - started
    record("fault matrix: cases run")
    record("fault matrix: HTTP attempts", server.request_count)
    assert type(error) is (fault.outcome or type(None)), error
    if error is not None:
        check_error(error, fault.attempts)
        record("fault matrix: documented errors raised")
    assert server.request_count == fault.attempts
    assert elapsed <= DEADLINE


@pytest.mark.anyio
async def test_connection_refused() -> None:
    async with make_client(f"http://127.0.0.1:{unused_port()}") as client:
        started = time.monotonic()
        with pytest.raises(verisoul.APIConnectionError) as info:
            await client.create_liveness_session()
        elapsed = time.monotonic() - started
    record("fault matrix: cases run")
    assert type(info.value) is verisoul.APIConnectionError
    assert isinstance(info.value.__cause__, httpx.ConnectError)
    assert info.value.outcome_unknown is False
    check_error(info.value, 3)
    assert elapsed <= DEADLINE


@pytest.mark.anyio
async def test_idle_keep_alive_closed_by_server_is_transparent() -> None:
    """The server closes a pooled connection while idle: the pool notices, no retry."""
    with serve(Script(Action(body=OK_BYTES, idle_close=0.05), OK)) as server:
        async with make_client(server.url) as client:
            await client.create_liveness_session()
            assert server.connections == 1
            await async_sleep(0.3)  # the server hangs up the idle connection meanwhile
            session = await client.create_liveness_session()
    record("fault matrix: cases run")
    assert session.session_id == SESSION_ID
    assert server.request_count == 2  # no retry was needed
    assert server.connections == 2


@pytest.mark.anyio
async def test_keep_alive_race_is_retried_transparently() -> None:
    """The server drops a reused connection just as the next request arrives."""
    with serve(Script(OK, DROP, OK)) as server:
        async with make_client(server.url) as client:
            await client.create_liveness_session()
            session = await client.create_liveness_session()
    record("fault matrix: cases run")
    assert session.session_id == SESSION_ID
    assert server.request_count == 3
    assert server.connections == 2


@pytest.mark.anyio
async def test_trickle_within_read_timeout_still_meets_the_deadline() -> None:
    """Each chunk beats the read timeout, the whole body does not beat the deadline."""
    trickle = Action(body=OK_BYTES, trickle=0.05, chunk=1)  # ~3 s for the body
    with serve(Script(trickle)) as server:
        async with make_client(server.url, timeout=5.0, deadline=0.6) as client:
            started = time.monotonic()
            with pytest.raises(verisoul.APITimeoutError) as info:
                await client.create_liveness_session()
            elapsed = time.monotonic() - started
    record("fault matrix: cases run")
    assert "deadline of 0.6 s" in str(info.value)
    assert info.value.attempts == 1
    assert elapsed <= 0.6 + 0.3  # at most one chunk interval late, plus a loaded CI machine

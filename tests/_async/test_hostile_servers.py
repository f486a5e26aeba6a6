"""Hostile servers (issue 13): every call ends in bounded time and memory, the key stays home.

Classes of fault, each with several members, on a real loopback server:

* bodies too large to hold: plain, chunked without end, gzip / zlib / raw-deflate bombs,
  on 2xx and error statuses: one documented error naming the limit, the connection
  dropped, the peak RSS growth measured (Linux) and bounded by about twice the limit;
* attempts that never finish: an endless body, a body or headers trickling in just within
  the read timeout: each attempt ends within its budget (the largest ``timeout`` value),
  with no ``deadline``;
* redirects to another origin, whatever the injected http client's ``follow_redirects``;
* proxies from the environment: loopback never goes through one, a broken variable is a
  ``VerisoulError`` naming it.

Written once for AsyncVerisoul, run on each ``anyio_backend`` of the conftest; tests/_sync/
holds the generated twin.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest

import verisoul
from verisoul import AsyncVerisoul
from verisoul._body import DEFAULT_MAX_RESPONSE_BYTES

from .._hostile import MIB, PeakMemory, Stream, bomb, endless, pieces_of, serve_hostile, sized
from .._servers import Action, Received, json_action, serve
from ..conftest import TEST_KEY
from ..reliability.figures import measure, record

SESSION_ID = "8a3e5b6f-5c3d-4d3e-9a6f-2b1c0d9e8f7a"
REQUEST_ID = "0f6d2c41-1b2a-4c3d-8e9f-a0b1c2d3e4f5"
OK = json_action({"request_id": REQUEST_ID, "session_id": SESSION_ID})
LIMIT = DEFAULT_MAX_RESPONSE_BYTES
#: RSS the test process may gain besides the body buffers (allocator slack, threads).
RSS_SLACK = 32 * MIB
#: What a bounded call may take beyond its budget on a loaded 2-core CI machine.
TIME_SLACK = 1.5

TRIED = "hardening: hostile behaviours tried"
UNBOUNDED = "hardening: calls unbounded in time or memory"
LEAKS = "hardening: key sent to another origin or proxy"


class Script:
    """Plays answers in order, repeating the last."""

    def __init__(self, *answers: Any) -> None:
        self.answers = list(answers)

    def __call__(self, _: Received) -> Any:
        return self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]


def client_for(url: str, **kwargs: Any) -> AsyncVerisoul:
    return AsyncVerisoul(api_key=TEST_KEY, base_url=url, **kwargs)


def gzip_header(name: str) -> tuple[tuple[str, str], ...]:
    return (("content-type", "application/json"), ("content-encoding", name))


def _bomb(name: str, wbits: int, decoded: int, status: int = 200) -> Callable[[], Stream]:
    def make() -> Stream:  # built when the test runs, not at collection
        data = bomb(decoded, wbits)
        return Stream(pieces_of(data), status=status, length=len(data), headers=gzip_header(name))

    return make


# -- memory -------------------------------------------------------------------------------

#: name -> (the answer, the error it must end in)
BIG_BODIES: dict[str, tuple[Callable[[], Stream], type[verisoul.APIError]]] = {
    "200 MB JSON body (content-length)": (
        lambda: Stream(sized(200 * MIB), length=200 * MIB),
        verisoul.APIResponseValidationError,
    ),
    "chunked body without end, at full speed": (
        lambda: Stream(endless(b" " * 64 * 1024)),
        verisoul.APIResponseValidationError,
    ),
    "gzip bomb: 1 MB on the wire, 1 GiB decoded": (
        _bomb("gzip", 31, 1024 * MIB),
        verisoul.APIResponseValidationError,
    ),
    "x-gzip bomb, 256 MiB decoded": (
        _bomb("x-gzip", 31, 256 * MIB),
        verisoul.APIResponseValidationError,
    ),
    "deflate (zlib) bomb, 256 MiB decoded": (
        _bomb("deflate", 15, 256 * MIB),
        verisoul.APIResponseValidationError,
    ),
    "deflate (raw) bomb, 256 MiB decoded": (
        _bomb("deflate", -15, 256 * MIB),
        verisoul.APIResponseValidationError,
    ),
    "503 with a 200 MB HTML body": (
        lambda: Stream(sized(200 * MIB), status=503, length=200 * MIB, headers=()),
        verisoul.InternalServerError,
    ),
    "429 with a gzip bomb": (
        _bomb("gzip", 31, 256 * MIB, status=429),
        verisoul.RateLimitError,
    ),
}


@pytest.mark.anyio
@pytest.mark.parametrize("name", list(BIG_BODIES))
async def test_body_over_the_limit_is_not_read(name: str) -> None:
    make, error_class = BIG_BODIES[name]
    with serve_hostile(Script(make(), OK)) as server:
        async with client_for(server.url, max_retries=0, timeout=10.0) as client:
            with PeakMemory() as peak, pytest.raises(verisoul.APIError) as info:
                await client.create_liveness_session()
            # The connection was dropped, not returned to the pool: the next call
            # opens a new one (and works).
            session = await client.create_liveness_session()
    record(TRIED)
    error = info.value
    assert type(error) is error_class
    assert error.attempts == 1
    assert f"max_response_bytes={LIMIT}" in str(error)
    assert TEST_KEY not in str(error)
    assert session.session_id == SESSION_ID
    assert server.connections == 2
    if peak.growth is not None:
        measure(f"memory: peak RSS growth, {name}", f"{peak.growth / MIB:.1f} MiB")
        bounded = peak.growth <= 2 * LIMIT + RSS_SLACK
        record(UNBOUNDED, 0 if bounded else 1)
        assert bounded, f"{peak.growth / MIB:.0f} MiB"


@pytest.mark.anyio
async def test_error_status_over_the_limit_is_still_retried() -> None:
    """A 502 page too large to read is still a 502: retried, then InternalServerError."""
    huge = Stream(sized(50 * MIB), status=502, length=50 * MIB, headers=())
    with serve_hostile(Script(huge, huge, OK)) as server:
        async with client_for(server.url, max_retries=2, max_response_bytes=MIB) as client:
            client_retries_fast(client)
            session = await client.create_liveness_session()
    record(TRIED)
    assert session.session_id == SESSION_ID
    assert server.request_count == 3


@pytest.mark.anyio
@pytest.mark.parametrize("limit", [1, 1024, MIB])
async def test_limit_is_exact(limit: int) -> None:
    """A body of exactly the limit is read; one byte more is not."""
    fits = b'"' + b"x" * (limit - 2) + b'"' if limit >= 2 else b"7"
    over = fits + b" "
    with serve(Script(Action(body=fits), Action(body=over))) as server:
        async with client_for(server.url, max_retries=0, max_response_bytes=limit) as client:
            with pytest.raises(verisoul.APIResponseValidationError) as first:
                await client.create_liveness_session()  # valid JSON, not a session
            with pytest.raises(verisoul.APIResponseValidationError) as second:
                await client.create_liveness_session()
    assert "max_response_bytes" not in str(first.value)
    assert f"max_response_bytes={limit}" in str(second.value)


@pytest.mark.anyio
async def test_with_options_changes_the_limit() -> None:
    body = Stream(sized(3 * MIB), length=3 * MIB)
    with serve_hostile(Script(body)) as server:
        async with client_for(server.url, max_retries=0) as client:
            small = client.with_options(max_response_bytes=MIB)
            assert small.max_response_bytes == MIB
            assert client.max_response_bytes == LIMIT
            with pytest.raises(verisoul.APIResponseValidationError, match="=1048576 bytes"):
                await small.create_liveness_session()
            with pytest.raises(verisoul.APIResponseValidationError, match="not JSON"):
                await client.create_liveness_session()  # read whole: 3 MiB fits in 8


@pytest.mark.parametrize("bad", [0, -1, 1.5, "1", True])
def test_max_response_bytes_is_validated(bad: Any) -> None:
    with pytest.raises((TypeError, ValueError)):
        AsyncVerisoul(api_key=TEST_KEY, max_response_bytes=bad)


def client_retries_fast(client: AsyncVerisoul) -> None:
    async def no_wait(_: float) -> None:
        return None

    setattr(client, "_sleep", no_wait)  # noqa: B010 - replaces a method on the instance


# -- time ---------------------------------------------------------------------------------

#: name -> (answer, timeout): every call must end within (max_retries + 1) x the budget.
SLOW_ANSWERS: dict[str, tuple[Any, Any]] = {
    "chunked body without end, 1 KiB every 50 ms": (
        Stream(endless(), interval=0.05),
        1.0,
    ),
    "a body byte every 0.5 s (read timeout 2 s)": (
        Stream(sized(1000, piece=1), length=1000, interval=0.5),
        2.0,
    ),
    "headers one byte every 0.2 s": (
        Stream(sized(10), length=10, head_interval=0.2),
        1.0,
    ),
    "a body byte every 0.2 s, httpx.Timeout(1.5, connect=0.5)": (
        Stream(sized(1000, piece=1), length=1000, interval=0.2),
        httpx.Timeout(1.5, connect=0.5),
    ),
}


@pytest.mark.anyio
@pytest.mark.parametrize("retries", [0, 1])
@pytest.mark.parametrize("name", list(SLOW_ANSWERS))
async def test_every_attempt_ends_within_its_budget(name: str, retries: int) -> None:
    answer, timeout = SLOW_ANSWERS[name]
    budget = timeout if isinstance(timeout, float) else 1.5
    with serve_hostile(Script(answer)) as server:
        async with client_for(server.url, timeout=timeout, max_retries=retries) as client:
            client_retries_fast(client)
            started = time.monotonic()
            with pytest.raises(verisoul.APITimeoutError) as info:
                await client.create_liveness_session()
            elapsed = time.monotonic() - started
    record(TRIED)
    bound = (retries + 1) * budget + TIME_SLACK
    record(UNBOUNDED, 0 if elapsed <= bound else 1)
    measure(f"time: {name}, max_retries={retries}", f"{elapsed:.2f} s (bound {bound:.1f} s)")
    assert info.value.attempts == retries + 1
    assert server.request_count == retries + 1
    assert elapsed <= bound


@pytest.mark.anyio
@pytest.mark.parametrize(
    "name", ["headers one byte every 0.2 s", "a body byte every 0.5 s (read timeout 2 s)"]
)
async def test_attempt_budget_with_an_injected_client(name: str) -> None:
    """The bound holds through a caller's own httpx client too."""
    answer, timeout = SLOW_ANSWERS[name]
    http = httpx.AsyncClient(timeout=timeout)
    with serve_hostile(Script(answer)) as server:
        async with client_for(server.url, http_client=http, max_retries=0) as client:
            started = time.monotonic()
            with pytest.raises(verisoul.APITimeoutError):
                await client.create_liveness_session()
            elapsed = time.monotonic() - started
    await http.aclose()
    record(TRIED)
    record(UNBOUNDED, 0 if elapsed <= timeout + TIME_SLACK else 1)
    assert elapsed <= timeout + TIME_SLACK


@pytest.mark.anyio
async def test_a_timeout_without_limits_keeps_no_budget() -> None:
    """``httpx.Timeout(None)`` lifts every limit: a slow body is waited for."""
    slow = Stream(sized(4, piece=1), length=4, interval=0.3)
    with serve_hostile(Script(Action(body=b"{}"), slow)) as server:
        async with client_for(server.url, timeout=httpx.Timeout(None), max_retries=0) as c:
            with pytest.raises(verisoul.APIResponseValidationError):
                await c.create_liveness_session()
            with pytest.raises(verisoul.APIResponseValidationError, match="not JSON"):
                await c.create_liveness_session()  # 1.2 s of body, read whole


# -- redirects ----------------------------------------------------------------------------


@pytest.mark.anyio
@pytest.mark.parametrize("injected", [True, False], ids=["injected follow_redirects", "own"])
@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
async def test_redirects_are_never_followed(status: int, injected: bool) -> None:
    with serve(lambda _: OK) as elsewhere:
        target = f"{elsewhere.url}/steal"
        redirect = Action(status, b"", headers=(("location", target),))
        with serve(Script(redirect)) as server:
            kwargs: dict[str, Any] = {}
            if injected:
                kwargs["http_client"] = httpx.AsyncClient(follow_redirects=True)
            async with client_for(server.url, **kwargs) as client:
                with pytest.raises(verisoul.APIStatusError) as info:
                    await client.create_liveness_session()
            if injected:
                await kwargs["http_client"].aclose()
    record(TRIED)
    record(LEAKS, elsewhere.request_count)
    assert elsewhere.request_count == 0
    assert type(info.value) is verisoul.APIStatusError
    assert info.value.status_code == status
    assert info.value.attempts == 1


@pytest.mark.anyio
async def test_redirect_to_clear_text_host_is_not_followed() -> None:
    """Even to a non-loopback http:// host that base_url itself would refuse."""
    redirect = Action(307, b"", headers=(("location", "http://203.0.113.7/liveness"),))
    http = httpx.AsyncClient(follow_redirects=True, timeout=1.0)
    with serve(Script(redirect)) as server:
        async with client_for(server.url, http_client=http) as client:
            with pytest.raises(verisoul.APIStatusError) as info:
                await client.create_liveness_session()
    await http.aclose()
    record(TRIED)
    assert info.value.status_code == 307


# -- proxies from the environment ---------------------------------------------------------

PROXY_VARIABLES = ["HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"]


@pytest.fixture
def clean_proxy_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    return monkeypatch


@pytest.mark.anyio
@pytest.mark.parametrize("variable", PROXY_VARIABLES)
async def test_loopback_never_goes_through_an_environment_proxy(
    variable: str, clean_proxy_env: pytest.MonkeyPatch
) -> None:
    with serve(lambda _: OK) as proxy, serve(lambda _: OK) as api:
        clean_proxy_env.setenv(variable, proxy.url)
        async with client_for(api.url) as client:
            session = await client.create_liveness_session()
    record(TRIED)
    record(LEAKS, proxy.request_count)
    assert session.session_id == SESSION_ID
    assert proxy.request_count == 0
    assert api.request_count == 1


@pytest.mark.anyio
async def test_other_hosts_still_use_the_environment_proxy(
    clean_proxy_env: pytest.MonkeyPatch,
) -> None:
    """The proxy is still honoured where it applies (here a plain-http API host)."""
    with serve(lambda _: OK) as proxy:
        clean_proxy_env.setenv("HTTP_PROXY", proxy.url)
        async with client_for(
            "http://verisoul.example.test", allow_insecure_http=True, max_retries=0
        ) as client:
            session = await client.create_liveness_session()
    assert session.session_id == SESSION_ID
    (seen,) = proxy.requests
    assert seen.target == "http://verisoul.example.test/liveness/session"


BROKEN = {
    "unknown scheme": ("HTTPS_PROXY", "ftp://user:hunter2@proxy.example:21"),
    "socks4": ("ALL_PROXY", "socks4://proxy.example:1080"),
    "lower case": ("https_proxy", "gopher://proxy.example"),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_a_broken_proxy_variable_is_a_clear_error(
    case: str, clean_proxy_env: pytest.MonkeyPatch
) -> None:
    variable, value = BROKEN[case]
    clean_proxy_env.setenv(variable, value)
    with pytest.raises(verisoul.VerisoulError, match=variable) as info:
        AsyncVerisoul(api_key=TEST_KEY)
    record(TRIED)
    assert "hunter2" not in str(info.value)
    assert value not in str(info.value)


def test_a_socks_proxy_without_its_extra_is_a_clear_error(
    clean_proxy_env: pytest.MonkeyPatch,
) -> None:
    import importlib.util

    if importlib.util.find_spec("socksio") is not None:
        pytest.skip("socksio is installed here")
    clean_proxy_env.setenv("ALL_PROXY", "socks5://proxy.example:1080")
    with pytest.raises(verisoul.VerisoulError, match="ALL_PROXY.*httpx\\[socks\\]"):
        AsyncVerisoul(api_key=TEST_KEY)
    record(TRIED)


@pytest.mark.anyio
async def test_a_broken_variable_does_not_matter_for_loopback(
    clean_proxy_env: pytest.MonkeyPatch,
) -> None:
    clean_proxy_env.setenv("ALL_PROXY", "socks4://proxy.example:1080")
    with serve(lambda _: OK) as api:
        async with client_for(api.url) as client:
            await client.create_liveness_session()
    assert api.request_count == 1

"""Behaviour of the client core, on create_liveness_session.

Written once for AsyncVerisoul; tests/_sync/ holds the generated twin for Verisoul.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from typing import Any

import httpx
import pytest

import verisoul
from verisoul import AsyncVerisoul

from ..conftest import TEST_KEY

SESSION_ID = "8a3e5b6f-5c3d-4d3e-9a6f-2b1c0d9e8f7a"
REQUEST_ID = "0f6d2c41-1b2a-4c3d-8e9f-a0b1c2d3e4f5"
REFERRING = "2c9f8e7d-6b5a-4f3e-8d2c-1b0a9f8e7d6c"
OK_BODY = {"request_id": REQUEST_ID, "session_id": SESSION_ID}

Responder = Callable[[httpx.Request], httpx.Response]


class Recorder:
    """A MockTransport handler that records requests and plays scripted responses."""

    def __init__(self, *responses: httpx.Response | Exception) -> None:
        self.responses = list(responses)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        item = self.responses.pop(0) if len(self.responses) > 1 else self.responses[0]
        if isinstance(item, Exception):
            raise item
        return item


def ok() -> httpx.Response:
    return httpx.Response(200, json=OK_BODY)


def make_client(handler: Responder, **kwargs: Any) -> AsyncVerisoul:
    http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    kwargs.setdefault("api_key", TEST_KEY)
    return AsyncVerisoul(http_client=http, **kwargs)


class SleepRecorder:
    """Replaces the client's sleep so retry tests run instantly."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)


def instant(client: AsyncVerisoul, monkeypatch: pytest.MonkeyPatch) -> SleepRecorder:
    sleeper = SleepRecorder()
    monkeypatch.setattr(client, "_sleep", sleeper)
    return sleeper


# -- request shape ----------------------------------------------------------------------


@pytest.mark.anyio
async def test_request_shape_and_headers() -> None:
    rec = Recorder(ok())
    async with make_client(rec) as client:
        session = await client.create_liveness_session()
    assert session == verisoul.types.LivenessSession(session_id=SESSION_ID, request_id=REQUEST_ID)
    (request,) = rec.requests
    assert request.method == "GET"
    assert str(request.url) == "https://api.sandbox.verisoul.ai/liveness/session"
    assert request.headers["x-api-key"] == TEST_KEY
    assert request.headers["user-agent"] == f"verisoul-python/{verisoul.__version__}"
    assert request.content == b""


@pytest.mark.anyio
async def test_query_params_only_when_given() -> None:
    rec = Recorder(ok())
    async with make_client(rec) as client:
        await client.create_liveness_session(REFERRING.upper(), simulate="success")
        await client.create_liveness_session(uuid.UUID(REFERRING))
    first, second = rec.requests
    assert dict(first.url.params) == {"referring_session_id": REFERRING, "simulate": "success"}
    assert dict(second.url.params) == {"referring_session_id": REFERRING}


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("environment", "host"),
    [("sandbox", "api.sandbox.verisoul.ai"), ("production", "api.prod.verisoul.ai")],
)
async def test_environments(environment: str, host: str) -> None:
    rec = Recorder(ok())
    async with make_client(rec, environment=environment) as client:
        assert client.environment == environment
        await client.create_liveness_session()
    assert rec.requests[0].url.host == host


@pytest.mark.anyio
async def test_env_var_fallbacks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VERISOUL_API_KEY", TEST_KEY)
    monkeypatch.setenv("VERISOUL_ENVIRONMENT", "production")
    rec = Recorder(ok())
    async with AsyncVerisoul(
        http_client=httpx.AsyncClient(transport=httpx.MockTransport(rec))
    ) as c:
        await c.create_liveness_session()
    assert rec.requests[0].headers["x-api-key"] == TEST_KEY
    assert rec.requests[0].url.host == "api.prod.verisoul.ai"


@pytest.mark.anyio
async def test_base_url_overrides_environment() -> None:
    rec = Recorder(ok())
    async with make_client(rec, environment="production", base_url="https://proxy.test/v/") as c:
        assert c.environment is None
        await c.create_liveness_session()
    assert str(rec.requests[0].url) == "https://proxy.test/v/liveness/session"


def test_missing_key_names_the_env_var() -> None:
    with pytest.raises(verisoul.VerisoulError, match="VERISOUL_API_KEY"):
        AsyncVerisoul()


def test_unknown_environment_is_a_clear_error() -> None:
    with pytest.raises(verisoul.VerisoulError, match="'staging'.*sandbox.*production"):
        AsyncVerisoul(api_key=TEST_KEY, environment="staging")


def test_clear_text_http_to_remote_host_refused() -> None:
    with pytest.raises(verisoul.VerisoulError, match="allow_insecure_http"):
        AsyncVerisoul(api_key=TEST_KEY, base_url="http://api.example.com")


@pytest.mark.anyio
async def test_clear_text_http_allowed_for_loopback_and_opt_in() -> None:
    cases: list[tuple[str, dict[str, Any]]] = [
        ("http://127.0.0.1:9", {}),
        ("http://10.0.0.1", {"allow_insecure_http": True}),
    ]
    for url, extra in cases:
        async with AsyncVerisoul(api_key=TEST_KEY, base_url=url, **extra) as client:
            assert str(client.base_url).startswith("http://")


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"timeout": -1}, ValueError),
        ({"timeout": "10"}, TypeError),
        ({"max_retries": -1}, ValueError),
        ({"max_retries": 1.5}, TypeError),
        ({"deadline": 0}, ValueError),
        ({"http_client": object()}, TypeError),
    ],
)
def test_bad_constructor_arguments(kwargs: dict[str, Any], error: type[Exception]) -> None:
    with pytest.raises(error):
        AsyncVerisoul(api_key=TEST_KEY, **kwargs)


# -- bad input sends nothing ------------------------------------------------------------


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"referring_session_id": 12345}, TypeError),
        ({"referring_session_id": b"2c9f8e7d"}, TypeError),
        ({"referring_session_id": "not-a-uuid"}, ValueError),
        ({"referring_session_id": ""}, ValueError),
        ({"simulate": ""}, ValueError),
        ({"simulate": 3}, TypeError),
        ({"timeout": 0}, ValueError),
        ({"max_retries": -2}, ValueError),
    ],
)
async def test_bad_input_sends_nothing(kwargs: dict[str, Any], error: type[Exception]) -> None:
    rec = Recorder(ok())
    async with make_client(rec) as client:
        with pytest.raises(error):
            await client.create_liveness_session(**kwargs)
    assert rec.requests == []


# -- errors -------------------------------------------------------------------------------


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("status", "body", "cls", "code", "request_id"),
    [
        (
            400,
            {"request_id": REQUEST_ID, "success": False, "error": "groups_enabled"},
            verisoul.BadRequestError,
            "groups_enabled",
            REQUEST_ID,
        ),
        (
            400,
            {"statusCode": 400, "message": "Session ID not found"},
            verisoul.BadRequestError,
            None,
            None,
        ),
        (
            400,
            {"message": "email is required", "error": "Bad Request", "statusCode": 400},
            verisoul.BadRequestError,
            "Bad Request",
            None,
        ),
        (401, {"message": "Unauthorized"}, verisoul.AuthenticationError, None, None),
        (403, None, verisoul.PermissionDeniedError, None, None),
        (404, None, verisoul.NotFoundError, None, None),
        (422, None, verisoul.UnprocessableEntityError, None, None),
        (418, None, verisoul.APIStatusError, None, None),
    ],
)
async def test_status_errors(
    status: int,
    body: Any,
    cls: type[verisoul.APIStatusError],
    code: str | None,
    request_id: str | None,
) -> None:
    response = httpx.Response(status, json=body) if body is not None else httpx.Response(status)
    rec = Recorder(response)
    async with make_client(rec) as client:
        with pytest.raises(cls) as info:
            await client.create_liveness_session()
    err = info.value
    assert type(err) is cls
    assert err.status_code == status
    assert err.code == code
    assert err.request_id == request_id
    assert err.body == body
    assert err.attempts == 1
    assert len(rec.requests) == 1  # 4xx other than 408/409/429 is never retried
    assert str(status) in str(err)
    if body and "message" in body:
        assert err.message.endswith(body["message"]) or body["message"] in str(err)


@pytest.mark.anyio
async def test_html_502_keeps_a_snippet(monkeypatch: pytest.MonkeyPatch) -> None:
    rec = Recorder(httpx.Response(502, text="<html><h1>Bad gateway</h1></html>"))
    async with make_client(rec, max_retries=1) as client:
        instant(client, monkeypatch)
        with pytest.raises(verisoul.InternalServerError) as info:
            await client.create_liveness_session()
    assert info.value.status_code == 502
    assert "Bad gateway" in str(info.value)
    assert info.value.attempts == 2


@pytest.mark.anyio
@pytest.mark.parametrize(
    "response",
    [
        httpx.Response(200, text="not json"),
        httpx.Response(200, json=[1, 2]),
        httpx.Response(200, json={"request_id": REQUEST_ID}),
        httpx.Response(200, json={"request_id": REQUEST_ID, "session_id": 7}),
        httpx.Response(200),
    ],
)
async def test_malformed_success_is_a_validation_error(response: httpx.Response) -> None:
    rec = Recorder(response)
    async with make_client(rec) as client:
        with pytest.raises(verisoul.APIResponseValidationError) as info:
            await client.create_liveness_session()
    assert info.value.status_code == 200
    assert len(rec.requests) == 1


# -- retries -------------------------------------------------------------------------------


@pytest.mark.anyio
@pytest.mark.parametrize("status", [408, 409, 429, 500, 502, 503, 504])
async def test_retryable_statuses(status: int, monkeypatch: pytest.MonkeyPatch) -> None:
    rec = Recorder(httpx.Response(status), httpx.Response(status), ok())
    async with make_client(rec) as client:
        sleeper = instant(client, monkeypatch)
        session = await client.create_liveness_session()
    assert session.session_id == SESSION_ID
    assert len(rec.requests) == 3
    assert len(sleeper.delays) == 2
    assert 0.375 <= sleeper.delays[0] <= 0.5
    assert 0.75 <= sleeper.delays[1] <= 1.0


@pytest.mark.anyio
async def test_retries_exhausted_raise_the_last_error(monkeypatch: pytest.MonkeyPatch) -> None:
    rec = Recorder(httpx.Response(503))
    async with make_client(rec, max_retries=3) as client:
        instant(client, monkeypatch)
        with pytest.raises(verisoul.InternalServerError) as info:
            await client.create_liveness_session()
    assert info.value.attempts == 4
    assert len(rec.requests) == 4


@pytest.mark.anyio
async def test_per_call_max_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    rec = Recorder(httpx.Response(500))
    async with make_client(rec, max_retries=5) as client:
        instant(client, monkeypatch)
        with pytest.raises(verisoul.InternalServerError):
            await client.create_liveness_session(max_retries=0)
        assert len(rec.requests) == 1
        with pytest.raises(verisoul.InternalServerError):
            await client.with_options(max_retries=1).create_liveness_session()
        assert len(rec.requests) == 3


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"retry-after": "3"}, 3.0),
        ({"retry-after": "0.25"}, 0.25),
        ({"retry-after-ms": "1500"}, 1.5),
        ({"retry-after-ms": "200", "retry-after": "9"}, 0.2),
    ],
)
async def test_retry_after_is_honoured(
    headers: dict[str, str], expected: float, monkeypatch: pytest.MonkeyPatch
) -> None:
    rec = Recorder(httpx.Response(429, headers=headers), ok())
    async with make_client(rec) as client:
        sleeper = instant(client, monkeypatch)
        await client.create_liveness_session()
    assert sleeper.delays == [pytest.approx(expected)]


@pytest.mark.anyio
async def test_retry_after_beyond_cap_is_not_waited(monkeypatch: pytest.MonkeyPatch) -> None:
    rec = Recorder(httpx.Response(429, headers={"retry-after": "3600"}), ok())
    async with make_client(rec) as client:
        sleeper = instant(client, monkeypatch)
        with pytest.raises(verisoul.RateLimitError) as info:
            await client.create_liveness_session()
    assert sleeper.delays == []
    assert info.value.retry_after == 3600.0


@pytest.mark.anyio
async def test_connection_errors_retried_then_mapped(monkeypatch: pytest.MonkeyPatch) -> None:
    rec = Recorder(httpx.ConnectError("refused"))
    async with make_client(rec) as client:
        sleeper = instant(client, monkeypatch)
        with pytest.raises(verisoul.APIConnectionError) as info:
            await client.create_liveness_session()
    assert type(info.value) is verisoul.APIConnectionError
    assert info.value.attempts == 3
    assert len(sleeper.delays) == 2
    assert isinstance(info.value.__cause__, httpx.ConnectError)


@pytest.mark.anyio
async def test_read_timeout_retried_then_mapped(monkeypatch: pytest.MonkeyPatch) -> None:
    rec = Recorder(httpx.ReadTimeout("slow"), httpx.ReadTimeout("slow"), ok())
    async with make_client(rec) as client:
        instant(client, monkeypatch)
        assert (await client.create_liveness_session()).session_id == SESSION_ID
    rec2 = Recorder(httpx.ReadTimeout("slow"))
    async with make_client(rec2, max_retries=0) as client:
        with pytest.raises(verisoul.APITimeoutError):
            await client.create_liveness_session()


@pytest.mark.anyio
async def test_deadline_stops_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    rec = Recorder(httpx.Response(503, headers={"retry-after": "5"}))
    async with make_client(rec, max_retries=10, deadline=2.0) as client:
        sleeper = instant(client, monkeypatch)
        # The wait asked for does not fit in the deadline: the 503 itself, at once.
        with pytest.raises(verisoul.InternalServerError) as info:
            await client.create_liveness_session()
    assert info.value.retry_after == 5.0
    assert info.value.attempts == 1
    assert sleeper.delays == []
    assert len(rec.requests) == 1


@pytest.mark.anyio
async def test_deadline_shrinks_attempt_timeout() -> None:
    rec = Recorder(ok())
    async with make_client(rec, timeout=30.0) as client:
        await client.create_liveness_session(deadline=1.5)
        await client.create_liveness_session()
    shrunk, plain = (r.extensions["timeout"] for r in rec.requests)
    assert all(0 < value <= 1.5 for value in shrunk.values())
    assert plain == {"connect": 30.0, "read": 30.0, "write": 30.0, "pool": 30.0}


# -- ownership, lifecycle ---------------------------------------------------------------


@pytest.mark.anyio
async def test_injected_client_is_never_closed() -> None:
    http = httpx.AsyncClient(transport=httpx.MockTransport(Recorder(ok())))
    async with AsyncVerisoul(api_key=TEST_KEY, http_client=http) as client:
        await client.create_liveness_session()
    assert not http.is_closed
    assert client.is_closed
    await http.aclose()


@pytest.mark.anyio
async def test_owned_client_is_closed() -> None:
    client = AsyncVerisoul(api_key=TEST_KEY)
    http = client._http
    async with client:
        pass
    assert http.is_closed


@pytest.mark.anyio
async def test_closed_client_is_a_clear_error() -> None:
    rec = Recorder(ok())
    client = make_client(rec)
    await client.aclose()
    with pytest.raises(verisoul.VerisoulError, match="closed"):
        await client.create_liveness_session()
    assert rec.requests == []


@pytest.mark.anyio
async def test_with_options_shares_the_pool() -> None:
    rec = Recorder(ok())
    async with make_client(rec) as client:
        fast = client.with_options(timeout=1.0, max_retries=0)
        assert fast._http is client._http
        assert fast.max_retries == 0
        assert client.max_retries == 2
        await fast.aclose()  # does not close the shared pool
        await client.create_liveness_session()
    assert len(rec.requests) == 1


@pytest.mark.anyio
@pytest.mark.parametrize("owned", [True, False], ids=["own pool", "injected http_client"])
async def test_closing_a_copy_ends_the_copy_only(owned: bool) -> None:
    """docs/configuration.md: the copy then refuses calls; the pool stays open."""
    rec = Recorder(ok())
    if owned:
        client = AsyncVerisoul(api_key=TEST_KEY, base_url="https://api.example.test")
        client._http._transport = httpx.MockTransport(rec)
    else:
        client = make_client(rec)
    async with client:
        copy = client.with_options(max_retries=0)
        sibling = client.with_options(max_retries=1)
        async with copy:
            await copy.create_liveness_session()
        assert copy.is_closed
        with pytest.raises(verisoul.VerisoulError, match="closed"):
            await copy.create_liveness_session()
        assert not client.is_closed
        assert not client._http.is_closed
        await client.create_liveness_session()
        await sibling.create_liveness_session()
    assert len(rec.requests) == 3


@pytest.mark.anyio
async def test_closing_the_original_closes_every_copy() -> None:
    rec = Recorder(ok())
    client = AsyncVerisoul(api_key=TEST_KEY, base_url="https://api.example.test")
    client._http._transport = httpx.MockTransport(rec)
    copy = client.with_options(max_retries=0)
    copy_of_copy = copy.with_options(deadline=5.0)
    await client.aclose()
    for closed in (client, copy, copy_of_copy):
        assert closed.is_closed
        with pytest.raises(verisoul.VerisoulError, match="closed"):
            await closed.create_liveness_session()
    assert rec.requests == []


@pytest.mark.anyio
async def test_copies_keep_every_setting_of_the_original() -> None:
    """A copy is built through the same setup as its original: nothing is left behind."""
    client = AsyncVerisoul(
        api_key=TEST_KEY,
        base_url="https://api.example.test",
        default_headers={"x-team": "fraud"},
        max_response_bytes=1234,
        deadline=9.0,
    )
    async with client:
        copy = client.with_options(max_retries=0)
        assert vars(copy).keys() == vars(client).keys()
        for name, value in vars(client).items():
            if name not in ("_config", "_is_original"):
                assert getattr(copy, name) is value, name
        assert copy._config.headers is client._config.headers
        assert (copy.max_response_bytes, copy.deadline, copy.base_url) == (
            1234,
            9.0,
            client.base_url,
        )


# -- secrets ------------------------------------------------------------------------------


@pytest.mark.anyio
async def test_key_never_printed(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="verisoul")
    rec = Recorder(httpx.Response(401, json={"message": "bad key"}), httpx.ConnectError("refused"))
    async with make_client(rec, max_retries=0) as client:
        texts = [repr(client), str(client._config), repr(client._config.api_key)]
        for _ in range(2):
            try:
                await client.create_liveness_session()
            except verisoul.APIError as err:
                texts += [str(err), repr(err), repr(err.request), str(err.__dict__.get("body"))]
    texts += [record.getMessage() for record in caplog.records]
    assert texts
    assert not [t for t in texts if TEST_KEY in t]
    attempts = [r for r in caplog.records if r.name == "verisoul" and "attempt" in r.getMessage()]
    assert len(attempts) == 2
    assert "GET /liveness/session -> 401 (attempt 1," in attempts[0].getMessage()


# -- network-level, on a real loopback server ------------------------------------------


@pytest.mark.anyio
async def test_keep_alive_reuses_one_connection() -> None:
    from .._servers import json_action, serve

    with serve(lambda _: json_action(OK_BODY)) as server:
        async with AsyncVerisoul(api_key=TEST_KEY, base_url=server.url) as client:
            for _ in range(5):
                await client.create_liveness_session()
    assert server.connections == 1
    assert len(server.requests) == 5
    assert server.requests[0].headers["x-api-key"] == TEST_KEY


@pytest.mark.anyio
async def test_timeout_on_a_slow_server_is_retried_then_raised(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from .._servers import json_action, serve

    with serve(lambda _: json_action(OK_BODY, delay=1.0)) as server:
        async with AsyncVerisoul(
            api_key=TEST_KEY, base_url=server.url, timeout=0.2, max_retries=1
        ) as client:
            instant(client, monkeypatch)
            with pytest.raises(verisoul.APITimeoutError) as info:
                await client.create_liveness_session()
    assert info.value.attempts == 2
    assert len(server.requests) == 2


@pytest.mark.anyio
async def test_dropped_connection_is_retried_on_a_real_server(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from .._servers import Action, json_action, serve

    state = {"n": 0}

    def handler(_: Any) -> Action:
        state["n"] += 1
        return Action(drop=True) if state["n"] == 1 else json_action(OK_BODY)

    with serve(handler) as server:
        async with AsyncVerisoul(api_key=TEST_KEY, base_url=server.url) as client:
            monkey = instant(client, monkeypatch)
            session = await client.create_liveness_session()
    assert session.session_id == SESSION_ID
    assert len(server.requests) == 2
    assert len(monkey.delays) == 1

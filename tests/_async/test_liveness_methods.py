"""Face Match and ID Check methods: request shape, parsing, errors and retry safety.

Scripted responses come from the examples in Verisoul's OpenAPI files (``tests/openapi/``).
Written once for AsyncVerisoul; tests/_sync/ holds the generated twin for Verisoul.
"""

from __future__ import annotations

import json
import socket
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import httpx
import pytest

import verisoul
from verisoul import AsyncVerisoul
from verisoul._models.liveness import (
    parse_enroll,
    parse_liveness_session,
    parse_verify_face,
    parse_verify_id,
    parse_verify_identity,
)

from ..conftest import TEST_KEY
from .test_client import Recorder, instant, make_client

OPENAPI = Path(__file__).parent.parent / "openapi"
FACEMATCH = "verisoul-facematch-openapi.json"
IDCHECK = "verisoul-idcheck-openapi.json"
SESSION_ID = "00022d22-0592-4c83-8f55-0ec8f277c668"
REFERRING = "623d80c5-5266-4787-a5b8-7cd578379de4"
ACCOUNT_ID = "john-doe-1"


def spec_example(spec: str, method: str, path: str, status: str = "200") -> Any:
    document = json.loads((OPENAPI / spec).read_text(encoding="utf-8"))
    response = document["paths"][path][method]["responses"][status]
    return response["content"]["application/json"]["example"]


def respond(spec: str, method: str, path: str, status: str = "200") -> httpx.Response:
    return httpx.Response(int(status), json=spec_example(spec, method, path, status))


@attrs.frozen
class Case:
    """One SDK method and the HTTP exchange it should produce."""

    args: tuple[Any, ...]
    http_method: str
    path: str
    spec: str
    parse: Callable[[object], Any]
    json_body: dict[str, str] | None = None
    params: dict[str, str] | None = None


CASES = {
    "verify_face": Case(
        args=(SESSION_ID.upper(),),
        http_method="POST",
        path="/liveness/verify-face",
        spec=FACEMATCH,
        parse=parse_verify_face,
        json_body={"session_id": SESSION_ID},
    ),
    "verify_id": Case(
        args=(uuid.UUID(SESSION_ID),),
        http_method="POST",
        path="/liveness/verify-id",
        spec=IDCHECK,
        parse=parse_verify_id,
        json_body={"session_id": SESSION_ID},
    ),
    "enroll_account": Case(
        args=(SESSION_ID, ACCOUNT_ID),
        http_method="POST",
        path="/liveness/enroll",
        spec=FACEMATCH,
        parse=parse_enroll,
        json_body={"session_id": SESSION_ID, "account_id": ACCOUNT_ID},
    ),
    "verify_identity": Case(
        args=(SESSION_ID, ACCOUNT_ID),
        http_method="POST",
        path="/liveness/verify-identity",
        spec=FACEMATCH,
        parse=parse_verify_identity,
        json_body={"session_id": SESSION_ID, "account_id": ACCOUNT_ID},
    ),
    "create_id_check_session": Case(
        args=(),
        http_method="GET",
        path="/liveness/session",
        spec=IDCHECK,
        parse=parse_liveness_session,
        params={"id": "true"},
    ),
}
READS = ["verify_face", "verify_id", "verify_identity", "create_id_check_session"]


def ok_for(case: Case) -> httpx.Response:
    return respond(case.spec, case.http_method.lower(), case.path)


async def call(client: AsyncVerisoul, name: str, **overrides: Any) -> Any:
    """Call the method ``name`` with its case's arguments and the given keyword overrides."""
    return await getattr(client, name)(*CASES[name].args, **overrides)


# -- request shape and parsing --------------------------------------------------------------


@pytest.mark.anyio
@pytest.mark.parametrize("name", list(CASES))
async def test_request_shape_and_spec_example(name: str) -> None:
    case = CASES[name]
    rec = Recorder(ok_for(case))
    async with make_client(rec) as client:
        result = await call(client, name)
    assert result == case.parse(spec_example(case.spec, case.http_method.lower(), case.path))
    (request,) = rec.requests
    assert request.method == case.http_method
    assert request.url.path == case.path
    assert request.headers["x-api-key"] == TEST_KEY
    assert dict(request.url.params) == (case.params or {})
    if case.json_body is None:
        assert request.content == b""
    else:
        assert request.headers["content-type"] == "application/json"
        assert json.loads(request.content) == case.json_body


@pytest.mark.anyio
async def test_verify_id_keeps_document_fields_and_scans() -> None:
    rec = Recorder(respond(IDCHECK, "post", "/liveness/verify-id"))
    async with make_client(rec) as client:
        result = await client.verify_id(SESSION_ID)
    assert isinstance(result, verisoul.types.VerifyIdResult)
    assert result.document_signals is not None
    assert result.document_signals.id_validity == verisoul.types.IdValidity.LIKELY_AUTHENTIC_ID
    assert result.photo_urls is not None
    assert result.photo_urls.id_scan_back is not None


@pytest.mark.anyio
async def test_id_check_session_params() -> None:
    rec = Recorder(respond(IDCHECK, "get", "/liveness/session"))
    async with make_client(rec) as client:
        session = await client.create_id_check_session(REFERRING.upper(), simulate="success")
    assert session.session_id == "000ff417-cfe3-4d32-8323-59cb05b854cb"
    assert dict(rec.requests[0].url.params) == {
        "id": "true",
        "referring_session_id": REFERRING,
        "simulate": "success",
    }


@pytest.mark.anyio
async def test_unknown_values_and_extra_fields_pass_through() -> None:
    body = spec_example(FACEMATCH, "post", "/liveness/verify-face")
    body["decision"] = "Inconclusive"
    body["risk_flags"] = ["flag_from_the_future"]
    body["brand_new_section"] = {"x": 1}
    async with make_client(Recorder(httpx.Response(200, json=body))) as client:
        result = await client.verify_face(SESSION_ID)
    assert result.decision == "Inconclusive"
    assert result.risk_flags == ("flag_from_the_future",)


@pytest.mark.anyio
async def test_missing_required_field_is_a_validation_error() -> None:
    rec = Recorder(httpx.Response(200, json={"request_id": "r-1"}))
    async with make_client(rec) as client:
        with pytest.raises(verisoul.APIResponseValidationError, match=r"body\.success") as info:
            await client.enroll_account(SESSION_ID, ACCOUNT_ID)
    assert info.value.request_id == "r-1"


@pytest.mark.anyio
async def test_wrong_type_names_the_path() -> None:
    """An essential field of the wrong type fails the call, naming its path."""
    body = spec_example(FACEMATCH, "post", "/liveness/verify-face")
    body["decision"] = 7
    async with make_client(Recorder(httpx.Response(200, json=body))) as client:
        with pytest.raises(
            verisoul.APIResponseValidationError,
            match=r"body\.decision: expected a string, got integer",
        ):
            await client.verify_face(SESSION_ID)


@pytest.mark.anyio
@pytest.mark.parametrize("name", list(CASES))
async def test_spec_400_example_is_a_bad_request_with_its_code(name: str) -> None:
    case = CASES[name]
    error = respond(case.spec, case.http_method.lower(), case.path, "400")
    rec = Recorder(error)
    async with make_client(rec) as client:
        with pytest.raises(verisoul.BadRequestError) as info:
            await call(client, name)
    body = spec_example(case.spec, case.http_method.lower(), case.path, "400")
    assert info.value.code == body["error"]
    assert info.value.request_id == body["request_id"]
    assert len(rec.requests) == 1


# -- arguments are checked before anything is sent --------------------------------------


BAD_ARGUMENTS: list[tuple[str, tuple[Any, ...], dict[str, Any], type[Exception], str]] = [
    ("verify_face", ("not-a-uuid",), {}, ValueError, "session_id must be a UUID"),
    ("verify_face", (12,), {}, TypeError, "session_id must be a str or uuid"),
    ("verify_id", ("",), {}, ValueError, "session_id must be a UUID"),
    ("verify_id", (None,), {}, TypeError, "session_id must be a str or uuid"),
    ("enroll_account", (SESSION_ID, ""), {}, ValueError, "account_id must not be empty"),
    ("enroll_account", (SESSION_ID, "   "), {}, ValueError, "account_id must not be empty"),
    ("enroll_account", (SESSION_ID, 42), {}, TypeError, "account_id must be a str"),
    ("enroll_account", ("x", ACCOUNT_ID), {}, ValueError, "session_id must be a UUID"),
    ("verify_identity", (SESSION_ID, None), {}, TypeError, "account_id must be a str"),
    (
        "verify_identity",
        (SESSION_ID + "0", ACCOUNT_ID),
        {},
        ValueError,
        "session_id must be a UUID",
    ),
    ("create_id_check_session", ("nope",), {}, ValueError, "referring_session_id must be a UUID"),
    (
        "create_id_check_session",
        (None,),
        {"simulate": ""},
        ValueError,
        "simulate must not be empty",
    ),
]


@pytest.mark.anyio
@pytest.mark.parametrize(("method", "args", "kwargs", "error", "message"), BAD_ARGUMENTS)
async def test_bad_arguments_send_nothing(
    method: str,
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    error: type[Exception],
    message: str,
) -> None:
    rec = Recorder(httpx.Response(500))
    async with make_client(rec) as client:
        with pytest.raises(error, match=message):
            await getattr(client, method)(*args, **kwargs)
    assert rec.requests == []


# -- per-call overrides ---------------------------------------------------------------------


@pytest.mark.anyio
@pytest.mark.parametrize("name", list(CASES))
async def test_per_call_timeout_and_deadline(name: str) -> None:
    case = CASES[name]
    rec = Recorder(ok_for(case))
    async with make_client(rec) as client:
        await call(client, name, timeout=1.25, deadline=30.0)
        await call(client, name, deadline=0.5)
    first, second = (request.extensions["timeout"] for request in rec.requests)
    assert first["read"] == 1.25
    assert 0 < second["read"] <= 0.5


@pytest.mark.anyio
@pytest.mark.parametrize("name", READS)
async def test_per_call_max_retries(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    case = CASES[name]
    rec = Recorder(httpx.Response(503))
    async with make_client(rec) as client:
        instant(client, monkeypatch)
        with pytest.raises(verisoul.InternalServerError):
            await call(client, name, max_retries=0)
        assert len(rec.requests) == 1
        rec.responses = [httpx.Response(503), httpx.Response(503), ok_for(case)]
        await call(client, name)
    assert len(rec.requests) == 4


# -- retry classes --------------------------------------------------------------------------


@pytest.mark.anyio
@pytest.mark.parametrize("name", READS)
async def test_reads_retry_after_a_read_timeout(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = CASES[name]
    rec = Recorder(httpx.ReadTimeout("slow"), ok_for(case))
    async with make_client(rec) as client:
        sleeper = instant(client, monkeypatch)
        await call(client, name)
    assert len(rec.requests) == 2
    assert len(sleeper.delays) == 1


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("failure", "error"),
    [
        (httpx.ReadTimeout("slow"), verisoul.APITimeoutError),
        (httpx.WriteTimeout("slow"), verisoul.APITimeoutError),
        (httpx.ReadError("reset"), verisoul.APIConnectionError),
        (httpx.RemoteProtocolError("closed mid-response"), verisoul.APIConnectionError),
    ],
)
async def test_enroll_is_not_retried_once_it_may_have_been_sent(
    failure: Exception, error: type[Exception], monkeypatch: pytest.MonkeyPatch
) -> None:
    rec = Recorder(failure, ok_for(CASES["enroll_account"]))
    async with make_client(rec, max_retries=5) as client:
        sleeper = instant(client, monkeypatch)
        with pytest.raises(error) as info:
            await client.enroll_account(SESSION_ID, ACCOUNT_ID)
    assert type(info.value) is error
    assert isinstance(info.value, verisoul.APIConnectionError)
    assert info.value.outcome_unknown is True
    assert info.value.attempts == 1
    assert "outcome is unknown" in str(info.value)
    assert len(rec.requests) == 1
    assert sleeper.delays == []


@pytest.mark.anyio
@pytest.mark.parametrize(
    "first",
    [
        httpx.ConnectError("refused"),
        httpx.ConnectTimeout("no SYN-ACK"),
        httpx.PoolTimeout("pool full"),
        httpx.Response(429),
    ],
    ids=["connect-error", "connect-timeout", "pool-timeout", "429"],
)
async def test_enroll_is_retried_when_it_provably_was_not_applied(
    first: httpx.Response | Exception, monkeypatch: pytest.MonkeyPatch
) -> None:
    rec = Recorder(first, ok_for(CASES["enroll_account"]))
    async with make_client(rec) as client:
        sleeper = instant(client, monkeypatch)
        result = await client.enroll_account(SESSION_ID, ACCOUNT_ID)
    assert result.success is True
    assert len(rec.requests) == 2
    assert len(sleeper.delays) == 1


@pytest.mark.anyio
async def test_enroll_5xx_is_not_retried(monkeypatch: pytest.MonkeyPatch) -> None:
    rec = Recorder(httpx.Response(503), ok_for(CASES["enroll_account"]))
    async with make_client(rec) as client:
        instant(client, monkeypatch)
        with pytest.raises(verisoul.InternalServerError) as info:
            await client.enroll_account(SESSION_ID, ACCOUNT_ID)
    assert info.value.attempts == 1
    assert len(rec.requests) == 1


# -- hosted page ----------------------------------------------------------------------------


@pytest.mark.anyio
async def test_hosted_url_uses_the_client_environment() -> None:
    session = verisoul.types.LivenessSession(session_id=SESSION_ID, request_id="r")
    async with make_client(Recorder(httpx.Response(500)), environment="production") as client:
        url = client.hosted_url(session, redirect_url="https://shop.example/back", lng="es")
        assert url == verisoul.hosted_url(
            SESSION_ID,
            environment="production",
            redirect_url="https://shop.example/back",
            lng="es",
        )
        assert url.startswith("https://app.prod.verisoul.ai/?session_id=")
        assert client.hosted_url(SESSION_ID).startswith("https://app.prod.verisoul.ai/?")


@pytest.mark.anyio
async def test_hosted_url_on_a_loopback_base_url_is_the_local_fakes_page() -> None:
    rec = Recorder(httpx.Response(500))
    async with make_client(rec, base_url="http://127.0.0.1:9/") as client:
        assert client.hosted_url(SESSION_ID) == f"http://127.0.0.1:9/?session_id={SESSION_ID}"
        url = client.hosted_url(SESSION_ID, environment="http://127.0.0.1:9/hosted/")
    assert url == f"http://127.0.0.1:9/hosted/?session_id={SESSION_ID}"
    assert rec.requests == []


@pytest.mark.anyio
async def test_hosted_url_behind_a_proxy_uses_the_environment_given() -> None:
    proxy = "https://verisoul-proxy.example.com/"
    async with make_client(Recorder(httpx.Response(500)), base_url=proxy) as client:
        assert client.hosted_url(SESSION_ID).startswith("https://app.sandbox.verisoul.ai/?")
    kwargs = {"base_url": proxy, "environment": "production"}
    async with make_client(Recorder(httpx.Response(500)), **kwargs) as client:
        assert client.base_url == "https://verisoul-proxy.example.com"
        assert client.hosted_url(SESSION_ID).startswith("https://app.prod.verisoul.ai/?")
    kwargs = {"base_url": "http://localhost:8080", "environment": "sandbox"}
    async with make_client(Recorder(httpx.Response(500)), **kwargs) as client:
        assert client.hosted_url(SESSION_ID).startswith("https://app.sandbox.verisoul.ai/?")


# -- on a real loopback server --------------------------------------------------------------


@pytest.mark.anyio
async def test_enroll_applied_then_stalled_is_reported_unknown_not_retried() -> None:
    """The server applies the enroll and answers too late: one attempt, outcome unknown."""
    from .._servers import Action, Received, json_action, serve

    enrolled: dict[str, str] = {}

    def enroll(request: Received) -> Action:
        body = json.loads(request.body)
        if body["session_id"] in enrolled:
            tied = "session_already_tied_to_an_account"
            return json_action({"request_id": "r-2", "success": False, "error": tied}, status=400)
        enrolled[body["session_id"]] = body["account_id"]
        return json_action({"request_id": "r-1", "success": True}, delay=5.0)

    with serve(enroll) as server:
        async with AsyncVerisoul(
            api_key=TEST_KEY, base_url=server.url, timeout=0.3, max_retries=3
        ) as client:
            with pytest.raises(verisoul.APITimeoutError) as info:
                await client.enroll_account(SESSION_ID, ACCOUNT_ID)
            assert info.value.outcome_unknown is True
            assert info.value.attempts == 1
            assert len(server.requests) == 1
            assert enrolled == {SESSION_ID: ACCOUNT_ID}
            # What a blind retry would have met: the success turned into an error.
            with pytest.raises(verisoul.BadRequestError) as again:
                await client.enroll_account(SESSION_ID, ACCOUNT_ID)
    assert again.value.code == "session_already_tied_to_an_account"


def closed_port() -> int:
    """A loopback port with nothing listening (connections are refused at once)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@pytest.mark.anyio
async def test_enroll_connect_failure_is_retried_on_loopback(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url = f"http://127.0.0.1:{closed_port()}"
    async with AsyncVerisoul(api_key=TEST_KEY, base_url=url, max_retries=2) as client:
        sleeper = instant(client, monkeypatch)
        with pytest.raises(verisoul.APIConnectionError) as info:
            await client.enroll_account(SESSION_ID, ACCOUNT_ID)
    assert info.value.attempts == 3
    assert info.value.outcome_unknown is False
    assert len(sleeper.delays) == 2


@pytest.mark.anyio
async def test_enroll_429_is_retried_on_loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    from .._servers import Action, Received, json_action, serve

    def limited_once(request: Received) -> Action:
        if len(server.requests) == 1:
            return Action(status=429, body=b"Too Many Requests", headers=())
        return json_action({"request_id": "r-1", "success": True})

    with serve(limited_once) as server:
        async with AsyncVerisoul(api_key=TEST_KEY, base_url=server.url) as client:
            instant(client, monkeypatch)
            result = await client.enroll_account(SESSION_ID, ACCOUNT_ID)
    assert result == verisoul.types.EnrollResult(request_id="r-1", success=True)
    assert len(server.requests) == 2
    assert [json.loads(r.body) for r in server.requests] == [CASES["enroll_account"].json_body] * 2

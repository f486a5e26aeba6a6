"""Issue 15 on AsyncVerisoul: request ids, raw responses, VERISOUL_LOG, actionable errors,
``with_options(default_headers=...)`` and per-call ``extra_headers``.

Written once for AsyncVerisoul; tests/_sync/ holds the generated twin for Verisoul.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Callable
from typing import Any

import httpx
import pytest

import verisoul
from verisoul import AsyncVerisoul, _logging
from verisoul._async.raw import AsyncRawResponses
from verisoul._endpoints import ENDPOINTS
from verisoul._response import REQUEST_ID_HEADERS
from verisoul.types import (
    AccountReport,
    EmailBatchSubmission,
    ListChange,
    LivenessSession,
    RawResponse,
    VerifyFaceResult,
    VerifyIdentityResult,
)

from ..conftest import TEST_KEY

SESSION_ID = "8a3e5b6f-5c3d-4d3e-9a6f-2b1c0d9e8f7a"
REQUEST_ID = "0f6d2c41-1b2a-4c3d-8e9f-a0b1c2d3e4f5"
HEADER_ID = "hdr-7d1c9a"
OK_BODY = {"request_id": REQUEST_ID, "session_id": SESSION_ID}
BATCH_BODY = {
    "batch_id": "b-1",
    "batch_name": "signups",
    "status": "pending",
    "total_count": 1,
    "webhook_configured": True,
}


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


def make_client(
    handler: Callable[[httpx.Request], httpx.Response], **kwargs: Any
) -> AsyncVerisoul:
    http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    kwargs.setdefault("api_key", TEST_KEY)
    return AsyncVerisoul(http_client=http, **kwargs)


async def no_sleep(seconds: float) -> None:
    return None


# -- 1. request ids -----------------------------------------------------------------------


def test_every_endpoint_result_has_a_request_id() -> None:
    """Each method's result type answers ``.request_id`` (a field or a property)."""
    missing = []
    for endpoint in ENDPOINTS:
        method = getattr(AsyncVerisoul, endpoint.name)
        result = getattr(verisoul.types, method.__annotations__["return"])
        if not hasattr(result, "request_id"):
            missing.append((endpoint.name, result.__name__))
    assert missing == []


@pytest.mark.anyio
async def test_verify_face_request_id_comes_from_metadata() -> None:
    body = {
        "metadata": {"request_id": REQUEST_ID, "session_id": SESSION_ID},
        "decision": "Real",
        "risk_score": 0.1,
    }
    async with make_client(Recorder(httpx.Response(200, json=body))) as client:
        result = await client.verify_face(SESSION_ID)
    assert result.request_id == REQUEST_ID == result.metadata.request_id


@pytest.mark.anyio
async def test_batch_submission_takes_the_request_id_header() -> None:
    rec = Recorder(httpx.Response(200, json=BATCH_BODY, headers={"x-request-id": HEADER_ID}))
    async with make_client(rec) as client:
        batch = await client.submit_email_batch(["a@example.com"])
    assert batch.request_id == HEADER_ID
    rec.responses = [httpx.Response(200, json=BATCH_BODY)]
    async with make_client(rec) as client:
        assert (await client.submit_email_batch(["a@example.com"])).request_id is None


@pytest.mark.anyio
async def test_a_body_request_id_wins_over_the_header() -> None:
    rec = Recorder(httpx.Response(200, json=OK_BODY, headers={"x-request-id": HEADER_ID}))
    async with make_client(rec) as client:
        session = await client.create_liveness_session()
    assert session.request_id == REQUEST_ID


@pytest.mark.anyio
@pytest.mark.parametrize("header", REQUEST_ID_HEADERS)
@pytest.mark.parametrize("status", [401, 403, 429, 500])
async def test_errors_without_a_body_id_take_the_header(header: str, status: int) -> None:
    rec = Recorder(httpx.Response(status, text="nope", headers={header: HEADER_ID}))
    async with make_client(rec, max_retries=0) as client:
        with pytest.raises(verisoul.APIStatusError) as caught:
            await client.create_liveness_session()
    assert caught.value.request_id == HEADER_ID
    assert f"request_id {HEADER_ID}" in str(caught.value)


@pytest.mark.anyio
async def test_error_request_id_is_none_without_body_or_header() -> None:
    async with make_client(Recorder(httpx.Response(401)), max_retries=0) as client:
        with pytest.raises(verisoul.AuthenticationError) as caught:
            await client.create_liveness_session()
    assert caught.value.request_id is None


@pytest.mark.anyio
async def test_error_body_request_id_wins_over_the_header() -> None:
    body = {"request_id": REQUEST_ID, "success": False, "error": "session_not_found"}
    rec = Recorder(httpx.Response(400, json=body, headers={"x-request-id": HEADER_ID}))
    async with make_client(rec) as client:
        with pytest.raises(verisoul.BadRequestError) as caught:
            await client.verify_face(SESSION_ID)
    assert caught.value.request_id == REQUEST_ID


# -- 2. raw responses -----------------------------------------------------------------------


def test_with_raw_response_has_every_endpoint() -> None:
    assert sorted(e.name for e in ENDPOINTS) == sorted(
        name for name in vars(AsyncRawResponses) if not name.startswith("_")
    )


async def raw_session(client: AsyncVerisoul) -> LivenessSession:
    """Typed use: mypy --strict rejects this if ``parsed`` were Any or another model."""
    raw: RawResponse[LivenessSession] = await client.with_raw_response.create_liveness_session()
    return raw.parsed


async def raw_results_are_typed(client: AsyncVerisoul) -> tuple[object, ...]:
    """Checked by mypy only: each ``parsed`` has its method's result type (never Any)."""
    raw = client.with_raw_response
    face: VerifyFaceResult = (await raw.verify_face(SESSION_ID, deadline=3.0)).parsed
    identity: VerifyIdentityResult = (await raw.verify_identity(SESSION_ID, "a")).parsed
    account: AccountReport = (await raw.get_account("a", extra_headers={"x": "1"})).parsed
    batch: EmailBatchSubmission = (await raw.submit_email_batch(["a@example.com"])).parsed
    changed: ListChange = (await raw.add_account_to_list("vip", "a")).parsed
    return face, identity, account, batch, changed


@pytest.mark.anyio
async def test_raw_response_gives_status_headers_timing_and_attempts() -> None:
    rec = Recorder(
        httpx.Response(503),
        httpx.Response(200, json=OK_BODY, headers={"x-request-id": HEADER_ID, "x-extra": "1"}),
    )
    async with make_client(rec) as client:
        client._sleep = no_sleep  # type: ignore[method-assign]
        raw = await client.with_raw_response.create_liveness_session(simulate="success")
        plain = await client.create_liveness_session(simulate="success")
    assert raw.parsed == plain == LivenessSession(session_id=SESSION_ID, request_id=REQUEST_ID)
    assert raw.status_code == 200
    assert raw.headers["x-extra"] == "1"
    assert raw.attempts == 2
    assert raw.elapsed >= 0.0
    assert raw.method == "GET"
    assert raw.url.path == "/liveness/session"
    assert raw.url.params["simulate"] == "success"
    assert raw.request_id == REQUEST_ID
    assert raw.http_version == "HTTP/1.1"
    everything = repr(raw) + str(dict(raw.headers)) + str(raw.url)
    assert TEST_KEY not in everything
    assert "x-api-key" not in everything


@pytest.mark.anyio
async def test_raw_response_request_id_falls_back_to_the_header() -> None:
    rec = Recorder(httpx.Response(200, json=BATCH_BODY, headers={"request-id": HEADER_ID}))
    async with make_client(rec) as client:
        raw = await client.with_raw_response.submit_email_batch(["a@example.com"])
    assert isinstance(raw.parsed, EmailBatchSubmission)
    assert raw.request_id == HEADER_ID


@pytest.mark.anyio
async def test_raw_response_of_a_verdict_and_of_with_options() -> None:
    body = {"metadata": {"request_id": REQUEST_ID, "session_id": SESSION_ID}, "decision": "Real"}
    async with make_client(Recorder(httpx.Response(200, json=body))) as client:
        raw = await client.with_options(max_retries=0).with_raw_response.verify_face(SESSION_ID)
    assert isinstance(raw.parsed, VerifyFaceResult)
    assert raw.request_id == REQUEST_ID


@pytest.mark.anyio
async def test_raw_response_errors_are_raised_as_usual() -> None:
    rec = Recorder(httpx.Response(401), httpx.Response(200, json=OK_BODY))
    async with make_client(rec, max_retries=0) as client:
        with pytest.raises(verisoul.AuthenticationError):
            await client.with_raw_response.create_liveness_session()
        assert (await client.create_liveness_session()).session_id == SESSION_ID


@pytest.mark.anyio
async def test_raw_arguments_are_checked_like_the_method() -> None:
    async with make_client(Recorder(httpx.Response(200, json=OK_BODY))) as client:
        with pytest.raises(ValueError, match="UUID"):
            await client.with_raw_response.verify_face("not-a-uuid")


# -- 3. VERISOUL_LOG ------------------------------------------------------------------------


@pytest.fixture
def fresh_logging(monkeypatch: pytest.MonkeyPatch) -> Any:
    """VERISOUL_LOG is read again by the next client; the logger is restored after."""
    sdk = logging.getLogger("verisoul")
    saved = (sdk.level, list(sdk.handlers))
    monkeypatch.setattr(_logging, "_configured", False)
    yield sdk
    sdk.setLevel(saved[0])
    sdk.handlers[:] = saved[1]


@pytest.mark.anyio
@pytest.mark.parametrize(("value", "level"), [("debug", logging.DEBUG), ("INFO", logging.INFO)])
async def test_verisoul_log_sets_the_level_at_first_construction(
    fresh_logging: logging.Logger, monkeypatch: pytest.MonkeyPatch, value: str, level: int
) -> None:
    monkeypatch.setenv("VERISOUL_LOG", value)
    monkeypatch.setattr(logging.getLogger(), "handlers", [])  # an app without logging set up
    fresh_logging.setLevel(logging.NOTSET)
    fresh_logging.handlers[:] = []
    async with make_client(Recorder(httpx.Response(200, json=OK_BODY))):
        pass
    assert fresh_logging.level == level
    assert len(fresh_logging.handlers) == 1
    async with make_client(Recorder(httpx.Response(200, json=OK_BODY))):
        pass
    assert len(fresh_logging.handlers) == 1  # once per process


@pytest.mark.anyio
async def test_verisoul_log_adds_no_handler_when_the_app_has_logging(
    fresh_logging: logging.Logger, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VERISOUL_LOG", "info")
    monkeypatch.setattr(logging.getLogger(), "handlers", [logging.NullHandler()])
    fresh_logging.handlers[:] = []
    async with make_client(Recorder(httpx.Response(200, json=OK_BODY))):
        pass
    assert fresh_logging.level == logging.INFO
    assert fresh_logging.handlers == []


def test_an_unknown_verisoul_log_warns_and_changes_nothing(
    fresh_logging: logging.Logger, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VERISOUL_LOG", "verbose")
    fresh_logging.setLevel(logging.WARNING)
    with pytest.warns(UserWarning, match=r"VERISOUL_LOG='verbose'.*\['debug', 'info'\]"):
        make_client(Recorder(httpx.Response(200, json=OK_BODY)))
    assert fresh_logging.level == logging.WARNING


def test_no_verisoul_log_no_change(
    fresh_logging: logging.Logger, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("VERISOUL_LOG", raising=False)
    fresh_logging.setLevel(logging.WARNING)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        make_client(Recorder(httpx.Response(200, json=OK_BODY)))
    assert fresh_logging.level == logging.WARNING


@pytest.mark.anyio
async def test_log_levels_show_what_the_docs_say(caplog: pytest.LogCaptureFixture) -> None:
    rec = Recorder(httpx.Response(503), httpx.Response(200, json=OK_BODY))
    caplog.set_level(logging.INFO, logger="verisoul")
    async with make_client(rec) as client:
        client._sleep = no_sleep  # type: ignore[method-assign]
        await client.create_liveness_session()
    info = [r.getMessage() for r in caplog.records if r.name == "verisoul"]
    assert any(m.startswith("GET /liveness/session -> 503 (attempt 1,") for m in info)
    assert any(m.startswith("retrying GET /liveness/session in ") for m in info)
    assert any(m.startswith("GET /liveness/session -> 200 (attempt 2,") for m in info)
    assert not any("headers" in m for m in info)
    caplog.clear()
    caplog.set_level(logging.DEBUG, logger="verisoul")
    async with make_client(Recorder(httpx.Response(200, json=OK_BODY))) as client:
        await client.create_liveness_session()
    debug = [r.getMessage() for r in caplog.records if r.name == "verisoul"]
    assert any("x-api-key: <redacted>" in m for m in debug)
    assert any(m.startswith("response headers: ") for m in debug)
    assert not any(TEST_KEY in m or SESSION_ID in m for m in debug)  # no key, no body


# -- 5. actionable error messages ---------------------------------------------------------


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("environment", "host"),
    [("sandbox", "api.sandbox.verisoul.ai"), ("production", "api.prod.verisoul.ai")],
)
async def test_401_names_the_environment_and_the_key_difference(
    environment: str, host: str
) -> None:
    rec = Recorder(httpx.Response(401, json={"message": "Unauthorized"}))
    async with make_client(rec, environment=environment) as client:
        with pytest.raises(verisoul.AuthenticationError) as caught:
            await client.create_liveness_session()
    text = str(caught.value)
    assert f"Verisoul's {environment} environment ({host}) refused the API key" in text
    assert "Sandbox and production keys differ" in text
    assert TEST_KEY not in text


@pytest.mark.anyio
async def test_401_on_a_custom_base_url_says_so() -> None:
    rec = Recorder(httpx.Response(401))
    async with make_client(rec, base_url="https://proxy.test") as client:
        with pytest.raises(verisoul.AuthenticationError, match="proxy.test .a custom base_url"):
            await client.create_liveness_session()


@pytest.mark.anyio
async def test_403_and_groups_enabled_point_at_the_dashboard() -> None:
    async with make_client(Recorder(httpx.Response(403))) as client:
        with pytest.raises(verisoul.PermissionDeniedError, match="In the Verisoul dashboard"):
            await client.get_account("acct-1")
    body = {"request_id": REQUEST_ID, "success": False, "error": "groups_enabled"}
    async with make_client(Recorder(httpx.Response(400, json=body))) as client:
        with pytest.raises(verisoul.BadRequestError) as caught:
            await client.create_liveness_session()
    assert "groups enabled" in str(caught.value)
    assert "In the Verisoul dashboard, check the project's groups setting" in str(caught.value)


@pytest.mark.anyio
async def test_other_errors_get_no_advice() -> None:
    body = {"statusCode": 400, "message": "Account not found"}
    async with make_client(Recorder(httpx.Response(400, json=body))) as client:
        with pytest.raises(verisoul.BadRequestError) as caught:
            await client.get_account("acct-1")
    assert str(caught.value) == "GET /account/acct-1 failed with HTTP 400: Account not found"


@pytest.mark.anyio
async def test_connection_error_names_the_host() -> None:
    rec = Recorder(httpx.ConnectError("refused"))
    async with make_client(rec, max_retries=0, base_url="https://proxy.test:8443") as client:
        with pytest.raises(verisoul.APIConnectionError) as caught:
            await client.create_liveness_session()
    assert str(caught.value).startswith(
        "GET /liveness/session failed (ConnectError: refused) at host proxy.test:8443"
    )
    async with make_client(rec, max_retries=0) as client:
        with pytest.raises(verisoul.APIConnectionError, match="at host api.sandbox.verisoul.ai"):
            await client.create_liveness_session()


# -- 6. default_headers on with_options, extra_headers per call --------------------------


@pytest.mark.anyio
async def test_with_options_default_headers_are_sent_by_the_copy_only() -> None:
    rec = Recorder(httpx.Response(200, json=OK_BODY))
    async with make_client(rec, default_headers={"x-team": "risk"}) as client:
        tagged = client.with_options(default_headers={"x-trace": "t1", "X-Team": "fraud"})
        await tagged.create_liveness_session()
        await client.create_liveness_session()
    copy_sent, original_sent = rec.requests
    assert copy_sent.headers["x-trace"] == "t1"
    assert copy_sent.headers["x-team"] == "fraud"
    assert copy_sent.headers["x-api-key"] == TEST_KEY
    assert "x-trace" not in original_sent.headers
    assert original_sent.headers["x-team"] == "risk"


@pytest.mark.anyio
async def test_with_options_default_headers_on_an_sdk_owned_pool() -> None:
    """The copy shares a pool built with the original's headers: its own still win."""
    rec = Recorder(httpx.Response(200, json=OK_BODY))
    async with AsyncVerisoul(api_key=TEST_KEY, default_headers={"x-team": "risk"}) as client:
        client._http._transport = httpx.MockTransport(rec)
        await client.with_options(default_headers={"x-team": "fraud"}).create_liveness_session()
        await client.create_liveness_session()
    assert [r.headers["x-team"] for r in rec.requests] == ["fraud", "risk"]


@pytest.mark.parametrize(
    ("headers", "error"),
    [
        ({"x-api-key": "other"}, ValueError),
        ({"X-API-KEY": "other"}, ValueError),
        ({"bad name": "v"}, ValueError),
        ({"x-trace": "line\r\nbreak"}, ValueError),
        ({"x-trace": "caf\u00e9"}, ValueError),
        ({"x-trace": 1}, TypeError),
        ([("x-trace", "1")], TypeError),
    ],
)
def test_with_options_default_headers_are_checked(headers: Any, error: type) -> None:
    client = make_client(Recorder(httpx.Response(200, json=OK_BODY)))
    with pytest.raises(error):
        client.with_options(default_headers=headers)


@pytest.mark.anyio
async def test_extra_headers_are_sent_on_that_call_only() -> None:
    rec = Recorder(httpx.Response(200, json=OK_BODY))
    async with make_client(rec) as client:
        await client.create_liveness_session(extra_headers={"X-Trace-Id": "abc"})
        await client.create_liveness_session()
    first, second = rec.requests
    assert first.headers["x-trace-id"] == "abc"
    assert "x-trace-id" not in second.headers


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("headers", "error"),
    [
        ({"x-api-key": "sk_other"}, ValueError),
        ({"Host": "evil.test"}, ValueError),
        ({"x-trace": "a\nb"}, ValueError),
        ({"x-trace": None}, TypeError),
        # Not a mapping, even when empty or falsy: a wrong type is a mistake, not "none".
        ([], TypeError),
        ("", TypeError),
        (0, TypeError),
    ],
)
async def test_bad_extra_headers_are_refused_before_sending(headers: Any, error: type) -> None:
    rec = Recorder(httpx.Response(200, json=OK_BODY))
    async with make_client(rec) as client:
        with pytest.raises(error):
            await client.create_liveness_session(extra_headers=headers)
        with pytest.raises(error):
            await client.with_raw_response.create_liveness_session(extra_headers=headers)
    assert rec.requests == []


# -- 7. the deadline a web handler wants ------------------------------------------------


@pytest.mark.anyio
async def test_no_default_deadline_so_a_long_retry_after_is_waited_out() -> None:
    rec = Recorder(
        httpx.Response(429, headers={"Retry-After": "60"}), httpx.Response(200, json=OK_BODY)
    )
    delays: list[float] = []

    async def record(seconds: float) -> None:
        delays.append(seconds)

    async with make_client(rec) as client:
        assert client.deadline is None
        client._sleep = record  # type: ignore[method-assign]
        await client.create_liveness_session()
    assert delays == [60.0]


@pytest.mark.anyio
async def test_with_a_deadline_a_long_retry_after_fails_at_once() -> None:
    rec = Recorder(
        httpx.Response(429, headers={"Retry-After": "60"}), httpx.Response(200, json=OK_BODY)
    )
    delays: list[float] = []

    async def record(seconds: float) -> None:
        delays.append(seconds)

    async with make_client(rec) as client:
        client._sleep = record  # type: ignore[method-assign]
        with pytest.raises(verisoul.RateLimitError) as caught:
            await client.create_liveness_session(deadline=10.0)
    assert delays == []
    assert len(rec.requests) == 1
    # The wait does not fit in the deadline: the 429 itself is the answer, at once.
    assert caught.value.retry_after == 60.0

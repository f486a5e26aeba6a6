"""Hostile inputs and echoes through the client (issue 13 items 7, 8 and 11).

- The key never shows, even when the server quotes the request back in any form.
- A key, header or base URL that cannot be sent is refused at construction, without
  repeating it; a value that cannot make a valid request is refused before sending, so
  a write never reports ``outcome_unknown`` for a request that never left.
- One odd field of an answer never costs the verdict.

Written once for AsyncVerisoul; tests/_sync/ holds the generated twin.
"""

from __future__ import annotations

import copy
import json
import logging
from collections.abc import Callable
from typing import Any
from urllib.parse import quote, quote_plus

import httpx
import pytest

import verisoul
from verisoul import AsyncVerisoul
from verisoul._validation import MAX_PATH_VALUE_LENGTH, MAX_QUERY_VALUE_LENGTH

from .._servers import Action, Received, json_action, serve
from ..conftest import TEST_KEY
from ..reliability.conftest import (
    KEY_ECHOES_CHECKED,
    PATH_VALUES_CHECKED,
    UNSENDABLE_CONFIG_REFUSED,
)
from ..reliability.figures import record
from ..reliability.leak_guard import texts_of
from ..test_hostile_data import EXAMPLES
from .test_client import Recorder, make_client

SESSION_ID = "8a3e5b6f-5c3d-4d3e-9a6f-2b1c0d9e8f7a"
KEY_HEAD = TEST_KEY[:10]

Call = Callable[[AsyncVerisoul, str], Any]

#: Every method that puts a caller's value in the URL path, called with that value in
#: each of its path slots in turn.
PATH_CALLS: dict[str, Call] = {
    "get_session": lambda c, v: c.get_session(v),
    "get_account": lambda c, v: c.get_account(v),
    "update_account": lambda c, v: c.update_account({"id": v, "email": "a@example.com"}),
    "delete_account": lambda c, v: c.delete_account(v),
    "get_account_sessions": lambda c, v: c.get_account_sessions(v),
    "get_linked_accounts": lambda c, v: c.get_linked_accounts(v),
    "get_list": lambda c, v: c.get_list(v),
    "create_list": lambda c, v: c.create_list(v, "d"),
    "delete_list": lambda c, v: c.delete_list(v),
    "add_account_to_list[list]": lambda c, v: c.add_account_to_list(v, "acct"),
    "add_account_to_list[account]": lambda c, v: c.add_account_to_list("vip", v),
    "remove_account_from_list[list]": lambda c, v: c.remove_account_from_list(v, "acct"),
    "remove_account_from_list[account]": lambda c, v: c.remove_account_from_list("vip", v),
}


def _not_found() -> httpx.Response:
    return httpx.Response(404, json={"statusCode": 404, "message": "Not Found"})


# --- item 8: values that cannot make a valid request ---------------------------------------


@pytest.mark.anyio
@pytest.mark.parametrize("value", [".", ".."])
@pytest.mark.parametrize("name", list(PATH_CALLS))
async def test_dot_segments_are_refused_before_sending(name: str, value: str) -> None:
    """``remove_account_from_list("..", "victim")`` must never reach ``/account/victim``."""
    rec = Recorder(_not_found())
    async with make_client(rec) as client:
        with pytest.raises(ValueError, match="relative path"):
            await PATH_CALLS[name](client, value)
    assert rec.requests == []
    record(PATH_VALUES_CHECKED)


@pytest.mark.anyio
@pytest.mark.parametrize(
    "value",
    [
        "x" * (MAX_PATH_VALUE_LENGTH + 1),
        "\u00e9" * 65_600,  # 9 bytes each once encoded: far past httpx's 65,536
        "/" * 70_000,
        "\U0001f600" * 20_000,
    ],
    ids=["ascii", "accented", "slashes", "emoji"],
)
@pytest.mark.parametrize("name", list(PATH_CALLS))
async def test_overlong_path_values_are_refused_before_sending(name: str, value: str) -> None:
    """A documented ValueError, never httpx.InvalidURL, and nothing sent."""
    rec = Recorder(_not_found())
    async with make_client(rec) as client:
        with pytest.raises(ValueError, match=f"at most {MAX_PATH_VALUE_LENGTH} characters"):
            await PATH_CALLS[name](client, value)
    assert rec.requests == []
    record(PATH_VALUES_CHECKED)


@pytest.mark.anyio
@pytest.mark.parametrize("name", list(PATH_CALLS))
async def test_the_longest_allowed_value_is_sent_intact(name: str) -> None:
    """At the limit, with the costliest characters to encode, the URL still builds."""
    value = ("\U0001f600/%.? " * MAX_PATH_VALUE_LENGTH)[:MAX_PATH_VALUE_LENGTH]
    rec = Recorder(_not_found())
    async with make_client(rec) as client:
        with pytest.raises(verisoul.NotFoundError):
            await PATH_CALLS[name](client, value)
        with pytest.raises(verisoul.NotFoundError):
            await PATH_CALLS[name](client, "..x")  # dots inside a value are fine
    (request, dotted) = rec.requests
    encoded = quote(value, safe="")
    assert encoded in request.url.raw_path.decode("ascii")
    assert "/..x" in dotted.url.raw_path.decode("ascii")
    record(PATH_VALUES_CHECKED, 2)


@pytest.mark.anyio
async def test_overlong_query_value_is_refused_before_sending() -> None:
    rec = Recorder(_not_found())
    async with make_client(rec) as client:
        for value in ("s" * (MAX_QUERY_VALUE_LENGTH + 1), "\u00e9" * 70_000):
            with pytest.raises(ValueError, match="simulate must be at most"):
                await client.create_liveness_session(simulate=value)
            record(PATH_VALUES_CHECKED)
    assert rec.requests == []


# --- item 7: configuration that cannot be sent ---------------------------------------------

UNSENDABLE = [chr(code) for code in [*range(32), 127]] + [
    "\u00e9",
    "\u2028",
    "\ufeff",
    "\U0001f600",
]


def _unsendable_keys() -> list[str]:
    keys = [f"sk-secr{char}t-{TEST_KEY}" for char in UNSENDABLE]
    keys += [f" {TEST_KEY}", f"{TEST_KEY} ", f"\t{TEST_KEY}", f"{TEST_KEY}\n"]
    return keys


@pytest.mark.anyio
@pytest.mark.parametrize("source", ["argument", "environment"])
async def test_unsendable_keys_are_refused_without_showing_them(
    source: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for key in _unsendable_keys():
        if source == "environment" and "\0" in key:
            continue  # an environment variable cannot hold NUL
        if source == "environment":
            monkeypatch.setenv("VERISOUL_API_KEY", key)
        with pytest.raises(verisoul.VerisoulError, match="cannot be sent") as caught:
            AsyncVerisoul(api_key=None if source == "environment" else key)
        for text in texts_of(caught.value):
            assert TEST_KEY not in text
            assert "secr" not in text
        record(UNSENDABLE_CONFIG_REFUSED)


@pytest.mark.anyio
async def test_the_issue_example_key_is_refused() -> None:
    """ "sk-secrét-..." used to raise UnicodeEncodeError on each call, its repr holding the key."""
    with pytest.raises(verisoul.VerisoulError) as caught:
        AsyncVerisoul(api_key="sk-secr\u00e9t-" + TEST_KEY)
    assert not isinstance(caught.value, UnicodeError)
    assert "secr" not in repr(caught.value)
    record(UNSENDABLE_CONFIG_REFUSED)


@pytest.mark.anyio
@pytest.mark.parametrize(
    "base_url",
    [
        "https://user:hunter2-pw@api.example.com",
        "https://:hunter2-pw@api.example.com",
        "https://hunter2-pw@api.example.com",
        "http://user:hunter2-pw@127.0.0.1:8080",
    ],
)
async def test_base_url_with_credentials_is_refused(base_url: str) -> None:
    with pytest.raises(verisoul.VerisoulError, match="credentials") as caught:
        AsyncVerisoul(api_key=TEST_KEY, base_url=base_url)
    assert all("hunter2" not in text for text in texts_of(caught.value))
    record(UNSENDABLE_CONFIG_REFUSED)


def _header_values() -> list[str]:
    values = [f"a{chr(code)}b" for code in range(256)]
    values += [" lead", "trail ", "\ttab", "mid dle", "", "\u2028", "\U0001f600"]
    return values


@pytest.mark.anyio
async def test_default_headers_are_refused_or_sent_verbatim() -> None:
    """Every character: refused at construction, or it reaches the server as given."""
    received: list[Received] = []

    def answer(request: Received) -> Action:
        received.append(request)
        return json_action({"request_id": "r", "session_id": SESSION_ID})

    refusals: list[str] = []
    with serve(answer) as server:
        for value in _header_values():
            try:
                client = AsyncVerisoul(
                    api_key=TEST_KEY, base_url=server.url, default_headers={"x-trace": value}
                )
            except ValueError as exc:
                refusals.append(str(exc))
                continue
            async with client:
                await client.create_liveness_session()
            assert received[-1].headers["x-trace"] == value
    assert {r.headers["x-trace"] for r in received} >= {"a b", "a~b", "mid dle", ""}
    assert len(refusals) == 33 + 128 + 5  # controls, non-ASCII, bad ends, U+2028, emoji
    assert all("'x-trace'" in text and "lead" not in text for text in refusals)
    record(UNSENDABLE_CONFIG_REFUSED, len(refusals))


@pytest.mark.anyio
async def test_extra_headers_are_refused_or_sent_verbatim() -> None:
    received: list[Received] = []

    def answer(request: Received) -> Action:
        received.append(request)
        return json_action({"request_id": "r", "session_id": SESSION_ID})

    refusals: list[str] = []
    with serve(answer) as server:
        async with AsyncVerisoul(api_key=TEST_KEY, base_url=server.url) as client:
            for value in _header_values():
                try:
                    await client.create_liveness_session(extra_headers={"x-trace": value})
                except ValueError as exc:
                    refusals.append(str(exc))
                    continue
                assert received[-1].headers["x-trace"] == value
    assert len(received) + len(refusals) == len(_header_values())
    assert len(refusals) == 33 + 128 + 5
    assert all("'x-trace'" in text for text in refusals)
    record(UNSENDABLE_CONFIG_REFUSED, len(refusals))


@pytest.mark.anyio
@pytest.mark.parametrize("value", ["a\r\nx-injected: 1", "caf\u00e9", "a\x00b", "a\x01b", "a\x7f"])
async def test_a_write_with_an_unsendable_header_never_reports_outcome_unknown(
    value: str,
) -> None:
    """enroll_account is unsafe to repeat: a refused header must not look 'maybe applied'."""
    rec = Recorder(httpx.Response(200, json={"request_id": "r", "success": True}))
    with pytest.raises(ValueError, match="x-trace"):
        AsyncVerisoul(api_key=TEST_KEY, default_headers={"x-trace": value})
    async with make_client(rec) as client:
        with pytest.raises(ValueError, match="x-trace") as caught:
            await client.enroll_account(SESSION_ID, "acct", extra_headers={"x-trace": value})
    assert not isinstance(caught.value, verisoul.APIConnectionError)
    assert rec.requests == []
    record(UNSENDABLE_CONFIG_REFUSED, 2)


# --- item 7: the key echoed back by a server or proxy --------------------------------------


def echoes() -> dict[str, str]:
    """How a server or proxy may quote the request's key back."""
    return {
        "raw": TEST_KEY,
        "upper": TEST_KEY.upper(),
        "cut short": TEST_KEY[:16],
        "url-encoded": quote(TEST_KEY, safe=""),
        "form-encoded": quote_plus(TEST_KEY),
        "header dump": f"x-api-key: {TEST_KEY}\r\nuser-agent: x",
        "json-escaped": json.dumps(TEST_KEY)[1:-1].replace("/", "\\/"),
    }


def _bodies(echo: str) -> dict[str, tuple[int, bytes, str]]:
    """``(status, body, content-type)`` per kind of answer carrying ``echo``."""
    as_json = json.dumps
    return {
        "liveness 400": (
            400,
            as_json({"request_id": echo, "success": False, "error": f"bad key {echo}"}).encode(),
            "application/json",
        ),
        "platform 401": (
            401,
            as_json({"statusCode": 401, "message": f"Invalid key {echo}"}).encode(),
            "application/json",
        ),
        "nested 403": (
            403,
            as_json({"error": {"request": {"headers": {"x-api-key": echo}}}}).encode(),
            "application/json",
        ),
        "proxy html 502": (502, f"<pre>GET / {echo}</pre>".encode(), "text/html"),
        "long text 500": (500, ("." * 190 + echo + "." * 50).encode(), "text/plain"),
        "2xx not the shape": (
            200,
            as_json({"session_id": 5, "echo": echo}).encode(),
            "application/json",
        ),
        "2xx not json": (200, f"<html>{echo}</html>".encode(), "text/html"),
    }


def _assert_no_key(texts: list[str]) -> None:
    for text in texts:
        assert TEST_KEY.lower() not in text.lower(), text[:300]
        assert KEY_HEAD.lower() not in text.lower(), text[:300]
        assert quote(KEY_HEAD, safe="") not in text, text[:300]


@pytest.mark.anyio
@pytest.mark.parametrize("form", list(echoes()))
async def test_key_echoes_never_show(form: str, caplog: pytest.LogCaptureFixture) -> None:
    """str, repr, body, code, request_id and logs: no trace of the key, in any form."""
    for kind, (status, body, content_type) in _bodies(echoes()[form]).items():
        response = httpx.Response(
            status,
            content=body,
            headers={"content-type": content_type},
        )
        async with make_client(Recorder(response), max_retries=0) as client:
            with pytest.raises(verisoul.APIError) as caught:
                await client.create_liveness_session()
        error = caught.value
        texts = list(texts_of(error))
        texts += [str(getattr(error, name, "")) for name in ("code", "request_id")]
        texts += [log.getMessage() for log in caplog.records]
        _assert_no_key(texts)
        if kind != "long text 500":  # there the echo may fall past the quoted snippet
            assert "<redacted>" in str(error) + repr(getattr(error, "body", "")), kind
        record(KEY_ECHOES_CHECKED)


@pytest.mark.anyio
async def test_key_echo_in_a_transport_error_and_after_retries() -> None:
    """A proxy's connection error text, and the last error quoted by a deadline error."""
    failure = httpx.ConnectError(f"proxy refused request with x-api-key={TEST_KEY}")
    async with make_client(Recorder(failure), max_retries=0) as client:
        with pytest.raises(verisoul.APIConnectionError) as caught:
            await client.verify_face(SESSION_ID)
    _assert_no_key(list(texts_of(caught.value)))
    assert "<redacted>" in str(caught.value)
    record(KEY_ECHOES_CHECKED)


@pytest.mark.anyio
async def test_key_echo_from_a_real_server() -> None:
    """Over a loopback socket: the server dumps the request it received."""

    def dump(request: Received) -> Action:
        return json_action({"statusCode": 400, "message": json.dumps(request.headers)}, 400)

    with serve(dump) as server:
        async with AsyncVerisoul(api_key=TEST_KEY, base_url=server.url) as client:
            with pytest.raises(verisoul.BadRequestError) as caught:
                await client.get_account("acct")
    _assert_no_key(list(texts_of(caught.value)))
    assert "<redacted>" in str(caught.value)
    record(KEY_ECHOES_CHECKED)


# --- item 11: one odd field never costs the verdict -----------------------------------------


def _example(label: str) -> dict[str, Any]:
    body: dict[str, Any] = next(b for name, _, _, b in EXAMPLES if label in name)
    return copy.deepcopy(body)


@pytest.mark.anyio
async def test_fractional_memory_keeps_the_verify_face_verdict(
    caplog: pytest.LogCaptureFixture,
) -> None:
    from verisoul._models import _fields

    _fields.reset_warnings()
    body = _example("facematch-openapi:post /liveness/verify-face")
    body["session_data"]["device"]["memory"] = 0.5
    body["session_data"]["device"]["cpu_cores"] = "eight"
    body["metadata"]["session_id"] = SESSION_ID  # the answer is about the session asked
    async with make_client(Recorder(httpx.Response(200, json=body))) as client:
        for _ in range(3):
            result = await client.verify_face(SESSION_ID)
            assert result.decision == body["decision"]
            assert result.metadata.session_id == body["metadata"]["session_id"]
            assert result.session_data is not None
            assert result.session_data.device is not None
            assert result.session_data.device.memory == 0.5
            assert result.session_data.device.cpu_cores is None
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "body.session_data.device.cpu_cores" in warnings[0].getMessage()


@pytest.mark.anyio
async def test_verdict_without_its_essential_field_is_a_validation_error() -> None:
    body = _example("facematch-openapi:post /liveness/verify-face")
    del body["metadata"]["session_id"]
    async with make_client(Recorder(httpx.Response(200, json=body))) as client:
        with pytest.raises(
            verisoul.APIResponseValidationError, match=r"body\.metadata\.session_id"
        ):
            await client.verify_face(SESSION_ID)

"""Fuzzing with hypothesis: arbitrary arguments and arbitrary responses.

1. Every public method of both clients (found with ``inspect``, so new endpoints are
   covered without editing this file) gets arbitrary arguments: only a result,
   ``TypeError``/``ValueError`` or one of our exceptions may come out, and a rejected
   argument must not send a request.
2. The transport answers with arbitrary statuses, headers and bodies: only a result or
   one of the documented exception types may come out, of the class the status maps to.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import uuid
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import verisoul
from verisoul import AsyncVerisoul, Verisoul
from verisoul._exceptions import status_error_class

from ..conftest import TEST_KEY
from .conftest import OK_BODY
from .figures import record

#: Per method and client for the argument fuzzers (about 30 endpoints each), per client
#: for the response fuzzers.
ARGUMENT_EXAMPLES = 40
FUZZ = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    database=None,
)
LIFECYCLE = frozenset({"aclose", "close", "with_options"})


def public_methods(cls: type) -> list[str]:
    """Every public method of a client except the lifecycle ones."""
    return sorted(
        name
        for name, member in inspect.getmembers(cls, inspect.isfunction)
        if not name.startswith("_") and name not in LIFECYCLE
    )


ENDPOINTS = public_methods(AsyncVerisoul)

anything: st.SearchStrategy[Any] = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=40),
    st.binary(max_size=16),
    st.uuids(),
    st.uuids().map(str),
    st.uuids().map(lambda u: str(u).upper()),
    st.sampled_from(["", " ", "success", "../x", "a/b?c#d", "%00", "\u00e9", "\x00"]),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
    st.builds(object),
)


def arguments_for(method: Callable[..., Any]) -> st.SearchStrategy[dict[str, Any]]:
    """Arbitrary values for every parameter; optional ones are sometimes left out."""
    required: dict[str, st.SearchStrategy[Any]] = {}
    optional: dict[str, st.SearchStrategy[Any]] = {}
    for name, parameter in inspect.signature(method).parameters.items():
        if name == "self" or parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD):
            continue
        (optional if parameter.default is not parameter.empty else required)[name] = anything
    return st.fixed_dictionaries(required, optional=optional)


class Recorder:
    """A MockTransport handler answering a fixed response and counting requests."""

    def __init__(self, response: Callable[[], httpx.Response]) -> None:
        self.response = response
        self.requests = 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests += 1
        return self.response()


def ok() -> httpx.Response:
    return httpx.Response(200, json=OK_BODY)


async def _no_wait(_: float) -> None:
    return None


def _no_wait_sync(_: float) -> None:
    return None


def check_argument_outcome(outcome: BaseException | None, requests: int) -> None:
    if isinstance(outcome, (TypeError, ValueError)):
        assert requests == 0, f"{outcome!r} raised after sending a request"
    elif outcome is not None:
        assert isinstance(outcome, verisoul.VerisoulError), repr(outcome)


@pytest.mark.parametrize("name", ENDPOINTS)
def test_arbitrary_arguments_async(name: str) -> None:
    examples = 0

    @settings(FUZZ, max_examples=ARGUMENT_EXAMPLES)
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        nonlocal examples
        examples += 1
        kwargs = data.draw(arguments_for(getattr(AsyncVerisoul, name)))
        recorder = Recorder(ok)

        async def call() -> BaseException | None:
            http = httpx.AsyncClient(transport=httpx.MockTransport(recorder))
            async with AsyncVerisoul(api_key=TEST_KEY, http_client=http) as client:
                client._sleep = _no_wait  # type: ignore[method-assign,assignment]
                try:
                    await getattr(client, name)(**kwargs)
                except Exception as exc:
                    return exc
            await http.aclose()
            return None

        check_argument_outcome(asyncio.run(call()), recorder.requests)

    run()
    record("fuzz: argument examples", examples)


@pytest.mark.parametrize("name", public_methods(Verisoul))
def test_arbitrary_arguments_sync(name: str) -> None:
    examples = 0
    recorder = Recorder(ok)
    http = httpx.Client(transport=httpx.MockTransport(recorder))
    client = Verisoul(api_key=TEST_KEY, http_client=http)
    client._sleep = _no_wait_sync  # type: ignore[method-assign,assignment]

    @settings(FUZZ, max_examples=ARGUMENT_EXAMPLES)
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        nonlocal examples
        examples += 1
        kwargs = data.draw(arguments_for(getattr(Verisoul, name)))
        before = recorder.requests
        try:
            getattr(client, name)(**kwargs)
        except Exception as exc:
            check_argument_outcome(exc, recorder.requests - before)

    with http, client:
        run()
    record("fuzz: argument examples", examples)


def test_every_async_method_has_a_sync_twin() -> None:
    """The fuzzers above cover the same surface on both clients."""
    assert public_methods(Verisoul) == ENDPOINTS
    assert ENDPOINTS  # the client exposes at least one endpoint


# -- arbitrary responses -------------------------------------------------------------

header_values = st.one_of(
    st.sampled_from(
        [
            "0",
            "1",
            "-1",
            "nan",
            "inf",
            "1e400",
            "59",
            "61",
            "Wed, 21 Oct 2015 07:28:00 GMT",
            "Wed, 21 Oct 2099 07:28:00 GMT",
            "Wed, 21 Oct 2015 07:28:00",
            "",
        ]
    ),
    st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=30),
)
header_names = st.sampled_from(
    ["retry-after", "retry-after-ms", "content-type", "content-encoding", "x-request-id"]
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner),
    max_leaves=10,
)
plausible_bodies = st.fixed_dictionaries(
    {},
    optional={
        "request_id": st.one_of(st.uuids().map(str), json_values),
        "session_id": st.one_of(st.uuids().map(str), json_values),
        "error": json_values,
        "message": json_values,
        "statusCode": json_values,
        "success": json_values,
    },
)
bodies = st.one_of(
    st.binary(max_size=200),
    json_values.map(lambda v: json.dumps(v).encode()),
    plausible_bodies.map(lambda v: json.dumps(v).encode()),
    st.just(b'{"request_id": "x", "session_id": "' + str(uuid.uuid4()).encode() + b'"}'),
)
responses = st.builds(
    lambda status, headers, body: (status, headers, body),
    st.integers(min_value=100, max_value=599),
    st.dictionaries(header_names, header_values, max_size=3),
    bodies,
)


def check_response_outcome(
    outcome: BaseException | None, status: int, attempts_seen: int, max_retries: int
) -> None:
    """Success only for 2xx; otherwise the documented class for the status."""
    assert 1 <= attempts_seen <= max_retries + 1
    if outcome is None:
        assert 200 <= status < 300
        return
    assert isinstance(outcome, verisoul.APIError), repr(outcome)
    if isinstance(outcome, verisoul.APIStatusError):
        assert type(outcome) is status_error_class(status)
        assert outcome.status_code == status
        assert not 200 <= status < 300
    elif isinstance(outcome, verisoul.APIResponseValidationError):
        assert 200 <= status < 300
    else:  # a Retry-After beyond the deadline, or a body httpx cannot decode
        assert isinstance(outcome, verisoul.APIConnectionError), repr(outcome)
    assert outcome.attempts == attempts_seen
    assert str(outcome)


def _respond(status: int, headers: dict[str, str], body: bytes) -> Callable[[], httpx.Response]:
    return lambda: httpx.Response(status, headers=headers, content=body)


@FUZZ
@given(response=responses)
def test_arbitrary_responses_sync(response: tuple[int, dict[str, str], bytes]) -> None:
    status, headers, body = response
    recorder = Recorder(_respond(status, headers, body))
    with Verisoul(
        api_key=TEST_KEY, http_client=httpx.Client(transport=httpx.MockTransport(recorder))
    ) as client:
        client._sleep = _no_wait_sync  # type: ignore[method-assign,assignment]
        try:
            client.create_liveness_session()
        except Exception as exc:
            outcome: BaseException | None = exc
        else:
            outcome = None
    check_response_outcome(outcome, status, recorder.requests, client.max_retries)
    record("fuzz: response examples")


@FUZZ
@given(response=responses)
def test_arbitrary_responses_async(response: tuple[int, dict[str, str], bytes]) -> None:
    status, headers, body = response
    recorder = Recorder(_respond(status, headers, body))

    async def call() -> BaseException | None:
        http = httpx.AsyncClient(transport=httpx.MockTransport(recorder))
        async with AsyncVerisoul(api_key=TEST_KEY, http_client=http, deadline=30.0) as client:
            client._sleep = _no_wait  # type: ignore[method-assign,assignment]
            try:
                await client.create_liveness_session()
            except Exception as exc:
                return exc
            finally:
                await http.aclose()
        return None

    check_response_outcome(asyncio.run(call()), status, recorder.requests, 2)
    record("fuzz: response examples")

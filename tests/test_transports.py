"""The transport switch: argument checks, clear errors, and aiohttp's error mapping."""

from __future__ import annotations

import asyncio
import inspect
import sys

import aiohttp
import httpx
import pytest

import verisoul
from verisoul import _aiohttp_transport as aio
from verisoul._retry import provably_not_sent
from verisoul._transports import check_transport

from .conftest import TEST_KEY


def test_no_transport_means_httpx() -> None:
    assert check_transport(None, None) == "httpx"
    assert check_transport("aiohttp", None) == "aiohttp"


@pytest.mark.parametrize(
    ("transport", "http_client", "error", "match"),
    [
        ("requests", None, ValueError, "one of"),
        (b"aiohttp", None, TypeError, "must be a str"),
        ("httpx", object(), ValueError, "not both"),
    ],
)
def test_bad_transport_arguments(
    transport: object, http_client: object, error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        check_transport(transport, http_client)  # type: ignore[arg-type]


def test_the_sync_client_has_no_transport_option() -> None:
    """Only httpx's connection layer blocks: the generated client does not offer a choice."""
    assert "transport" not in inspect.signature(verisoul.Verisoul).parameters
    with pytest.raises(TypeError, match="transport"):
        verisoul.Verisoul(api_key=TEST_KEY, transport="httpx")  # type: ignore[call-arg]


def test_missing_extra_names_the_pip_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "httpx_aiohttp", None)  # import now fails
    monkeypatch.delitem(sys.modules, "verisoul._aiohttp_transport")
    with pytest.raises(verisoul.VerisoulError, match=r"pip install 'verisoul\[aiohttp\]'"):
        verisoul.AsyncVerisoul(api_key=TEST_KEY, transport="aiohttp")


def _bare(cls: type[BaseException]) -> BaseException:
    """An instance for isinstance checks (aiohttp's constructors want live connections)."""
    return cls.__new__(cls)


@pytest.mark.parametrize(
    ("failure", "expected"),
    [
        (aiohttp.ConnectionTimeoutError, httpx.ConnectTimeout),
        (aiohttp.ClientConnectorError, httpx.ConnectError),
        (aiohttp.ClientConnectorDNSError, httpx.ConnectError),
        (aiohttp.SocketTimeoutError, httpx.ReadTimeout),
        (asyncio.TimeoutError, httpx.ReadTimeout),
        (aiohttp.ServerDisconnectedError, httpx.RemoteProtocolError),
        (aiohttp.ClientResponseError, httpx.RemoteProtocolError),
        (aiohttp.ClientPayloadError, httpx.ReadError),
        (aiohttp.ClientConnectionResetError, httpx.ReadError),
        (aiohttp.ClientOSError, httpx.ReadError),
        (aiohttp.InvalidURL, httpx.TransportError),
    ],
)
def test_aiohttp_failures_map_to_what_they_mean_for_a_retry(
    failure: type[BaseException], expected: type[httpx.TransportError]
) -> None:
    assert aio.httpx_error_class(_bare(failure)) is expected


def test_foreign_exceptions_are_not_mapped() -> None:
    assert aio.httpx_error_class(ValueError("x")) is None


def test_a_dropped_connection_is_not_taken_for_a_failed_connect() -> None:
    # httpx-aiohttp maps ServerDisconnectedError to ConnectTimeout ("never sent"), which
    # would let the retry policy resend an unsafe write that may have been applied.
    theirs = httpx.ConnectTimeout("Server disconnected")
    theirs.__cause__ = aiohttp.ServerDisconnectedError()
    assert provably_not_sent(theirs)
    ours = aio.remapped(theirs)
    assert type(ours) is httpx.RemoteProtocolError
    assert isinstance(ours.__cause__, aiohttp.ServerDisconnectedError)
    assert not provably_not_sent(ours)


def test_precise_mappings_are_kept() -> None:
    theirs = httpx.UnsupportedProtocol("ftp://x")
    theirs.__cause__ = _bare(aiohttp.NonHttpUrlClientError)
    assert aio.remapped(theirs) is theirs
    connect = httpx.ConnectError("refused")
    connect.__cause__ = _bare(aiohttp.ClientConnectorError)
    assert aio.remapped(connect) is connect

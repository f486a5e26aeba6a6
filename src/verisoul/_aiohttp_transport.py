"""The optional aiohttp transport: httpx's client code on aiohttp's faster connection layer.

Imported only when ``AsyncVerisoul(transport="aiohttp")`` is built (``import verisoul`` must
stay free of aiohttp). It wraps ``httpx_aiohttp.AiohttpTransport`` for three reasons:

* Its error mapping turns a dropped connection (``ServerDisconnectedError``) into
  ``httpx.ConnectTimeout``, which our retry policy reads as "never reached the server" and
  would resend an unsafe write. Here every aiohttp failure becomes the httpx error that says
  what it means for a retry: only a failed connect is "not sent".
* aiohttp silently resends idempotent requests once after a dropped connection; the SDK's
  retry policy (backoff, ``max_retries``, ``attempts``) must be the only one.
* aiohttp runs on asyncio only; under trio it fails deep inside with an unclear error, so
  the transport checks the running loop first and says so.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Iterator

import aiohttp
import httpx
from httpx_aiohttp import AiohttpTransport

from ._exceptions import VerisoulError

__all__ = ["VerisoulAiohttpTransport", "httpx_error_class"]

_NEEDS_ASYNCIO = (
    "transport='aiohttp' runs on asyncio only (aiohttp has no trio support); under trio use "
    "the default transport (transport='httpx')."
)

_FAILURES = (httpx.TransportError, aiohttp.ClientError, OSError, asyncio.TimeoutError)

#: httpx-aiohttp's mappings that are already precise.
_KEPT = (httpx.UnsupportedProtocol, httpx.ProxyError)


def httpx_error_class(exc: BaseException) -> type[httpx.TransportError] | None:
    """The httpx error matching an aiohttp failure, or None for a foreign exception.

    Only a connection that was never established maps to ``ConnectError`` /
    ``ConnectTimeout`` (safe to resend anything); every failure after that leaves the
    outcome unknown.
    """
    if isinstance(exc, aiohttp.ConnectionTimeoutError):
        return httpx.ConnectTimeout
    if isinstance(exc, aiohttp.ClientConnectorError):
        return httpx.ConnectError
    if isinstance(exc, asyncio.TimeoutError):  # includes aiohttp's socket read timeouts
        return httpx.ReadTimeout
    if isinstance(exc, (aiohttp.ServerDisconnectedError, aiohttp.ClientResponseError)):
        return httpx.RemoteProtocolError
    if isinstance(exc, (aiohttp.ClientPayloadError, aiohttp.ClientConnectionError, OSError)):
        return httpx.ReadError
    if isinstance(exc, aiohttp.ClientError):
        return httpx.TransportError
    return None


def remapped(exc: Exception) -> Exception:
    """``exc`` (an aiohttp error, or httpx-aiohttp's mapping of one) as the right httpx error."""
    original = exc.__cause__ if isinstance(exc, httpx.TransportError) else exc
    cls = None if original is None else httpx_error_class(original)
    if cls is None or type(exc) is cls or isinstance(exc, _KEPT):
        return exc
    error = cls(str(exc) or type(original).__name__)
    error.__cause__ = original
    return error


@contextlib.contextmanager
def errors_remapped() -> Iterator[None]:
    """Re-raise aiohttp failures (raw or mapped by httpx-aiohttp) as :func:`remapped`."""
    try:
        yield
    except _FAILURES as exc:
        error = remapped(exc)
        if error is exc:
            raise
        raise error from error.__cause__


class _RemappedStream(httpx.AsyncByteStream):
    """A response body whose read errors are remapped like the request's."""

    def __init__(self, inner: httpx.AsyncByteStream) -> None:
        self._inner = inner

    async def __aiter__(self) -> AsyncIterator[bytes]:
        with errors_remapped():
            async for chunk in self._inner:
                yield chunk

    async def aclose(self) -> None:
        await self._inner.aclose()


class VerisoulAiohttpTransport(AiohttpTransport):
    """``httpx_aiohttp.AiohttpTransport`` with retry-safe error mapping and an asyncio check."""

    def get_client(self) -> aiohttp.ClientSession:
        """The aiohttp session, without aiohttp's own silent resend of idempotent requests.

        aiohttp resends a GET once after a dropped connection, behind the SDK's back (no
        backoff, not counted in ``attempts``, even with ``max_retries=0``); the SDK's retry
        policy must be the only one, as on httpx's transport. The switch is private in
        aiohttp (3.10+), hence the guard: if it disappears, only that resend comes back.
        """
        session = super().get_client()
        if hasattr(session, "_retry_connection"):
            session._retry_connection = False
        return session

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            raise VerisoulError(_NEEDS_ASYNCIO) from None
        with errors_remapped():
            response = await super().handle_async_request(request)
        assert isinstance(response.stream, httpx.AsyncByteStream)
        response.stream = _RemappedStream(response.stream)
        return response

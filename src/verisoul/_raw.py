"""Raw responses: the parsed result together with the HTTP status, headers and timing.

``client.with_raw_response.verify_face(...)`` (both clients) calls the same method and
returns a :class:`RawResponse` wrapping its result. The design, and why it type-checks:

- Each attribute of ``with_raw_response`` is a descriptor built from the client's own
  method (``async_raw_method(AsyncLivenessAPI.verify_face)``), typed with a ``ParamSpec``:
  the arguments are checked exactly like the method's, and the result is
  ``RawResponse[VerifyFaceResult]`` under ``mypy --strict``. No signature is written twice.
- The method itself runs unchanged; while it runs, a context variable holds a box that
  :func:`record_response` (called by the response parser on success) fills with the last
  ``httpx.Response``. A context variable keeps concurrent calls apart, on every task and
  thread, and costs one lookup per call when unused.
- Only the response is kept: its request carries the ``x-api-key`` header, so the
  RawResponse exposes the method and URL, never the request or its headers.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, Concatenate, Generic, ParamSpec, TypeVar, overload

import attrs

if TYPE_CHECKING:
    import httpx
    from typing_extensions import Self

__all__ = [
    "RawResponse",
    "RawResponseGroup",
    "async_call_raw",
    "async_raw_method",
    "call_raw",
    "raw_method",
    "record_response",
]

_T = TypeVar("_T")
_P = ParamSpec("_P")


@attrs.frozen
class RawResponse(Generic[_T]):
    """A result with the HTTP details of the response it came from.

    Attributes:
        parsed: The result the plain method returns (``VerifyFaceResult``...).
        status_code: The HTTP status of the successful response.
        headers: The response headers (no request header, so never the API key).
        elapsed: Seconds from the call to the parsed result: every attempt, retry wait
            and rate-limit wait included (``time.perf_counter`` around the call).
        attempts: HTTP attempts the call made (1 when the first one succeeded).
        method: The HTTP method sent.
        url: The URL requested (it holds ids from the call, never the key).
        http_version: ``"HTTP/1.1"`` or ``"HTTP/2"``.
    """

    parsed: _T
    status_code: int
    headers: httpx.Headers
    elapsed: float
    attempts: int
    method: str
    url: httpx.URL
    http_version: str

    @property
    def request_id(self) -> str | None:
        """The result's ``request_id`` (body, else a request-id header), or None."""
        value = getattr(self.parsed, "request_id", None)
        if isinstance(value, str):
            return value
        from ._response import header_request_id

        return header_request_id(self.headers)

    def __repr__(self) -> str:
        return (
            f"RawResponse(status_code={self.status_code}, method={self.method!r}, "
            f"url={str(self.url)!r}, attempts={self.attempts}, elapsed={self.elapsed:.3f}, "
            f"parsed={type(self.parsed).__name__}(...))"
        )


@attrs.define
class _Capture:
    response: httpx.Response | None = None
    attempts: int = 0


_CAPTURE: ContextVar[_Capture | None] = ContextVar("verisoul_raw_capture", default=None)


def record_response(response: httpx.Response, attempts: int) -> None:
    """Called with every parsed 2xx response: kept only inside a raw-response call."""
    box = _CAPTURE.get()
    if box is not None:
        box.response = response
        box.attempts = attempts


def _raw_response(box: _Capture, parsed: _T, started: float) -> RawResponse[_T]:
    elapsed = time.perf_counter() - started
    response = box.response
    if response is None:  # every endpoint method parses exactly one response
        raise RuntimeError("with_raw_response: the method sent no request")
    request = response.request
    return RawResponse(
        parsed=parsed,
        status_code=response.status_code,
        headers=response.headers,
        elapsed=elapsed,
        attempts=box.attempts,
        method=request.method,
        url=request.url,
        http_version=response.http_version,
    )


async def async_call_raw(
    method: Callable[_P, Awaitable[_T]], *args: _P.args, **kwargs: _P.kwargs
) -> RawResponse[_T]:
    """Await ``method(*args, **kwargs)`` and return its result with the HTTP details."""
    box = _Capture()
    token = _CAPTURE.set(box)
    started = time.perf_counter()
    try:
        parsed = await method(*args, **kwargs)
    finally:
        _CAPTURE.reset(token)
    return _raw_response(box, parsed, started)


def call_raw(method: Callable[_P, _T], *args: _P.args, **kwargs: _P.kwargs) -> RawResponse[_T]:
    """Call ``method(*args, **kwargs)`` and return its result with the HTTP details."""
    box = _Capture()
    token = _CAPTURE.set(box)
    started = time.perf_counter()
    try:
        parsed = method(*args, **kwargs)
    finally:
        _CAPTURE.reset(token)
    return _raw_response(box, parsed, started)


class RawResponseGroup:
    """The base of ``client.with_raw_response``: holds the client its methods call."""

    __slots__ = ("_client",)

    def __init__(self, client: object) -> None:
        self._client = client

    def __repr__(self) -> str:
        return f"<{type(self).__name__} of {self._client!r}>"


class async_raw_method(Generic[_P, _T]):
    """``client.with_raw_response.<name>``: the async method, returning a RawResponse."""

    def __init__(self, method: Callable[Concatenate[Any, _P], Awaitable[_T]]) -> None:
        self.__name__ = method.__name__
        self.__doc__ = f"Like ``{method.__name__}``, returning a ``RawResponse``."

    @overload
    def __get__(self, obj: None, owner: type) -> Self: ...
    @overload
    def __get__(
        self, obj: RawResponseGroup, owner: type
    ) -> Callable[_P, Awaitable[RawResponse[_T]]]: ...
    def __get__(
        self, obj: RawResponseGroup | None, owner: type
    ) -> Self | Callable[_P, Awaitable[RawResponse[_T]]]:
        if obj is None:
            return self
        method = getattr(obj._client, self.__name__)

        async def call(*args: _P.args, **kwargs: _P.kwargs) -> RawResponse[_T]:
            return await async_call_raw(method, *args, **kwargs)

        call.__name__ = call.__qualname__ = self.__name__
        return call


class raw_method(Generic[_P, _T]):
    """``client.with_raw_response.<name>``: the blocking method, returning a RawResponse."""

    def __init__(self, method: Callable[Concatenate[Any, _P], _T]) -> None:
        self.__name__ = method.__name__
        self.__doc__ = f"Like ``{method.__name__}``, returning a ``RawResponse``."

    @overload
    def __get__(self, obj: None, owner: type) -> Self: ...
    @overload
    def __get__(self, obj: RawResponseGroup, owner: type) -> Callable[_P, RawResponse[_T]]: ...
    def __get__(
        self, obj: RawResponseGroup | None, owner: type
    ) -> Self | Callable[_P, RawResponse[_T]]:
        if obj is None:
            return self
        method = getattr(obj._client, self.__name__)

        def call(*args: _P.args, **kwargs: _P.kwargs) -> RawResponse[_T]:
            return call_raw(method, *args, **kwargs)

        call.__name__ = call.__qualname__ = self.__name__
        return call

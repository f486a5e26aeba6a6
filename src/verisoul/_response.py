"""Turning an HTTP outcome into a model or one of our exceptions (no I/O)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Final, TypeVar

import httpx

from ._exceptions import (
    APIConnectionError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    status_error_class,
)
from ._retry import RetryClass, parse_retry_after, provably_not_sent
from ._shape import ResponseShapeError

__all__ = ["connection_error", "deadline_error", "parse_success", "status_error"]

_T = TypeVar("_T")
_SNIPPET: Final = 200


def _decode(response: httpx.Response) -> object:
    """The JSON body, or the text when it is not JSON, or None when empty."""
    content = response.content
    if not content:
        return None
    try:
        return json.loads(content)
    except (ValueError, RecursionError):
        text = response.text
        return text if len(text) <= _SNIPPET else text[:_SNIPPET] + "..."


def _where(response: httpx.Response) -> str:
    request = response.request
    return f"{request.method} {request.url.path}"


def parse_success(response: httpx.Response, parse: Callable[[object], _T], attempts: int) -> _T:
    """Decode a 2xx body and hand it to the endpoint's parser."""
    try:
        data = json.loads(response.content)
    except (ValueError, RecursionError):
        raise APIResponseValidationError(
            f"{_where(response)} answered {response.status_code} with a body that is not JSON "
            f"(content-type {response.headers.get('content-type')!r})",
            response=response,
            body=_decode(response),
            attempts=attempts,
        ) from None
    try:
        return parse(data)
    except ResponseShapeError as exc:
        request_id = data.get("request_id") if isinstance(data, dict) else None
        raise APIResponseValidationError(
            f"{_where(response)} answered {response.status_code} with an unexpected body: {exc}",
            response=response,
            body=data,
            request_id=request_id if isinstance(request_id, str) else None,
            attempts=attempts,
        ) from None


def _text_field(body: dict[str, object], key: str) -> str | None:
    value = body.get(key)
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return None


def status_error(response: httpx.Response, attempts: int) -> APIStatusError:
    """The exception for a non-2xx response.

    Understands the four documented error bodies: liveness ``{request_id, success, error}``,
    public redirect ``{error}``, platform ``{statusCode, message}`` and email
    ``{message, error, statusCode}``; anything else keeps the raw body.
    """
    body = _decode(response)
    code = message = request_id = None
    if isinstance(body, dict):
        code = _text_field(body, "error")
        message = _text_field(body, "message")
        request_id = _text_field(body, "request_id")
    status = response.status_code
    detail = " - ".join(part for part in (code, message) if part)
    if not detail:
        detail = response.reason_phrase or "error"
        if isinstance(body, str) and body.strip():
            detail += ": " + " ".join(body.split())[:_SNIPPET]
    text = f"{_where(response)} failed with HTTP {status}: {detail}"
    if request_id:
        text += f" (request_id {request_id})"
    if attempts > 1:
        text += f" after {attempts} attempts"
    return status_error_class(status)(
        text,
        response=response,
        body=body,
        code=code,
        request_id=request_id,
        attempts=attempts,
        retry_after=parse_retry_after(response.headers),
    )


def connection_error(
    exc: Exception, request: httpx.Request, retry_class: RetryClass, attempts: int
) -> APIConnectionError:
    """Our exception for a transport failure (httpx's is kept as ``__cause__``)."""
    unknown = retry_class is RetryClass.UNSAFE_WRITE and not provably_not_sent(exc)
    kind = "timed out" if isinstance(exc, httpx.TimeoutException) else "failed"
    reason = str(exc) or type(exc).__name__
    text = f"{request.method} {request.url.path} {kind} ({type(exc).__name__}: {reason})"
    if attempts > 1:
        text += f" after {attempts} attempts"
    if unknown:
        text += (
            "; the request may have reached Verisoul, so it was not retried and its outcome "
            "is unknown"
        )
    cls = APITimeoutError if isinstance(exc, httpx.TimeoutException) else APIConnectionError
    return cls(text, request=request, attempts=attempts, outcome_unknown=unknown)


def deadline_error(
    request: httpx.Request, deadline: float, attempts: int, last: Exception | None
) -> APITimeoutError:
    """The call's total deadline ran out (the last failure is chained as the cause)."""
    plural = "" if attempts == 1 else "s"
    text = (
        f"{request.method} {request.url.path}: deadline of {deadline:g} s exhausted "
        f"after {attempts} attempt{plural}"
    )
    if last is not None:
        text += f" (last error: {last})"
    error = APITimeoutError(text, request=request, attempts=attempts)
    error.__cause__ = last  # kept by ``raise error``, as docs/retries.md promises
    return error

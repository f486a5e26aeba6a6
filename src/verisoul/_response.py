"""Turning an HTTP outcome into a model or one of our exceptions (no I/O)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, Final, TypeVar

import attrs
import httpx

from . import _config
from ._body import TOO_LARGE
from ._exceptions import (
    APIConnectionError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    status_error_class,
)
from ._raw import record_response
from ._retry import RetryClass, parse_retry_after, provably_not_sent
from ._secret import mentions, scrub, scrub_json
from ._shape import ResponseShapeError

__all__ = [
    "REQUEST_ID_HEADERS",
    "connection_error",
    "deadline_error",
    "header_request_id",
    "parse_success",
    "status_error",
]

_T = TypeVar("_T")
_SNIPPET: Final = 200

#: Response headers read, in this order, for a request id when the body has none.
#: Verisoul documents no such header (its error bodies carry ``request_id`` only on the
#: liveness endpoints), so these are the names API gateways and CDNs commonly add:
#: the generic ``x-request-id`` / ``request-id``, AWS API Gateway's ``x-amzn-requestid``,
#: CloudFront's ``x-amz-cf-id`` and Cloudflare's ``cf-ray``.
REQUEST_ID_HEADERS: Final = (
    "x-request-id",
    "request-id",
    "x-amzn-requestid",
    "x-amz-cf-id",
    "cf-ray",
)


def header_request_id(headers: httpx.Headers) -> str | None:
    """The first non-empty :data:`REQUEST_ID_HEADERS` value, or None."""
    for name in REQUEST_ID_HEADERS:
        value: str | None = headers.get(name)
        if value:
            return value.strip()[:_SNIPPET]
    return None


def _environment(url: httpx.URL) -> str:
    """``"Verisoul's sandbox environment (api.sandbox.verisoul.ai)"`` or the custom host."""
    text = str(url)
    for name, base in _config.ENVIRONMENTS.items():
        if text.startswith(base.rstrip("/") + "/"):
            return f"Verisoul's {name} environment ({url.host})"
    return f"the API at {url.host} (a custom base_url, neither sandbox nor production)"


def _advice(response: httpx.Response, code: str | None) -> str:
    """What to check, for the statuses whose fix is in the caller's configuration."""
    status = response.status_code
    where = _environment(response.request.url)
    if status == 401:
        return (
            f"{where} refused the API key. Sandbox and production keys differ: use a key "
            "issued for this environment (api_key= or VERISOUL_API_KEY), or pick the "
            "environment the key belongs to (environment= or VERISOUL_ENVIRONMENT)"
        )
    if status == 403:
        return (
            f"{where} accepted the key but not for this call. In the Verisoul dashboard, "
            "check that the key belongs to the project you mean and that the product this "
            "endpoint belongs to is enabled for that project"
        )
    if status == 400 and code == "groups_enabled":
        return (
            "The project has groups enabled, and Verisoul does not create Face Match or "
            "ID Check sessions for such projects this way. In the Verisoul dashboard, check "
            "the project's groups setting, or use a project without groups for liveness"
        )
    return ""


def _secret_of(request: httpx.Request) -> str | None:
    """The key this request carried: what to scrub from anything the server sent back."""
    secret: str | None = request.headers.get("x-api-key")
    return secret


def _decode(response: httpx.Response, data: object = None) -> object:
    """The JSON body (``data`` if decoded already), or the text when not JSON, or None.

    Any echo of the API key is scrubbed: a server or proxy may quote the request back.
    """
    content = response.content
    if not content:
        return None
    secret = _secret_of(response.request)
    try:
        if data is None:
            data = json.loads(content)
    except (ValueError, RecursionError):
        text = scrub(response.text, secret)
        return text if len(text) <= _SNIPPET else text[:_SNIPPET] + "..."
    if mentions(response.text, secret):
        data = scrub_json(data, secret)
    return data


def _where(response: httpx.Response) -> str:
    request = response.request
    return f"{request.method} {request.url.path}"


def _over_limit(response: httpx.Response) -> str | None:
    """What to say about a body that was not read because it passed the size limit."""
    limit = response.extensions.get(TOO_LARGE)
    if limit is None:
        return None
    return (
        f"a body larger than max_response_bytes={limit} bytes (decoded); it was not read "
        "and the connection was dropped"
    )


def parse_success(response: httpx.Response, parse: Callable[[object], _T], attempts: int) -> _T:
    """Decode a 2xx body and hand it to the endpoint's parser."""
    over = _over_limit(response)
    if over is not None:
        raise APIResponseValidationError(
            f"{_where(response)} answered {response.status_code} with {over}",
            response=response,
            attempts=attempts,
        )
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
        result = parse(data)
    except ResponseShapeError as exc:
        data = _decode(response, data)
        request_id = data.get("request_id") if isinstance(data, dict) else None
        if not isinstance(request_id, str):
            request_id = header_request_id(response.headers)
            if request_id is not None:
                request_id = scrub(request_id, _secret_of(response.request))
        detail = scrub(str(exc), _secret_of(response.request))
        raise APIResponseValidationError(
            f"{_where(response)} answered {response.status_code} with an unexpected body: "
            f"{detail}",
            response=response,
            body=data,
            request_id=request_id,
            attempts=attempts,
        ) from None
    if getattr(result, "request_id", "") is None:
        result = _with_header_request_id(result, response.headers)
    record_response(response, attempts)
    return result


def _with_header_request_id(result: _T, headers: httpx.Headers) -> _T:
    """``result`` with a request id from the headers, when its body had none."""
    request_id = header_request_id(headers)
    cls: Any = type(result)
    if request_id is None or not attrs.has(cls) or "request_id" not in attrs.fields_dict(cls):
        return result
    evolved: _T = attrs.evolve(result, request_id=request_id)  # type: ignore[misc]
    return evolved


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
    if request_id is None:
        request_id = header_request_id(response.headers)
        if request_id is not None:
            request_id = scrub(request_id, _secret_of(response.request))
    status = response.status_code
    detail = " - ".join(part for part in (code, message) if part)
    over = _over_limit(response)
    if over is not None:
        detail = f"{response.reason_phrase or 'error'} with {over}"
    elif not detail:
        detail = response.reason_phrase or "error"
        if isinstance(body, str) and body.strip():
            detail += ": " + " ".join(body.split())[:_SNIPPET]
    text = f"{_where(response)} failed with HTTP {status}: {detail}"
    if request_id:
        text += f" (request_id {request_id})"
    if attempts > 1:
        text += f" after {attempts} attempts"
    advice = _advice(response, code)
    if advice:
        text += f". {advice}."
    return status_error_class(status)(
        scrub(text, _secret_of(response.request)),
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
    reason = scrub(str(exc), _secret_of(request))
    if reason != str(exc):  # a proxy quoted the request: scrub the chained cause too
        exc.args = (reason,)
    reason = reason or type(exc).__name__
    host = request.url.netloc.decode("ascii", "replace")  # host[:port], never userinfo
    text = f"{request.method} {request.url.path} {kind} ({type(exc).__name__}: {reason})"
    text += f" at host {host}"
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
        text += f" (last error: {scrub(str(last), _secret_of(request))})"
    error = APITimeoutError(text, request=request, attempts=attempts)
    error.__cause__ = last  # kept by a plain ``raise``: tracebacks show the last failure
    return error

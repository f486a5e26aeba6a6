"""The fake's own request and response values, independent of any HTTP library.

Both wirings (``httpx.MockTransport`` in-process, the stdlib loopback server) translate
their native objects into these, so every route handler is a pure function of values.
"""

from __future__ import annotations

import http
import json
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

__all__ = ["FakeRequest", "FakeResponse", "http_error", "json_response"]

JSON_CONTENT_TYPE = "application/json; charset=utf-8"


@attrs.frozen
class FakeRequest:
    """One request as a route handler sees it.

    Attributes:
        method: Upper-case HTTP method.
        path: The raw (still percent-encoded) path, without the query.
        params: Path parameters from the route template, percent-decoded.
        query: Query parameters (the first value of each name).
        headers: Header names in lower case.
        body: The raw body bytes.
        request_id: The ``request_id`` the fake reports for this request.
    """

    method: str
    path: str
    params: Mapping[str, str]
    query: Mapping[str, str]
    headers: Mapping[str, str]
    body: bytes
    request_id: str

    def json_object(self) -> dict[str, Any] | None:
        """The body as a JSON object, or None when it is empty, not JSON or not an object."""
        try:
            data = json.loads(self.body)
        except ValueError:
            return None
        return data if isinstance(data, dict) else None


@attrs.frozen
class FakeResponse:
    """What the fake answers, plus the transport-level behaviour a fault asked for.

    Attributes:
        status: HTTP status code.
        headers: Response headers (Content-Length is added by the wiring).
        body: Body bytes.
        delay: Seconds to wait before answering.
        drop: Close the connection without answering at all.
    """

    status: int
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""
    delay: float = 0.0
    drop: bool = False


def json_response(
    status: int, payload: object, headers: Iterable[tuple[str, str]] = ()
) -> FakeResponse:
    """A JSON response with the content type Verisoul sends."""
    body = json.dumps(payload, separators=(",", ":")).encode()
    return FakeResponse(status, (("content-type", JSON_CONTENT_TYPE), *headers), body)


def http_error(status: int, message: str | None = None) -> FakeResponse:
    """A non-liveness error in NestJS's default shape (``{"statusCode", "message"}``).

    Verisoul documents no body for 401/404/429/5xx; this is the shape its other
    endpoints use, so clients see a familiar object.
    """
    try:
        phrase = http.HTTPStatus(status).phrase
    except ValueError:
        phrase = "Error"
    return json_response(status, {"statusCode": status, "message": message or phrase})

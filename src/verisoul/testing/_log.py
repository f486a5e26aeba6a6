"""The request log: what reached the fake, for assertions, with the API key redacted."""

from __future__ import annotations

import json
from collections.abc import Mapping

import attrs

__all__ = ["REDACTED", "LoggedRequest", "redact_headers"]

REDACTED = "[redacted]"
_SECRET_HEADERS = frozenset({"x-api-key", "authorization", "proxy-authorization"})


def redact_headers(headers: Mapping[str, str]) -> tuple[tuple[str, str], ...]:
    """Lower-cased header pairs with every credential value replaced by ``[redacted]``."""
    return tuple(
        (name.lower(), REDACTED if name.lower() in _SECRET_HEADERS else value)
        for name, value in headers.items()
    )


@attrs.frozen
class LoggedRequest:
    """One request the fake received (faulted ones included).

    Attributes:
        method: Upper-case HTTP method.
        path: The raw path, without the query.
        query: Query pairs in the order sent.
        headers: Lower-cased header pairs; ``x-api-key`` reads ``[redacted]``.
        body: The raw body bytes.
    """

    method: str
    path: str
    query: tuple[tuple[str, str], ...]
    headers: tuple[tuple[str, str], ...]
    body: bytes

    def header(self, name: str) -> str | None:
        """The first value of a header, or None.

        Args:
            name: The header's name (case-insensitive).
        """
        wanted = name.lower()
        return next((value for key, value in self.headers if key == wanted), None)

    def json(self) -> object:
        """The body decoded as JSON.

        Raises:
            ValueError: The body is not JSON.
        """
        return json.loads(self.body)

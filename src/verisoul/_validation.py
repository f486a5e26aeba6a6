"""Argument checks that run before any request is sent."""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping

__all__ = ["validate_headers", "validate_non_empty_str", "validate_uuid"]


def validate_uuid(value: str | uuid.UUID, name: str) -> str:
    """Return ``value`` as a canonical lowercase UUID string.

    Raises:
        TypeError: ``value`` is neither a ``str`` nor a ``uuid.UUID``.
        ValueError: ``value`` is a string that is not a UUID.
    """
    if isinstance(value, uuid.UUID):
        return str(value)
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str or uuid.UUID, not {type(value).__name__}")
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise ValueError(
            f"{name} must be a UUID such as '{uuid.UUID(int=0)}', got {value!r:.80}"
        ) from None


def validate_non_empty_str(value: str, name: str, *, max_length: int | None = None) -> str:
    """Return ``value`` if it is a non-empty string (of at most ``max_length`` characters).

    Raises:
        TypeError: ``value`` is not a ``str``.
        ValueError: ``value`` is empty, blank or too long.
    """
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, not {type(value).__name__}")
    if not value.strip():
        raise ValueError(f"{name} must not be empty")
    if max_length is not None and len(value) > max_length:
        raise ValueError(f"{name} must be at most {max_length} characters, got {len(value)}")
    return value


_HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
#: Set by the SDK itself: a caller's value would be overwritten or would break the call.
_RESERVED_HEADERS = frozenset({"x-api-key", "host", "content-length", "transfer-encoding"})


def validate_headers(headers: Mapping[str, str] | None, name: str) -> dict[str, str]:
    """Return ``headers`` with lowercase names, once each is safe to send.

    A header that cannot be sent (non-ASCII, CR/LF) would otherwise fail every call
    later, after the SDK decided the request left; it is refused here instead. The
    error names the header, never its value (it may hold a secret).

    Raises:
        TypeError: ``headers`` is not a mapping of str to str.
        ValueError: A name or value that HTTP cannot carry, or a reserved name
            (``x-api-key``: pass ``api_key=``).
    """
    if headers is None:
        return {}
    if not isinstance(headers, Mapping):
        raise TypeError(f"{name} must be a mapping of str to str, not {type(headers).__name__}")
    checked: dict[str, str] = {}
    for key, value in headers.items():
        if not isinstance(key, str) or not isinstance(value, str):
            raise TypeError(f"{name} must map str to str; {key!r:.40} does not")
        if not _HEADER_NAME.fullmatch(key):
            raise ValueError(f"{name}: {key!r:.40} is not a valid header name")
        if key.lower() in _RESERVED_HEADERS:
            raise ValueError(
                f"{name}: {key!r} is set by the SDK"
                + (" (pass the key as api_key=)" if key.lower() == "x-api-key" else "")
            )
        if not value.isascii() or any(c in value for c in "\r\n\0"):
            raise ValueError(f"{name}: the value of {key!r} has non-ASCII or control characters")
        checked[key.lower()] = value
    return checked

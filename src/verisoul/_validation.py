"""Every argument check, in one place: they run before any request is sent.

Client configuration (key, base URL, headers, timeouts), path and query values, request
inputs (:mod:`verisoul._inputs`, :mod:`verisoul._requests`) and the hosted page's helpers
all check their arguments with these functions, so one rule has one wording and one
test. A bad argument raises :class:`TypeError` (wrong type) or :class:`ValueError` (bad
value); configuration that cannot work raises :class:`verisoul.VerisoulError`. Messages
name the argument but never echo a secret (the API key, header values).

The fake server (:mod:`verisoul.testing`) shares :func:`canonical_uuid`, the one UUID
normaliser.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Mapping
from typing import TYPE_CHECKING, Final

from ._exceptions import VerisoulError

if TYPE_CHECKING:
    import httpx

__all__ = [
    "MAX_PATH_VALUE_LENGTH",
    "MAX_PHONE_LENGTH",
    "MAX_QUERY_VALUE_LENGTH",
    "canonical_uuid",
    "check_bool",
    "check_country",
    "check_deadline",
    "check_e164",
    "check_json_object",
    "check_max_retries",
    "check_optional_bool",
    "check_optional_str",
    "check_str",
    "to_timeout",
    "validate_api_key",
    "validate_base_url",
    "validate_headers",
    "validate_non_empty_str",
    "validate_path_value",
    "validate_uuid",
]

MAX_PATH_VALUE_LENGTH: Final = 1024
"""Longest id or name accepted in a URL path (``account_id``, ``list_name``...).

Verisoul documents no limit; this one keeps every URL the SDK builds far below the
limits of httpx (65,536 characters), proxies and servers (8 KiB is common), even when
each character is percent-encoded into 9.
"""
MAX_QUERY_VALUE_LENGTH: Final = 1024
"""Longest query-string value accepted (``simulate=``), for the same reason."""

_UUID: Final = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I)


# --- strings, ids, UUIDs --------------------------------------------------------------------


def canonical_uuid(value: object, *, hyphenated_only: bool = False) -> str | None:
    """``value`` as a canonical lowercase UUID string, or None when it is not one.

    Args:
        value: A ``uuid.UUID`` or a string.
        hyphenated_only: Accept only the 8-4-4-4-12 form (what Verisoul's API accepts);
            otherwise any form ``uuid.UUID`` parses (braces, ``urn:uuid:``, no hyphens).
    """
    if isinstance(value, uuid.UUID):
        return str(value)
    if not isinstance(value, str):
        return None
    if hyphenated_only:
        return value.lower() if _UUID.fullmatch(value) else None
    try:
        return str(uuid.UUID(value))
    except ValueError:
        return None


def validate_uuid(value: str | uuid.UUID, name: str) -> str:
    """Return ``value`` as a canonical lowercase UUID string.

    Raises:
        TypeError: ``value`` is neither a ``str`` nor a ``uuid.UUID``.
        ValueError: ``value`` is a string that is not a UUID.
    """
    if not isinstance(value, (str, uuid.UUID)):
        raise TypeError(f"{name} must be a str or uuid.UUID, not {type(value).__name__}")
    canonical = canonical_uuid(value)
    if canonical is None:
        raise ValueError(f"{name} must be a UUID such as '{uuid.UUID(int=0)}', got {value!r:.80}")
    return canonical


def check_str(value: object, name: str) -> str:
    """Return ``value`` if it is a ``str`` (any, even empty).

    Raises:
        TypeError: ``value`` is not a ``str``.
    """
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, not {type(value).__name__}")
    return value


def validate_non_empty_str(value: str, name: str, *, max_length: int | None = None) -> str:
    """Return ``value`` if it is a non-empty string (of at most ``max_length`` characters).

    Raises:
        TypeError: ``value`` is not a ``str``.
        ValueError: ``value`` is empty, blank or too long.
    """
    check_str(value, name)
    if not value.strip():
        raise ValueError(f"{name} must not be empty")
    if max_length is not None and len(value) > max_length:
        raise ValueError(f"{name} must be at most {max_length} characters, got {len(value)}")
    return value


def check_optional_str(value: str | None, name: str, *, max_length: int | None = None) -> None:
    """``value`` is None or a non-empty string (see :func:`validate_non_empty_str`)."""
    if value is not None:
        validate_non_empty_str(value, name, max_length=max_length)


def validate_path_value(value: str, name: str) -> str:
    """Return ``value`` once it can be sent as ONE path segment.

    Raises:
        TypeError: ``value`` is not a ``str``.
        ValueError: ``value`` is empty, longer than :data:`MAX_PATH_VALUE_LENGTH`, or a
            whole ``.`` or ``..``: URL normalisation (RFC 3986, done by proxies such as
            nginx even when it is sent encoded as ``%2E%2E``) would remove it or climb
            one level, so ``remove_account_from_list("..", "victim")`` could reach
            ``DELETE /account/victim``.
    """
    validate_non_empty_str(value, name, max_length=MAX_PATH_VALUE_LENGTH)
    if value in (".", ".."):
        raise ValueError(f"{name} cannot be {value!r}: proxies would read it as a relative path")
    return value


# --- flags and request inputs ---------------------------------------------------------------

_E164: Final = re.compile(r"\+[0-9]{8,15}")
_COUNTRY: Final = re.compile(r"[A-Z]{2}")
MAX_PHONE_LENGTH: Final = 32


def check_bool(value: object, name: str) -> bool:
    """Return ``value`` if it is a ``bool`` (``0``/``1`` are refused).

    Raises:
        TypeError: ``value`` is not a ``bool``.
    """
    if not isinstance(value, bool):
        raise TypeError(f"{name} must be a bool, not {type(value).__name__}")
    return value


def check_optional_bool(value: object, name: str) -> None:
    """``value`` is None or a ``bool``."""
    if value is not None:
        check_bool(value, name)


def check_country(value: str, name: str) -> None:
    """``value`` is a 2-letter uppercase ISO 3166-1 code.

    Raises:
        TypeError: Not a ``str``.
        ValueError: Not 2 uppercase letters (the message suggests the uppercase form).
    """
    check_str(value, name)
    if not _COUNTRY.fullmatch(value):
        hint = f" (did you mean {value.upper()!r}?)" if _COUNTRY.fullmatch(value.upper()) else ""
        raise ValueError(
            f"{name} must be a 2-letter uppercase ISO 3166-1 code, got {value!r:.20}{hint}"
        )


def check_e164(value: str, name: str) -> None:
    """``value`` is an E.164 phone number (the message never echoes it).

    Raises:
        TypeError: Not a ``str``.
        ValueError: Not ``+`` then 8 to 15 digits.
    """
    if not _E164.fullmatch(validate_non_empty_str(value, name, max_length=MAX_PHONE_LENGTH)):
        raise ValueError(
            f"{name} must be an E.164 phone number: '+' then 8 to 15 digits, no spaces or dashes"
        )


def check_json_object(value: object, name: str) -> None:
    """``value`` is a JSON-serialisable dict with string keys.

    Raises:
        TypeError: Not a mapping, a non-str key, or a value JSON cannot hold.
    """
    if not isinstance(value, Mapping):
        raise TypeError(f"{name} must be a dict, not {type(value).__name__}")
    if any(not isinstance(key, str) for key in value):
        raise TypeError(f"{name} keys must be str")
    try:
        json.dumps(value, allow_nan=False)
    except (TypeError, ValueError, RecursionError) as exc:
        raise TypeError(f"{name} must be JSON-serialisable: {exc}") from None


# --- client configuration -------------------------------------------------------------------


def _unsendable_at(value: str) -> int | None:
    """Index of the first character an HTTP header value cannot carry, or None.

    Printable ASCII only (space included, but not at either end): no control characters
    (CR, LF, NUL, tab, DEL...), nothing non-ASCII. Stricter than h11, so a value that
    passes here is sent by every transport.
    """
    for index, char in enumerate(value):
        if not " " <= char <= "~":
            return index
    if value != value.strip(" "):
        return 0 if value.startswith(" ") else len(value) - 1
    return None


def validate_api_key(api_key: object) -> str:
    """Return ``api_key`` once it can be sent as the ``x-api-key`` header.

    Raises:
        TypeError: Not a ``str``.
        VerisoulError: Empty, or a character a header cannot carry (non-ASCII, CR/LF or
            another control character, whitespace at either end). The message gives the
            position, never the key or the character.
    """
    if not isinstance(api_key, str):
        raise TypeError(f"api_key must be a str, not {type(api_key).__name__}")
    if not api_key:
        raise VerisoulError(
            "No API key: pass api_key=... or set the VERISOUL_API_KEY environment variable."
        )
    position = _unsendable_at(api_key)
    if position is not None:
        raise VerisoulError(
            f"The API key cannot be sent: character {position + 1} of {len(api_key)} is "
            "whitespace at an end, a control character or not ASCII (check what was pasted)."
        )
    return api_key


def validate_base_url(base_url: str | httpx.URL) -> httpx.URL:
    """Parse ``base_url``: an absolute http(s) URL with a host and no credentials.

    Raises:
        VerisoulError: Not an absolute http(s) URL, or one with ``user:password@`` (it
            would be sent as Basic auth and shown in reprs and errors; the message does
            not repeat it).
    """
    import httpx  # not at import time: the input types load without httpx

    try:
        url = httpx.URL(str(base_url))
    except httpx.InvalidURL as exc:
        raise VerisoulError(f"base_url is not a valid URL: {exc}") from None
    if url.userinfo:
        raise VerisoulError(
            "base_url must not contain credentials (user:password@): the SDK authenticates "
            "with api_key, and a URL is shown in logs and errors"
        )
    if url.scheme not in ("http", "https") or not url.host:
        raise VerisoulError(f"base_url must be an absolute http(s) URL, got {str(url)!r}")
    return url


_HEADER_NAME: Final = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
#: Set by the SDK itself: a caller's value would be overwritten or would break the call.
_RESERVED_HEADERS: Final = frozenset({"x-api-key", "host", "content-length", "transfer-encoding"})


def validate_headers(headers: Mapping[str, str] | None, name: str) -> dict[str, str]:
    """Return ``headers`` with lowercase names, once each is safe to send.

    A header that cannot be sent (non-ASCII, CR/LF or another control character) would
    otherwise fail every call later, after the SDK decided the request left; it is
    refused here instead. The error names the header, never its value (it may hold a
    secret).

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
        if _unsendable_at(value) is not None:
            raise ValueError(
                f"{name}: the value of {key!r} has non-ASCII or control characters, or "
                "whitespace at an end"
            )
        checked[key.lower()] = value
    return checked


def to_timeout(value: object, name: str = "timeout") -> httpx.Timeout:
    """Normalise a float (seconds) or ``httpx.Timeout``; reject nonsense early."""
    import httpx

    if isinstance(value, httpx.Timeout):
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(
            f"{name} must be seconds (float) or httpx.Timeout, not {type(value).__name__}"
        )
    if not value > 0:
        raise ValueError(f"{name} must be > 0 seconds, got {value!r}")
    return httpx.Timeout(float(value))


def check_max_retries(value: int) -> int:
    """``max_retries`` must be a non-negative int."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"max_retries must be an int, not {type(value).__name__}")
    if value < 0:
        raise ValueError(f"max_retries must be >= 0, got {value}")
    return value


def check_deadline(value: float | None) -> float | None:
    """``deadline`` is None (no total bound) or positive seconds."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"deadline must be seconds (float) or None, not {type(value).__name__}")
    if not value > 0:
        raise ValueError(f"deadline must be > 0 seconds, got {value!r}")
    return float(value)

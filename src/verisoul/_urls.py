"""Building request paths safely."""

from __future__ import annotations

import functools
from urllib.parse import quote

import httpx

from ._validation import validate_path_value

__all__ = ["absolute_url", "quote_segment"]


@functools.lru_cache(maxsize=256)
def absolute_url(base_url: str, path: str) -> httpx.URL:
    """The parsed URL of ``base_url + path``, cached.

    httpx parses a URL string on every request, which costs more CPU than the rest of
    building it; most calls hit a handful of paths (the cache is bounded for paths that
    carry ids). ``httpx.URL`` is immutable, so sharing one is safe.
    """
    return httpx.URL(base_url + path)


def quote_segment(value: str, name: str) -> str:
    """Percent-encode ``value`` as ONE path segment, once it is a valid one.

    ``/``, ``?``, ``#``, ``%`` and spaces are encoded, so a list name such as
    ``"vip/2024?x"`` cannot change the route. A whole ``.`` or ``..`` is refused rather
    than encoded: proxies normalise ``%2E%2E`` like ``..`` (RFC 3986 decodes encoded
    unreserved characters), which would climb one level.

    Raises:
        TypeError: ``value`` is not a ``str``.
        ValueError: ``value`` is empty, longer than
            :data:`~verisoul._validation.MAX_PATH_VALUE_LENGTH`, or ``.`` / ``..``.
    """
    return quote(validate_path_value(value, name), safe="")

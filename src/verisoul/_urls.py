"""Building request paths safely."""

from __future__ import annotations

from urllib.parse import quote

from ._validation import validate_non_empty_str

__all__ = ["quote_segment"]


def quote_segment(value: str, name: str) -> str:
    """Percent-encode ``value`` as ONE path segment.

    ``/``, ``?``, ``#``, ``%`` and spaces are encoded, so a list name such as
    ``"vip/2024?x"`` cannot change the route.

    Raises:
        TypeError: ``value`` is not a ``str``.
        ValueError: ``value`` is empty.
    """
    validate_non_empty_str(value, name)
    return quote(value, safe="")

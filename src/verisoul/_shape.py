"""The contract between response parsers and the client core.

A parser takes the decoded JSON body (``object``) and returns a model, or raises
:class:`ResponseShapeError` naming the offending field. The core turns that into
:class:`verisoul.APIResponseValidationError` with the response attached, so parsers stay
pure functions with no knowledge of HTTP.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["ResponseShapeError", "expect_object", "req_str"]


class ResponseShapeError(ValueError):
    """A response body does not have the documented shape."""


def expect_object(data: object, where: str = "body") -> Mapping[str, Any]:
    """Return ``data`` as a JSON object, or raise :class:`ResponseShapeError`."""
    if not isinstance(data, dict):
        raise ResponseShapeError(f"{where}: expected a JSON object, got {type(data).__name__}")
    return data


def req_str(obj: Mapping[str, Any], key: str, where: str = "body") -> str:
    """A required string field."""
    try:
        value = obj[key]
    except KeyError:
        raise ResponseShapeError(f"{where}.{key}: required field is missing") from None
    if type(value) is not str:
        raise ResponseShapeError(f"{where}.{key}: expected a string, got {type(value).__name__}")
    return value

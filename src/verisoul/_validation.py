"""Argument checks that run before any request is sent."""

from __future__ import annotations

import uuid

__all__ = ["validate_non_empty_str", "validate_uuid"]


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

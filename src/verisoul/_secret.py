"""The API key, held so that it cannot be printed by accident."""

from __future__ import annotations

from typing import Final

__all__ = ["ApiKey"]

_REDACTED: Final = "<redacted>"


class ApiKey:
    """A secret string whose ``repr`` and ``str`` never show the value.

    Only :meth:`reveal` returns the key; the client calls it when it sets up a rate
    budget (to name the budget by a hash of the key). The ``x-api-key`` header is built
    from the constructor's argument, once, and lives in the pool's default headers.
    """

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        """The key itself. Do not log the result."""
        return self._value

    def __repr__(self) -> str:
        return f"ApiKey({_REDACTED!r})"

    def __str__(self) -> str:
        return _REDACTED

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ApiKey) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)

    def __reduce__(self) -> tuple[object, ...]:
        raise TypeError("ApiKey cannot be pickled: it would write the secret to disk")

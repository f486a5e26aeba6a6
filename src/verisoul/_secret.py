"""The API key, held so that it cannot be printed by accident, and scrubbed from echoes."""

from __future__ import annotations

import json
import re
from typing import Final
from urllib.parse import quote, quote_plus

__all__ = ["REDACTED", "ApiKey", "mentions", "scrub", "scrub_json"]

REDACTED: Final = "<redacted>"
_REDACTED: Final = REDACTED
#: An echo cut short still leaks: any run of at least this many leading characters of the
#: key (or of the whole key, if shorter) is scrubbed, with whatever of the key follows.
_MIN_PREFIX: Final = 10


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


def _forms(secret: str) -> tuple[str, ...]:
    """The ways a server or proxy is likely to echo the key.

    As is, URL-encoded (``%2F``, ``+`` for a space), or JSON-escaped (a slash as
    backslash-slash, every character as a backslash-u escape).
    """
    forms = {
        secret,
        quote(secret, safe=""),
        quote_plus(secret, safe=""),
        json.dumps(secret)[1:-1],
        json.dumps(secret)[1:-1].replace("/", "\\/"),
        "".join(f"\\u{ord(c):04x}" for c in secret),
    }
    return tuple(sorted(forms, key=len, reverse=True))


def _scrub_form(text: str, form: str) -> str:
    head = form[: min(len(form), _MIN_PREFIX)]
    pieces: list[str] = []
    done = 0
    for match in re.finditer(re.escape(head), text, re.IGNORECASE):
        start = match.start()
        if start < done:
            continue
        end = match.end()
        # Extend over whatever of the key follows (an echo cut anywhere after the head).
        while (
            end < len(text)
            and end - start < len(form)
            and text[end].lower() == form[end - start].lower()
        ):
            end += 1
        pieces += [text[done:start], REDACTED]
        done = end
    if not pieces:
        return text
    pieces.append(text[done:])
    return "".join(pieces)


def scrub(text: str, secret: str | None) -> str:
    """``text`` with every echo of ``secret`` replaced by ``<redacted>``.

    Whole or cut short (at least its first 10 characters), in any letter case, as is,
    URL-encoded or JSON-escaped.
    """
    if not secret or not text:
        return text
    for form in _forms(secret):
        text = _scrub_form(text, form)
    return text


def mentions(text: str, secret: str | None) -> bool:
    """Whether ``text`` may hold the key, before or after JSON decoding.

    True when :func:`scrub` would change it, or when it holds backslash-u escapes that
    could spell the key once decoded: a cheap test before scrubbing a decoded body.
    """
    if not secret or not text:
        return False
    if "\\u" in text:
        return True
    return any(
        re.search(re.escape(form[:_MIN_PREFIX]), text, re.IGNORECASE) for form in _forms(secret)
    )


def scrub_json(data: object, secret: str | None) -> object:
    """Decoded JSON with :func:`scrub` applied to every string, keys included.

    Containers are changed in place (the caller owns the freshly decoded body), without
    recursion, so no nesting depth can overflow the stack.
    """
    if not secret:
        return data
    if isinstance(data, str):
        return scrub(data, secret)
    stack: list[object] = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for key in list(node):
                value = node[key]
                if isinstance(value, str):
                    node[key] = scrub(value, secret)
                elif isinstance(value, (dict, list)):
                    stack.append(value)
                if isinstance(key, str):
                    clean = scrub(key, secret)
                    if clean != key:
                        node[clean] = node.pop(key)
        elif isinstance(node, list):
            for index, value in enumerate(node):
                if isinstance(value, str):
                    node[index] = scrub(value, secret)
                elif isinstance(value, (dict, list)):
                    stack.append(value)
    return data

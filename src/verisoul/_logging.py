"""The ``verisoul`` logger: what each level shows, and ``VERISOUL_LOG`` to turn it on.

``VERISOUL_LOG=info`` or ``VERISOUL_LOG=debug`` (like ``OPENAI_LOG`` and ``STRIPE_LOG``)
sets the ``verisoul`` logger's level when the first client is built (not at
``import verisoul``, which stays cheap) and, unless the application configured logging
already (the root logger has a handler), prints its records on stderr. Levels:

- ``info``: one line per HTTP attempt (method, path, status or error type, attempt
  number, milliseconds) and one per retry (the wait and the failure behind it).
- ``debug``: the same, plus the full URL (with its query), the request's headers
  (``x-api-key`` shown as ``<redacted>``), the response's headers (request-id headers
  included) or the error's text.

Bodies are never logged: they hold personal data (faces, documents, emails). Any other
value of ``VERISOUL_LOG`` gives a ``UserWarning`` naming the accepted ones and changes
nothing: a typo in an environment variable must not stop an application.
"""

from __future__ import annotations

import logging
import os
import warnings
from collections.abc import Iterable
from typing import Final

import httpx

__all__ = ["ENV_VAR", "configure_from_env", "log_attempt", "log_retry", "logger"]

ENV_VAR: Final = "VERISOUL_LOG"
LEVELS: Final = {"debug": logging.DEBUG, "info": logging.INFO}
FORMAT: Final = "%(asctime)s %(levelname)s %(name)s: %(message)s"
_REDACTED: Final = "<redacted>"
_SECRET_HEADERS: Final = frozenset({"x-api-key", "authorization", "proxy-authorization"})

logger = logging.getLogger("verisoul")

_configured = False


def configure_from_env() -> None:
    """Apply ``VERISOUL_LOG`` once per process (the first client construction calls it)."""
    global _configured
    if _configured:
        return
    _configured = True
    value = os.environ.get(ENV_VAR)
    if not value:
        return
    level = LEVELS.get(value.strip().lower())
    if level is None:
        warnings.warn(
            f"{ENV_VAR}={value[:20]!r} is not one of {sorted(LEVELS)}: ignored",
            UserWarning,
            stacklevel=3,  # the line that built the client
        )
        return
    logger.setLevel(level)
    if not logging.getLogger().handlers and not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter(FORMAT))
        logger.addHandler(handler)


def _headers(items: Iterable[tuple[str, str]]) -> str:
    return ", ".join(
        f"{name}: {_REDACTED if name.lower() in _SECRET_HEADERS else value}"
        for name, value in items
    )


def log_attempt(
    request: httpx.Request,
    attempt: int,
    elapsed: float,
    response: httpx.Response | None,
    error: Exception | None,
) -> None:
    """One line per HTTP attempt at INFO; the headers too at DEBUG."""
    if not logger.isEnabledFor(logging.INFO):
        return
    outcome: object = response.status_code if response is not None else type(error).__name__
    logger.info(
        "%s %s -> %s (attempt %d, %.1f ms)",
        request.method,
        request.url.path,
        outcome,
        attempt,
        elapsed * 1000.0,
    )
    if logger.isEnabledFor(logging.DEBUG):
        logger.debug("request: %s %s", request.method, request.url)
        logger.debug("request headers: %s", _headers(request.headers.items()))
        if response is not None:
            logger.debug("response headers: %s", _headers(response.headers.items()))
        else:
            logger.debug("error: %s: %s", type(error).__name__, error)


def log_retry(request: httpx.Request, delay: float, attempt: int, error: Exception | None) -> None:
    """One line at INFO before each retry wait."""
    if logger.isEnabledFor(logging.INFO):
        logger.info(
            "retrying %s %s in %.2f s: attempt %d failed with %s",
            request.method,
            request.url.path,
            delay,
            attempt,
            error,
        )

"""Async-first Python SDK for the Verisoul API.

``AsyncVerisoul`` for asyncio/trio code, ``Verisoul`` for blocking code: same methods,
same behaviour. Test doubles live in ``verisoul.testing``; webhook helpers in
``verisoul.webhooks``.
"""

from ._async.client import AsyncVerisoul
from ._config import DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT
from ._exceptions import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    LocalRateLimitError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    UnprocessableEntityError,
    VerisoulError,
)
from ._models.liveness import LivenessSession
from ._ratelimit import RateLimit
from ._retry import RetryClass
from ._sync.client import Verisoul
from ._version import __version__

__all__ = [
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AsyncVerisoul",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "InternalServerError",
    "LivenessSession",
    "LocalRateLimitError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimit",
    "RateLimitError",
    "RetryClass",
    "UnprocessableEntityError",
    "Verisoul",
    "VerisoulError",
    "__version__",
]

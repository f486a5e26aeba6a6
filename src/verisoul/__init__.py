"""Async-first Python SDK for the Verisoul API.

``AsyncVerisoul`` for asyncio/trio code, ``Verisoul`` for blocking code: same methods,
same behaviour. The top level holds the clients, the exceptions, the configuration and
input types and the constants you compare results with; the response models are in
:mod:`verisoul.types`, test doubles in :mod:`verisoul.testing`, webhook helpers in
:mod:`verisoul.webhooks`.

Names load on first use (PEP 562), so ``import verisoul`` costs little more than
``import httpx`` and a script that never touches the fake or webhooks never pays for them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._version import __version__

if TYPE_CHECKING:
    from . import testing as testing
    from . import types as types
    from . import webhooks as webhooks
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
        WebhookPayloadError,
        WebhookVerificationError,
    )
    from ._hosted import RedirectErrorCode, hosted_url, parse_redirect
    from ._inputs import MAX_EMAIL_BATCH, Account, EmailClaims, EmailEntry
    from ._models.liveness_enums import Decision, RiskFlag
    from ._ratelimit import RateLimit
    from ._sync.client import Verisoul

#: Public name -> the private module that defines it.
_LAZY: dict[str, str] = {
    "AsyncVerisoul": "._async.client",
    "Verisoul": "._sync.client",
    "DEFAULT_MAX_RETRIES": "._config",
    "DEFAULT_TIMEOUT": "._config",
    "RateLimit": "._ratelimit",
    "Account": "._inputs",
    "EmailClaims": "._inputs",
    "EmailEntry": "._inputs",
    "MAX_EMAIL_BATCH": "._inputs",
    "Decision": "._models.liveness_enums",
    "RiskFlag": "._models.liveness_enums",
    "RedirectErrorCode": "._hosted",
    "hosted_url": "._hosted",
    "parse_redirect": "._hosted",
    **dict.fromkeys(
        [
            "APIConnectionError",
            "APIError",
            "APIResponseValidationError",
            "APIStatusError",
            "APITimeoutError",
            "AuthenticationError",
            "BadRequestError",
            "ConflictError",
            "InternalServerError",
            "LocalRateLimitError",
            "NotFoundError",
            "PermissionDeniedError",
            "RateLimitError",
            "UnprocessableEntityError",
            "VerisoulError",
            "WebhookPayloadError",
            "WebhookVerificationError",
        ],
        "._exceptions",
    ),
}
_SUBMODULES = frozenset({"testing", "types", "webhooks"})

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "Account",
    "AsyncVerisoul",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "Decision",
    "EmailClaims",
    "EmailEntry",
    "InternalServerError",
    "LocalRateLimitError",
    "MAX_EMAIL_BATCH",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimit",
    "RateLimitError",
    "RedirectErrorCode",
    "RiskFlag",
    "UnprocessableEntityError",
    "Verisoul",
    "VerisoulError",
    "WebhookPayloadError",
    "WebhookVerificationError",
    "__version__",
    "hosted_url",
    "parse_redirect",
]


if not TYPE_CHECKING:  # type checkers see the imports above, and no catch-all

    def __getattr__(name: str) -> Any:
        if name.startswith("_"):  # private modules: let the import system load them
            raise AttributeError(name, name=name, obj=__name__)
        module = _LAZY.get(name)
        if module is not None:
            value = getattr(importlib.import_module(module, __name__), name)
            globals()[name] = value  # later look-ups skip this function
            return value
        if name in _SUBMODULES:
            return importlib.import_module(f".{name}", __name__)
        types_module = importlib.import_module(".types", __name__)
        if name in types_module.__all__:
            raise AttributeError(
                f"verisoul.{name} is a response model: import it from verisoul.types "
                f"(from verisoul.types import {name})",
                name=name,
                obj=__name__,
            )
        raise AttributeError(
            f"module 'verisoul' has no attribute {name!r}", name=name, obj=__name__
        )


def __dir__() -> list[str]:
    return sorted([*__all__, *_SUBMODULES])

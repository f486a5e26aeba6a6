"""The exception tree: every failure a caller can meet is one of these.

The names follow the conventions Python users know from the openai SDK::

    VerisoulError
    ├── APIError
    │   ├── APIConnectionError          (no usable HTTP response)
    │   │   └── APITimeoutError
    │   ├── APIStatusError              (Verisoul answered with a non-2xx status)
    │   │   ├── BadRequestError             400
    │   │   ├── AuthenticationError         401
    │   │   ├── PermissionDeniedError       403
    │   │   ├── NotFoundError               404
    │   │   ├── ConflictError               409
    │   │   ├── UnprocessableEntityError    422
    │   │   ├── RateLimitError              429
    │   │   │   └── LocalRateLimitError     (the client's own rate budget had no slot)
    │   │   └── InternalServerError         >= 500
    │   └── APIResponseValidationError  (a 2xx whose body is not the documented shape)
    ├── WebhookVerificationError    (a webhook's x-signature does not check out)
    ├── WebhookPayloadError         (a webhook body is not the documented event)
    └── (configuration and lifecycle errors are plain ``VerisoulError``)

No message ever contains the API key: errors are built from the request's method
and URL, the response status and body, never from request headers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import httpx

__all__ = [
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
]


class VerisoulError(Exception):
    """Base class of every exception raised by this SDK."""


class APIError(VerisoulError):
    """A call to the Verisoul API failed.

    Attributes:
        message: Human-readable description.
        request: The last ``httpx.Request`` sent (its headers hold the API key: do not log them).
        attempts: How many HTTP attempts the call made before giving up.
    """

    message: str
    request: httpx.Request | None
    attempts: int

    def __init__(
        self, message: str, *, request: httpx.Request | None = None, attempts: int = 1
    ) -> None:
        super().__init__(message)
        self.message = message
        self.request = request
        self.attempts = attempts

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r})"


class APIConnectionError(APIError):
    """No usable HTTP response arrived (connect failure, reset, protocol error...).

    Attributes:
        outcome_unknown: True when the request may have reached Verisoul and been applied
            (for example a write whose response was lost), so the SDK did not retry it.
    """

    outcome_unknown: bool

    def __init__(
        self,
        message: str = "Connection error.",
        *,
        request: httpx.Request | None = None,
        attempts: int = 1,
        outcome_unknown: bool = False,
    ) -> None:
        super().__init__(message, request=request, attempts=attempts)
        self.outcome_unknown = outcome_unknown


class APITimeoutError(APIConnectionError):
    """An attempt timed out, or the call's total ``deadline`` ran out."""


class APIStatusError(APIError):
    """Verisoul answered with a non-success HTTP status.

    Attributes:
        status_code: The HTTP status.
        code: Verisoul's machine-readable error code (the body's ``error`` string, such as
            ``"session_not_found"``), or ``None`` when the body has none.
        request_id: Verisoul's ``request_id`` from the body, when present.
        body: The decoded JSON body, or the raw text when it is not JSON, or ``None``.
        response: The ``httpx.Response``.
        retry_after: Seconds the server asked us to wait (``Retry-After``), if any.
    """

    status_code: int
    code: str | None
    request_id: str | None
    body: object
    response: httpx.Response
    retry_after: float | None

    def __init__(
        self,
        message: str,
        *,
        response: httpx.Response,
        body: object = None,
        code: str | None = None,
        request_id: str | None = None,
        attempts: int = 1,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message, request=response.request, attempts=attempts)
        self.response = response
        self.status_code = response.status_code
        self.body = body
        self.code = code
        self.request_id = request_id
        self.retry_after = retry_after


class BadRequestError(APIStatusError):
    """HTTP 400. Verisoul also uses 400 for "not found" (``session_not_found``...)."""


class AuthenticationError(APIStatusError):
    """HTTP 401: the API key is missing or wrong for this environment."""


class PermissionDeniedError(APIStatusError):
    """HTTP 403: the key may not use this endpoint or project."""


class NotFoundError(APIStatusError):
    """HTTP 404: no such route (Verisoul reports missing records as 400)."""


class ConflictError(APIStatusError):
    """HTTP 409."""


class UnprocessableEntityError(APIStatusError):
    """HTTP 422."""


class RateLimitError(APIStatusError):
    """HTTP 429: over the per-key request budget (300 per minute by default).

    Attributes:
        local: False when Verisoul answered 429; True for :class:`LocalRateLimitError`.
    """

    local: bool = False


class LocalRateLimitError(RateLimitError):
    """The client's own ``rate_limit=`` budget had no slot before the call's deadline.

    Nothing was sent to Verisoul for this attempt: the budget the SDK keeps (in this
    process, or shared through Redis) would have made the call wait past its deadline.
    ``attempts`` counts the attempts sent before: 0 means the call sent nothing; when a
    retry was refused, ``__cause__`` is the error of the last attempt sent.
    ``response`` is a synthetic 429 bound to the request that was not sent, so handlers
    written for :class:`RateLimitError` keep working; ``retry_after`` is the wait the
    budget asked for, in seconds.
    """

    local: bool = True

    def __init__(
        self,
        message: str,
        *,
        request: httpx.Request,
        retry_after: float,
        attempts: int = 0,
    ) -> None:
        import httpx  # a runtime import: the module imports it only for typing

        super().__init__(
            message,
            response=httpx.Response(429, request=request),
            code="local_rate_limit",
            attempts=attempts,
            retry_after=retry_after,
        )


class InternalServerError(APIStatusError):
    """HTTP 5xx: Verisoul (or a proxy in front of it) failed."""


class APIResponseValidationError(APIError):
    """A success status whose body is not the documented shape.

    Raised for a body that is not JSON, not an object, or misses a required field or
    has one of the wrong type.

    Attributes:
        status_code: The HTTP status (2xx).
        request_id: Verisoul's ``request_id`` when the body has one.
        body: The decoded body, or the raw text when it is not JSON.
        response: The ``httpx.Response``.
    """

    status_code: int
    request_id: str | None
    body: object
    response: httpx.Response

    def __init__(
        self,
        message: str,
        *,
        response: httpx.Response,
        body: object = None,
        request_id: str | None = None,
        attempts: int = 1,
    ) -> None:
        super().__init__(message, request=response.request, attempts=attempts)
        self.response = response
        self.status_code = response.status_code
        self.body = body
        self.request_id = request_id


class WebhookVerificationError(VerisoulError):
    """A webhook delivery failed signature verification: do not process it.

    The message says why; it never contains the secret.

    Args:
        message: What failed, for people.
        reason: The stable code below.

    Attributes:
        reason: A stable code: ``missing_signature``, ``malformed_signature``,
            ``missing_signed_header``, ``timestamp_too_old``, ``timestamp_in_future`` or
            ``signature_mismatch``.
    """

    reason: str

    def __init__(self, message: str, *, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


class WebhookPayloadError(VerisoulError, ValueError):
    """A webhook body is not valid JSON or not the documented event shape."""


STATUS_ERRORS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def status_error_class(status_code: int) -> type[APIStatusError]:
    """The exception class for an HTTP error status."""
    if status_code >= 500:
        return InternalServerError
    return STATUS_ERRORS.get(status_code, APIStatusError)


# Tracebacks and reprs name the public path (``verisoul.RateLimitError``), which is also
# where pickle finds the classes again.
for _name in __all__:
    globals()[_name].__module__ = "verisoul"
del _name

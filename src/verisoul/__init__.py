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
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    UnprocessableEntityError,
    VerisoulError,
    WebhookPayloadError,
    WebhookVerificationError,
)
from ._inputs import MAX_EMAIL_BATCH, Account, EmailClaims, EmailEntry
from ._models.account import (
    AccountDeletion,
    AccountDetails,
    AccountEmail,
    AccountProfile,
    AccountReport,
    AccountSessions,
    DomainType,
    LinkedAccount,
    LinkedAccounts,
    UniqueCounts,
)
from ._models.email import EmailBatchSubmission, EmailSubmission
from ._models.lists import ListChange, ListDetails, Lists, ListSummary
from ._models.liveness import LivenessSession
from ._models.phone import PhoneDetails, PhoneVerification
from ._models.session import (
    BotActivity,
    Browser,
    Device,
    DeviceCategory,
    Location,
    Network,
    Session,
    SessionDetails,
    SessionEvaluation,
)
from ._models.signals import RiskSignals, RiskSignalScores
from ._retry import RetryClass
from ._sync.client import Verisoul
from ._version import __version__

__all__ = [
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "MAX_EMAIL_BATCH",
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "Account",
    "AccountDeletion",
    "AccountDetails",
    "AccountEmail",
    "AccountProfile",
    "AccountReport",
    "AccountSessions",
    "AsyncVerisoul",
    "AuthenticationError",
    "BadRequestError",
    "BotActivity",
    "Browser",
    "ConflictError",
    "Device",
    "DeviceCategory",
    "DomainType",
    "EmailBatchSubmission",
    "EmailClaims",
    "EmailEntry",
    "EmailSubmission",
    "InternalServerError",
    "LinkedAccount",
    "LinkedAccounts",
    "ListChange",
    "ListDetails",
    "ListSummary",
    "Lists",
    "LivenessSession",
    "Location",
    "Network",
    "NotFoundError",
    "PermissionDeniedError",
    "PhoneDetails",
    "PhoneVerification",
    "RateLimitError",
    "RetryClass",
    "RiskSignalScores",
    "RiskSignals",
    "Session",
    "SessionDetails",
    "SessionEvaluation",
    "UniqueCounts",
    "UnprocessableEntityError",
    "Verisoul",
    "VerisoulError",
    "WebhookPayloadError",
    "WebhookVerificationError",
    "__version__",
]

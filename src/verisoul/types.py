"""The response models: what the client methods return.

Frozen attrs classes, one per Verisoul answer, and the constant classes of the values
their string fields hold. You rarely build these yourself; import them for type
annotations::

    from verisoul.types import VerifyFaceResult

    def record(result: VerifyFaceResult) -> None: ...

Every field Verisoul may omit is Optional (see each class). Every result has
``request_id``, ``to_dict()`` (the JSON names Verisoul uses) and ``to_json()``;
:class:`RawResponse` is what ``client.with_raw_response.<method>(...)`` returns.
"""

from __future__ import annotations

from ._hosted import LivenessRedirect
from ._models.account import (
    AccountDeletion,
    AccountDetails,
    AccountEmail,
    AccountProfile,
    AccountReport,
    AccountSessions,
    LinkedAccount,
    LinkedAccounts,
    UniqueCounts,
)
from ._models.email import EmailBatchSubmission, EmailSubmission
from ._models.lists import ListChange, ListDetails, Lists, ListSummary
from ._models.liveness import (
    DeviceNetworkSignals,
    DocumentAddress,
    DocumentData,
    DocumentSignals,
    DocumentTemplateInfo,
    DocumentUserData,
    EnrollResult,
    LivenessBrowser,
    LivenessDevice,
    LivenessLinkedAccount,
    LivenessLocation,
    LivenessMatches,
    LivenessMetadata,
    LivenessNetwork,
    LivenessSession,
    LivenessSessionData,
    PhotoUrls,
    ReferringSessionSignals,
    VerifyFaceResult,
    VerifyIdentityResult,
    VerifyIdResult,
)
from ._models.liveness_enums import (
    DeviceCategory,
    FaceAgeEstimate,
    IdBarcodeStatus,
    IdFaceStatus,
    IdTextStatus,
    IdValidity,
    IsFullIdCaptured,
    IsIdDigitalSpoof,
    MatchType,
    TemplateType,
)
from ._models.phone import PhoneDetails, PhoneVerification
from ._models.platform_enums import DomainType
from ._models.session import (
    BotActivity,
    Browser,
    Device,
    Location,
    Network,
    Session,
    SessionDetails,
    SessionEvaluation,
)
from ._models.signals import RiskSignals, RiskSignalScores
from ._raw import RawResponse

__all__ = [
    "AccountDeletion",
    "AccountDetails",
    "AccountEmail",
    "AccountProfile",
    "AccountReport",
    "AccountSessions",
    "BotActivity",
    "Browser",
    "Device",
    "DeviceCategory",
    "DeviceNetworkSignals",
    "DocumentAddress",
    "DocumentData",
    "DocumentSignals",
    "DocumentTemplateInfo",
    "DocumentUserData",
    "DomainType",
    "EmailBatchSubmission",
    "EmailSubmission",
    "EnrollResult",
    "FaceAgeEstimate",
    "IdBarcodeStatus",
    "IdFaceStatus",
    "IdTextStatus",
    "IdValidity",
    "IsFullIdCaptured",
    "IsIdDigitalSpoof",
    "LinkedAccount",
    "LinkedAccounts",
    "ListChange",
    "ListDetails",
    "ListSummary",
    "Lists",
    "LivenessBrowser",
    "LivenessDevice",
    "LivenessLinkedAccount",
    "LivenessLocation",
    "LivenessMatches",
    "LivenessMetadata",
    "LivenessNetwork",
    "LivenessRedirect",
    "LivenessSession",
    "LivenessSessionData",
    "Location",
    "MatchType",
    "Network",
    "PhoneDetails",
    "PhoneVerification",
    "PhotoUrls",
    "RawResponse",
    "ReferringSessionSignals",
    "RiskSignalScores",
    "RiskSignals",
    "Session",
    "SessionDetails",
    "SessionEvaluation",
    "TemplateType",
    "UniqueCounts",
    "VerifyFaceResult",
    "VerifyIdResult",
    "VerifyIdentityResult",
]

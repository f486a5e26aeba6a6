"""Known values of the string enums in the platform and email-webhook responses.

Like :mod:`verisoul._models.liveness_enums` (same base, same rules): the models keep these
fields as plain ``str`` so values added by Verisoul still parse; these classes name the
values known today, and ``KNOWN`` holds them all::

    if event.data.result.decision in (EmailDecision.RISKY, EmailDecision.HIGH_RISK):
        ...
"""

from __future__ import annotations

from typing import Final

from .._known_values import _KnownValues

__all__ = ["ClaimMatch", "DomainType", "EmailDecision", "EmailEventStatus", "SendRecommendation"]


class DomainType(_KnownValues):
    """``email.domain_type`` of an account, and ``domain.type`` of an email webhook result."""

    RELAY: Final = "relay"
    PERSONAL: Final = "personal"
    DISPOSABLE: Final = "disposable"
    BUSINESS: Final = "business"
    GOVERNMENT: Final = "government"
    EDUCATION: Final = "education"
    INVALID: Final = "invalid"
    NOT_ACTIVE: Final = "not_active"


class EmailDecision(_KnownValues):
    """``result.decision`` of an email webhook, banded by ``risk_score``.

    ``high_trust`` below -0.6, ``trusted`` to -0.2, ``moderate`` to 0.2, ``risky`` to 0.6,
    ``high_risk`` above.
    """

    HIGH_TRUST: Final = "high_trust"
    TRUSTED: Final = "trusted"
    MODERATE: Final = "moderate"
    RISKY: Final = "risky"
    HIGH_RISK: Final = "high_risk"


class SendRecommendation(_KnownValues):
    """``deliverability.send_recommendation``: whether to send mail to the address."""

    SEND: Final = "send"
    SEND_WITH_CAUTION: Final = "send_with_caution"
    DO_NOT_SEND: Final = "do_not_send"


class ClaimMatch(_KnownValues):
    """``identity_intelligence.claim_matches.*``: how a claim matched what was found."""

    MATCH: Final = "match"
    PARTIAL_MATCH: Final = "partial_match"
    NO_MATCH: Final = "no_match"
    SKIPPED: Final = "skipped"


class EmailEventStatus(_KnownValues):
    """``status`` of an email webhook event: ``data`` is set on success, ``error`` on error."""

    SUCCESS: Final = "success"
    ERROR: Final = "error"

"""The ``email.intelligence.completed`` webhook event (Verisoul's email analysis result).

The payload is described by the docs' webhook reference and a third-party AsyncAPI file;
it marks ``request_id``, ``project_id``, ``event_type`` and ``status`` required.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from ._fields import model_parser

__all__ = [
    "Breach",
    "BreachIntelligence",
    "ClaimMatches",
    "Deliverability",
    "EmailAddressInsights",
    "EmailDomain",
    "EmailEventData",
    "EmailEventError",
    "EmailInput",
    "EmailIntelligenceEvent",
    "EmailResult",
    "IdentityIntelligence",
    "EMAIL_INTELLIGENCE_COMPLETED",
    "parse_email_event_object",
]

EMAIL_INTELLIGENCE_COMPLETED = "email.intelligence.completed"


@attrs.frozen(kw_only=True)
class EmailInput:
    """Echo of what was submitted.

    Attributes:
        email: The submitted address.
        claims: The submitted claims as JSON (``{"name": {"first": ...}, "country": ...}``).
    """

    email: str | None = None
    claims: Mapping[str, Any] | None = None


@attrs.frozen(kw_only=True)
class EmailDomain:
    """The email's domain.

    Attributes:
        risk_score: -1 (trusted) to 1 (risky).
        fqdn: The full domain (``test.verisoul.com``).
        apex: The registrable domain (``verisoul.com``).
        type: Values of :class:`~verisoul.DomainType` (a new kind is kept as sent).
        age_years: The domain's age in years.
        country: The domain's country.
    """

    risk_score: float | None = None
    fqdn: str | None = None
    apex: str | None = None
    type: str | None = None
    age_years: float | None = None
    country: str | None = None


@attrs.frozen(kw_only=True)
class EmailAddressInsights:
    """The address itself (the result's ``email`` object).

    Attributes:
        username: The part before ``@``.
        normalized: The address normalised (case, dots, ``+`` tags).
        first_seen_at: When the address was first seen, as sent (a date like ``2022-06-15``).
        age_years: Years since the address was first seen.
        seen_countries: Countries the address was seen in.
    """

    username: str | None = None
    normalized: str | None = None
    first_seen_at: str | None = None
    age_years: float | None = None
    seen_countries: tuple[str, ...] = ()


@attrs.frozen(kw_only=True)
class Deliverability:
    """Whether mail to the address is likely to arrive.

    Attributes:
        risk_score: -1 (deliverable) to 1 (likely to bounce).
        send_recommendation: A :class:`SendRecommendation`, or the raw string.
    """

    risk_score: float | None = None
    send_recommendation: str | None = None


@attrs.frozen(kw_only=True)
class Breach:
    """One known data breach containing the address.

    Attributes:
        source: Where the breach happened (a site or company).
        breach_date: When it happened, as sent.
        trust_weight: How much the breach counts as a trust signal (``"moderate"``...).
        country: The breached organisation's country.
        industry: The breached organisation's industry.
    """

    source: str | None = None
    breach_date: str | None = None
    trust_weight: str | None = None
    country: str | None = None
    industry: str | None = None


@attrs.frozen(kw_only=True)
class BreachIntelligence:
    """Data breaches the address appears in.

    Attributes:
        breach_count: How many breaches contain the address.
        trusted_breach_count: How many of them count as a trust signal.
        breach_list: The breaches.
    """

    breach_count: int | None = None
    trusted_breach_count: int | None = None
    breach_list: tuple[Breach, ...] = ()


@attrs.frozen(kw_only=True)
class ClaimMatches:
    """How each submitted claim matched (values of :class:`~verisoul.webhooks.ClaimMatch`).

    Attributes:
        name: How the claimed name matched.
        phone: How the claimed phone number matched.
        country: How the claimed country matched.
    """

    name: str | None = None
    phone: str | None = None
    country: str | None = None


@attrs.frozen(kw_only=True)
class IdentityIntelligence:
    """Identity data found for the address (only when requested with identity_intelligence).

    Attributes:
        match_risk_score: How risky the claims look against what was found, -1 to 1.
        online_accounts_count: How many online accounts use the address.
        online_accounts: The services those accounts are on.
        connected_names: Names connected to the address.
        connected_phones: Masked phone numbers (``+1555*******``).
        claim_matches: How each submitted claim matched.
    """

    match_risk_score: float | None = None
    online_accounts_count: int | None = None
    online_accounts: tuple[str, ...] = ()
    connected_names: tuple[str, ...] = ()
    connected_phones: tuple[str, ...] = ()
    claim_matches: ClaimMatches | None = None


@attrs.frozen(kw_only=True)
class EmailResult:
    """The analysis result.

    Attributes:
        decision: Values of :class:`~verisoul.webhooks.EmailDecision` (kept as sent).
        risk_score: -1 (most trusted) to 1 (riskiest).
        trust_signals: Signals that make the address more trustworthy.
        risk_signals: Signals that make the address riskier.
        domain: The address's domain.
        email: The address itself.
        deliverability: Whether mail to the address is likely to arrive.
        breach_intelligence: Data breaches the address appears in.
        identity_intelligence: Identity data (only when requested).
    """

    decision: str | None = None
    risk_score: float | None = None
    trust_signals: tuple[str, ...] = ()
    risk_signals: tuple[str, ...] = ()
    domain: EmailDomain | None = None
    email: EmailAddressInsights | None = None
    deliverability: Deliverability | None = None
    breach_intelligence: BreachIntelligence | None = None
    identity_intelligence: IdentityIntelligence | None = None


@attrs.frozen(kw_only=True)
class EmailEventData:
    """The event's ``data`` (present on success).

    Attributes:
        input: The submitted email and claims.
        result: The analysis result.
    """

    input: EmailInput | None = None
    result: EmailResult | None = None


@attrs.frozen(kw_only=True)
class EmailEventError:
    """The event's ``error`` (present when the analysis failed).

    Attributes:
        email: The address that failed.
        code: A machine-readable error code.
        message: What went wrong.
    """

    email: str | None = None
    code: str | None = None
    message: str | None = None


@attrs.frozen(kw_only=True)
class EmailIntelligenceEvent:
    """An ``email.intelligence.completed`` webhook event.

    Attributes:
        request_id: Matches :attr:`EmailSubmission.request_id` of the submission.
        project_id: Your Verisoul project.
        event_type: Always ``"email.intelligence.completed"``.
        status: ``"success"`` or ``"error"`` (:class:`~verisoul.webhooks.EmailEventStatus`).
        batch_id: The batch's id, or ``None`` for a single submission.
        created_at: When the analysis started: ISO 8601 string, as sent.
        completed_at: When it finished: ISO 8601 string, as sent.
        data: The result on success, else ``None``.
        error: The failure on error, else ``None``.
    """

    request_id: str
    project_id: str
    event_type: str
    status: str
    batch_id: str | None = None
    created_at: str | None = None
    completed_at: str | None = None
    data: EmailEventData | None = None
    error: EmailEventError | None = None


_parse_event = model_parser(EmailIntelligenceEvent)


def parse_email_event_object(data: object) -> EmailIntelligenceEvent:
    """Parse a decoded webhook body into an :class:`EmailIntelligenceEvent`.

    Raises:
        ResponseShapeError: The body is not the documented shape.
    """
    return _parse_event(data, "event")

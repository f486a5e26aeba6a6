"""The ``email.intelligence.completed`` webhook event (Verisoul's email analysis result).

The payload is described by the docs' webhook reference and a third-party AsyncAPI file;
it marks ``request_id``, ``project_id``, ``event_type`` and ``status`` required.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from .._serialize import Model
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
class EmailInput(Model):
    """Echo of what was submitted.

    Attributes:
        email: The submitted address.
        claims: The submitted claims as JSON (``{"name": {"first": ...}, "country": ...}``).
    """

    email: str | None = None
    claims: Mapping[str, Any] | None = None


@attrs.frozen(kw_only=True)
class EmailDomain(Model):
    """The email's domain.

    Attributes:
        risk_score: -1 (trusted) to 1 (risky).
        fqdn: The full domain (``test.verisoul.com``).
        apex: The registrable domain (``verisoul.com``).
        type: Values of :class:`~verisoul.DomainType` (a new kind is kept as sent).
        age_years: Age of the domain in years (fractional, ``4.2``).
        country: Country code of the domain (``"US"``).
    """

    risk_score: float | None = None
    fqdn: str | None = None
    apex: str | None = None
    type: str | None = None
    age_years: float | None = None
    country: str | None = None


@attrs.frozen(kw_only=True)
class EmailAddressInsights(Model):
    """The address itself (the result's ``email`` object).

    Attributes:
        username: The part before ``@`` (``"john.doe"``).
        normalized: The normalized address.
        first_seen_at: When the address was first seen, as sent (a date like ``2022-06-15``).
        age_years: Age of the address in years (fractional, ``3.8``).
        seen_countries: ISO 3166-1 alpha-2 codes of the countries the address was seen in.
    """

    username: str | None = None
    normalized: str | None = None
    first_seen_at: str | None = None
    age_years: float | None = None
    seen_countries: tuple[str, ...] = ()


@attrs.frozen(kw_only=True)
class Deliverability(Model):
    """Whether mail to the address is likely to arrive.

    Attributes:
        risk_score: Delivery risk; lower is safer (the example has ``-1``; no range is
            documented).
        send_recommendation: Values of :class:`~verisoul.webhooks.SendRecommendation`
            (kept as sent).
    """

    risk_score: float | None = None
    send_recommendation: str | None = None


@attrs.frozen(kw_only=True)
class Breach(Model):
    """One known data breach containing the address.

    Attributes:
        source: The breached service (``"Adobe"``).
        breach_date: When the breach happened, as sent (a date like ``2013-10-04``).
        trust_weight: How much the breach counts as a trust signal (``"moderate"``...).
        country: Country of the breach (a country code or ``"global"``).
        industry: The breached service's industry (``"software"``).
    """

    source: str | None = None
    breach_date: str | None = None
    trust_weight: str | None = None
    country: str | None = None
    industry: str | None = None


@attrs.frozen(kw_only=True)
class BreachIntelligence(Model):
    """Data breaches the address appears in.

    Attributes:
        breach_count: How many known breaches contain the address.
        trusted_breach_count: How many of those count as trust signals.
        breach_list: The breaches.
    """

    breach_count: int | None = None
    trusted_breach_count: int | None = None
    breach_list: tuple[Breach, ...] = ()


@attrs.frozen(kw_only=True)
class ClaimMatches(Model):
    """How each submitted claim matched (values of :class:`~verisoul.webhooks.ClaimMatch`).

    Attributes:
        name: How the claimed name matched the names found.
        phone: How the claimed phone number matched the phones found.
        country: How the claimed country matched the countries found.
    """

    name: str | None = None
    phone: str | None = None
    country: str | None = None


@attrs.frozen(kw_only=True)
class IdentityIntelligence(Model):
    """Identity data found for the address (only when requested with identity_intelligence).

    Attributes:
        match_risk_score: Risk score of the identity match; lower is safer (no range is
            documented).
        online_accounts_count: How many online accounts use the address.
        online_accounts: The services they are on (``"google"``, ``"github"``...).
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
class EmailResult(Model):
    """The analysis result.

    Attributes:
        decision: Values of :class:`~verisoul.webhooks.EmailDecision` (kept as sent).
        risk_score: -1 (most trusted) to 1 (riskiest).
        trust_signals: Names of the trust flags found (``"email_age_greater_than_5_years"``...).
        risk_signals: Names of the risk flags found.
        domain: The email's domain.
        email: The address itself.
        deliverability: Whether mail to the address is likely to arrive.
        breach_intelligence: Data breaches the address appears in.
        identity_intelligence: Identity data, or ``None`` unless requested with
            ``identity_intelligence=True``.
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
class EmailEventData(Model):
    """The event's ``data`` (present on success).

    Attributes:
        input: Echo of what was submitted.
        result: The analysis result.
    """

    input: EmailInput | None = None
    result: EmailResult | None = None


@attrs.frozen(kw_only=True)
class EmailEventError(Model):
    """The event's ``error`` (present when the analysis failed).

    Attributes:
        email: The submitted address.
        code: Machine-readable error code (``"invalid_email"``...; no list is documented).
        message: Human-readable explanation.
    """

    email: str | None = None
    code: str | None = None
    message: str | None = None


@attrs.frozen(kw_only=True)
class EmailIntelligenceEvent(Model):
    """An ``email.intelligence.completed`` webhook event.

    Essential: ``request_id`` (it ties the event to its submission), ``event_type`` and
    ``status``.

    Attributes:
        request_id: Matches :attr:`EmailSubmission.request_id` of the submission.
        project_id: The Verisoul project (UUID).
        batch_id: The batch's id, or ``None`` for a single submission.
        event_type: Always ``"email.intelligence.completed"``.
        status: ``"success"`` or ``"error"`` (:class:`~verisoul.webhooks.EmailEventStatus`).
        created_at: When the analysis started: ISO 8601 string, as sent.
        completed_at: When it finished: ISO 8601 string, as sent.
        data: The result on success, else ``None``.
        error: The failure on error, else ``None``.
    """

    request_id: str
    event_type: str
    status: str
    project_id: str | None = None
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

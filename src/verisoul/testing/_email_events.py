"""The ``email.intelligence.completed`` deliveries the fake would send, signed like Verisoul.

The fake never makes an outgoing request: it records each delivery (URL, headers, raw
body) so a test can replay it into the user's webhook handler. The signature follows the
documented scheme: ``x-signature: t=<unix>,h=content-type x-event-id x-event-type,v1=<hex>``
with ``v1 = HMAC-SHA256(secret, "{t}.{h}.{header values...}.{raw body}")``.

Results are deterministic: the decision follows the domain (disposable addresses are
``high_risk``, personal ones ``trusted``, business ones ``high_trust``...).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import uuid
from collections.abc import Mapping
from typing import Any

import attrs

from ._liveness_reports import _timestamp
from ._platform_reports import domain_type
from ._platform_state import EmailWebhook, WebhookDelivery

__all__ = ["EVENT_TYPE", "EmailJob", "email_result", "signed_delivery"]

EVENT_TYPE = "email.intelligence.completed"
SIGNED_HEADERS = ("content-type", "x-event-id", "x-event-type")

#: Risk score per domain type (the decision bands of the docs turn it into a decision).
_DOMAIN_RISK = {
    "disposable": 0.9,
    "invalid": 0.7,
    "relay": 0.3,
    "not_active": 0.5,
    "personal": -0.4,
    "business": -0.7,
    "government": -0.8,
    "education": -0.7,
}


@attrs.frozen
class EmailJob:
    """One analysed email: what was submitted and where the result belongs.

    Attributes:
        request_id: The submission's request id (each batch entry gets its own).
        batch_id: The batch's id, or None for a single submission.
        email: The address.
        claims: The claims submitted with it (JSON), or None.
        identity_intelligence: Whether identity data was requested.
    """

    request_id: str
    batch_id: str | None
    email: str
    claims: Mapping[str, Any] | None
    identity_intelligence: bool


def _decision(score: float) -> str:
    """The docs' bands: < -0.6 high_trust ... > 0.6 high_risk."""
    for limit, name in (
        (-0.6, "high_trust"),
        (-0.2, "trusted"),
        (0.2, "moderate"),
        (0.6, "risky"),
    ):
        if score < limit:
            return name
    return "high_risk"


def _claim_matches(email: str, claims: Mapping[str, Any] | None) -> dict[str, str]:
    claims = claims or {}
    name = claims.get("name")
    first = name.get("first") if isinstance(name, Mapping) else None
    if isinstance(first, str) and first:
        name_match = "match" if first.lower() in email.lower() else "no_match"
    else:
        name_match = "skipped"
    return {
        "name": name_match,
        "phone": "match" if claims.get("phone") else "skipped",
        "country": "match" if claims.get("country") else "skipped",
    }


def email_result(job: EmailJob) -> dict[str, Any]:
    """The ``data.result`` object for one email."""
    kind = domain_type(job.email)
    score = _DOMAIN_RISK[kind]
    username, _, domain = job.email.lower().rpartition("@")
    apex = ".".join(domain.split(".")[-2:])
    result: dict[str, Any] = {
        "decision": _decision(score),
        "risk_score": score,
        "trust_signals": [] if score > 0 else ["email_known_online_history"],
        "risk_signals": [f"{kind}_domain"] if score > 0 else [],
        "domain": {
            "risk_score": score,
            "fqdn": domain,
            "apex": apex,
            "type": kind,
            "age_years": 0.1 if score > 0 else 20.5,
            "country": "US",
        },
        "email": {
            "username": username,
            "normalized": job.email.lower(),
            "first_seen_at": "2019-06-15",
            "age_years": 0.0 if score > 0 else 6.4,
            "seen_countries": [] if score > 0 else ["US"],
        },
        "deliverability": {
            "risk_score": score,
            "send_recommendation": "do_not_send" if score > 0.6 else "send",
        },
        "breach_intelligence": {"breach_count": 0, "trusted_breach_count": 0, "breach_list": []},
    }
    if job.identity_intelligence:
        result["identity_intelligence"] = {
            "match_risk_score": score,
            "online_accounts_count": 0 if score > 0 else 2,
            "online_accounts": [] if score > 0 else ["github", "linkedin"],
            "connected_names": [],
            "connected_phones": [],
            "claim_matches": _claim_matches(job.email, job.claims),
        }
    return result


def _event_body(job: EmailJob, project_id: str, now: float) -> bytes:
    event = {
        "request_id": job.request_id,
        "batch_id": job.batch_id,
        "project_id": project_id,
        "event_type": EVENT_TYPE,
        "created_at": _timestamp(now),
        "completed_at": _timestamp(now),
        "status": "success",
        "data": {
            "input": {"email": job.email, "claims": dict(job.claims or {})},
            "result": email_result(job),
        },
        "error": None,
    }
    return json.dumps(event, separators=(",", ":")).encode()


def sign(secret: str, timestamp: int, headers: Mapping[str, str], body: bytes) -> str:
    """The ``x-signature`` value for ``body`` and the :data:`SIGNED_HEADERS` in ``headers``."""
    names = " ".join(SIGNED_HEADERS)
    parts = [str(timestamp).encode(), names.encode()]
    parts += [headers[name].encode() for name in SIGNED_HEADERS]
    digest = hmac.new(secret.encode(), b".".join([*parts, body]), hashlib.sha256).hexdigest()
    return f"t={timestamp},h={names},v1={digest}"


def signed_delivery(
    job: EmailJob, webhook: EmailWebhook, project_id: str, now: float
) -> WebhookDelivery:
    """The signed webhook request carrying ``job``'s result."""
    body = _event_body(job, project_id, now)
    headers = {
        "content-type": "application/json",
        "x-event-id": str(uuid.uuid4()),
        "x-event-type": EVENT_TYPE,
    }
    headers["x-signature"] = sign(webhook.secret, int(now), headers, body)
    return WebhookDelivery(webhook.url, headers, body)

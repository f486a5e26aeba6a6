"""verisoul.webhooks: signature verification and email event parsing.

Signatures are computed here by hand (hmac + hashlib, following the docs' recipe), not by
the code under test.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import subprocess
import sys
from collections.abc import Mapping
from typing import Any

import pytest

from verisoul._exceptions import VerisoulError
from verisoul._models import _fields
from verisoul.webhooks import (
    ClaimMatch,
    DomainType,
    EmailDecision,
    EmailEventStatus,
    EmailIntelligenceEvent,
    SendRecommendation,
    WebhookPayloadError,
    WebhookVerificationError,
    parse_email_event,
    verify_and_parse_email_event,
    verify_signature,
)

SECRET = "whsec-test-SECRET-d41d8cd98f00b204"
T = 1773933769
EVENT_ID = "5ded1748-8c2f-4ef4-8276-32af793f62b0"
SIGNED = "content-type x-event-id x-event-type"

SUCCESS_EVENT: dict[str, Any] = {
    "request_id": "d69b8d6a-06ae-4071-b6a7-f9abe000b73b",
    "batch_id": None,
    "project_id": "ed8fe5d7-ead9-4b81-b1b0-74190582341c",
    "event_type": "email.intelligence.completed",
    "created_at": "2026-03-09T18:22:10Z",
    "completed_at": "2026-03-09T18:22:15Z",
    "status": "success",
    "data": {
        "input": {
            "email": "john.doe@test.verisoul.com",
            "claims": {"name": {"first": "John", "last": "Doe"}, "country": "US"},
        },
        "result": {
            "decision": "trusted",
            "risk_score": -0.4514,
            "trust_signals": ["email_age_greater_than_5_years", "identity_name_match"],
            "risk_signals": [],
            "domain": {
                "risk_score": -0.72,
                "fqdn": "test.verisoul.com",
                "apex": "verisoul.com",
                "type": "business",
                "age_years": 4.2,
                "country": "US",
            },
            "email": {
                "username": "john.doe",
                "normalized": "john.doe@test.verisoul.com",
                "first_seen_at": "2022-06-15",
                "age_years": 3.8,
                "seen_countries": ["US"],
            },
            "deliverability": {"risk_score": -1, "send_recommendation": "send"},
            "breach_intelligence": {
                "breach_count": 1,
                "trusted_breach_count": 0,
                "breach_list": [
                    {
                        "source": "Adobe",
                        "breach_date": "2013-10-04",
                        "trust_weight": "moderate",
                        "country": "global",
                        "industry": "software",
                    }
                ],
            },
            "identity_intelligence": {
                "match_risk_score": -0.4,
                "online_accounts_count": 3,
                "online_accounts": ["google", "linkedin", "github"],
                "connected_names": ["John Doe"],
                "connected_phones": ["+1555*******"],
                "claim_matches": {"name": "match", "phone": "skipped", "country": "match"},
            },
        },
    },
    "error": None,
}

ERROR_EVENT: dict[str, Any] = {
    "request_id": "5fee305e-4a6b-4f5e-8d1c-0c8e2f5b7a90",
    "batch_id": "bbc73b22-bd47-48e4-b173-c9ca085efb2a",
    "project_id": "ed8fe5d7-ead9-4b81-b1b0-74190582341c",
    "event_type": "email.intelligence.completed",
    "created_at": "2026-03-09T18:22:10Z",
    "completed_at": "2026-03-09T18:22:11Z",
    "status": "error",
    "data": None,
    "error": {"email": "bad@", "code": "invalid_email", "message": "Email is not valid"},
}

BODY = json.dumps(SUCCESS_EVENT, separators=(",", ":")).encode()


def sign(body: bytes, *, t: int = T, values: Mapping[str, str] | None = None) -> str:
    """v1 computed independently from the docs' recipe."""
    header_values = {
        "content-type": "application/json",
        "x-event-id": EVENT_ID,
        "x-event-type": "email.intelligence.completed",
        **(values or {}),
    }
    signed = f"{t}.{SIGNED}.".encode() + b".".join(
        header_values[name].encode() for name in SIGNED.split()
    )
    return hmac.new(SECRET.encode(), signed + b"." + body, hashlib.sha256).hexdigest()


def make_headers(
    body: bytes = BODY, *, t: int = T, signature: str | None = None
) -> dict[str, str]:
    v1 = signature if signature is not None else sign(body, t=t)
    return {
        "Content-Type": "application/json",
        "X-Event-Id": EVENT_ID,
        "X-Event-Type": "email.intelligence.completed",
        "X-Signature": f"t={t},h={SIGNED},v1={v1}",
    }


def verification_error(
    body: bytes, headers: dict[str, str], *, secret: str | bytes = SECRET, now: float = T
) -> WebhookVerificationError:
    with pytest.raises(WebhookVerificationError) as info:
        verify_signature(body, headers, secret, now=now)
    exc = info.value
    assert SECRET not in str(exc)
    assert SECRET not in repr(exc)
    return exc


def test_known_vector_from_the_docs_recipe() -> None:
    # The signed string spelled out literally, as the docs show it.
    signed = (
        b"1773933769.content-type x-event-id x-event-type.application/json."
        b"5ded1748-8c2f-4ef4-8276-32af793f62b0.email.intelligence.completed." + BODY
    )
    v1 = hmac.new(SECRET.encode(), signed, hashlib.sha256).hexdigest()
    verify_signature(BODY, make_headers(signature=v1), SECRET, now=T)


def test_valid_signature_passes_with_any_header_case() -> None:
    headers = {key.lower(): value for key, value in make_headers().items()}
    verify_signature(BODY, headers, SECRET, now=T + 5)
    verify_signature(BODY, make_headers(), SECRET, now=T - 5)


@pytest.mark.parametrize("secret", [SECRET, SECRET.encode()])
def test_str_and_bytes_secrets_are_the_same_key(secret: str | bytes) -> None:
    verify_signature(BODY, make_headers(), secret, now=T)


def test_str_payload_is_hashed_as_utf8() -> None:
    text = '{"name":"Zoë"}'
    headers = make_headers(text.encode(), signature=sign(text.encode()))
    verify_signature(text, headers, SECRET, now=T)


def test_tampered_body_is_rejected() -> None:
    tampered = BODY.replace(b'"trusted"', b'"high_trust"')
    assert tampered != BODY
    exc = verification_error(tampered, make_headers())
    assert exc.reason == "signature_mismatch"


def test_reserialised_json_is_rejected() -> None:
    reserialised = json.dumps(json.loads(BODY)).encode()  # default separators add spaces
    assert reserialised != BODY
    assert verification_error(reserialised, make_headers()).reason == "signature_mismatch"


@pytest.mark.parametrize(
    ("header", "value"),
    [
        ("X-Event-Id", "00000000-0000-0000-0000-000000000000"),
        ("X-Event-Type", "email.intelligence.failed"),
        ("Content-Type", "text/plain"),
    ],
)
def test_tampered_signed_header_is_rejected(header: str, value: str) -> None:
    headers = make_headers()
    headers[header] = value
    assert verification_error(BODY, headers).reason == "signature_mismatch"


def test_tampered_timestamp_or_header_list_is_rejected() -> None:
    headers = make_headers()
    headers["X-Signature"] = headers["X-Signature"].replace(f"t={T}", f"t={T + 1}")
    assert verification_error(BODY, headers, now=T + 1).reason == "signature_mismatch"
    headers = make_headers()
    headers["X-Signature"] = headers["X-Signature"].replace(f"h={SIGNED}", "h=content-type")
    assert verification_error(BODY, headers).reason == "signature_mismatch"


def test_wrong_secret_is_rejected() -> None:
    exc = verification_error(BODY, make_headers(), secret="another-secret")
    assert exc.reason == "signature_mismatch"


def test_timestamp_at_the_tolerance_edge_passes() -> None:
    verify_signature(BODY, make_headers(), SECRET, now=T + 300)
    verify_signature(BODY, make_headers(), SECRET, now=T - 300)
    verify_signature(BODY, make_headers(), SECRET, now=T + 10, tolerance=10)


def test_stale_timestamp_is_rejected() -> None:
    exc = verification_error(BODY, make_headers(), now=T + 301)
    assert exc.reason == "timestamp_too_old"
    assert "301" in str(exc)


def test_future_timestamp_is_rejected() -> None:
    exc = verification_error(BODY, make_headers(), now=T - 301)
    assert exc.reason == "timestamp_in_future"


def test_stale_uses_the_wall_clock_by_default() -> None:
    with pytest.raises(WebhookVerificationError) as info:
        verify_signature(BODY, make_headers(), SECRET)  # T is in March 2026
    assert info.value.reason in ("timestamp_too_old", "timestamp_in_future")


def test_missing_signature_header_is_rejected() -> None:
    headers = make_headers()
    del headers["X-Signature"]
    exc = verification_error(BODY, headers)
    assert exc.reason == "missing_signature"
    assert "x-signature" in str(exc)


@pytest.mark.parametrize("dropped", ["t", "h", "v1"])
def test_missing_signature_part_is_rejected(dropped: str) -> None:
    parts = {"t": str(T), "h": SIGNED, "v1": sign(BODY)}
    del parts[dropped]
    headers = make_headers()
    headers["X-Signature"] = ",".join(f"{key}={value}" for key, value in parts.items())
    exc = verification_error(BODY, headers)
    assert exc.reason == "malformed_signature"
    assert f"missing {dropped}" in str(exc)


@pytest.mark.parametrize(
    "header",
    [
        "",
        "garbage",
        f"t={T},h={SIGNED},v1",
        f"t=soon,h={SIGNED},v1={'0' * 64}",
        f"t=-{T},h={SIGNED},v1={'0' * 64}",
        f"t={T}.5,h={SIGNED},v1={'0' * 64}",
        f"t={T},h=,v1={'0' * 64}",
        f"t={T},h={SIGNED},v1=xyz",
        f"t={T},h={SIGNED},v1={'g' * 64}",
        f"t={T},t={T},h={SIGNED},v1={'0' * 64}",
        f"t={T},h={SIGNED},=abc,v1={'0' * 64}",
        f"t={'9' * 40},h={SIGNED},v1={'0' * 64}",
    ],
)
def test_garbled_signature_header_is_rejected(header: str) -> None:
    headers = make_headers()
    headers["X-Signature"] = header
    assert verification_error(BODY, headers).reason == "malformed_signature"


def test_signed_header_missing_from_the_request_is_rejected() -> None:
    headers = make_headers()
    del headers["X-Event-Id"]
    exc = verification_error(BODY, headers)
    assert exc.reason == "missing_signed_header"
    assert "x-event-id" in str(exc)


def test_conflicting_duplicate_header_is_rejected() -> None:
    headers = make_headers()
    headers["x-event-id"] = "other-id"  # same name as X-Event-Id, different case
    assert verification_error(BODY, headers).reason == "malformed_signature"


@pytest.mark.parametrize("h", ["x-event-type content-type", "X-Event-Type Content-Type"])
def test_signed_headers_are_read_from_h_not_assumed(h: str) -> None:
    signed = f"{T}.{h}.email.intelligence.completed.application/json.".encode() + BODY
    v1 = hmac.new(SECRET.encode(), signed, hashlib.sha256).hexdigest()
    headers = make_headers()
    headers["X-Signature"] = f"t={T},h={h},v1={v1}"
    verify_signature(BODY, headers, SECRET, now=T)


def test_extra_parts_spaces_and_several_v1_are_tolerated() -> None:
    good = sign(BODY)
    headers = make_headers()
    headers["X-Signature"] = f"t={T}, h={SIGNED}, v0=legacy, v1={'0' * 64}, v1={good.upper()}, x=1"
    verify_signature(BODY, headers, SECRET, now=T)


def test_latin1_decoded_header_values_are_hashed_as_sent() -> None:
    # Frameworks decode header bytes as latin-1; the signer hashed the original bytes.
    raw_id = "événement-1"
    headers = make_headers(signature=sign(BODY, values={"x-event-id": raw_id}))
    headers["X-Event-Id"] = raw_id.encode("utf-8").decode("latin-1")
    verify_signature(BODY, headers, SECRET, now=T)


@pytest.mark.parametrize("payload", [{"a": 1}, None, 12])
def test_non_bytes_payload_is_a_type_error(payload: Any) -> None:
    with pytest.raises(TypeError, match="raw request body"):
        verify_signature(payload, make_headers(), SECRET, now=T)


def test_bad_secret_and_tolerance_arguments() -> None:
    with pytest.raises(ValueError, match="empty"):
        verify_signature(BODY, make_headers(), "", now=T)
    with pytest.raises(TypeError, match="secret"):
        verify_signature(BODY, make_headers(), 123, now=T)  # type: ignore[arg-type]
    for tolerance in (-1.0, float("nan"), float("inf")):
        with pytest.raises(ValueError, match="tolerance"):
            verify_signature(BODY, make_headers(), SECRET, now=T, tolerance=tolerance)


def test_error_types_fit_the_exception_tree() -> None:
    assert issubclass(WebhookVerificationError, VerisoulError)
    assert issubclass(WebhookPayloadError, VerisoulError)
    assert issubclass(WebhookPayloadError, ValueError)


def test_parse_success_event() -> None:
    event = parse_email_event(BODY)
    assert isinstance(event, EmailIntelligenceEvent)
    assert event.status == EmailEventStatus.SUCCESS
    assert event.batch_id is None
    assert event.created_at == "2026-03-09T18:22:10Z"
    assert event.error is None
    assert event.data is not None
    assert event.data.input is not None
    assert event.data.input.claims == {"name": {"first": "John", "last": "Doe"}, "country": "US"}
    result = event.data.result
    assert result is not None
    assert result.decision == EmailDecision.TRUSTED
    assert result.risk_score == -0.4514
    assert result.risk_signals == ()
    assert result.domain is not None
    assert result.domain.type == DomainType.BUSINESS
    assert result.email is not None
    assert result.email.first_seen_at == "2022-06-15"
    assert result.deliverability is not None
    assert result.deliverability.risk_score == -1.0
    assert isinstance(result.deliverability.risk_score, float)
    assert result.deliverability.send_recommendation == SendRecommendation.SEND
    assert result.breach_intelligence is not None
    assert result.breach_intelligence.breach_list is not None
    assert result.breach_intelligence.breach_list[0].trust_weight == "moderate"
    identity = result.identity_intelligence
    assert identity is not None
    assert identity.online_accounts == ("google", "linkedin", "github")
    assert identity.claim_matches is not None
    assert identity.claim_matches.phone == ClaimMatch.SKIPPED


def test_parse_error_event() -> None:
    event = parse_email_event(json.dumps(ERROR_EVENT))
    assert event.status == "error"
    assert event.data is None
    assert event.error is not None
    assert (event.error.code, event.error.email) == ("invalid_email", "bad@")
    assert event.batch_id == ERROR_EVENT["batch_id"]


def test_parse_accepts_bytes_str_and_mapping_alike() -> None:
    assert parse_email_event(BODY) == parse_email_event(BODY.decode())
    assert parse_email_event(BODY) == parse_email_event(json.loads(BODY))


def test_parse_is_tolerant() -> None:
    drifted = json.loads(BODY)
    drifted["new_top_level"] = {"x": 1}
    drifted["status"] = "partial"
    result = drifted["data"]["result"]
    result["decision"] = "suspicious"
    result["new_field"] = [1, 2]
    del result["identity_intelligence"]
    del result["domain"]
    event = parse_email_event(drifted)
    assert event.status == "partial"
    assert event.data is not None
    assert event.data.result is not None
    assert event.data.result.decision == "suspicious"
    assert event.data.result.decision not in EmailDecision.KNOWN
    assert event.data.result.identity_intelligence is None
    assert event.data.result.domain is None


@pytest.mark.parametrize("field", ["request_id", "event_type", "status"])
def test_parse_requires_the_documented_fields(field: str) -> None:
    broken = dict(SUCCESS_EVENT)
    del broken[field]
    with pytest.raises(WebhookPayloadError, match=f"event.{field}: required field is missing"):
        parse_email_event(broken)


def test_parse_names_the_path_of_a_wrong_type(caplog: pytest.LogCaptureFixture) -> None:
    """A non-essential field of the wrong type is coerced or None, logged with its path."""
    _fields.reset_warnings()
    broken = json.loads(BODY)
    broken["data"]["result"]["breach_intelligence"]["breach_list"][0]["source"] = 7
    broken["data"]["result"]["breach_intelligence"]["breach_list"][0]["breach_date"] = [1]
    event = parse_email_event(broken)
    assert event.data is not None
    assert event.data.result is not None
    assert event.data.result.breach_intelligence is not None
    breach = event.data.result.breach_intelligence.breach_list[0]
    assert breach.source == "7"
    assert breach.breach_date is None
    messages = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert any(
        "event.data.result.breach_intelligence.breach_list[0].source: expected a string, "
        "got integer" in message
        for message in messages
    )
    with pytest.raises(WebhookPayloadError, match=r"event\.status: expected a string"):
        parse_email_event(dict(json.loads(BODY), status=1))


@pytest.mark.parametrize("body", [b"{not json", b"\xff\xfe\x00", "[1, 2]", b"null"])
def test_parse_rejects_non_event_bodies(body: bytes | str) -> None:
    with pytest.raises(WebhookPayloadError):
        parse_email_event(body)


def test_parse_rejects_other_event_types() -> None:
    other = dict(SUCCESS_EVENT, event_type="phone.intelligence.completed")
    with pytest.raises(WebhookPayloadError, match=r"phone\.intelligence\.completed"):
        parse_email_event(other)


def test_parse_rejects_unsupported_payload_types() -> None:
    with pytest.raises(TypeError, match="payload"):
        parse_email_event(42)  # type: ignore[arg-type]


def test_verify_and_parse() -> None:
    event = verify_and_parse_email_event(BODY, make_headers(), SECRET, now=T)
    assert event.request_id == SUCCESS_EVENT["request_id"]
    with pytest.raises(WebhookVerificationError):
        verify_and_parse_email_event(BODY + b" ", make_headers(), SECRET, now=T)


def test_import_verisoul_does_not_import_webhooks() -> None:
    code = "import sys, verisoul; print('verisoul.webhooks' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "False"

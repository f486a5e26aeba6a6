"""Verify and parse Verisoul webhook deliveries (``email.intelligence.completed``).

Verisoul signs each delivery with an ``x-signature`` header::

    x-signature: t=1773933769,h=content-type x-event-id x-event-type,v1=<hex>

where ``v1 = hex(HMAC-SHA256(secret, "{t}.{h}.{value of each header named in h}.{raw body}"))``
(values joined with ``.``). Always verify against the **raw** request body: parsed and
re-serialised JSON does not hash the same.

Typical use in a web handler::

    from verisoul import webhooks

    event = webhooks.verify_and_parse_email_event(raw_body, request.headers, secret)
    if event.status == webhooks.EmailEventStatus.SUCCESS:
        ...

This module is not imported by ``import verisoul``; import it as ``verisoul.webhooks``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import math
import time
from collections.abc import Mapping
from typing import Any

import attrs

from ._exceptions import WebhookPayloadError, WebhookVerificationError
from ._models.email_event import (
    EMAIL_INTELLIGENCE_COMPLETED,
    Breach,
    BreachIntelligence,
    ClaimMatches,
    Deliverability,
    EmailAddressInsights,
    EmailDomain,
    EmailEventData,
    EmailEventError,
    EmailInput,
    EmailIntelligenceEvent,
    EmailResult,
    IdentityIntelligence,
    parse_email_event_object,
)
from ._models.platform_enums import (
    ClaimMatch,
    DomainType,
    EmailDecision,
    EmailEventStatus,
    SendRecommendation,
)
from ._shape import ResponseShapeError

__all__ = [
    "DEFAULT_TOLERANCE",
    "EMAIL_INTELLIGENCE_COMPLETED",
    "SIGNATURE_HEADER",
    "Breach",
    "BreachIntelligence",
    "ClaimMatch",
    "ClaimMatches",
    "Deliverability",
    "DomainType",
    "EmailAddressInsights",
    "EmailDecision",
    "EmailDomain",
    "EmailEventData",
    "EmailEventError",
    "EmailEventStatus",
    "EmailInput",
    "EmailIntelligenceEvent",
    "EmailResult",
    "IdentityIntelligence",
    "SendRecommendation",
    "WebhookPayloadError",
    "WebhookVerificationError",
    "parse_email_event",
    "verify_and_parse_email_event",
    "verify_signature",
]

SIGNATURE_HEADER = "x-signature"
DEFAULT_TOLERANCE = 300.0
"""Seconds a delivery's timestamp may differ from the current time (docs: 5 minutes)."""

_MAX_TIMESTAMP_DIGITS = 12


@attrs.frozen
class _SignatureHeader:
    timestamp: str
    signed_headers: str
    signatures: tuple[str, ...]


def verify_signature(
    payload: bytes | str,
    headers: Mapping[str, str],
    secret: str | bytes,
    *,
    tolerance: float = DEFAULT_TOLERANCE,
    now: float | None = None,
) -> None:
    """Check that a webhook delivery was signed by Verisoul with ``secret``, recently.

    Args:
        payload: The raw request body, exactly as received (``str`` is encoded as UTF-8).
        headers: The request headers; names are matched case-insensitively.
        secret: The webhook subscription's shared secret.
        tolerance: Seconds the signature's timestamp may lie in the past or future.
        now: The current Unix time (defaults to ``time.time()``; for tests).

    Raises:
        WebhookVerificationError: The header is missing or garbled, a signed header is
            missing, the signature does not match, or the timestamp is outside the
            tolerance (see :attr:`WebhookVerificationError.reason`).
        TypeError: ``payload`` or ``secret`` has the wrong type.
        ValueError: ``secret`` is empty or ``tolerance`` is negative or not finite.
    """
    body = _payload_bytes(payload)
    key = _secret_bytes(secret)
    if not math.isfinite(tolerance) or tolerance < 0:
        raise ValueError("tolerance must be a finite number of seconds >= 0")
    lowered = _lowercase(headers)
    signature = _parse_signature_header(_header(lowered, SIGNATURE_HEADER, "missing_signature"))
    signed = b".".join(
        [
            signature.timestamp.encode("ascii"),
            signature.signed_headers.encode("ascii"),
            *(
                _header_bytes(_header(lowered, name.lower(), "missing_signed_header"))
                for name in signature.signed_headers.split()
            ),
            body,
        ]
    )
    expected = hmac.new(key, signed, hashlib.sha256).hexdigest()
    if not any(hmac.compare_digest(expected, given) for given in signature.signatures):
        raise WebhookVerificationError(
            "webhook signature does not match: check the secret, and hash the raw body "
            "bytes (not re-serialised JSON)",
            reason="signature_mismatch",
        )
    _check_timestamp(int(signature.timestamp), tolerance, time.time() if now is None else now)


def parse_email_event(payload: bytes | str | Mapping[str, Any]) -> EmailIntelligenceEvent:
    """Parse an ``email.intelligence.completed`` webhook body.

    This does not verify the signature: call :func:`verify_signature` first, or use
    :func:`verify_and_parse_email_event`.

    Args:
        payload: The raw body (``bytes``/``str``) or the already-decoded JSON object.

    Returns:
        The typed event. Unknown fields are ignored; enum-like values stay plain strings
        (compare them with :class:`EmailDecision`, :class:`EmailEventStatus`...).

    Raises:
        WebhookPayloadError: The body is not UTF-8 JSON (however malformed: nesting too
            deep for the JSON decoder, invalid UTF-8, a number too long...), not the
            event's shape, or another event type.
        TypeError: ``payload`` is none of the accepted types.
    """
    if isinstance(payload, (bytes, bytearray, memoryview, str)):
        data: object = _decode_json(payload)
    elif isinstance(payload, Mapping):
        data = dict(payload)
    else:
        raise TypeError(
            f"payload must be bytes, str or a decoded JSON object, got {type(payload).__name__}"
        )
    try:
        event = parse_email_event_object(data)
    except ResponseShapeError as exc:
        raise WebhookPayloadError(f"webhook body is not an email event: {exc}") from exc
    if event.event_type != EMAIL_INTELLIGENCE_COMPLETED:
        raise WebhookPayloadError(
            f"expected a {EMAIL_INTELLIGENCE_COMPLETED!r} event, got {event.event_type!r}"
        )
    return event


def verify_and_parse_email_event(
    payload: bytes | str,
    headers: Mapping[str, str],
    secret: str | bytes,
    *,
    tolerance: float = DEFAULT_TOLERANCE,
    now: float | None = None,
) -> EmailIntelligenceEvent:
    """:func:`verify_signature`, then :func:`parse_email_event` on the same raw body.

    Args:
        payload: The raw request body, exactly as received.
        headers: The request headers; names are matched case-insensitively.
        secret: The webhook subscription's shared secret.
        tolerance: Seconds the signature's timestamp may lie in the past or future.
        now: The current Unix time (defaults to ``time.time()``; for tests).

    Returns:
        The typed ``email.intelligence.completed`` event.

    Raises:
        WebhookVerificationError: See :func:`verify_signature`.
        WebhookPayloadError: See :func:`parse_email_event`.
    """
    verify_signature(payload, headers, secret, tolerance=tolerance, now=now)
    return parse_email_event(payload)


def _decode_json(payload: bytes | bytearray | memoryview | str) -> object:
    """The decoded body; any way it fails to be UTF-8 JSON is a WebhookPayloadError."""
    try:
        text = payload if isinstance(payload, str) else bytes(payload).decode("utf-8")
        # A str from a framework that decoded invalid UTF-8 with surrogateescape.
        text.encode("utf-8")
    except UnicodeError:
        raise WebhookPayloadError("webhook body is not valid UTF-8") from None
    try:
        return json.loads(text)
    except RecursionError:
        raise WebhookPayloadError("webhook body is nested too deeply to be an event") from None
    except ValueError as exc:
        raise WebhookPayloadError(f"webhook body is not valid JSON: {exc}") from None


def _payload_bytes(payload: object) -> bytes:
    if isinstance(payload, (bytes, bytearray, memoryview)):
        return bytes(payload)
    if isinstance(payload, str):
        # surrogateescape gives back the bytes a framework decoded that way.
        return payload.encode("utf-8", "surrogateescape")
    raise TypeError(f"payload must be the raw request body (bytes), got {type(payload).__name__}")


def _secret_bytes(secret: object) -> bytes:
    if isinstance(secret, str):
        secret = secret.encode("utf-8")
    if not isinstance(secret, (bytes, bytearray)):
        raise TypeError(f"secret must be str or bytes, got {type(secret).__name__}")
    if not secret:
        raise ValueError("the webhook secret is empty")
    return bytes(secret)


_CONFLICT = object()


def _lowercase(headers: Mapping[str, str]) -> dict[str, object]:
    """Header names lowercased; a name repeated with different values maps to _CONFLICT."""
    lowered: dict[str, object] = {}
    for name, value in headers.items():
        key = name.lower()
        lowered[key] = value if lowered.get(key, value) == value else _CONFLICT
    return lowered


def _header(lowered: Mapping[str, object], name: str, reason: str) -> str:
    value = lowered.get(name)
    if value is None:
        raise WebhookVerificationError(f"the {name} header is missing", reason=reason)
    if not isinstance(value, str):
        raise WebhookVerificationError(
            f"the {name} header appears more than once with different values",
            reason="malformed_signature",
        )
    return value


def _header_bytes(value: str) -> bytes:
    # Frameworks decode header bytes as latin-1 (WSGI, ASGI): encoding back restores them.
    try:
        return value.encode("latin-1")
    except UnicodeEncodeError:
        return value.encode("utf-8")


def _malformed(detail: str) -> WebhookVerificationError:
    return WebhookVerificationError(
        f"malformed x-signature header: {detail}", reason="malformed_signature"
    )


def _parse_signature_header(value: str) -> _SignatureHeader:
    fields: dict[str, str] = {}
    signatures: list[str] = []
    for part in value.split(","):
        key, sep, item = part.strip().partition("=")
        if not sep or not key:
            raise _malformed("every part must look like key=value")
        if key == "v1":
            signatures.append(item.strip().lower())
        elif key in ("t", "h"):
            if key in fields:
                raise _malformed(f"{key!r} appears more than once")
            fields[key] = item
        # Other keys (future schemes such as v2) are ignored.
    missing = [key for key in ("t", "h") if key not in fields]
    if not signatures:
        missing.append("v1")
    if missing:
        raise _malformed(f"missing {', '.join(missing)}")
    timestamp = fields["t"]
    if not (timestamp.isascii() and timestamp.isdigit()) or len(timestamp) > _MAX_TIMESTAMP_DIGITS:
        raise _malformed("t is not a Unix timestamp in seconds")
    signed_headers = fields["h"]
    if not signed_headers.strip() or not signed_headers.isascii():
        raise _malformed("h must list the signed header names")
    for signature in signatures:
        if len(signature) != 64 or not all(c in "0123456789abcdef" for c in signature):
            raise _malformed("v1 must be 64 hexadecimal characters")
    return _SignatureHeader(timestamp, signed_headers, tuple(signatures))


def _check_timestamp(timestamp: int, tolerance: float, now: float) -> None:
    age = now - timestamp
    if age > tolerance:
        raise WebhookVerificationError(
            f"webhook timestamp is {age:.0f} s old, more than the {tolerance:g} s tolerance "
            "(a replay, or a clock out of sync)",
            reason="timestamp_too_old",
        )
    if -age > tolerance:
        raise WebhookVerificationError(
            f"webhook timestamp is {-age:.0f} s in the future, more than the {tolerance:g} s "
            "tolerance (check this server's clock)",
            reason="timestamp_in_future",
        )

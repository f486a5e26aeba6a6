"""The nested bodies of ``verify-face`` and ``verify-id`` (spec section "VerifyFaceResponse").

Values are fixed and plausible (one desktop Chrome user in Austin, TX), except what the
fake's state decides: metadata, ``matches`` and the risk verdict they imply.
"""

from __future__ import annotations

import copy
from datetime import datetime, timezone
from typing import Any

import attrs

from ._scenario import Scenario
from ._state import FakeDocument, LivenessSessionRecord

__all__ = ["ReportContext", "verify_face_body", "verify_id_body"]


@attrs.frozen
class ReportContext:
    """What a verify report needs beyond the session itself.

    Attributes:
        project_id: The fake's project id.
        request_id: This request's id.
        now: The fake's clock, in seconds.
        links: Other accounts sharing the session's face or document -> match types.
    """

    project_id: str
    request_id: str
    now: float
    links: dict[str, list[str]]


#: The risk score reported for each decision when no flag is raised and none is chosen.
_DEFAULT_SCORES = {"Real": 0.05, "Suspicious": 0.55, "Fake": 0.9}

_MEDIA_HOST = "https://storage.example.com/verisoul-fake"

_DEVICE_NETWORK_SIGNALS = {
    "device_risk": 0.0412,
    "proxy": 0,
    "vpn": 0,
    "datacenter": 0,
    "tor": 0,
    "spoofed_ip": 0,
    "recent_fraud_ip": 0,
    "device_network_mismatch": 0.0001,
    "location_spoofing": 0.0001,
}

_REFERRING_SESSION_SIGNALS = {
    "impossible_travel": 0,
    "ip_mismatch": 0,
    "user_agent_mismatch": 0,
    "device_timezone_mismatch": 0,
    "ip_timezone_mismatch": 0.0001,
}

_SESSION_DATA = {
    "true_country_code": "US",
    "network": {
        "ip_address": "203.0.113.42",
        "service_provider": "Example Broadband",
        "connection_type": "isp",
    },
    "location": {
        "continent": "NA",
        "country_code": "US",
        "state": "Texas",
        "city": "Austin",
        "zip_code": "78758",
        "timezone": "America/Chicago",
        "latitude": 30.3773,
        "longitude": -97.71,
    },
    "browser": {
        "type": "Chrome",
        "version": "135.0.0.0",
        "language": "en-US",
        "user_agent": (
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 "
            "(KHTML, like Gecko) Chrome/135.0.0.0 Safari/537.36"
        ),
        "timezone": "America/Chicago",
    },
    "device": {
        "category": "desktop",
        "type": "Mac",
        "os": "macOS 10.15.7",
        "cpu_cores": 8,
        "memory": 16,
        "gpu": "ANGLE (Apple, ANGLE Metal Renderer: Apple M2, Unspecified Version)",
    },
}


def _timestamp(seconds: float) -> str:
    moment = datetime.fromtimestamp(seconds, tz=timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def verify_face_body(record: LivenessSessionRecord, context: ReportContext) -> dict[str, Any]:
    """The 200 body of ``POST /liveness/verify-face`` (verify-id extends it)."""
    flags = []
    if any("face" in types for types in context.links.values()):
        flags.append("repeat_face")
    if any("document_number" in types for types in context.links.values()):
        flags.append("repeat_id")
    scenario = record.scenario or Scenario()
    if scenario.risk_flags is not None:
        flags = list(scenario.risk_flags)
    decision = scenario.decision or ("Fake" if flags else "Real")
    risk_score = scenario.risk_score
    if risk_score is None and (scenario.decision is not None or not flags):
        risk_score = _DEFAULT_SCORES[decision]
    elif risk_score is None:
        risk_score = min(1.0, 0.4 * len(flags) + 0.4)
    body: dict[str, Any] = {
        "metadata": {
            "project_id": context.project_id,
            "session_id": record.session_id,
            "account_id": record.account_id,
            "referring_session_id": record.referring_session_id,
            "request_id": context.request_id,
            "timestamp": _timestamp(context.now),
        },
        "decision": decision,
        "risk_score": risk_score,
        "risk_flags": flags,
        "device_network_signals": dict(_DEVICE_NETWORK_SIGNALS),
    }
    if record.referring_session_id is not None:
        body["referring_session_signals"] = dict(_REFERRING_SESSION_SIGNALS)
    media = f"{_MEDIA_HOST}/{record.session_id}"
    body["photo_urls"] = {"face": f"{media}/face.jpg"}
    body["video_urls"] = [f"{media}/session_video.webm"]
    body["session_data"] = copy.deepcopy(_SESSION_DATA)
    body["matches"] = {
        "num_accounts_linked": len(context.links),
        "accounts_linked": [
            {"account_id": account_id, "match_types": types}
            for account_id, types in context.links.items()
        ],
    }
    return body


def _document_signals(
    record: LivenessSessionRecord, document: FakeDocument, now: float
) -> dict[str, Any]:
    month, day, year = (int(part) for part in document.date_of_birth.split("/"))
    today = datetime.fromtimestamp(now, tz=timezone.utc)
    age = today.year - year - ((today.month, today.day) < (month, day))
    signals = {
        "id_age": age,
        "face_age_estimate": "over21" if age >= 21 else "over18" if age >= 18 else "over13",
        "id_face_match_score": 0.93,
        "id_barcode_status": "success",
        "id_face_status": "likely_original_face",
        "id_text_status": "likely_original_text",
        "is_id_digital_spoof": "likely_physical_id",
        "is_full_id_captured": "full_id_detected",
        "id_validity": "likely_authentic_id",
    }
    if record.scenario is not None:
        signals.update(record.scenario.document_signals)
    return signals


def _document_data(document: FakeDocument) -> dict[str, Any]:
    return {
        "template_info": {
            "document_country_code": document.country_code,
            "document_state": document.state,
            "template_type": document.template_type,
        },
        "user_data": {
            "first_name": document.first_name,
            "last_name": document.last_name,
            "date_of_birth": document.date_of_birth,
            "date_of_expiration": document.date_of_expiration,
            "date_of_issue": document.date_of_issue,
            "id_number": document.id_number,
            "id_number2": "",
            "address": {
                "city": "Austin",
                "country": document.country_code,
                "postal_code": "78701",
                "state": "TX",
                "street": "123 Main St",
            },
        },
    }


def verify_id_body(record: LivenessSessionRecord, context: ReportContext) -> dict[str, Any]:
    """The 200 body of ``POST /liveness/verify-id`` (the face body plus document fields)."""
    if record.document is None:
        raise ValueError("an ID Check session finished without a document")
    common = verify_face_body(record, context)
    body: dict[str, Any] = {key: common[key] for key in ("metadata", "decision", "risk_score")}
    body["risk_flags"] = common["risk_flags"]
    body["document_signals"] = _document_signals(record, record.document, context.now)
    body["document_data"] = _document_data(record.document)
    body.update({key: value for key, value in common.items() if key not in body})
    media = f"{_MEDIA_HOST}/{record.session_id}"
    body["photo_urls"]["id_scan_front"] = f"{media}/id_scan_front.jpg"
    body["photo_urls"]["id_scan_back"] = f"{media}/id_scan_back.jpg"
    return body

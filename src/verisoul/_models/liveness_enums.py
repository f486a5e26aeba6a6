"""Known values of the string enums in Face Match and ID Check responses.

Verisoul adds values over time (new risk flags, match types, document statuses), so the
models keep these fields as plain ``str``: a value this SDK has never seen still parses and
round-trips unchanged. These classes only name the values known today, for completion and
typo-free comparisons::

    if result.decision == Decision.REAL and RiskFlag.REPEAT_FACE not in result.risk_flags:
        ...

Each class also has ``KNOWN``, the frozenset of its values, for "is this new?" checks.
Where Verisoul's sources spell a value two ways, both spellings are listed.
"""

from __future__ import annotations

from typing import Final

from .._known_values import _KnownValues

__all__ = [
    "DeviceCategory",
    "Decision",
    "FaceAgeEstimate",
    "IdBarcodeStatus",
    "IdFaceStatus",
    "IdTextStatus",
    "IdValidity",
    "IsFullIdCaptured",
    "IsIdDigitalSpoof",
    "MatchType",
    "RiskFlag",
    "TemplateType",
]


class Decision(_KnownValues):
    """``decision``: the overall verdict of a verification."""

    REAL: Final = "Real"
    SUSPICIOUS: Final = "Suspicious"
    FAKE: Final = "Fake"
    UNKNOWN: Final = "Unknown"  # not in the spec; Verisoul's PHP client knows it


class RiskFlag(_KnownValues):
    """Values of ``risk_flags`` (Face Match and ID Check; the ID Check-only ones are marked)."""

    HIGH_DEVICE_RISK: Final = "high_device_risk"
    PROXY_DETECTED: Final = "proxy_detected"
    VPN_DETECTED: Final = "vpn_detected"
    DATACENTER_DETECTED: Final = "datacenter_detected"
    RECENT_FRAUD_IP: Final = "recent_fraud_ip"
    IMPOSSIBLE_TRAVEL_DETECTED: Final = "impossible_travel_detected"
    LOCATION_SPOOFING: Final = "location_spoofing"
    REPEAT_FACE: Final = "repeat_face"
    REPEAT_DEVICE: Final = "repeat_device"
    DIFFERENT_DEVICE_TYPE_SAME_CATEGORY: Final = "different_device_type_same_category"
    SAME_DEVICE_TYPE_DIFFERENT_IP: Final = "same_device_type_different_ip"
    POTENTIAL_LINK_SHARING: Final = "potential_link_sharing"
    REFERRING_IP_MISMATCH: Final = "referring_ip_mismatch"
    REFERRING_USER_AGENT_MISMATCH: Final = "referring_user_agent_mismatch"
    REFERRING_DEVICE_TIMEZONE_MISMATCH: Final = "referring_device_timezone_mismatch"
    REFERRING_IP_TIMEZONE_MISMATCH: Final = "referring_ip_timezone_mismatch"
    # ID Check only
    MODERATE_IP_VELOCITY: Final = "moderate_ip_velocity"
    HIGH_IP_VELOCITY: Final = "high_ip_velocity"
    IP_DOCUMENT_COUNTRY_MISMATCH: Final = "ip_document_country_mismatch"
    CANNOT_CONFIRM_ID_IS_AUTHENTIC: Final = "cannot_confirm_id_is_authentic"
    LIKELY_FAKE_ID: Final = "likely_fake_id"
    ID_EXPIRED: Final = "id_expired"
    ID_AGE_BELOW_16: Final = "id_age_below_16"
    LOW_ID_FACE_MATCH_SCORE: Final = "low_id_face_match_score"
    MODERATE_ID_FACE_MATCH_SCORE: Final = "moderate_id_face_match_score"
    REPEAT_ID: Final = "repeat_id"
    KNOWN_FRAUD_FACE: Final = "known_fraud_face"
    KNOWN_FRAUD_ID: Final = "known_fraud_id"


class MatchType(_KnownValues):
    """Values of ``matches.accounts_linked[].match_types``."""

    FACE: Final = "face"
    IP_ADDRESS: Final = "ip_address"
    BROWSER: Final = "browser"
    DOCUMENT_NUMBER: Final = "document_number"
    DOCUMENT_NAME: Final = "document_name"


class DeviceCategory(_KnownValues):
    """Values of ``session_data.device.category``."""

    DESKTOP: Final = "desktop"
    MOBILE: Final = "mobile"
    TABLET: Final = "tablet"
    CONSOLE: Final = "console"
    SMARTTV: Final = "smarttv"
    WEARABLE: Final = "wearable"
    EMBEDDED: Final = "embedded"
    OTHER: Final = "other"


class TemplateType(_KnownValues):
    """Values of ``document_data.template_info.template_type`` (ID Check)."""

    PASSPORT: Final = "passport"
    DRIVER_LICENSE: Final = "driver_license"
    STATE_ID: Final = "state_id"
    NATIONAL_ID: Final = "national_id"
    RESIDENCE_PERMIT: Final = "residence_permit"
    OTHER: Final = "other"
    UNKNOWN: Final = "unknown"


class FaceAgeEstimate(_KnownValues):
    """Values of ``document_signals.face_age_estimate`` (ID Check; the field may be null)."""

    UNDER8: Final = "under8"
    OVER8: Final = "over8"
    OVER13: Final = "over13"
    OVER16: Final = "over16"
    OVER18: Final = "over18"
    OVER21: Final = "over21"
    OVER25: Final = "over25"
    OVER30: Final = "over30"
    OVER40: Final = "over40"
    OVER50: Final = "over50"
    OVER65: Final = "over65"


class IdBarcodeStatus(_KnownValues):
    """Values of ``document_signals.id_barcode_status`` (ID Check)."""

    NO_BARCODE_SPECIFICED_BY_TEMPLATE: Final = "no_barcode_specificed_by_template"  # spec [sic]
    NO_BARCODE_SPECIFIED_BY_TEMPLATE: Final = "no_barcode_specified_by_template"  # docs, PHP
    NO_BARCODE_SPECIFIED: Final = "no_barcode_specified"  # PHP client
    BARCODE_REQUESTED_BUT_NOT_FOUND: Final = "barcode_requested_but_not_found"
    BARCODE_REQUESTED_BUT_ERROR_READING: Final = "barcode_requested_but_error_reading"
    SUCCESS: Final = "success"
    BARCODE_REQUESTED_AND_READ_BUT_COULD_NOT_PARSE: Final = (
        "barcode_requested_and_read_but_could_not_parse"
    )


class IdFaceStatus(_KnownValues):
    """Values of ``document_signals.id_face_status`` (ID Check)."""

    NOT_AVAILABLE: Final = "not_available"
    LIKELY_ORIGINAL_FACE: Final = "likely_original_face"
    CANNOT_CONFIRM_ID_IS_AUTHENTIC: Final = "cannot_confirm_id_is_authentic"
    OCR_TEMPLATE_DOES_NOT_SUPPORT_DETECTION: Final = "ocr_template_does_not_support_detection"


class IdTextStatus(_KnownValues):
    """Values of ``document_signals.id_text_status`` (ID Check)."""

    NOT_AVAILABLE: Final = "not_available"
    LIKELY_ORIGINAL_TEXT: Final = "likely_original_text"
    CANNOT_CONFIRM_ID_IS_AUTHENTIC: Final = "cannot_confirm_id_is_authentic"


class IsIdDigitalSpoof(_KnownValues):
    """Values of ``document_signals.is_id_digital_spoof`` (ID Check)."""

    LIKELY_PHYSICAL_ID: Final = "likely_physical_id"
    COULD_NOT_CONFIDENTLY_DETERMINE_PHYSICAL_ID_USER_NEEDS_TO_RETRY: Final = (
        "could_not_confidently_determine_physical_id_user_needs_to_retry"
    )


class IsFullIdCaptured(_KnownValues):
    """Values of ``document_signals.is_full_id_captured`` (ID Check)."""

    FULL_ID_DETECTED: Final = "full_id_detected"
    COULD_NOT_CONFIDENTLY_DETERMINE_FULL_ID_USER_NEEDS_TO_RETRY: Final = (
        "could_not_confidently_determine_full_id_user_needs_to_retry"  # spec
    )
    COULD_NOT_CONFIDENTLY_DETERMINE_PHYSICAL_ID_USER_NEEDS_TO_RETRY: Final = (
        "could_not_confidently_determine_physical_id_user_needs_to_retry"  # PHP client
    )


class IdValidity(_KnownValues):
    """Values of ``document_signals.id_validity`` (ID Check)."""

    LIKELY_AUTHENTIC_ID: Final = "likely_authentic_id"
    LIKELY_FAKE_ID: Final = "likely_fake_id"
    CANNOT_CONFIRM_ID_IS_AUTHENTIC: Final = "cannot_confirm_id_is_authentic"

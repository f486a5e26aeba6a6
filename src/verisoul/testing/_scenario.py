"""How a liveness session ends: the outcome and, when it passed, the verdict verify reports.

A :class:`Scenario` is both the default for sessions finished without more detail (the
hosted page, ``simulate``, :meth:`FakeVerisoul.complete_session`) and the detail itself.
Every value is checked against what Verisoul documents, so a report the fake sends still
validates against the OpenAPI files.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any

import attrs

__all__ = [
    "DECISIONS",
    "DOCUMENT_SIGNAL_VALUES",
    "FACE_MATCH_OUTCOMES",
    "ID_CHECK_OUTCOMES",
    "RISK_FLAGS",
    "Scenario",
]

#: The documented ``decision`` values of verify-face / verify-id.
DECISIONS = ("Real", "Suspicious", "Fake")

#: Documented risk flags (both products, then ID Check only).
RISK_FLAGS = (
    "high_device_risk",
    "proxy_detected",
    "vpn_detected",
    "datacenter_detected",
    "recent_fraud_ip",
    "impossible_travel_detected",
    "location_spoofing",
    "repeat_face",
    "repeat_device",
    "different_device_type_same_category",
    "same_device_type_different_ip",
    "potential_link_sharing",
    "referring_ip_mismatch",
    "referring_user_agent_mismatch",
    "referring_device_timezone_mismatch",
    "referring_ip_timezone_mismatch",
    "moderate_ip_velocity",
    "high_ip_velocity",
    "ip_document_country_mismatch",
    "cannot_confirm_id_is_authentic",
    "likely_fake_id",
    "id_expired",
    "id_age_below_16",
    "low_id_face_match_score",
    "moderate_id_face_match_score",
    "repeat_id",
    "known_fraud_face",
    "known_fraud_id",
)

#: The hosted page's documented outcomes (``success`` or the redirect's ``error_message``).
FACE_MATCH_OUTCOMES = (
    "success",
    "invalid_session_id",
    "session_id_not_found",
    "failed_to_get_camera_permission",
    "failed_to_complete_face_scan",
    "liveness_check_failed",
)
ID_CHECK_OUTCOMES = (
    *FACE_MATCH_OUTCOMES,
    "failed_to_process_id_scan",
    "failed_to_collect_device_data",
)

#: ``document_signals`` fields with the values the ID Check OpenAPI file lists.
DOCUMENT_SIGNAL_VALUES: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "face_age_estimate": (
            "under8",
            "over8",
            "over13",
            "over16",
            "over18",
            "over21",
            "over25",
            "over30",
            "over40",
            "over50",
            "over65",
        ),
        "id_barcode_status": (
            "success",
            "no_barcode_specificed_by_template",
            "barcode_requested_but_not_found",
            "barcode_requested_but_error_reading",
            "barcode_requested_and_read_but_could_not_parse",
        ),
        "id_face_status": (
            "likely_original_face",
            "not_available",
            "cannot_confirm_id_is_authentic",
            "ocr_template_does_not_support_detection",
        ),
        "id_text_status": (
            "likely_original_text",
            "not_available",
            "cannot_confirm_id_is_authentic",
        ),
        "is_id_digital_spoof": (
            "likely_physical_id",
            "could_not_confidently_determine_physical_id_user_needs_to_retry",
        ),
        "is_full_id_captured": (
            "full_id_detected",
            "could_not_confidently_determine_full_id_user_needs_to_retry",
        ),
        "id_validity": ("likely_authentic_id", "likely_fake_id", "cannot_confirm_id_is_authentic"),
    }
)
#: Numeric ``document_signals`` fields: name -> (type, minimum, maximum).
_NUMERIC_SIGNALS: Mapping[str, tuple[type, float, float]] = {
    "id_age": (int, 0, 150),
    "id_face_match_score": (float, 0.0, 1.0),
}


def _flags(value: Iterable[str] | None) -> tuple[str, ...] | None:
    if value is None:
        return None
    if isinstance(value, str):
        raise TypeError("risk_flags must be a list of strings, not one string")
    flags = tuple(value)
    for flag in flags:
        if not isinstance(flag, str) or not flag:
            raise TypeError(f"each risk flag must be a non-empty string, got {flag!r}")
    return flags


def _signals(value: Mapping[str, Any] | None) -> Mapping[str, Any]:
    checked: dict[str, Any] = {}
    for name, signal in (value or {}).items():
        if name in DOCUMENT_SIGNAL_VALUES:
            if signal not in DOCUMENT_SIGNAL_VALUES[name] and not (
                name == "face_age_estimate" and signal is None
            ):
                known = ", ".join(DOCUMENT_SIGNAL_VALUES[name])
                raise ValueError(f"document_signals[{name!r}] must be one of {known}")
        elif name in _NUMERIC_SIGNALS:
            kind, low, high = _NUMERIC_SIGNALS[name]
            if isinstance(signal, bool) or not isinstance(signal, (int, float)):
                raise TypeError(f"document_signals[{name!r}] must be a number")
            if not low <= signal <= high or (kind is int and signal != int(signal)):
                raise ValueError(f"document_signals[{name!r}] must be within {low}..{high}")
            signal = kind(signal)
        else:
            known = ", ".join([*DOCUMENT_SIGNAL_VALUES, *_NUMERIC_SIGNALS])
            raise ValueError(f"unknown document signal {name!r}; known: {known}")
        checked[name] = signal
    return MappingProxyType(checked)


def _check_outcome(_instance: object, _attribute: object, value: str) -> None:
    from ._state import OUTCOME_ERRORS

    if value not in OUTCOME_ERRORS:
        raise ValueError(f"unknown outcome {value!r}; expected one of {list(OUTCOME_ERRORS)}")


def _check_decision(_instance: object, _attribute: object, value: str | None) -> None:
    if value is not None and value not in DECISIONS:
        raise ValueError(f"decision must be one of {', '.join(DECISIONS)}, got {value!r}")


def _check_score(_instance: object, _attribute: object, value: float | None) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"risk_score must be a number, not {type(value).__name__}")
    if not (math.isfinite(value) and 0 <= value <= 1):
        raise ValueError(f"risk_score must be between 0 and 1, got {value!r}")


@attrs.frozen(kw_only=True)
class Scenario:
    """How a session ends in the hosted flow, and what verify then reports.

    Every field left at None is worked out by the fake as before: the decision is
    ``Real`` unless the face or document is enrolled to another account (then
    ``repeat_face`` / ``repeat_id`` and ``Fake``), with a matching risk score.

    Attributes:
        outcome: ``"success"``, a documented hosted-page failure (``"liveness_check_failed"``,
            ``"failed_to_process_id_scan"``...) or a verify error code; see
            :data:`~verisoul.testing.OUTCOME_ERRORS`.
        decision: ``"Real"``, ``"Suspicious"`` or ``"Fake"``.
        risk_flags: The flags to report (replacing the computed ones); any strings, the
            documented ones are in :data:`~verisoul.testing.RISK_FLAGS`.
        risk_score: 0 to 1.
        document_signals: ID Check: ``document_signals`` fields to report instead of the
            passing defaults, e.g. ``{"id_validity": "likely_fake_id"}``; values must be
            ones the ID Check OpenAPI file lists.
        same_face_as: The face enrolled to this account id (a repeat face for verify-face,
            a match for verify-identity).
    """

    outcome: str = attrs.field(default="success", validator=_check_outcome)
    decision: str | None = attrs.field(default=None, validator=_check_decision)
    risk_flags: tuple[str, ...] | None = attrs.field(default=None, converter=_flags)
    risk_score: float | None = attrs.field(default=None, validator=_check_score)
    document_signals: Mapping[str, Any] = attrs.field(factory=dict, converter=_signals, eq=False)
    same_face_as: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The scenario as the control API shows it."""
        return {
            "outcome": self.outcome,
            "decision": self.decision,
            "risk_flags": None if self.risk_flags is None else list(self.risk_flags),
            "risk_score": self.risk_score,
            "document_signals": dict(self.document_signals),
            "same_face_as": self.same_face_as,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Scenario:
        """A scenario from the control API's JSON (the same field names).

        Args:
            data: The JSON object, e.g. ``{"decision": "Suspicious"}``.

        Raises:
            TypeError, ValueError: An unknown field or a value out of range.
        """
        known = {field.name for field in attrs.fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValueError(f"unknown field(s) {', '.join(unknown)}; known: {sorted(known)}")
        return cls(**data)

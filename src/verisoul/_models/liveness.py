"""Models for the Face Match and ID Check (liveness) endpoints.

Attribute names are the JSON keys, nested objects are nested classes. Only the fields a
caller cannot do without are required (annotated without ``| None``): the session token,
the enroll outcome, the verdicts and the session they are about. Every other field is
``None`` when missing, null or of an unexpected type (arrays become ``()``), so one odd
value never costs the verdict (see :mod:`verisoul._models._fields`). Enum-like values
(``decision``, risk flags, match types, document statuses...) are plain strings, so values
added by Verisoul later still parse; :mod:`verisoul._models.liveness_enums` names the known ones.
"""

from __future__ import annotations

import attrs

from .._serialize import Model
from ._fields import model_parser

__all__ = [
    "DeviceNetworkSignals",
    "DocumentAddress",
    "DocumentData",
    "DocumentSignals",
    "DocumentTemplateInfo",
    "DocumentUserData",
    "EnrollResult",
    "LivenessBrowser",
    "LivenessDevice",
    "LivenessLinkedAccount",
    "LivenessLocation",
    "LivenessMatches",
    "LivenessMetadata",
    "LivenessNetwork",
    "LivenessSession",
    "LivenessSessionData",
    "PhotoUrls",
    "ReferringSessionSignals",
    "VerifyFaceResult",
    "VerifyIdResult",
    "VerifyIdentityResult",
    "parse_enroll",
    "parse_liveness_session",
    "parse_verify_face",
    "parse_verify_id",
    "parse_verify_identity",
]


@attrs.frozen
class LivenessSession(Model):
    """A short-lived Face Match / ID Check session token.

    Send the user to the hosted page with ``session_id``; it expires soon, so create it
    right before the redirect.

    Essential: ``session_id``.

    Attributes:
        session_id: The session token (a UUID string).
        request_id: Verisoul's id for this API request (quote it to support).
    """

    session_id: str
    request_id: str | None


def parse_liveness_session(data: object) -> LivenessSession:
    """Parse the body of ``GET /liveness/session``."""
    return model_parser(LivenessSession)(data, "body")


@attrs.frozen
class EnrollResult(Model):
    """The answer of ``POST /liveness/enroll``: the session's face (and ID) is tied to the account.

    Essential: ``success``.

    Attributes:
        request_id: Verisoul's id for this API request.
        success: Whether the enrollment succeeded.
    """

    request_id: str | None
    success: bool


@attrs.frozen
class VerifyIdentityResult(Model):
    """The answer of ``POST /liveness/verify-identity`` (1:1 authentication).

    Essential: ``match`` (the verdict); the others are ``None`` if Verisoul omits them.

    Attributes:
        request_id: Verisoul's id for this API request.
        success: Whether the verification ran.
        match: Whether this session's face is the one enrolled for the account.
    """

    request_id: str | None
    success: bool | None
    match: bool


@attrs.frozen
class LivenessMetadata(Model):
    """``metadata``: which project, session, account and request a verification belongs to.

    Attributes:
        project_id: The Verisoul project (UUID).
        session_id: The liveness session (UUID).
        account_id: The enrolled account, or ``None`` before enrollment.
        referring_session_id: The platform session passed at creation, if any.
        request_id: Verisoul's id for this API request.
        timestamp: ISO 8601 date-time string, as sent.
    """

    project_id: str | None
    session_id: str
    account_id: str | None
    referring_session_id: str | None
    request_id: str | None
    timestamp: str | None


@attrs.frozen
class DeviceNetworkSignals(Model):
    """``device_network_signals``: probabilities from 0 to 1 (higher is riskier).

    Attributes:
        device_risk: Risk score of the device.
        proxy: Probability of proxy use.
        vpn: Probability of VPN use.
        datacenter: Probability of a datacenter IP.
        tor: Probability of Tor use.
        spoofed_ip: Probability of IP spoofing.
        recent_fraud_ip: Probability the IP was recently used for fraud.
        device_network_mismatch: Probability the device and network disagree.
        location_spoofing: Probability of location spoofing.
    """

    device_risk: float | None
    proxy: float | None
    vpn: float | None
    datacenter: float | None
    tor: float | None
    spoofed_ip: float | None
    recent_fraud_ip: float | None
    device_network_mismatch: float | None
    location_spoofing: float | None


@attrs.frozen
class ReferringSessionSignals(Model):
    """``referring_session_signals``: 0-1 probabilities against the referring session.

    They compare this session with the ``referring_session_id`` given at creation (the
    object is absent when none was given).

    Attributes:
        impossible_travel: Probability of impossible travel between the two sessions.
        ip_mismatch: Probability the IPs differ meaningfully.
        user_agent_mismatch: Probability the user agents differ.
        device_timezone_mismatch: Probability the device time zones differ.
        ip_timezone_mismatch: Probability the IP time zones differ.
    """

    impossible_travel: float | None
    ip_mismatch: float | None
    user_agent_mismatch: float | None
    device_timezone_mismatch: float | None
    ip_timezone_mismatch: float | None


@attrs.frozen
class PhotoUrls(Model):
    """``photo_urls``: signed, expiring image URLs.

    Attributes:
        face: The face image.
        id_scan_front: The document's front (ID Check; in the spec's example, not its schema).
        id_scan_back: The document's back (ID Check; same).
    """

    face: str | None
    id_scan_front: str | None
    id_scan_back: str | None


@attrs.frozen
class LivenessNetwork(Model):
    """``session_data.network``.

    Attributes:
        ip_address: The user's IP address.
        service_provider: The ISP or hosting provider.
        connection_type: For example ``"isp"``.
    """

    ip_address: str | None
    service_provider: str | None
    connection_type: str | None


@attrs.frozen
class LivenessLocation(Model):
    """``session_data.location`` (from the IP).

    Attributes:
        continent: Continent code, e.g. ``"NA"``.
        country_code: ISO 3166-1 alpha-2 code.
        state: State or region name.
        city: City name.
        zip_code: Postal code.
        timezone: IANA time zone.
        latitude: Degrees.
        longitude: Degrees.
    """

    continent: str | None
    country_code: str | None
    state: str | None
    city: str | None
    zip_code: str | None
    timezone: str | None
    latitude: float | None
    longitude: float | None


@attrs.frozen
class LivenessBrowser(Model):
    """``session_data.browser``.

    Attributes:
        type: Browser name, e.g. ``"Chrome"``.
        version: Browser version.
        language: Browser language, e.g. ``"en-US"``.
        user_agent: The full user agent string.
        timezone: The browser's IANA time zone.
    """

    type: str | None
    version: str | None
    language: str | None
    user_agent: str | None
    timezone: str | None


@attrs.frozen
class LivenessDevice(Model):
    """``session_data.device``.

    Attributes:
        category: One of :class:`DeviceCategory` (new values are kept as is).
        type: Device type, e.g. ``"Mac"``.
        os: Operating system and version.
        cpu_cores: Logical CPU cores.
        memory: Device memory in GB, as reported by the browser (``navigator.deviceMemory``
            reports 0.25 and 0.5 too, though the spec says integer).
        gpu: GPU renderer string.
    """

    category: str | None
    type: str | None
    os: str | None
    cpu_cores: int | None
    memory: float | None
    gpu: str | None


@attrs.frozen
class LivenessSessionData(Model):
    """``session_data``: where and on what the user took the liveness check.

    Attributes:
        true_country_code: The country Verisoul believes the user is really in.
        network: Network details.
        location: IP-based location.
        browser: Browser details.
        device: Device details.
    """

    true_country_code: str | None
    network: LivenessNetwork | None
    location: LivenessLocation | None
    browser: LivenessBrowser | None
    device: LivenessDevice | None


@attrs.frozen
class LivenessLinkedAccount(Model):
    """One entry of ``matches.accounts_linked``.

    Attributes:
        account_id: The other account.
        match_types: What matched, values of :class:`MatchType` (new values kept as is).
    """

    account_id: str | None
    match_types: tuple[str, ...]


@attrs.frozen
class LivenessMatches(Model):
    """``matches``: enrolled accounts that share this face, document, IP or browser.

    For uniqueness (1:N) checks, no linked account means the face is not enrolled elsewhere.

    Attributes:
        num_accounts_linked: How many accounts are linked.
        accounts_linked: The linked accounts.
    """

    num_accounts_linked: int | None
    accounts_linked: tuple[LivenessLinkedAccount, ...]


@attrs.frozen
class DocumentSignals(Model):
    """``document_signals`` (ID Check): what the document scan revealed.

    The string fields take values of the same-named classes in
    :mod:`verisoul._models.liveness_enums`; new values are kept as is.

    Attributes:
        id_age: Age of the holder from the document's date of birth.
        face_age_estimate: Age band estimated from the face (e.g. ``"over21"``), or ``None``.
        id_face_match_score: 0-1 similarity of the selfie and the document photo.
        id_barcode_status: Outcome of reading the barcode.
        id_face_status: Whether the document's face looks original.
        id_text_status: Whether the document's text looks original.
        is_id_digital_spoof: Whether a physical document was shown.
        is_full_id_captured: Whether the whole document was in frame.
        id_validity: Overall authenticity verdict for the document.
    """

    id_age: int | None
    face_age_estimate: str | None
    id_face_match_score: float | None
    id_barcode_status: str | None
    id_face_status: str | None
    id_text_status: str | None
    is_id_digital_spoof: str | None
    is_full_id_captured: str | None
    id_validity: str | None


@attrs.frozen
class DocumentTemplateInfo(Model):
    """``document_data.template_info`` (ID Check).

    Attributes:
        document_country_code: Issuing country (ISO alpha-2).
        document_state: Issuing state or region, if any.
        template_type: One of :class:`TemplateType` (new values kept as is).
    """

    document_country_code: str | None
    document_state: str | None
    template_type: str | None


@attrs.frozen
class DocumentAddress(Model):
    """``document_data.user_data.address`` (ID Check).

    Attributes:
        city: City.
        country: Country.
        postal_code: Postal code.
        state: State or region.
        street: Street address.
    """

    city: str | None
    country: str | None
    postal_code: str | None
    state: str | None
    street: str | None


@attrs.frozen
class DocumentUserData(Model):
    """``document_data.user_data`` (ID Check): the holder's data as read from the document.

    Dates are kept as sent: the spec uses ``MM/DD/YYYY``, older examples ISO ``YYYY-MM-DD``.

    Attributes:
        first_name: Given name.
        last_name: Family name.
        date_of_birth: Date of birth.
        date_of_expiration: Expiry date.
        date_of_issue: Issue date.
        id_number: Document number.
        id_number2: Secondary document number.
        address: Address on the document.
    """

    first_name: str | None
    last_name: str | None
    date_of_birth: str | None
    date_of_expiration: str | None
    date_of_issue: str | None
    id_number: str | None
    id_number2: str | None
    address: DocumentAddress | None


@attrs.frozen
class DocumentData(Model):
    """``document_data`` (ID Check).

    Attributes:
        template_info: What kind of document it is.
        user_data: What the document says about its holder.
    """

    template_info: DocumentTemplateInfo | None
    user_data: DocumentUserData | None


@attrs.frozen
class _VerificationResult(Model):
    """The fields Face Match and ID Check verification answers share."""

    metadata: LivenessMetadata
    decision: str
    risk_score: float | None
    risk_flags: tuple[str, ...]
    device_network_signals: DeviceNetworkSignals | None
    referring_session_signals: ReferringSessionSignals | None
    photo_urls: PhotoUrls | None
    video_urls: tuple[str, ...]
    session_data: LivenessSessionData | None
    matches: LivenessMatches | None

    @property
    def request_id(self) -> str | None:
        """Verisoul's id for this API request (``metadata.request_id``): quote it to support."""
        metadata = self.metadata
        return None if metadata is None else metadata.request_id


@attrs.frozen
class VerifyFaceResult(_VerificationResult):
    """The answer of ``POST /liveness/verify-face``.

    Essential: ``decision`` and ``metadata.session_id``; any other field Verisoul sends
    with an unexpected type reads as ``None`` (logged once per field).

    Attributes:
        metadata: Project, session, account and request ids.
        decision: ``"Real"``, ``"Suspicious"`` or ``"Fake"`` (see :class:`Decision`).
        risk_score: 0-1, higher is riskier.
        risk_flags: Why it is risky, values of :class:`RiskFlag` (new values kept as is).
        device_network_signals: Device and network probabilities.
        referring_session_signals: Comparison with the referring session, if one was given.
        photo_urls: Signed image URLs.
        video_urls: Signed video URLs.
        session_data: Network, location, browser and device.
        matches: Enrolled accounts sharing this face or device.
    """


@attrs.frozen
class VerifyIdResult(_VerificationResult):
    """The answer of ``POST /liveness/verify-id``: Face Match's fields plus the document's.

    Essential: ``decision`` and ``metadata.session_id``; any other field Verisoul sends
    with an unexpected type reads as ``None`` (logged once per field).

    Attributes:
        metadata: Project, session, account and request ids.
        decision: ``"Real"``, ``"Suspicious"`` or ``"Fake"`` (see :class:`Decision`).
        risk_score: 0-1, higher is riskier.
        risk_flags: Why it is risky, values of :class:`RiskFlag` (new values kept as is).
        device_network_signals: Device and network probabilities.
        referring_session_signals: Comparison with the referring session, if one was given.
        photo_urls: Signed image URLs (face and both sides of the document).
        video_urls: Signed video URLs.
        session_data: Network, location, browser and device.
        matches: Enrolled accounts sharing this face, document or device.
        document_signals: What the document scan revealed.
        document_data: What the document says.
    """

    document_signals: DocumentSignals | None
    document_data: DocumentData | None


# Parsers are generated on first use (model_parser caches them), keeping ``import verisoul``
# light; after that each call costs one dict lookup more than calling the parser directly.


def parse_enroll(data: object) -> EnrollResult:
    """Parse the body of ``POST /liveness/enroll``."""
    return model_parser(EnrollResult)(data, "body")


def parse_verify_identity(data: object) -> VerifyIdentityResult:
    """Parse the body of ``POST /liveness/verify-identity``."""
    return model_parser(VerifyIdentityResult)(data, "body")


def parse_verify_face(data: object) -> VerifyFaceResult:
    """Parse the body of ``POST /liveness/verify-face``."""
    return model_parser(VerifyFaceResult)(data, "body")


def parse_verify_id(data: object) -> VerifyIdResult:
    """Parse the body of ``POST /liveness/verify-id``."""
    return model_parser(VerifyIdResult)(data, "body")

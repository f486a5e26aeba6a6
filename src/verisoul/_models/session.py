"""Models for the Session endpoints (``/session/...``)."""

from __future__ import annotations

import attrs

from .._serialize import Model
from ._fields import model_parser
from .account import AccountDetails, LinkedAccount
from .signals import RiskSignals, RiskSignalScores

__all__ = [
    "BotActivity",
    "Browser",
    "Device",
    "Location",
    "Network",
    "Session",
    "SessionDetails",
    "SessionEvaluation",
    "parse_session",
    "parse_session_evaluation",
]


@attrs.frozen(kw_only=True)
class Network(Model):
    """The network a session came from.

    Attributes:
        ip_address: The user's IPv4 or IPv6 address.
        service_provider: The ISP or hosting provider (``"AT&T Internet"``).
        connection_type: For example ``"isp"``.
    """

    ip_address: str | None = None
    service_provider: str | None = None
    connection_type: str | None = None


@attrs.frozen(kw_only=True)
class Location(Model):
    """Where a session's IP address is located.

    Attributes:
        continent: Continent code (``"NA"``).
        country_code: ISO 3166-1 alpha-2 code.
        state: State or region name (``"Texas"``).
        city: City name.
        zip_code: Postal code, as a string (``"78729"``).
        timezone: IANA time zone name.
        latitude: Degrees, from the IP geolocation.
        longitude: Degrees, from the IP geolocation.
    """

    continent: str | None = None
    country_code: str | None = None
    state: str | None = None
    city: str | None = None
    zip_code: str | None = None
    timezone: str | None = None
    latitude: float | None = None
    longitude: float | None = None


@attrs.frozen(kw_only=True)
class Browser(Model):
    """The browser a session ran in.

    Attributes:
        type: Browser name (``"Chrome"``).
        version: Browser version (``"137.0.0.0"``).
        language: Browser language (``"en-US"``).
        user_agent: The full user agent string.
        timezone: The browser's IANA time zone (compare with :attr:`Location.timezone`).
    """

    type: str | None = None
    version: str | None = None
    language: str | None = None
    user_agent: str | None = None
    timezone: str | None = None


@attrs.frozen(kw_only=True)
class Device(Model):
    """The device a session ran on.

    Attributes:
        category: Values of :class:`~verisoul.DeviceCategory` (a new kind is kept as sent).
        type: Device type (``"Mac"``).
        os: Operating system and version (``"macOS 10.15.7"``).
        cpu_cores: Logical CPU cores.
        memory: Memory in GB.
        gpu: GPU renderer string, as reported by the browser.
        screen_height: Screen height in pixels (a JSON number).
        screen_width: Screen width in pixels (a JSON number).
    """

    category: str | None = None
    type: str | None = None
    os: str | None = None
    cpu_cores: int | None = None
    memory: int | None = None
    gpu: str | None = None
    screen_height: float | None = None
    screen_width: float | None = None


@attrs.frozen(kw_only=True)
class BotActivity(Model):
    """Counts of user-input events seen in a session (the ``bot`` object).

    Attributes:
        mouse_num_events: Mouse events.
        click_num_events: Clicks.
        keyboard_num_events: Key presses.
        touch_num_events: Touch events.
        clipboard_num_events: Clipboard events.
    """

    mouse_num_events: int | None = None
    click_num_events: int | None = None
    keyboard_num_events: int | None = None
    touch_num_events: int | None = None
    clipboard_num_events: int | None = None


@attrs.frozen(kw_only=True)
class SessionDetails(Model):
    """What Verisoul observed in one session (``SessionDetails`` in the spec).

    Attributes:
        start_time: ISO 8601 date-time string, as sent.
        true_country_code: The country Verisoul believes the user is really in.
        device_id: Verisoul's id of the device the session ran on.
        network: The IP address and provider.
        location: Where the IP address is located.
        browser: The browser the session ran in.
        device: The device the session ran on.
        bot: Counts of user-input events.
        risk_signals: Which risks fired.
        risk_signal_scores: The risk scores, 0 to 1.
    """

    start_time: str | None = None
    true_country_code: str | None = None
    device_id: str | None = None
    network: Network | None = None
    location: Location | None = None
    browser: Browser | None = None
    device: Device | None = None
    bot: BotActivity | None = None
    risk_signals: RiskSignals | None = None
    risk_signal_scores: RiskSignalScores | None = None


@attrs.frozen(kw_only=True)
class Session(SessionDetails):
    """The body of ``GET /session/{session_id}``: the session's details plus its ids.

    Attributes:
        account_ids: Accounts this session was authenticated as.
        request_id: Verisoul's id for this API request (quote it to support).
        project_id: The Verisoul project (UUID).
        session_id: The session (UUID).
    """

    account_ids: tuple[str, ...] = ()
    request_id: str | None = None
    project_id: str | None = None
    session_id: str | None = None


@attrs.frozen(kw_only=True)
class SessionEvaluation(Model):
    """The body of ``POST /session/authenticate`` and ``POST /session/unauthenticated``.

    Essential: ``decision`` and ``session_id``.

    Attributes:
        project_id: The Verisoul project (UUID).
        session_id: The evaluated session (UUID).
        account_id: The account the session was tied to (authenticate only).
        request_id: Verisoul's id for this API request (quote it to support).
        decision: Verisoul's verdict (``"Real"`` / ``"Fake"``; kept as a string).
        account_score: Overall risk score, 0 to 1.
        bot: Bot score, 0 to 1.
        multiple_accounts: Multi-accounting score, 0 to 1.
        risk_signals: Combined device/network risk score (a number here, unlike
            :attr:`SessionDetails.risk_signals`).
        accounts_linked: How many other accounts are linked.
        lists: Names of the lists the account is on.
        session: What was observed in the session.
        account: The account's activity summary (authenticate only).
        linked_accounts: The linked accounts; only sent when requested with
            ``accounts_linked=True`` (empty otherwise).
    """

    project_id: str | None = None
    session_id: str
    account_id: str | None = None
    request_id: str | None = None
    decision: str
    account_score: float | None = None
    bot: float | None = None
    multiple_accounts: float | None = None
    risk_signals: float | None = None
    accounts_linked: int | None = None
    lists: tuple[str, ...] = ()
    session: SessionDetails | None = None
    account: AccountDetails | None = None
    linked_accounts: tuple[LinkedAccount, ...] = ()


_parse_session = model_parser(Session)
_parse_session_evaluation = model_parser(SessionEvaluation)


def parse_session(data: object) -> Session:
    """Parse the body of ``GET /session/{session_id}``."""
    return _parse_session(data, "body")


def parse_session_evaluation(data: object) -> SessionEvaluation:
    """Parse the body of ``POST /session/authenticate`` or ``/session/unauthenticated``."""
    return _parse_session_evaluation(data, "body")

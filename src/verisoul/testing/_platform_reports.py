"""The bodies of the session and account endpoints, built from the platform store.

Device, browser and location data are fixed and plausible (the liveness reports' Austin
desktop); what the state decides is real: account profiles, sessions, lists, links, and
the scores they imply (``block``/``allow``/``main_account`` lists, linked accounts).
Fields the caller never set are reported as empty strings, as in the spec's example
(``"group": ""``).
"""

from __future__ import annotations

import copy
from typing import Any

import attrs

from ._liveness_reports import _SESSION_DATA, _timestamp
from ._platform_state import PROFILE_STRINGS, AccountRecord, PlatformSessionRecord, PlatformStore

__all__ = [
    "PlatformContext",
    "account_report_body",
    "domain_type",
    "evaluation_body",
    "linked_account_body",
    "session_body",
]

_SESSION_RISK_SIGNALS = (
    "device_risk",
    "proxy",
    "vpn",
    "tor",
    "spoofed_ip",
    "datacenter",
    "recent_fraud_ip",
    "impossible_travel",
    "device_network_mismatch",
    "location_spoofing",
)

_PERSONAL_DOMAINS = frozenset(
    {"gmail.com", "yahoo.com", "outlook.com", "hotmail.com", "icloud.com", "proton.me"}
)
_DISPOSABLE_DOMAINS = frozenset({"mailinator.com", "guerrillamail.com", "10minutemail.com"})
_RELAY_DOMAINS = frozenset({"privaterelay.appleid.com", "duck.com"})

#: Most accounts ``num_account_from_domain`` reports (the spec caps it).
DOMAIN_COUNT_CAP = 1000

_DAY = 86400.0


@attrs.frozen
class PlatformContext:
    """What a body needs beyond the records.

    Attributes:
        store: The platform state.
        project_id: The fake's project id.
        request_id: This request's id.
        now: The fake's clock, in seconds.
    """

    store: PlatformStore
    project_id: str
    request_id: str
    now: float


def session_details(session: PlatformSessionRecord) -> dict[str, Any]:
    """The ``session`` object (SessionDetails): device, network, location, signals."""
    data: dict[str, Any] = copy.deepcopy(_SESSION_DATA)
    data["true_country_code"] = session.country_code
    data["network"]["ip_address"] = session.ip_address
    location = data["location"]
    if session.country_code != location["country_code"]:
        location.update(country_code=session.country_code, state="", city="", zip_code="")
    data["device"].update(screen_height=1329, screen_width=2056)
    return {
        "start_time": _timestamp(session.started_at),
        "device_id": session.device_id,
        **data,
        "bot": {
            "mouse_num_events": 84,
            "click_num_events": 2,
            "keyboard_num_events": 12,
            "touch_num_events": 0,
            "clipboard_num_events": 0,
        },
        "risk_signals": dict.fromkeys(_SESSION_RISK_SIGNALS, False),
        "risk_signal_scores": {
            name: 0.0 for name in _SESSION_RISK_SIGNALS if name != "spoofed_ip"
        },
    }


def session_body(session: PlatformSessionRecord, context: PlatformContext) -> dict[str, Any]:
    """The 200 body of ``GET /session/{session_id}``."""
    return {
        "account_ids": list(session.account_ids),
        "request_id": context.request_id,
        "project_id": context.project_id,
        "session_id": session.session_id,
        **session_details(session),
    }


def _domain(email: str) -> str:
    return email.rpartition("@")[2].lower()


def domain_type(email: str) -> str:
    domain = _domain(email)
    if "@" not in email or "." not in domain:
        return "invalid"
    if domain in _DISPOSABLE_DOMAINS:
        return "disposable"
    if domain in _RELAY_DOMAINS:
        return "relay"
    if domain in _PERSONAL_DOMAINS:
        return "personal"
    if domain.endswith(".gov"):
        return "government"
    if domain.endswith(".edu"):
        return "education"
    return "business"


def _email_insights(account: AccountRecord, store: PlatformStore) -> dict[str, Any]:
    email = account.profile.get("email", "")
    kind = domain_type(email) if email else "invalid"
    risky = kind in ("disposable", "invalid")
    same_domain = sum(
        1
        for other in store.accounts.values()
        if email and _domain(other.profile.get("email", "")) == _domain(email)
    )
    return {
        "email": email,
        "disposable": kind == "disposable",
        "personal": kind == "personal",
        "valid": kind != "invalid",
        "domain_type": kind,
        "email_score": 0.8 if risky else -0.2,
        "trust_signals": [] if risky else ["email_known_online_history"],
        "risk_signals": ["email_disposable"] if kind == "disposable" else [],
        "num_account_from_domain": min(same_domain, DOMAIN_COUNT_CAP),
    }


def _unique(values: list[tuple[float, str]], now: float, days: int) -> int:
    return len({value for started, value in values if now - started <= days * _DAY})


@attrs.frozen
class _Scores:
    decision: str
    account_score: float
    bot: float
    multiple_accounts: float
    risk_signals: float


def _scores(lists: list[str], linked: int) -> _Scores:
    """Deterministic scores: links raise ``multiple_accounts``; the special lists override."""
    multiple = 0.0 if linked == 0 or "main_account" in lists else min(1.0, 0.4 + 0.2 * linked)
    risk = 0.05
    score = max(multiple, risk)
    if "block" in lists:
        decision, score = "Fake", 1.0
    elif "allow" in lists:
        decision, score = "Real", 0.0
    else:
        decision = "Fake" if score >= 0.8 else "Real"
    return _Scores(decision, score, 0.0, multiple, risk)


def _profile(account: AccountRecord) -> dict[str, Any]:
    return {
        "id": account.account_id,
        **{name: account.profile.get(name, "") for name in PROFILE_STRINGS},
        "expected_countries": list(account.expected_countries),
        "metadata": copy.deepcopy(account.metadata),
        "group": account.group,
    }


def account_details(account: AccountRecord, store: PlatformStore, now: float) -> dict[str, Any]:
    """The ``account`` object of session answers (AccountDetails)."""
    sessions = list(store.account_sessions(account))
    countries = list(dict.fromkeys(session.country_code for session in sessions))
    devices = [(session.started_at, session.device_id) for session in sessions]
    networks = [(session.started_at, session.ip_address) for session in sessions]
    return {
        "account": _profile(account),
        "num_sessions": len(sessions),
        "first_seen": _timestamp(account.first_seen),
        "last_seen": _timestamp(account.last_seen),
        "last_session": sessions[-1].session_id if sessions else "",
        "country": countries[-1] if countries else "",
        "countries": countries,
        "unique_devices": {"1_day": _unique(devices, now, 1), "7_day": _unique(devices, now, 7)},
        "unique_networks": {
            "1_day": _unique(networks, now, 1),
            "7_day": _unique(networks, now, 7),
        },
        "email": _email_insights(account, store),
        "risk_signal_average": dict.fromkeys(_SESSION_RISK_SIGNALS, 0.0),
    }


def _score_fields(lists: list[str], linked: int) -> dict[str, Any]:
    scores = _scores(lists, linked)
    return {
        "decision": scores.decision,
        "account_score": scores.account_score,
        "bot": scores.bot,
        "multiple_accounts": scores.multiple_accounts,
        "risk_signals": scores.risk_signals,
        "accounts_linked": linked,
        "lists": lists,
    }


def account_report_body(account: AccountRecord, context: PlatformContext) -> dict[str, Any]:
    """The 200 body of ``GET``/``PUT /account/{account_id}``."""
    store = context.store
    details = account_details(account, store, context.now)
    lists = store.lists_of(account.account_id)
    linked = len(store.linked_accounts(account))
    return {
        "project_id": context.project_id,
        "request_id": context.request_id,
        **details,
        **_score_fields(lists, linked),
    }


def linked_account_body(
    account: AccountRecord, types: list[str], store: PlatformStore
) -> dict[str, Any]:
    """One LinkedAccount: the other account's profile and what links it."""
    profile = _profile(account)
    return {
        "account_id": account.account_id,
        "score": round(min(1.0, 0.1 * len(types) + 0.05), 4),
        **{name: profile[name] for name in PROFILE_STRINGS},
        "expected_countries": profile["expected_countries"],
        "match_type": types,
        "lists": store.lists_of(account.account_id),
        "metadata": profile["metadata"],
    }


def _session_links(
    session: PlatformSessionRecord, account: AccountRecord | None, store: PlatformStore
) -> list[tuple[AccountRecord, list[str]]]:
    """Accounts linked to the authenticated account, or (anonymous) to the session's device."""
    if account is not None:
        return store.linked_accounts(account)
    links = []
    for other in store.accounts.values():
        devices = {s.device_id for s in store.account_sessions(other)}
        if session.device_id in devices:
            links.append((other, ["device"]))
    return links


def evaluation_body(
    session: PlatformSessionRecord,
    account: AccountRecord | None,
    context: PlatformContext,
    *,
    with_linked: bool,
) -> dict[str, Any]:
    """The 200 body of ``/session/authenticate`` (with ``account``) or ``/unauthenticated``."""
    store = context.store
    links = _session_links(session, account, store)
    if account is not None:
        lists = store.lists_of(account.account_id)
    else:
        lists = sorted({name for other, _ in links for name in store.lists_of(other.account_id)})
    body: dict[str, Any] = {
        "project_id": context.project_id,
        "session_id": session.session_id,
    }
    if account is not None:
        body["account_id"] = account.account_id
    body["request_id"] = context.request_id
    body.update(_score_fields(lists, len(links)))
    body["session"] = session_details(session)
    if account is not None:
        body["account"] = account_details(account, store, context.now)
    if with_linked:
        body["linked_accounts"] = [
            linked_account_body(other, types, store) for other, types in links
        ]
    return body

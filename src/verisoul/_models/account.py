"""Models for the Account endpoints (``/account/...``) and the account parts of sessions."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from ._fields import json_key, model_parser
from .signals import RiskSignalScores

__all__ = [
    "AccountDeletion",
    "AccountDetails",
    "AccountEmail",
    "AccountProfile",
    "AccountReport",
    "AccountSessions",
    "LinkedAccount",
    "LinkedAccounts",
    "UniqueCounts",
    "parse_account_deletion",
    "parse_account_report",
    "parse_account_sessions",
    "parse_linked_accounts",
]


@attrs.frozen(kw_only=True)
class AccountProfile:
    """The identity data you stored for an account (the ``account`` object).

    Attributes:
        id: Your account id.
        email: Email address.
        phone: E.164 phone number.
        first_name: First name.
        last_name: Last name.
        username: Username.
        expected_countries: ISO 3166-1 alpha-2 codes the account should be used from.
        metadata: Your free-form metadata.
        group: The account's group (projects with groups enabled; ``""`` otherwise).
    """

    id: str | None = None
    email: str | None = None
    phone: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    username: str | None = None
    expected_countries: tuple[str, ...] = ()
    metadata: Mapping[str, Any] | None = None
    group: str | None = None


@attrs.frozen(kw_only=True)
class UniqueCounts:
    """Distinct devices or networks seen for an account (JSON keys ``1_day`` / ``7_day``).

    Attributes:
        one_day: Count over the last day (``1_day``).
        seven_day: Count over the last 7 days (``7_day``).
    """

    one_day: int | None = json_key("1_day")
    seven_day: int | None = json_key("7_day")


@attrs.frozen(kw_only=True)
class AccountEmail:
    """What Verisoul knows about the account's email address.

    Attributes:
        email: The address.
        disposable: Whether it is a throw-away address.
        personal: Whether it is a personal (not business) address.
        valid: Whether the address is valid.
        domain_type: Values of :class:`DomainType` (a new kind is kept as sent).
        email_score: From -1 (most trustworthy) to 1 (most risky).
        trust_signals: Signals that make the address more trustworthy.
        risk_signals: Signals that make the address riskier.
        num_account_from_domain: Accounts in your project on the same apex domain
            (capped at 1000).
    """

    email: str | None = None
    disposable: bool | None = None
    personal: bool | None = None
    valid: bool | None = None
    domain_type: str | None = None
    email_score: float | None = None
    trust_signals: tuple[str, ...] = ()
    risk_signals: tuple[str, ...] = ()
    num_account_from_domain: int | None = None


@attrs.frozen(kw_only=True)
class AccountDetails:
    """An account's activity summary (``AccountDetails`` in the session spec).

    Attributes:
        account: The stored identity data.
        num_sessions: Sessions seen for this account.
        first_seen: ISO 8601 date-time string, as sent.
        last_seen: ISO 8601 date-time string, as sent.
        last_session: Id of the most recent session.
        country: The account's most frequent country (ISO 3166-1 alpha-2).
        countries: Countries the account was seen in (in examples, not in the schema).
        unique_devices: Distinct devices over the last 1 and 7 days.
        unique_networks: Distinct networks over the last 1 and 7 days.
        email: What Verisoul knows about the account's email address.
        risk_signal_average: Risk scores averaged over the account's sessions.
    """

    account: AccountProfile | None = None
    num_sessions: int | None = None
    first_seen: str | None = None
    last_seen: str | None = None
    last_session: str | None = None
    country: str | None = None
    countries: tuple[str, ...] = ()
    unique_devices: UniqueCounts | None = None
    unique_networks: UniqueCounts | None = None
    email: AccountEmail | None = None
    risk_signal_average: RiskSignalScores | None = None


@attrs.frozen(kw_only=True)
class AccountReport(AccountDetails):
    """The body of ``GET`` / ``PUT /account/{account_id}``: details plus the risk verdict.

    Attributes:
        project_id: Your Verisoul project.
        request_id: Verisoul's id for this API request (quote it to support).
        decision: Verisoul's verdict (``"Real"``, ``"Fake"``...; no enum is documented).
        account_score: Overall risk score, 0 to 1.
        bot: Bot score, 0 to 1.
        multiple_accounts: Multi-accounting score, 0 to 1.
        risk_signals: Combined device/network risk score (a number here).
        accounts_linked: How many other accounts are linked to this one.
        lists: Names of the lists the account is on.
    """

    project_id: str | None = None
    request_id: str | None = None
    decision: str | None = None
    account_score: float | None = None
    bot: float | None = None
    multiple_accounts: float | None = None
    risk_signals: float | None = None
    accounts_linked: int | None = None
    lists: tuple[str, ...] = ()


@attrs.frozen(kw_only=True)
class LinkedAccount:
    """Another account that shares signals with this one.

    Attributes:
        account_id: The other account's id.
        score: Link strength, 0 to 1.
        email: Its email address.
        phone: Its phone number (E.164).
        first_name: Its first name.
        last_name: Its last name.
        username: Its username.
        expected_countries: Its expected countries (ISO 3166-1 alpha-2).
        match_type: What matched (``browser``, ``device``, ``network``, ``email``, ``phone``,
            ``username``, ``name``...; the set grows, so plain strings).
        lists: Names of the lists it is on.
        metadata: Its free-form metadata.
    """

    account_id: str | None = None
    score: float | None = None
    email: str | None = None
    phone: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    username: str | None = None
    expected_countries: tuple[str, ...] = ()
    match_type: tuple[str, ...] = ()
    lists: tuple[str, ...] = ()
    metadata: Mapping[str, Any] | None = None


@attrs.frozen(kw_only=True)
class AccountDeletion:
    """The body of ``DELETE /account/{account_id}``.

    Attributes:
        request_id: Verisoul's id for this API request (quote it to support).
        account_id: The deleted account.
        success: Whether the account was deleted.
    """

    request_id: str | None = None
    account_id: str | None = None
    success: bool | None = None


@attrs.frozen(kw_only=True)
class AccountSessions:
    """The body of ``GET /account/{account_id}/sessions``.

    Attributes:
        request_id: Verisoul's id for this API request (quote it to support).
        sessions: The account's session ids.
    """

    request_id: str | None = None
    sessions: tuple[str, ...] = ()


@attrs.frozen(kw_only=True)
class LinkedAccounts:
    """The body of ``GET /account/{account_id}/accounts-linked``.

    Attributes:
        request_id: Verisoul's id for this API request (quote it to support).
        accounts_linked: The accounts sharing signals with this one.
    """

    request_id: str | None = None
    accounts_linked: tuple[LinkedAccount, ...] = ()


_parse_account_report = model_parser(AccountReport)
_parse_account_deletion = model_parser(AccountDeletion)
_parse_account_sessions = model_parser(AccountSessions)
_parse_linked_accounts = model_parser(LinkedAccounts)


def parse_account_report(data: object) -> AccountReport:
    """Parse the body of ``GET`` or ``PUT /account/{account_id}``."""
    return _parse_account_report(data, "body")


def parse_account_deletion(data: object) -> AccountDeletion:
    """Parse the body of ``DELETE /account/{account_id}``."""
    return _parse_account_deletion(data, "body")


def parse_account_sessions(data: object) -> AccountSessions:
    """Parse the body of ``GET /account/{account_id}/sessions``."""
    return _parse_account_sessions(data, "body")


def parse_linked_accounts(data: object) -> LinkedAccounts:
    """Parse the body of ``GET /account/{account_id}/accounts-linked``."""
    return _parse_linked_accounts(data, "body")

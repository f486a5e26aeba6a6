"""Models for the Account endpoints (``/account/...``) and the account parts of sessions."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from .._serialize import Model
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
class AccountProfile(Model):
    """The identity data you stored for an account (the ``account`` object).

    Attributes:
        id: Your account id.
        email: The account's email address.
        phone: E.164 phone number.
        first_name: The account holder's first name.
        last_name: The account holder's last name.
        username: The account's username.
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
class UniqueCounts(Model):
    """Distinct devices or networks seen for an account (JSON keys ``1_day`` / ``7_day``).

    Attributes:
        one_day: Count over the last day (``1_day``).
        seven_day: Count over the last 7 days (``7_day``).
    """

    one_day: int | None = json_key("1_day")
    seven_day: int | None = json_key("7_day")


@attrs.frozen(kw_only=True)
class AccountEmail(Model):
    """What Verisoul knows about the account's email address.

    Attributes:
        email: The address.
        disposable: Whether it is a disposable (throwaway) address.
        personal: Whether it is a personal (not business) address.
        valid: Whether it is a valid address.
        domain_type: Values of :class:`DomainType` (a new kind is kept as sent).
        email_score: From -1 (most trustworthy) to 1 (most risky).
        num_account_from_domain: Accounts in your project on the same apex domain
            (capped at 1000).
        trust_signals: Names of the trust flags found (``"email_age_greater_than_5_years"``...).
        risk_signals: Names of the risk flags found (``"email_alias"``...).
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
class AccountDetails(Model):
    """An account's activity summary (``AccountDetails`` in the session spec).

    Attributes:
        account: The stored identity data.
        num_sessions: Sessions seen for this account.
        last_session: Id of the most recent session.
        first_seen: ISO 8601 date-time string, as sent.
        last_seen: ISO 8601 date-time string, as sent.
        country: The account's country, ISO 3166-1 alpha-2 code.
        countries: Countries the account was seen in (in the ``AccountDetails`` schema and
            the examples, not in ``AccountResponse``).
        unique_devices: Distinct devices seen in the last 1 and 7 days.
        unique_networks: Distinct networks seen in the last 1 and 7 days.
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

    Essential: ``decision``.

    Attributes:
        project_id: The Verisoul project (UUID).
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
    decision: str
    account_score: float | None = None
    bot: float | None = None
    multiple_accounts: float | None = None
    risk_signals: float | None = None
    accounts_linked: int | None = None
    lists: tuple[str, ...] = ()


@attrs.frozen(kw_only=True)
class LinkedAccount(Model):
    """Another account that shares signals with this one.

    Attributes:
        account_id: The linked account's id.
        score: Link strength, 0 to 1.
        email: The linked account's email address.
        phone: The linked account's phone number (E.164).
        first_name: The linked account holder's first name.
        last_name: The linked account holder's last name.
        username: The linked account's username.
        expected_countries: ISO 3166-1 alpha-2 codes declared for the linked account.
        match_type: What matched (``browser``, ``device``, ``network``, ``email``, ``phone``,
            ``username``, ``name``, ``mobile_id``, ``apple_device_check``...; the set grows,
            so plain strings).
        lists: Names of the lists the linked account is on.
        metadata: The linked account's free-form metadata.
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
class AccountDeletion(Model):
    """The body of ``DELETE /account/{account_id}``.

    Attributes:
        request_id: Verisoul's id for this API request (quote it to support).
        account_id: The deleted account's id.
        success: Whether the account was deleted.
    """

    request_id: str | None = None
    account_id: str | None = None
    success: bool | None = None


@attrs.frozen(kw_only=True)
class AccountSessions(Model):
    """The body of ``GET /account/{account_id}/sessions``.

    Attributes:
        request_id: Verisoul's id for this API request (quote it to support).
        sessions: The account's session ids.
    """

    request_id: str | None = None
    sessions: tuple[str, ...] = ()


@attrs.frozen(kw_only=True)
class LinkedAccounts(Model):
    """The body of ``GET /account/{account_id}/accounts-linked``.

    Attributes:
        request_id: Verisoul's id for this API request (quote it to support).
        accounts_linked: The linked accounts (a list here, unlike the count in
            :attr:`AccountReport.accounts_linked`).
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

"""The fake's platform world: device sessions, accounts, lists, and the email webhook.

Links between accounts are computed, not stored: two accounts are linked when they share
an email, a phone, a username, a device or a network (IP address) across their sessions.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from typing import Any

import attrs

__all__ = [
    "SPECIAL_LISTS",
    "AccountRecord",
    "EmailWebhook",
    "ListRecord",
    "PlatformSessionRecord",
    "PlatformStore",
    "WebhookDelivery",
]

#: The lists every project starts with (from the List spec's example).
SPECIAL_LISTS: dict[str, str] = {
    "allow": "Marks every account in the list as Real.",
    "block": "Marks every account in the list as Fake.",
    "main_account": "Sets the multiple_accounts score to 0 for every account in the list.",
}

#: Fields of an account the API lets callers set, in the spec's order.
PROFILE_STRINGS = ("email", "phone", "first_name", "last_name", "username")


def _digest(text: str) -> bytes:
    return hashlib.sha256(text.encode()).digest()


def default_device_id(session_id: str) -> str:
    """A stable device id for a session created without one (unique per session)."""
    return "dev-" + _digest(session_id).hex()[:18]


def default_ip_address(session_id: str) -> str:
    """A stable documentation-range IP (198.18.0.0/15) for a session created without one."""
    raw = _digest("ip" + session_id)
    return f"198.{18 + raw[0] % 2}.{raw[1]}.{raw[2]}"


@attrs.define
class PlatformSessionRecord:
    """A device session, as Verisoul's frontend SDK would have created it.

    Attributes:
        session_id: Canonical lower-case UUID.
        started_at: Creation time on the fake's clock (seconds).
        device_id: Sessions with the same device id link their accounts (``device``).
        ip_address: Sessions with the same address link their accounts (``network``).
        country_code: The session's true country (ISO alpha-2).
        account_ids: Accounts authenticated on this session, oldest first.
    """

    session_id: str
    started_at: float
    device_id: str
    ip_address: str
    country_code: str = "US"
    account_ids: list[str] = attrs.Factory(list)


@attrs.define
class AccountRecord:
    """One account, created by ``POST /session/authenticate``.

    Attributes:
        account_id: Your id for the account.
        profile: ``email``, ``phone``, names and ``username`` as last given.
        expected_countries: As last given non-empty.
        metadata: As last given.
        group: As last given (``""`` when never given).
        first_seen: Time of the first authentication.
        last_seen: Time of the latest authentication.
        session_ids: Sessions the account authenticated on, oldest first.
    """

    account_id: str
    first_seen: float
    last_seen: float
    profile: dict[str, str] = attrs.Factory(dict)
    expected_countries: list[str] = attrs.Factory(list)
    metadata: dict[str, Any] = attrs.Factory(dict)
    group: str = ""
    session_ids: list[str] = attrs.Factory(list)

    def apply(self, fields: Mapping[str, Any]) -> None:
        """Store the fields given (already validated); an empty country list keeps the old."""
        for name in PROFILE_STRINGS:
            if name in fields:
                self.profile[name] = fields[name]
        if fields.get("expected_countries"):
            self.expected_countries = list(fields["expected_countries"])
        if "metadata" in fields:
            self.metadata = dict(fields["metadata"])
        if "group" in fields:
            self.group = fields["group"]


@attrs.define
class ListRecord:
    """A named list of accounts.

    Attributes:
        name: The list's name (any characters, ``/`` and ``?`` included).
        description: As given at creation.
        account_ids: Members, in the order they were added.
    """

    name: str
    description: str = ""
    account_ids: list[str] = attrs.Factory(list)


@attrs.frozen
class EmailWebhook:
    """Where the project's ``email.intelligence.completed`` events would go.

    Attributes:
        url: The subscription's URL (recorded only; the fake never calls it).
        secret: The shared secret deliveries are signed with.
    """

    url: str
    secret: str = attrs.field(repr=False)


@attrs.frozen
class WebhookDelivery:
    """One webhook request the fake would have sent, signed like Verisoul's.

    Pass ``body`` and ``headers`` to your handler (or to
    :func:`verisoul.webhooks.verify_signature`) exactly as they are.

    Attributes:
        url: The configured webhook URL.
        headers: ``content-type``, ``x-event-id``, ``x-event-type`` and ``x-signature``.
        body: The raw JSON body bytes.
    """

    url: str
    headers: Mapping[str, str]
    body: bytes


@attrs.define
class PlatformStore:
    """Sessions, accounts, lists and the email webhook.

    Attributes:
        sessions: Device sessions by id.
        accounts: Accounts by id, in creation order.
        lists: Lists by name, in creation order (the special lists first).
        email_webhook: The configured webhook, or None (``webhook_configured`` false).
        deliveries: Webhook requests the fake would have sent, oldest first.
    """

    sessions: dict[str, PlatformSessionRecord] = attrs.Factory(dict)
    accounts: dict[str, AccountRecord] = attrs.Factory(dict)
    lists: dict[str, ListRecord] = attrs.Factory(
        lambda: {name: ListRecord(name, text) for name, text in SPECIAL_LISTS.items()}
    )
    email_webhook: EmailWebhook | None = None
    deliveries: list[WebhookDelivery] = attrs.Factory(list)

    def account_sessions(self, account: AccountRecord) -> Iterator[PlatformSessionRecord]:
        """The sessions ``account`` authenticated on, oldest first."""
        return (self.sessions[sid] for sid in account.session_ids if sid in self.sessions)

    def lists_of(self, account_id: str) -> list[str]:
        """Names of the lists holding ``account_id``."""
        return [name for name, record in self.lists.items() if account_id in record.account_ids]

    def add_to_list(self, name: str, account_id: str, description: str = "") -> None:
        """Put ``account_id`` on list ``name``, creating the list when missing."""
        record = self.lists.setdefault(name, ListRecord(name, description))
        if account_id not in record.account_ids:
            record.account_ids.append(account_id)

    def delete_account(self, account_id: str) -> None:
        """Forget an account: its record, its list memberships, its session links."""
        del self.accounts[account_id]
        for record in self.lists.values():
            if account_id in record.account_ids:
                record.account_ids.remove(account_id)
        for session in self.sessions.values():
            if account_id in session.account_ids:
                session.account_ids.remove(account_id)

    def match_types(self, first: AccountRecord, second: AccountRecord) -> list[str]:
        """What links two accounts, in the spec's order of ``match_type`` values."""
        mine = list(self.account_sessions(first))
        theirs = list(self.account_sessions(second))
        found: list[str] = []
        if {s.device_id for s in mine} & {s.device_id for s in theirs}:
            found.append("device")
        if {s.ip_address for s in mine} & {s.ip_address for s in theirs}:
            found.append("network")
        for name in ("email", "phone", "username"):
            value = first.profile.get(name)
            if value and value.lower() == second.profile.get(name, "").lower():
                found.append(name)
        return found

    def linked_accounts(self, account: AccountRecord) -> list[tuple[AccountRecord, list[str]]]:
        """Every other account linked to ``account``, with the match types."""
        links = []
        for other in self.accounts.values():
            if other.account_id == account.account_id:
                continue
            types = self.match_types(account, other)
            if types:
                links.append((other, types))
        return links

"""Typed request inputs for the platform endpoints, validated before anything is sent.

:class:`Account` is the ``account`` of ``POST /session/authenticate`` and the body of
``PUT /account/{account_id}``; :class:`EmailClaims` and :class:`EmailEntry` feed
``POST /email``. Each validates at construction, so a bad value fails in the caller's
code with a :class:`TypeError` (wrong type) or :class:`ValueError` (bad value) instead of
a 400 from Verisoul. Error messages name the field but never echo personal data (emails,
phone numbers, names).

The ``*_body`` functions build the JSON bodies and are shared by both clients.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from ._validation import (
    check_country,
    check_e164,
    check_json_object,
    check_optional_bool,
    check_optional_str,
    check_str,
    validate_non_empty_str,
)

__all__ = [
    "MAX_EMAIL_BATCH",
    "Account",
    "EmailClaims",
    "EmailEntry",
    "email_batch_body",
    "email_body",
]

MAX_EMAIL_BATCH = 1000
"""Most emails per batch submission (current docs; an older page said 5,000)."""

MAX_NAME_LENGTH = 256


def _str_tuple(owner: str, name: str, value: object) -> tuple[str, ...] | None:
    """Turn a list/tuple of strings into a tuple (a lone str is rejected, not split)."""
    if value is None:
        return None
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise TypeError(f"{owner}.{name} must be a list of str, not {type(value).__name__}")
    return tuple(value)


def _account_countries(value: object) -> tuple[str, ...] | None:
    return _str_tuple("Account", "expected_countries", value)


def _copy_metadata(value: object) -> Any:
    """A private copy, so later changes to the caller's dict do not leak into the Account."""
    return dict(value) if isinstance(value, Mapping) else value


def _account_lists(value: object) -> tuple[str, ...] | None:
    return _str_tuple("Account", "lists", value)


def _reject_unknown_keys(cls: type, value: Mapping[str, Any], extra: Iterable[str] = ()) -> None:
    allowed = {field.name for field in attrs.fields(cls)} | set(extra)
    unknown = sorted(str(key) for key in value if key not in allowed)
    if unknown:
        raise ValueError(
            f"unknown {cls.__name__} field(s): {', '.join(unknown)}; "
            f"expected some of: {', '.join(sorted(allowed))}"
        )


def _drop_none(pairs: Mapping[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in pairs.items() if value is not None}


@attrs.frozen
class Account:
    """The account a session belongs to, or the new data for ``update_account``.

    Only ``id`` is required. A non-empty ``expected_countries`` replaces the stored list;
    an empty or omitted one keeps it.

    Attributes:
        id: Your id for the account.
        email: The account's email address.
        phone: E.164 number: ``+`` then 8 to 15 digits (``"+14155550123"``).
        first_name: At most 256 characters.
        last_name: At most 256 characters.
        username: At most 256 characters.
        expected_countries: ISO 3166-1 alpha-2 codes, uppercase (``("US", "CA")``).
        metadata: Free-form JSON object stored with the account.
        group: The account's group (projects with groups enabled). Not accepted by
            ``update_account``.
        lists: Names of lists to put the account on; missing lists are created. Not
            accepted by ``update_account``.
    """

    id: str
    email: str | None = attrs.field(default=None, kw_only=True)
    phone: str | None = attrs.field(default=None, kw_only=True)
    first_name: str | None = attrs.field(default=None, kw_only=True)
    last_name: str | None = attrs.field(default=None, kw_only=True)
    username: str | None = attrs.field(default=None, kw_only=True)
    expected_countries: tuple[str, ...] | None = attrs.field(
        default=None, kw_only=True, converter=_account_countries
    )
    metadata: Mapping[str, Any] | None = attrs.field(
        default=None, kw_only=True, converter=_copy_metadata
    )
    group: str | None = attrs.field(default=None, kw_only=True)
    lists: tuple[str, ...] | None = attrs.field(
        default=None, kw_only=True, converter=_account_lists
    )

    def __attrs_post_init__(self) -> None:
        validate_non_empty_str(self.id, "Account.id")
        check_optional_str(self.email, "Account.email")
        if self.phone is not None:
            check_e164(self.phone, "Account.phone")
        for name in ("first_name", "last_name", "username"):
            check_optional_str(getattr(self, name), f"Account.{name}", max_length=MAX_NAME_LENGTH)
        for i, code in enumerate(self.expected_countries or ()):
            check_country(code, f"Account.expected_countries[{i}]")
        if self.metadata is not None:
            check_json_object(self.metadata, "Account.metadata")
        if self.group is not None:
            check_str(self.group, "Account.group")
        for i, list_name in enumerate(self.lists or ()):
            validate_non_empty_str(list_name, f"Account.lists[{i}]")

    @classmethod
    def from_value(cls, value: Account | Mapping[str, Any]) -> Account:
        """Accept an :class:`Account` or a plain dict with the same field names.

        Args:
            value: The account, as this class or a dict.

        Raises:
            TypeError: ``value`` is neither, or a field has the wrong type.
            ValueError: The dict has unknown keys, lacks ``id``, or a value is invalid.
        """
        if isinstance(value, Account):
            return value
        if not isinstance(value, Mapping):
            raise TypeError(f"account must be an Account or a dict, not {type(value).__name__}")
        _reject_unknown_keys(cls, value)
        if "id" not in value:
            raise ValueError("account dict needs an 'id'")
        return cls(**value)

    def to_json(self) -> dict[str, Any]:
        """The JSON object for ``POST /session/authenticate``'s ``account`` (Nones dropped)."""
        return _drop_none(
            {
                "id": self.id,
                "email": self.email,
                "phone": self.phone,
                "first_name": self.first_name,
                "last_name": self.last_name,
                "username": self.username,
                "expected_countries": _as_list(self.expected_countries),
                "metadata": _as_dict(self.metadata),
                "group": self.group,
                "lists": _as_list(self.lists),
            }
        )

    def to_update_json(self) -> dict[str, Any]:
        """The body of ``PUT /account/{account_id}``, which takes neither group nor lists.

        Raises:
            ValueError: ``group`` or ``lists`` is set (the API cannot change them here; use
                the list endpoints for lists).
        """
        refused = [name for name in ("group", "lists") if getattr(self, name) is not None]
        if refused:
            raise ValueError(
                f"update_account cannot change {' or '.join(refused)}; leave "
                f"{'them' if len(refused) > 1 else 'it'} unset (use add_account_to_list / "
                "remove_account_from_list for lists)"
            )
        return self.to_json()


def _as_list(value: tuple[str, ...] | None) -> list[str] | None:
    return None if value is None else list(value)


def _as_dict(value: Mapping[str, Any] | None) -> dict[str, Any] | None:
    return None if value is None else dict(value)


@attrs.frozen(kw_only=True)
class EmailClaims:
    """What the user claims about themselves, checked against the email's identity data.

    Sent as ``{"name": {"first", "last"}, "phone", "country"}``. Results show up in the
    webhook event's ``identity_intelligence.claim_matches``.

    Attributes:
        first_name: Claimed first name (``name.first``).
        last_name: Claimed last name (``name.last``).
        phone: Claimed phone number (E.164 recommended, not enforced).
        country: Claimed country, 2-letter uppercase ISO 3166-1 code.
    """

    first_name: str | None = None
    last_name: str | None = None
    phone: str | None = None
    country: str | None = None

    def __attrs_post_init__(self) -> None:
        for name in ("first_name", "last_name", "phone"):
            check_optional_str(getattr(self, name), f"EmailClaims.{name}")
        if self.country is not None:
            check_country(self.country, "EmailClaims.country")

    @classmethod
    def from_value(cls, value: EmailClaims | Mapping[str, Any]) -> EmailClaims:
        """Accept :class:`EmailClaims`, or a dict in the wire shape or with these field names.

        The wire shape is ``{"name": {"first": ..., "last": ...}, "country": ...}``.

        Args:
            value: The claims, as this class or a dict.

        Raises:
            TypeError: ``value`` is neither, or a field has the wrong type.
            ValueError: Unknown keys or an invalid value.
        """
        if isinstance(value, EmailClaims):
            return value
        if not isinstance(value, Mapping):
            raise TypeError(f"claims must be EmailClaims or a dict, not {type(value).__name__}")
        _reject_unknown_keys(cls, value, extra=("name",))
        fields = {key: item for key, item in value.items() if key != "name"}
        name = value.get("name")
        if name is not None:
            if not isinstance(name, Mapping):
                raise TypeError(f"claims['name'] must be a dict, not {type(name).__name__}")
            unknown = sorted(str(key) for key in name if key not in ("first", "last"))
            if unknown:
                raise ValueError(f"unknown claims['name'] key(s): {', '.join(unknown)}")
            for wire, field in (("first", "first_name"), ("last", "last_name")):
                if wire in name:
                    if field in fields:
                        raise ValueError(f"claims give both name.{wire} and {field}")
                    fields[field] = name[wire]
        return cls(**fields)

    def to_json(self) -> dict[str, Any]:
        """The wire ``claims`` object, without empty parts."""
        name = _drop_none({"first": self.first_name, "last": self.last_name})
        return _drop_none({"name": name or None, "phone": self.phone, "country": self.country})


def _claims(value: EmailClaims | Mapping[str, Any] | None) -> EmailClaims | None:
    return None if value is None else EmailClaims.from_value(value)


@attrs.frozen(kw_only=True)
class EmailEntry:
    """One email of a batch submission.

    Attributes:
        email: The address to analyse.
        claims: Optional claims (an :class:`EmailClaims` or a dict).
        identity_intelligence: Overrides the batch's setting for this entry; ``None``
            inherits it.
    """

    email: str
    claims: EmailClaims | None = attrs.field(default=None, converter=_claims)
    identity_intelligence: bool | None = None

    def __attrs_post_init__(self) -> None:
        validate_non_empty_str(self.email, "EmailEntry.email")
        check_optional_bool(self.identity_intelligence, "EmailEntry.identity_intelligence")

    @classmethod
    def from_value(cls, value: EmailEntry | str | Mapping[str, Any]) -> EmailEntry:
        """Accept an :class:`EmailEntry`, a bare address, or a dict with the same keys.

        Args:
            value: The entry, as this class, an address or a dict.

        Raises:
            TypeError: ``value`` has an unsupported type, or a field has the wrong type.
            ValueError: Unknown keys, a missing ``email``, or an invalid value.
        """
        if isinstance(value, EmailEntry):
            return value
        if isinstance(value, str):
            return cls(email=value)
        if not isinstance(value, Mapping):
            raise TypeError(
                f"email entry must be an EmailEntry, str or dict, not {type(value).__name__}"
            )
        _reject_unknown_keys(cls, value)
        if "email" not in value:
            raise ValueError("email entry dict needs an 'email'")
        return cls(**value)

    def to_json(self) -> dict[str, Any]:
        """The wire object for one entry of ``emails``."""
        claims = self.claims.to_json() if self.claims is not None else None
        return _drop_none(
            {
                "email": self.email,
                "claims": claims or None,
                "identity_intelligence": self.identity_intelligence,
            }
        )


def email_body(
    email: str,
    claims: EmailClaims | Mapping[str, Any] | None = None,
    identity_intelligence: bool = False,
) -> dict[str, Any]:
    """The body of a single-email ``POST /email``.

    Raises:
        TypeError: A value has the wrong type.
        ValueError: The email is empty or the claims are invalid.
    """
    check_optional_bool(identity_intelligence, "identity_intelligence")
    entry = EmailEntry(email=email, claims=claims)
    body = entry.to_json()
    body["identity_intelligence"] = identity_intelligence
    return body


def email_batch_body(
    entries: Iterable[EmailEntry | str | Mapping[str, Any]],
    batch_name: str | None = None,
    identity_intelligence: bool = False,
) -> dict[str, Any]:
    """The body of a batch ``POST /email``, checked against the batch cap.

    Args:
        entries: 1 to :data:`MAX_EMAIL_BATCH` entries (``EmailEntry``, address or dict).
        batch_name: Your label; Verisoul generates one when omitted.
        identity_intelligence: Default for entries that do not set it.

    Raises:
        TypeError: ``entries`` is a str or not iterable, or a value has the wrong type.
        ValueError: No entries, more than :data:`MAX_EMAIL_BATCH`, or an invalid entry.
    """
    if isinstance(entries, (str, bytes, Mapping)) or not isinstance(entries, Iterable):
        raise TypeError(
            f"entries must be a list of emails/EmailEntry, not {type(entries).__name__}"
        )
    check_optional_bool(identity_intelligence, "identity_intelligence")
    check_optional_str(batch_name, "batch_name")
    wire: list[dict[str, Any]] = []
    for i, entry in enumerate(entries):
        if i >= MAX_EMAIL_BATCH:
            raise ValueError(
                f"an email batch holds at most {MAX_EMAIL_BATCH} entries; split it into "
                "several submit_email_batch calls"
            )
        try:
            wire.append(EmailEntry.from_value(entry).to_json())
        except (TypeError, ValueError) as exc:
            raise type(exc)(f"entries[{i}]: {exc}") from None
    if not wire:
        raise ValueError("an email batch needs at least one entry")
    return _drop_none(
        {"emails": wire, "batch_name": batch_name, "identity_intelligence": identity_intelligence}
    )

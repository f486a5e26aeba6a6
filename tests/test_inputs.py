"""Typed request inputs: Account, EmailClaims, EmailEntry and the email bodies."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import attrs
import pytest

from verisoul._inputs import (
    MAX_EMAIL_BATCH,
    Account,
    EmailClaims,
    EmailEntry,
    email_batch_body,
    email_body,
)

EXAMPLES = json.loads((Path(__file__).parent / "data" / "platform_examples.json").read_text())

FULL: dict[str, Any] = {
    "id": "john-doe",
    "email": "johndoe.example@gmail.com",
    "phone": "+14155550123",
    "first_name": "John",
    "last_name": "Doe",
    "username": "john.doe",
    "expected_countries": ["US", "CA"],
    "metadata": {"plan": "pro", "tags": ["a", 1, None]},
    "group": "beta",
    "lists": ["us_users", "vip"],
}


def test_account_with_every_field_round_trips_to_json() -> None:
    account = Account.from_value(FULL)
    assert account.expected_countries == ("US", "CA")
    assert account.lists == ("us_users", "vip")
    assert account.to_json() == FULL


def test_account_to_json_drops_unset_fields_but_keeps_empty_lists() -> None:
    assert Account("u1").to_json() == {"id": "u1"}
    # An empty expected_countries means "keep the stored list" and must still be sent.
    assert Account("u1", expected_countries=[], group="").to_json() == {
        "id": "u1",
        "expected_countries": [],
        "group": "",
    }


def test_account_is_frozen_and_copies_metadata() -> None:
    metadata = {"plan": "pro"}
    account = Account("u1", metadata=metadata)
    metadata["plan"] = "free"
    assert account.to_json()["metadata"] == {"plan": "pro"}
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        account.email = "x@example.com"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"id": ""}, ValueError, "Account.id must not be empty"),
        ({"id": "   "}, ValueError, "Account.id must not be empty"),
        ({"id": 42}, TypeError, "Account.id must be a str, not int"),
        ({"id": "u", "email": ""}, ValueError, "Account.email must not be empty"),
        ({"id": "u", "email": b"x@y"}, TypeError, "Account.email must be a str"),
        ({"id": "u", "first_name": "x" * 257}, ValueError, "at most 256 characters, got 257"),
        ({"id": "u", "last_name": "x" * 300}, ValueError, "Account.last_name must be at most"),
        ({"id": "u", "username": "x" * 257}, ValueError, "Account.username must be at most"),
        ({"id": "u", "expected_countries": "US"}, TypeError, "must be a list of str"),
        ({"id": "u", "expected_countries": ["us"]}, ValueError, "did you mean 'US'"),
        ({"id": "u", "expected_countries": ["US", "USA"]}, ValueError, r"expected_countries\[1\]"),
        ({"id": "u", "expected_countries": [1]}, TypeError, r"expected_countries\[0\] must be"),
        ({"id": "u", "metadata": ["a"]}, TypeError, "Account.metadata must be a dict"),
        ({"id": "u", "metadata": {1: "a"}}, TypeError, "metadata keys must be str"),
        ({"id": "u", "metadata": {"a": {1, 2}}}, TypeError, "JSON-serialisable"),
        ({"id": "u", "metadata": {"a": float("nan")}}, TypeError, "JSON-serialisable"),
        ({"id": "u", "group": 3}, TypeError, "Account.group must be a str"),
        ({"id": "u", "lists": "vip"}, TypeError, "Account.lists must be a list of str"),
        ({"id": "u", "lists": ["vip", ""]}, ValueError, r"Account.lists\[1\] must not be empty"),
    ],
)
def test_account_rejects_invalid_values(
    kwargs: dict[str, Any], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        Account(**kwargs)


def test_account_name_lengths_up_to_256_are_fine() -> None:
    account = Account("u", first_name="x" * 256, last_name="y" * 256, username="z" * 256)
    assert len(account.to_json()["username"]) == 256


@pytest.mark.parametrize("phone", ["+14155550123", "+12345678", "+123456789012345"])
def test_account_accepts_e164_phones(phone: str) -> None:
    assert Account("u", phone=phone).phone == phone


@pytest.mark.parametrize(
    "phone",
    [
        "14155550123",  # no +
        "+1 415 555 0123",  # spaces
        "+1-415-555-0123",
        "+1234567",  # 7 digits
        "+1234567890123456",  # 16 digits
        "+1415555012a",
        "+" + "1" * 40,  # over the spec's maxLength of 32
    ],
)
def test_account_rejects_non_e164_phones_without_echoing_them(phone: str) -> None:
    with pytest.raises(ValueError, match=r"Account\.phone must") as info:
        Account("u", phone=phone)
    assert phone not in str(info.value)


def test_account_from_value() -> None:
    account = Account("u1", email="a@b.c")
    assert Account.from_value(account) is account
    assert Account.from_value({"id": "u1", "email": "a@b.c"}) == account
    with pytest.raises(ValueError, match=r"unknown Account field\(s\): emial, nickname"):
        Account.from_value({"id": "u1", "emial": "a@b.c", "nickname": "x"})
    with pytest.raises(ValueError, match="needs an 'id'"):
        Account.from_value({"email": "a@b.c"})
    with pytest.raises(TypeError, match="Account or a dict, not str"):
        Account.from_value("u1")  # type: ignore[arg-type]


def test_account_update_json_refuses_group_and_lists() -> None:
    update = {key: value for key, value in FULL.items() if key not in ("group", "lists")}
    assert Account.from_value(update).to_update_json() == update
    with pytest.raises(ValueError, match="cannot change group or lists"):
        Account.from_value(FULL).to_update_json()
    with pytest.raises(ValueError, match="cannot change lists"):
        Account("u", lists=["vip"]).to_update_json()


def test_claims_wire_shape_and_flat_fields_are_the_same() -> None:
    wire = {"name": {"first": "John", "last": "Doe"}, "phone": "+14155551234", "country": "US"}
    flat = EmailClaims(first_name="John", last_name="Doe", phone="+14155551234", country="US")
    assert EmailClaims.from_value(wire) == flat
    assert EmailClaims.from_value({"first_name": "John", "last_name": "Doe"}) == EmailClaims(
        first_name="John", last_name="Doe"
    )
    assert flat.to_json() == wire
    assert EmailClaims(country="US").to_json() == {"country": "US"}
    assert EmailClaims(last_name="Doe").to_json() == {"name": {"last": "Doe"}}


@pytest.mark.parametrize(
    ("value", "error", "message"),
    [
        ({"country": "usa"}, ValueError, "EmailClaims.country must be a 2-letter"),
        ({"nmae": {}}, ValueError, r"unknown EmailClaims field\(s\): nmae"),
        ({"name": "John"}, TypeError, r"claims\['name'\] must be a dict"),
        ({"name": {"middle": "X"}}, ValueError, r"unknown claims\['name'\] key\(s\): middle"),
        ({"name": {"first": "J"}, "first_name": "J"}, ValueError, "both name.first"),
        ({"phone": 4155551234}, TypeError, "EmailClaims.phone must be a str"),
        (["John"], TypeError, "claims must be EmailClaims or a dict"),
    ],
)
def test_claims_reject_invalid_values(value: Any, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        EmailClaims.from_value(value)


def test_email_entry_from_value() -> None:
    assert EmailEntry.from_value("a@b.c") == EmailEntry(email="a@b.c")
    entry = EmailEntry.from_value(
        {"email": "a@b.c", "claims": {"country": "US"}, "identity_intelligence": False}
    )
    assert entry.claims == EmailClaims(country="US")
    assert entry.to_json() == {
        "email": "a@b.c",
        "claims": {"country": "US"},
        "identity_intelligence": False,
    }
    assert EmailEntry(email="a@b.c", claims=EmailClaims()).to_json() == {"email": "a@b.c"}
    with pytest.raises(ValueError, match="needs an 'email'"):
        EmailEntry.from_value({"claims": {}})
    with pytest.raises(ValueError, match=r"unknown EmailEntry field\(s\): mail"):
        EmailEntry.from_value({"email": "a@b.c", "mail": "x"})
    with pytest.raises(TypeError, match="identity_intelligence must be a bool"):
        EmailEntry(email="a@b.c", identity_intelligence="yes")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="EmailEntry, str or dict"):
        EmailEntry.from_value(3)  # type: ignore[arg-type]


def test_email_body_matches_the_spec_example() -> None:
    example = EXAMPLES["requests"]["email"]
    body = email_body(example["email"], example["claims"], identity_intelligence=True)
    assert body == example
    assert email_body("a@b.c") == {"email": "a@b.c", "identity_intelligence": False}
    with pytest.raises(ValueError, match=r"EmailEntry\.email must not be empty"):
        email_body("")
    with pytest.raises(TypeError, match="identity_intelligence must be a bool"):
        email_body("a@b.c", identity_intelligence=1)  # type: ignore[arg-type]


def test_email_batch_body_matches_the_spec_example() -> None:
    example = EXAMPLES["requests"]["email_batch"]
    body = email_batch_body(
        example["emails"],
        batch_name=example["batch_name"],
        identity_intelligence=example["identity_intelligence"],
    )
    assert body == example


def test_email_batch_accepts_mixed_entries_and_omits_a_missing_name() -> None:
    body = email_batch_body(["a@b.c", EmailEntry(email="d@e.f", identity_intelligence=True)])
    assert body == {
        "emails": [{"email": "a@b.c"}, {"email": "d@e.f", "identity_intelligence": True}],
        "identity_intelligence": False,
    }


def test_email_batch_cap_is_enforced_before_building_everything() -> None:
    assert MAX_EMAIL_BATCH == 1000
    full = email_batch_body(itertools.repeat("a@b.c", MAX_EMAIL_BATCH))
    assert len(full["emails"]) == MAX_EMAIL_BATCH
    consumed: list[str] = []

    def entries() -> Any:
        for i in range(5000):
            consumed.append("x")
            yield f"user{i}@example.com"

    with pytest.raises(ValueError, match="at most 1000 entries"):
        email_batch_body(entries())
    assert len(consumed) == MAX_EMAIL_BATCH + 1


@pytest.mark.parametrize(
    ("entries", "kwargs", "error", "message"),
    [
        ([], {}, ValueError, "at least one entry"),
        ("a@b.c", {}, TypeError, "entries must be a list"),
        ({"email": "a@b.c"}, {}, TypeError, "entries must be a list"),
        (None, {}, TypeError, "entries must be a list"),
        (["a@b.c", ""], {}, ValueError, r"entries\[1\]: EmailEntry.email must not be empty"),
        (["a@b.c", 5], {}, TypeError, r"entries\[1\]: email entry must be"),
        (["a@b.c"], {"batch_name": ""}, ValueError, "batch_name must not be empty"),
        (["a@b.c"], {"identity_intelligence": "no"}, TypeError, "must be a bool"),
    ],
)
def test_email_batch_rejects_invalid_input(
    entries: Any, kwargs: dict[str, Any], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        email_batch_body(entries, **kwargs)


# --- one place for argument checks (issue 12 item 5) -----------------------------------------


def test_one_uuid_normaliser_serves_the_client_the_hosted_page_and_the_fake() -> None:
    import uuid

    from verisoul import _hosted, _validation
    from verisoul.testing import _routes_liveness

    value = uuid.uuid4()
    forms = [str(value).upper(), "{" + str(value) + "}", value.hex, f"urn:uuid:{value}"]
    for form in forms:
        assert _validation.validate_uuid(form, "session_id") == str(value)
        assert _validation.canonical_uuid(form) == str(value)
    # The fake, like Verisoul, accepts only the hyphenated form (any letter case).
    assert _routes_liveness.canonical_uuid(forms[0]) == str(value)
    assert [_routes_liveness.canonical_uuid(form) for form in forms[1:]] == [None] * 3
    assert _validation.canonical_uuid(3) is None
    assert _validation.canonical_uuid("nope") is None
    assert _hosted.canonical_uuid is _validation.canonical_uuid  # type: ignore[attr-defined]
    with pytest.raises(TypeError, match="session_id must be a str or uuid.UUID"):
        _validation.validate_uuid(3, "session_id")  # type: ignore[arg-type]


def test_config_checks_live_in_validation() -> None:
    from verisoul import _config, _validation

    for name in ("to_timeout", "check_max_retries", "check_deadline", "validate_headers"):
        assert getattr(_config, name) is getattr(_validation, name)
    with pytest.raises(ValueError, match="deadline must be > 0"):
        _validation.check_deadline(float("nan"))
    with pytest.raises(TypeError, match="max_retries must be an int"):
        _validation.check_max_retries(True)

"""The fake's ``/phone`` and ``/email`` routes, and the signed webhook deliveries."""

from __future__ import annotations

import hashlib
import hmac
import json

import httpx
import pytest

from verisoul import webhooks
from verisoul.testing import FakeVerisoul

SECRET = "whsec_test"

BAD_REQUEST = {"error": "Bad Request", "statusCode": 400}


@pytest.mark.parametrize(
    ("number", "country", "code"),
    [("+14155550123", "US", "1"), ("+442071234567", "GB", "44"), ("+353861234567", "IE", "353")],
)
def test_valid_numbers_get_a_stable_answer(
    http: httpx.Client, number: str, country: str, code: str
) -> None:
    first = http.post("/phone", json={"phone_number": number}).json()
    again = http.post("/phone", json={"phone_number": number}).json()
    assert first["phone"] == again["phone"]
    phone = first["phone"]
    assert (phone["valid"], phone["phone_number"]) == (True, number)
    assert (phone["country_code"], phone["calling_country_code"]) == (country, code)
    assert phone["line_type"] in ("mobile", "landline", "voip")
    assert phone["carrier_name"]


def test_line_type_follows_the_last_digit(http: httpx.Client) -> None:
    types = [
        http.post("/phone", json={"phone_number": f"+1415555012{digit}"}).json()["phone"][
            "line_type"
        ]
        for digit in range(10)
    ]
    assert types == ["mobile"] * 6 + ["landline"] * 2 + ["voip"] * 2


@pytest.mark.parametrize(
    "body",
    [
        {"phone_number": "4155550123"},
        {"phone_number": "+1 415 555 0123"},
        {"phone_number": "+0123456789"},
        {"phone_number": "+1234"},
        {"phone_number": "+8881234567"},  # no such calling code in the fake's table
        {"phone_number": 14155550123},
        {},
    ],
)
def test_invalid_numbers(http: httpx.Client, body: dict[str, object]) -> None:
    response = http.post("/phone", json=body)
    assert response.status_code == 400
    assert response.json() == {"statusCode": 400, "message": "Invalid phone number"}


def test_no_webhook_means_nothing_recorded(fake: FakeVerisoul, http: httpx.Client) -> None:
    single = http.post("/email", json={"email": "a@example.com"}).json()
    assert single["webhook_configured"] is False
    batch = http.post("/email", json={"emails": [{"email": "b@example.com"}]}).json()
    assert batch["webhook_configured"] is False
    assert fake.email_events() == ()


def test_single_submission_delivers_one_signed_event(
    fake: FakeVerisoul, http: httpx.Client
) -> None:
    fake.configure_email_webhook(SECRET, url="https://hooks.test/verisoul")
    claims = {"name": {"first": "Ann"}, "country": "US"}
    body = {"email": "ann@mailinator.com", "claims": claims, "identity_intelligence": True}
    answer = http.post("/email", json=body).json()
    assert answer["webhook_configured"] is True
    (delivery,) = fake.email_events()
    assert delivery.url == "https://hooks.test/verisoul"
    webhooks.verify_signature(delivery.body, delivery.headers, SECRET)
    event = webhooks.parse_email_event(delivery.body)
    assert event.request_id == answer["request_id"]
    assert event.batch_id is None
    assert event.project_id == fake.project_id
    assert event.data is not None
    assert event.data.input is not None
    assert event.data.input.claims == claims
    result = event.data.result
    assert result is not None
    assert result.decision == webhooks.EmailDecision.HIGH_RISK
    assert result.identity_intelligence is not None
    claim_matches = result.identity_intelligence.claim_matches
    assert claim_matches is not None
    assert (claim_matches.name, claim_matches.phone) == ("match", "skipped")


def test_signature_follows_the_documented_scheme(fake: FakeVerisoul, http: httpx.Client) -> None:
    """Recompute ``v1`` by hand from the documented recipe, not with the SDK helper."""
    fake.configure_email_webhook(SECRET)
    http.post("/email", json={"email": "a@example.com"})
    (delivery,) = fake.email_events()
    parts = dict(part.split("=", 1) for part in delivery.headers["x-signature"].split(","))
    assert parts["h"] == "content-type x-event-id x-event-type"
    values = [delivery.headers[name] for name in parts["h"].split()]
    signed = ".".join([parts["t"], parts["h"], *values]).encode() + b"." + delivery.body
    expected = hmac.new(SECRET.encode(), signed, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(parts["v1"], expected)
    assert delivery.headers["x-event-type"] == "email.intelligence.completed"
    with pytest.raises(webhooks.WebhookVerificationError):
        webhooks.verify_signature(delivery.body + b" ", delivery.headers, SECRET)
    with pytest.raises(webhooks.WebhookVerificationError):
        webhooks.verify_signature(delivery.body, delivery.headers, "another secret")


def test_batch_delivers_one_event_per_entry(fake: FakeVerisoul, http: httpx.Client) -> None:
    fake.configure_email_webhook(SECRET)
    emails = [
        {"email": "a@gmail.com"},
        {"email": "b@example.com", "identity_intelligence": False},
        {"email": "c@example.edu"},
    ]
    body = {"emails": emails, "batch_name": "march", "identity_intelligence": True}
    answer = http.post("/email", json=body).json()
    assert (answer["batch_name"], answer["status"], answer["total_count"]) == (
        "march",
        "pending",
        3,
    )
    events = [webhooks.parse_email_event(d.body) for d in fake.email_events()]
    assert {event.batch_id for event in events} == {answer["batch_id"]}
    assert len({event.request_id for event in events}) == 3
    decisions = []
    for event in events:
        assert event.data is not None
        assert event.data.input is not None
        assert event.data.result is not None
        decisions.append(event.data.result.decision)
        identity = event.data.result.identity_intelligence
        assert (identity is None) == (event.data.input.email == "b@example.com")
    assert decisions == ["trusted", "high_trust", "high_trust"]
    fake.remove_email_webhook()
    later = http.post("/email", json={"email": "d@example.com"}).json()
    assert later["webhook_configured"] is False
    assert len(fake.email_events()) == 3


def test_batch_name_is_generated_when_omitted(http: httpx.Client) -> None:
    answer = http.post("/email", json={"emails": [{"email": "a@example.com"}]}).json()
    assert answer["batch_name"].startswith("batch-")


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (None, "email is required"),
        ({}, "email is required"),
        ({"email": ""}, "email is required"),
        ({"emails": []}, "email is required"),
        ({"emails": "a@example.com"}, "email is required"),
        (
            {"emails": [{"email": "a@example.com"}, {}]},
            "each entry in emails must have an email field",
        ),
        ({"emails": ["a@example.com"]}, "each entry in emails must have an email field"),
        ({"emails": [{"email": f"{i}@x.com"} for i in range(1001)]}, "no more than 1000"),
    ],
)
def test_email_errors(fake: FakeVerisoul, http: httpx.Client, body: object, expected: str) -> None:
    fake.configure_email_webhook(SECRET)
    response = http.post("/email", content=json.dumps(body))
    assert response.status_code == 400
    data = response.json()
    assert expected in data.pop("message")
    assert data == BAD_REQUEST
    assert fake.email_events() == ()


def test_a_full_batch_is_accepted(http: httpx.Client) -> None:
    body = {"emails": [{"email": f"{i}@x.com"} for i in range(1000)]}
    assert http.post("/email", json=body).json()["total_count"] == 1000


def test_configure_needs_a_secret(fake: FakeVerisoul) -> None:
    with pytest.raises(ValueError, match="secret"):
        fake.configure_email_webhook("")

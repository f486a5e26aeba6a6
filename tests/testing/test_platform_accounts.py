"""The fake's session and account routes over raw HTTP: state, links, errors."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from verisoul.testing import FakeVerisoul


def authenticate(
    http: httpx.Client, session_id: str, account: dict[str, Any], *, linked: bool = False
) -> httpx.Response:
    params = {"accounts_linked": "true"} if linked else None
    body = {"session_id": session_id, "account": account}
    return http.post("/session/authenticate", json=body, params=params)


def ok(response: httpx.Response) -> Any:
    assert response.status_code == 200, response.text
    return response.json()


def message(response: httpx.Response) -> str:
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["statusCode"] == 400
    assert set(body) == {"statusCode", "message"}
    return str(body["message"])


def test_authenticate_creates_then_updates_the_account(
    fake: FakeVerisoul, http: httpx.Client
) -> None:
    session = fake.create_platform_session(country_code="CA")
    first = {"id": "ann", "email": "ann@example.com", "expected_countries": ["US"]}
    report = ok(authenticate(http, session, first))
    assert report["account_id"] == "ann"
    assert report["session"]["true_country_code"] == "CA"
    assert report["account"]["account"]["expected_countries"] == ["US"]
    assert "linked_accounts" not in report
    later = fake.create_platform_session()
    update = {"id": "ann", "username": "annie", "expected_countries": [], "lists": ["new list"]}
    report = ok(authenticate(http, later, update))
    profile = report["account"]["account"]
    assert (profile["email"], profile["username"]) == ("ann@example.com", "annie")
    assert profile["expected_countries"] == ["US"]  # an empty list keeps the stored one
    assert report["lists"] == ["new list"]
    assert report["account"]["num_sessions"] == 2
    assert report["account"]["countries"] == ["CA", "US"]
    assert fake.account_ids() == ("ann",)
    sessions = ok(http.get("/account/ann/sessions"))["sessions"]
    assert sessions == [session, later]
    assert ok(http.get(f"/session/{later}"))["account_ids"] == ["ann"]


def test_links_come_from_shared_identity_device_or_network(
    fake: FakeVerisoul, http: httpx.Client
) -> None:
    ok(authenticate(http, fake.create_platform_session(device_id="d1"), {"id": "a"}))
    ok(
        authenticate(
            http,
            fake.create_platform_session(ip_address="192.0.2.7"),
            {"id": "b", "phone": "+14155550123", "username": "Bee"},
        )
    )
    report = ok(
        authenticate(
            http,
            fake.create_platform_session(device_id="d1", ip_address="192.0.2.7"),
            {"id": "c", "phone": "+14155550123", "username": "bee"},
            linked=True,
        )
    )
    links = {link["account_id"]: link["match_type"] for link in report["linked_accounts"]}
    assert links == {"a": ["device"], "b": ["network", "phone", "username"]}
    assert report["accounts_linked"] == 2
    assert report["multiple_accounts"] > 0
    listed = ok(http.get("/account/c/accounts-linked"))["accounts_linked"]
    assert [link["account_id"] for link in listed] == ["a", "b"]
    assert ok(http.get("/account/a/accounts-linked"))["accounts_linked"][0]["account_id"] == "c"


def test_special_lists_decide(fake: FakeVerisoul, http: httpx.Client) -> None:
    blocked = ok(
        authenticate(http, fake.create_platform_session(), {"id": "x", "lists": ["block"]})
    )
    assert (blocked["decision"], blocked["account_score"]) == ("Fake", 1.0)
    ok(authenticate(http, fake.create_platform_session(device_id="d"), {"id": "y"}))
    main = ok(
        authenticate(
            http,
            fake.create_platform_session(device_id="d"),
            {"id": "z", "lists": ["main_account"]},
        )
    )
    assert (main["accounts_linked"], main["multiple_accounts"]) == (1, 0.0)


def test_unauthenticated_reports_accounts_seen_on_the_device(
    fake: FakeVerisoul, http: httpx.Client
) -> None:
    ok(authenticate(http, fake.create_platform_session(device_id="kiosk"), {"id": "a"}))
    anonymous = fake.create_platform_session(device_id="kiosk")
    body = {"session_id": anonymous}
    plain = ok(http.post("/session/unauthenticated", json=body))
    assert "account_id" not in plain
    assert "account" not in plain
    assert "linked_accounts" not in plain
    linked = ok(
        http.post("/session/unauthenticated", json=body, params={"accounts_linked": "true"})
    )
    assert [link["match_type"] for link in linked["linked_accounts"]] == [["device"]]


def test_update_merges_and_delete_forgets_everywhere(
    fake: FakeVerisoul, http: httpx.Client
) -> None:
    session = fake.create_platform_session()
    ok(authenticate(http, session, {"id": "ann", "email": "a@example.com", "lists": ["vip"]}))
    report = ok(http.put("/account/ann", json={"id": "ann", "first_name": "Ann"}))
    assert report["account"]["email"] == "a@example.com"
    assert report["account"]["first_name"] == "Ann"
    deleted = ok(http.delete("/account/ann"))
    assert deleted["success"] is True
    assert ok(http.get("/list/vip"))["accounts"] == []
    assert ok(http.get(f"/session/{session}"))["account_ids"] == []
    for response in (
        http.get("/account/ann"),
        http.delete("/account/ann"),
        http.get("/account/ann/sessions"),
        http.put("/account/ann", json={"id": "ann"}),
    ):
        assert message(response) == "Account not found"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (None, "body must be a JSON object"),
        ({"session_id": "", "account": {"id": "a"}}, "session_id must be a non-empty string"),
        ({"session_id": "not-a-uuid", "account": {"id": "a"}}, "Session ID not found"),
        ({"session_id": str(uuid.uuid4()), "account": {"id": "a"}}, "Session ID not found"),
        ({"account": {"id": ""}}, "account.id must be a non-empty string"),
        ({"account": {"id": "a", "phone": "+1" + "2" * 40}}, "shorter than or equal to 32"),
        ({"account": {"id": "a", "expected_countries": ["USA"]}}, "2-letter country code"),
        ({"account": {"id": "a", "metadata": []}}, "account.metadata must be an object"),
        ({"account": {"id": "a", "lists": [""]}}, "must not be empty"),
        ({"account": "a"}, "account must be an object"),
    ],
)
def test_authenticate_rejects_bad_requests(
    fake: FakeVerisoul, http: httpx.Client, body: dict[str, Any] | None, expected: str
) -> None:
    if body is not None:
        body.setdefault("session_id", fake.create_platform_session())
    response = http.post("/session/authenticate", json=body)
    assert expected in message(response)
    assert fake.account_ids() == ()


def test_session_ids_are_case_insensitive_uuids(fake: FakeVerisoul, http: httpx.Client) -> None:
    session = fake.create_platform_session()
    assert ok(http.get(f"/session/{session.upper()}"))["session_id"] == session
    assert message(http.get("/session/anything")) == "Session ID not found"
    liveness = http.get("/liveness/session").json()["session_id"]
    assert message(http.get(f"/session/{liveness}")) == "Session ID not found"

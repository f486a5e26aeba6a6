"""Contract test for the platform routes: sessions, accounts, lists, phone and email.

Every 200 and 400 body is validated against its operation in Verisoul's OpenAPI files
(strictly: every declared property present). Coverage tests then check that every
documented (operation, status) pair was exercised and that every 400 message the specs
give as an example was produced verbatim by the operation that documents it.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from verisoul.testing import FakeVerisoul

from .conftest import KEY
from .test_contract import check, load_spec

SESSION = "verisoul-session-openapi.json"
ACCOUNT = "verisoul-account-openapi.json"
LIST = "verisoul-list-openapi.json"
PHONE = "verisoul-phone-openapi.json"
EMAIL = "verisoul-email-openapi.json"
EMAIL_BATCH = "verisoul-email-batch-openapi.json"
PLATFORM_SPECS = (SESSION, ACCOUNT, LIST, PHONE, EMAIL, EMAIL_BATCH)

Operation = tuple[str, str, str]  # spec file, method, path template

#: Documented answers no request can provoke from the fake, with the reason.
UNREACHABLE: dict[tuple[Operation, int], str] = {
    ((LIST, "GET", "/list"), 400): "listing lists has no failure mode but auth (401)",
}


def documented_answers() -> set[tuple[Operation, int]]:
    """Every (operation, status) with a JSON body in the platform specs."""
    found = set()
    for spec_name in PLATFORM_SPECS:
        for path, operations in load_spec(spec_name)["paths"].items():
            for method, operation in operations.items():
                for status, answer in operation["responses"].items():
                    if "application/json" in answer.get("content", {}):
                        found.add(((spec_name, method.upper(), path), int(status)))
    return found


def documented_messages() -> set[tuple[Operation, str]]:
    """The 400 ``message`` values the specs show as examples, per operation."""
    found = set()
    for spec_name in PLATFORM_SPECS:
        for path, operations in load_spec(spec_name)["paths"].items():
            for method, operation in operations.items():
                content = operation["responses"].get("400", {}).get("content", {})
                media = content.get("application/json", {})
                examples = [media["example"]] if media.get("example") else []
                examples += [item["value"] for item in media.get("examples", {}).values()]
                for example in examples:
                    found.add(((spec_name, method.upper(), path), example["message"]))
    return found


class PlatformScenario:
    """Drives the fake's platform routes over raw HTTP, recording what each one answered."""

    def __init__(self) -> None:
        self.fake = FakeVerisoul(api_key=KEY)
        self.http = httpx.Client(
            transport=self.fake.transport(), base_url="https://f", headers={"x-api-key": KEY}
        )
        self.answers: set[tuple[Operation, int]] = set()
        self.messages: set[tuple[Operation, str]] = set()

    def call(
        self,
        spec_name: str,
        method: str,
        template: str,
        *,
        strict: bool = True,
        path_params: dict[str, str] | None = None,
        **request: Any,
    ) -> Any:
        encoded = {name: quote(value, safe="") for name, value in (path_params or {}).items()}
        response = self.http.request(method, template.format(**encoded), **request)
        assert response.status_code in (200, 400), response.text
        body = check(spec_name, response, strict=strict, path=template)
        operation = (spec_name, method, template)
        self.answers.add((operation, response.status_code))
        if response.status_code == 400:
            self.messages.add((operation, body["message"]))
        return body

    def authenticate(self, session_id: str, account: dict[str, Any], **kwargs: Any) -> Any:
        body = {"session_id": session_id, "account": account}
        return self.call(SESSION, "POST", "/session/authenticate", json=body, **kwargs)


@pytest.fixture
def scenario() -> Iterator[PlatformScenario]:
    run = PlatformScenario()
    with run.http:
        yield run


def _sessions(scenario: PlatformScenario) -> None:
    fake = scenario.fake
    first = fake.create_platform_session(device_id="laptop")
    account = {
        "id": "ann",
        "email": "ann@example.com",
        "phone": "+14155550123",
        "first_name": "Ann",
        "last_name": "Lee",
        "username": "ann.lee",
        "expected_countries": ["US", "CA"],
        "metadata": {"plan": "pro"},
        "lists": ["us_users"],
    }
    report = scenario.authenticate(first, account, params={"accounts_linked": "true"})
    assert report["account"]["account"]["email"] == "ann@example.com"
    assert report["lists"] == ["us_users"]
    assert report["linked_accounts"] == []
    second = fake.create_platform_session(device_id="laptop")
    report = scenario.authenticate(
        second, {"id": "bob", "email": "ANN@example.com"}, params={"accounts_linked": "true"}
    )
    assert report["linked_accounts"][0]["match_type"] == ["device", "email"]
    scenario.authenticate(second, {"id": "bob"}, strict=False)
    anonymous = fake.create_platform_session(device_id="laptop")
    unauth = scenario.call(
        SESSION,
        "POST",
        "/session/unauthenticated",
        json={"session_id": anonymous},
        params={"accounts_linked": "true"},
    )
    assert {link["account_id"] for link in unauth["linked_accounts"]} == {"ann", "bob"}
    got = scenario.call(
        SESSION, "GET", "/session/{session_id}", path_params={"session_id": second}
    )
    assert got["account_ids"] == ["bob"]
    unknown = str(uuid.uuid4())
    scenario.call(SESSION, "GET", "/session/{session_id}", path_params={"session_id": unknown})
    scenario.authenticate(unknown, {"id": "ann"})
    scenario.call(SESSION, "POST", "/session/unauthenticated", json={"session_id": unknown})


def _accounts(scenario: PlatformScenario) -> None:
    def account(method: str, template: str, account_id: str, **kwargs: Any) -> Any:
        params = {"account_id": account_id}
        return scenario.call(ACCOUNT, method, template, path_params=params, **kwargs)

    for account_id in ("ann", "nobody"):
        account("GET", "/account/{account_id}", account_id)
        account("PUT", "/account/{account_id}", account_id, json={"id": account_id})
        account("GET", "/account/{account_id}/sessions", account_id)
        account("GET", "/account/{account_id}/accounts-linked", account_id)
    report = account("GET", "/account/{account_id}", "ann")
    assert report["num_sessions"] == 1
    assert report["accounts_linked"] == 1
    deleted = account("DELETE", "/account/{account_id}", "bob")
    assert deleted["account_id"] == "bob"
    account("DELETE", "/account/{account_id}", "bob")


def _lists(scenario: PlatformScenario) -> None:
    def call(method: str, template: str, name: str, account_id: str = "", **kwargs: Any) -> Any:
        params = {"list_name": name, "account_id": account_id}
        return scenario.call(LIST, method, template, path_params=params, **kwargs)

    one, members = "/list/{list_name}", "/list/{list_name}/account/{account_id}"
    name = "vip/2024? q"
    call("POST", one, name, json={"list_description": "VIPs"})
    call("POST", one, name, json={"list_description": "again"})
    call("POST", members, name, "ann")
    call("POST", members, name, "nobody")
    assert call("GET", one, name)["accounts"] == ["ann"]
    listed = scenario.call(LIST, "GET", "/list")
    assert name in [item["name"] for item in listed["lists"]]
    call("DELETE", members, name, "ann")
    call("DELETE", members, name, "ann")
    call("DELETE", one, name)
    call("DELETE", one, name)
    call("GET", one, name)


def _phone_and_email(scenario: PlatformScenario) -> None:
    phone = scenario.call(PHONE, "POST", "/phone", json={"phone_number": "+442071234567"})
    assert phone["phone"]["country_code"] == "GB"
    scenario.call(PHONE, "POST", "/phone", json={"phone_number": "555-0123"})
    single = {"email": "ann@example.com", "claims": {"country": "US"}}
    scenario.call(EMAIL, "POST", "/email", json=single)
    scenario.call(EMAIL, "POST", "/email", json={"claims": {"country": "US"}})
    batch = {"emails": [{"email": "a@example.com"}, {"email": "b@example.com"}]}
    assert scenario.call(EMAIL_BATCH, "POST", "/email", json=batch)["total_count"] == 2
    scenario.call(EMAIL_BATCH, "POST", "/email", json={"emails": []})
    scenario.call(EMAIL_BATCH, "POST", "/email", json={"emails": [{"claims": {}}]})
    too_many = {"emails": [{"email": f"u{i}@example.com"} for i in range(1001)]}
    scenario.call(EMAIL_BATCH, "POST", "/email", json=too_many)


def test_every_platform_answer_matches_the_spec(scenario: PlatformScenario) -> None:
    _sessions(scenario)
    _accounts(scenario)
    _lists(scenario)
    _phone_and_email(scenario)
    assert scenario.answers == documented_answers() - set(UNREACHABLE)
    missing = documented_messages() - scenario.messages
    assert not missing, missing


def test_the_documented_messages_were_found() -> None:
    """Guard against a coverage check that compares two empty sets."""
    messages = {message for _, message in documented_messages()}
    assert {"Session ID not found", "List already exists.", "Invalid phone number"} <= messages
    assert "each entry in emails must have an email field" in messages
    assert len(documented_answers()) == 34  # 17 operations, each a 200 and a 400

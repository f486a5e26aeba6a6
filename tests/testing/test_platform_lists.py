"""The fake's list routes: special lists, membership, and names that need encoding."""

from __future__ import annotations

from urllib.parse import quote

import httpx
import pytest

from verisoul.testing import FakeVerisoul

from .conftest import KEY

AWKWARD_NAMES = ["vip/2024", "a?b=c", "with spaces", "100%", "#hash", "ünï", "a+b", "..", "."]


def make_account(fake: FakeVerisoul, http: httpx.Client, account_id: str) -> None:
    body = {"session_id": fake.create_platform_session(), "account": {"id": account_id}}
    assert http.post("/session/authenticate", json=body).status_code == 200


def segment(value: str) -> str:
    """One encoded path segment; dot segments are encoded too, or URLs would resolve them."""
    encoded = quote(value, safe="")
    return encoded.replace(".", "%2E") if encoded in (".", "..") else encoded


def path(*segments: str) -> str:
    return "/" + "/".join(segment(value) for value in segments)


def test_a_new_project_has_the_special_lists(http: httpx.Client) -> None:
    names = [item["name"] for item in http.get("/list").json()["lists"]]
    assert names == ["allow", "block", "main_account"]


def test_membership_lifecycle(fake: FakeVerisoul, http: httpx.Client) -> None:
    make_account(fake, http, "ann")
    created = http.post("/list/vip", json={"list_description": "Very important"})
    assert created.json()["message"] == "List vip created"
    assert http.post("/list/vip", json={}).json()["message"] == "List already exists."
    for _ in range(2):  # adding twice is not an error and keeps one entry
        added = http.post("/list/vip/account/ann")
        assert added.json() == {
            "request_id": added.json()["request_id"],
            "message": "Account added to vip",
            "success": True,
        }
    assert http.get("/list/vip").json()["accounts"] == ["ann"]
    assert http.get("/account/ann").json()["lists"] == ["vip"]
    assert http.post("/list/vip/account/bob").json()["message"] == "Account not found."
    assert http.post("/list/nope/account/ann").json()["message"] == "List not found."
    assert http.delete("/list/vip/account/ann").json()["success"] is True
    assert http.delete("/list/vip/account/ann").json()["message"] == "Account not found."
    assert http.delete("/list/vip").json()["message"] == "List vip deleted"
    assert http.delete("/list/vip").json()["message"] == "List not found."
    assert http.get("/list/vip").json() == {"statusCode": 400, "message": "List not found"}


def test_create_list_checks_its_body(http: httpx.Client) -> None:
    assert http.post("/list/x").json()["message"] == "body must be a JSON object"
    wrong = http.post("/list/x", json={"list_description": 5})
    assert wrong.json()["message"] == "list_description must be a string"
    assert http.get("/list/x").status_code == 400


@pytest.mark.parametrize("name", AWKWARD_NAMES)
def test_encoded_names_round_trip_in_process(
    fake: FakeVerisoul, http: httpx.Client, name: str
) -> None:
    _round_trip(fake, http, name)


def test_encoded_names_round_trip_over_loopback(fake: FakeVerisoul) -> None:
    with (
        fake.serve() as base_url,
        httpx.Client(base_url=base_url, headers={"x-api-key": KEY}) as http,
    ):
        for name in AWKWARD_NAMES:
            _round_trip(fake, http, name)


def _round_trip(fake: FakeVerisoul, http: httpx.Client, name: str) -> None:
    account_id = f"acct/{name}"
    make_account(fake, http, account_id)
    assert http.post(path("list", name), json={"list_description": name}).status_code == 200
    assert http.post(path("list", name, "account", account_id)).status_code == 200
    assert http.get(path("list", name)).json()["accounts"] == [account_id]
    assert name in [item["name"] for item in http.get("/list").json()["lists"]]
    assert http.get(path("account", account_id)).json()["lists"] == [name]
    assert http.delete(path("list", name)).status_code == 200

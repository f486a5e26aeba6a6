"""Contract test: the fake's 200 and 400 bodies validate against Verisoul's OpenAPI files.

The specs are byte-for-byte copies under ``tests/openapi/``. Every 2xx/4xx response a
scenario produces is checked with ``openapi-schema-validator`` (OpenAPI 3.0 dialect, formats
such as ``uuid`` and ``date-time`` enforced); with ``strict`` the fake must also fill in
every property the schema declares, recursively. A coverage test then checks that each
endpoint's documented 400 codes were all produced, except the ones listed as unreachable.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import httpx
import pytest
from jsonschema.exceptions import ValidationError
from openapi_schema_validator import OAS30ReadValidator, oas30_format_checker, validate

from verisoul.testing import FakeDocument, FakeVerisoul

from .conftest import KEY

SPEC_DIR = Path(__file__).resolve().parent.parent / "openapi"
FACEMATCH = "verisoul-facematch-openapi.json"
IDCHECK = "verisoul-idcheck-openapi.json"

#: Documented codes no request can provoke from the fake, with the reason.
UNREACHABLE: dict[tuple[str, str], str] = {
    ("/liveness/enroll", "session_not_valid_for_this_endpoint"): (
        "enroll accepts both Face Match and ID Check sessions"
    ),
}


@cache
def load_spec(name: str) -> dict[str, Any]:
    data = json.loads((SPEC_DIR / name).read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def response_schema(spec_name: str, method: str, path: str, status: int) -> dict[str, Any]:
    """The response schema, wrapped so its local ``#/components`` refs resolve."""
    spec = load_spec(spec_name)
    operation = spec["paths"][path][method.lower()]
    schema = operation["responses"][str(status)]["content"]["application/json"]["schema"]
    return {"allOf": [schema], "components": spec["components"]}


def error_codes(spec_name: str, path: str) -> set[str]:
    schema = response_schema(spec_name, "POST", path, 400)["allOf"][0]
    return set(schema["properties"]["error"]["enum"])


def check(
    spec_name: str, response: httpx.Response, *, strict: bool = True, path: str | None = None
) -> Any:
    """Validate ``response`` against its operation in ``spec_name``; return the body.

    ``path`` is the spec's path template when it differs from the request's path.
    """
    request = response.request
    template = path if path is not None else request.url.path
    schema = response_schema(spec_name, request.method, template, response.status_code)
    body = response.json()
    validate(
        body,
        schema,
        cls=OAS30ReadValidator,
        format_checker=oas30_format_checker,
        enforce_properties_required=strict,
    )
    return body


class Scenario:
    """Drives the fake over raw HTTP and records which 400 codes each endpoint gave."""

    def __init__(self) -> None:
        self.now = 1_750_000_000.0
        self.fake = FakeVerisoul(api_key=KEY, clock=lambda: self.now)
        self.http = httpx.Client(
            transport=self.fake.transport(), base_url="https://f", headers={"x-api-key": KEY}
        )
        self.seen: set[tuple[str, str]] = set()

    def session(self, *, id_check: bool = False, **query: str) -> str:
        if id_check:
            query["id"] = "true"
        query.setdefault("referring_session_id", str(uuid.uuid4()))
        response = self.http.get("/liveness/session", params=query)
        body = check(IDCHECK if id_check else FACEMATCH, response)
        session_id = body["session_id"]
        assert isinstance(session_id, str)
        return session_id

    def call(self, spec_name: str, path: str, *, strict: bool = True, **body: str) -> Any:
        response = self.http.post(path, json=body)
        assert response.status_code in (200, 400), response.text
        data = check(spec_name, response, strict=strict)
        if response.status_code == 400:
            self.seen.add((path, data["error"]))
        return data


@pytest.fixture
def scenario() -> Iterator[Scenario]:
    run = Scenario()
    with run.http:
        yield run


def test_spec_copies_are_the_published_files() -> None:
    for name in (FACEMATCH, IDCHECK):
        spec = load_spec(name)
        assert spec["openapi"].startswith("3.0")
        assert "/liveness/enroll" in spec["paths"]


def test_success_bodies(scenario: Scenario) -> None:
    fake = scenario.fake
    first = scenario.session()
    fake.complete_session(first, face="ann")
    report = scenario.call(FACEMATCH, "/liveness/verify-face", session_id=first)
    assert report["matches"]["num_accounts_linked"] == 0
    scenario.call(FACEMATCH, "/liveness/enroll", session_id=first, account_id="a-1")

    repeat = scenario.session()
    fake.complete_session(repeat, face="ann")
    report = scenario.call(FACEMATCH, "/liveness/verify-face", session_id=repeat)
    assert report["matches"]["accounts_linked"][0]["match_types"] == ["face"]
    verdict = scenario.call(
        FACEMATCH, "/liveness/verify-identity", session_id=repeat, account_id="a-1"
    )
    assert verdict["match"] is True

    plain = scenario.http.get("/liveness/session", params={"simulate": "success"})
    plain_id = check(FACEMATCH, plain)["session_id"]
    report = scenario.call(FACEMATCH, "/liveness/verify-face", strict=False, session_id=plain_id)
    assert "referring_session_signals" not in report

    id_session = scenario.session(id_check=True)
    fake.complete_session(id_session, document=FakeDocument(id_number="Z9"))
    report = scenario.call(IDCHECK, "/liveness/verify-id", session_id=id_session)
    assert report["document_data"]["user_data"]["id_number"] == "Z9"
    scenario.call(IDCHECK, "/liveness/enroll", session_id=id_session, account_id="a-2")
    again = scenario.session(id_check=True, simulate="success")
    fake.complete_session(again, document=FakeDocument(id_number="Z9"))
    report = scenario.call(IDCHECK, "/liveness/verify-id", session_id=again)
    assert report["matches"]["accounts_linked"][0]["match_types"] == ["document_number"]


def _session_codes(scenario: Scenario, path: str, spec_name: str) -> None:
    """Provoke the seven session codes on ``path`` (plus what they cost to set up)."""
    fake = scenario.fake
    id_check = path == "/liveness/verify-id"

    def call(session_id: str) -> None:
        scenario.call(spec_name, path, session_id=session_id, account_id="acct-x")

    call(str(uuid.uuid4()))
    call(scenario.session(id_check=id_check))
    started = scenario.session(id_check=id_check)
    fake.start_session(started)
    call(started)
    for outcome in ("liveness_check_failed", "id_scan_failed", "id_scan_not_complete"):
        failed = scenario.session(id_check=id_check)
        fake.complete_session(failed, outcome=outcome)
        call(failed)
    if path != "/liveness/enroll":
        call(scenario.session(id_check=not id_check, simulate="success"))


@pytest.mark.parametrize(
    ("path", "spec_name"),
    [
        ("/liveness/enroll", FACEMATCH),
        ("/liveness/enroll", IDCHECK),
        ("/liveness/verify-face", FACEMATCH),
        ("/liveness/verify-identity", FACEMATCH),
        ("/liveness/verify-id", IDCHECK),
    ],
)
def test_every_documented_400_code(scenario: Scenario, path: str, spec_name: str) -> None:
    _session_codes(scenario, path, spec_name)
    if path == "/liveness/enroll":
        tied = scenario.session(simulate="success")
        scenario.call(spec_name, path, session_id=tied, account_id="first")
        scenario.call(spec_name, path, session_id=tied, account_id="second")
        old = scenario.session(simulate="success")
        scenario.now += 31 * 86400
        scenario.call(spec_name, path, session_id=old, account_id="late")
    if path == "/liveness/verify-identity":
        done = scenario.session(simulate="success")
        scenario.call(spec_name, path, session_id=done, account_id="nobody")
    produced = {code for seen_path, code in scenario.seen if seen_path == path}
    unreachable = {code for seen_path, code in UNREACHABLE if seen_path == path}
    assert produced == error_codes(spec_name, path) - unreachable


@pytest.mark.parametrize("spec_name", [FACEMATCH, IDCHECK])
def test_groups_enabled_body(spec_name: str) -> None:
    fake = FakeVerisoul(api_key=KEY, groups_enabled=True)
    params = {"id": "true"} if spec_name == IDCHECK else {}
    with httpx.Client(transport=fake.transport(), base_url="https://f") as http:
        response = http.get("/liveness/session", params=params, headers={"x-api-key": KEY})
    assert response.status_code == 400
    assert check(spec_name, response)["error"] == "groups_enabled"


@pytest.mark.parametrize("spec_name", [FACEMATCH, IDCHECK])
@pytest.mark.parametrize("groups_enabled", [False, True])
def test_public_redirect_bodies(spec_name: str, groups_enabled: bool) -> None:
    fake = FakeVerisoul(api_key=KEY, groups_enabled=groups_enabled)
    id_param = {"id": "true"} if spec_name == IDCHECK else {}
    with httpx.Client(transport=fake.transport(), base_url="https://f") as anonymous:
        redirect = anonymous.get(
            "/public/liveness-redirect", params={"project_id": fake.project_id, **id_param}
        )
        missing = anonymous.get("/public/liveness-redirect", params=id_param)
    assert check(spec_name, missing) == {"error": "missing_project_id"}
    if groups_enabled:
        assert check(spec_name, redirect) == {"error": "groups_enabled"}
    else:
        assert redirect.status_code == 302
        assert redirect.headers["location"].startswith("https://app.sandbox.verisoul.ai/?")


def test_the_validator_catches_drift(scenario: Scenario) -> None:
    """Guard against a validator that accepts anything."""
    session = scenario.session(simulate="success")
    response = scenario.http.post("/liveness/verify-face", json={"session_id": session})
    body = response.json()
    body["risk_score"] = 7
    drifted = httpx.Response(200, json=body, request=response.request)
    with pytest.raises(ValidationError, match="7 is greater than the maximum"):
        check(FACEMATCH, drifted)
    body["risk_score"] = 0.1
    body["metadata"]["session_id"] = "not-a-uuid"
    drifted = httpx.Response(200, json=body, request=response.request)
    with pytest.raises(ValidationError, match="not-a-uuid"):
        check(FACEMATCH, drifted)
    body["metadata"]["session_id"] = session
    del body["device_network_signals"]["tor"]
    drifted = httpx.Response(200, json=body, request=response.request)
    check(FACEMATCH, drifted, strict=False)
    with pytest.raises(ValidationError, match="'tor' is a required property"):
        check(FACEMATCH, drifted)

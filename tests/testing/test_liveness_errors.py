"""Every 400 code (and 401/404/405) the fake produces, in the documented body shape."""

from __future__ import annotations

import uuid

import httpx
import pytest

from verisoul.testing import FakeVerisoul

from .conftest import KEY, RawApi

VERIFY_PATHS = ["/liveness/verify-face", "/liveness/enroll", "/liveness/verify-identity"]


def _assert_liveness_error(response: httpx.Response, code: str | None) -> None:
    """A liveness 400; ``code`` None: no ``error`` field (the files list none), a message."""
    assert response.status_code == 400
    body = response.json()
    assert body["success"] is False
    assert body.get("error") == code
    if code is None:
        assert body["message"]
    assert str(uuid.UUID(body["request_id"])) == body["request_id"]


@pytest.mark.parametrize("path", [*VERIFY_PATHS, "/liveness/verify-id"])
@pytest.mark.parametrize("session_id", ["4b1d3c4e-0000-4000-8000-000000000000", "nope", 7, None])
def test_unknown_or_invalid_session_is_not_found(
    api: RawApi, path: str, session_id: object
) -> None:
    response = api.post(path, session_id=session_id, account_id="acct")
    _assert_liveness_error(response, "session_not_found")


@pytest.mark.parametrize("path", [*VERIFY_PATHS, "/liveness/verify-id"])
def test_unfinished_sessions(api: RawApi, fake: FakeVerisoul, path: str) -> None:
    product = {"id": "true"} if path == "/liveness/verify-id" else {}
    session = api.new_session(**product)
    assert api.error_code(path, session_id=session, account_id="a") == "session_not_started"
    fake.start_session(session)
    assert api.error_code(path, session_id=session, account_id="a") == "session_not_complete"


@pytest.mark.parametrize(
    ("outcome", "code"),
    [
        ("liveness_check_failed", "liveness_check_failed"),
        ("id_scan_failed", "id_scan_failed"),
        ("failed_to_process_id_scan", "id_scan_failed"),
        ("id_scan_not_complete", "id_scan_not_complete"),
    ],
)
@pytest.mark.parametrize("path", ["/liveness/verify-id", "/liveness/enroll"])
def test_failed_sessions(
    api: RawApi, fake: FakeVerisoul, outcome: str, code: str, path: str
) -> None:
    session = api.new_session(id="true")
    fake.complete_session(session, outcome=outcome)
    assert api.error_code(path, session_id=session, account_id="a") == code


@pytest.mark.parametrize(
    ("id_flag", "path"),
    [
        ("true", "/liveness/verify-face"),
        ("true", "/liveness/verify-identity"),
        ("false", "/liveness/verify-id"),
    ],
)
def test_wrong_product(api: RawApi, id_flag: str, path: str) -> None:
    session = api.new_session(id=id_flag, simulate="success")
    code = api.error_code(path, session_id=session, account_id="a")
    assert code == "session_not_valid_for_this_endpoint"


def test_second_enrol_is_refused(api: RawApi, fake: FakeVerisoul) -> None:
    session = api.new_session(simulate="success")
    assert api.post("/liveness/enroll", session_id=session, account_id="a").status_code == 200
    for account in ("a", "b"):
        response = api.post("/liveness/enroll", session_id=session, account_id=account)
        _assert_liveness_error(response, "session_already_tied_to_an_account")
    assert fake.enrolled_account(session) == "a"


def test_enrol_window_is_30_days() -> None:
    now = [1_700_000_000.0]
    fake = FakeVerisoul(api_key=KEY, clock=lambda: now[0])
    with httpx.Client(
        transport=fake.transport(), base_url="https://f", headers={"x-api-key": KEY}
    ) as http:
        api = RawApi(http)
        fresh, old = api.new_session(simulate="success"), api.new_session(simulate="success")
        now[0] += 30 * 86400
        assert api.post("/liveness/enroll", session_id=fresh, account_id="a").status_code == 200
        now[0] += 1
        code = api.error_code("/liveness/enroll", session_id=old, account_id="b")
        assert code == "session_older_than_30_days"


def test_verify_identity_unknown_account(api: RawApi) -> None:
    session = api.new_session(simulate="success")
    code = api.error_code("/liveness/verify-identity", session_id=session, account_id="ghost")
    assert code == "account_not_found"


def test_groups_enabled_project() -> None:
    fake = FakeVerisoul(api_key=KEY, groups_enabled=True)
    with httpx.Client(transport=fake.transport(), base_url="https://f") as http:
        response = http.get("/liveness/session", headers={"x-api-key": KEY})
    _assert_liveness_error(response, "groups_enabled")


@pytest.mark.parametrize(
    "query", [{"id": "yes"}, {"referring_session_id": "not-a-uuid"}, {"id": "TRUE"}]
)
def test_malformed_session_query(http: httpx.Client, query: dict[str, str]) -> None:
    _assert_liveness_error(http.get("/liveness/session", params=query), None)


@pytest.mark.parametrize("path", ["/liveness/enroll", "/liveness/verify-identity"])
@pytest.mark.parametrize("account_id", [None, "", 42])
def test_account_id_is_required(api: RawApi, path: str, account_id: object) -> None:
    session = api.new_session(simulate="success")
    response = api.post(path, session_id=session, account_id=account_id)
    _assert_liveness_error(response, None)


@pytest.mark.parametrize("content", [b"", b"not json", b"[1, 2]"])
def test_body_must_be_a_json_object(http: httpx.Client, content: bytes) -> None:
    response = http.post("/liveness/verify-face", content=content)
    _assert_liveness_error(response, None)


@pytest.mark.parametrize("headers", [{}, {"x-api-key": "wrong"}, {"x-api-key": ""}])
@pytest.mark.parametrize(
    ("method", "path"), [("GET", "/liveness/session"), ("POST", "/liveness/verify-face")]
)
def test_missing_or_wrong_key_is_401(
    fake: FakeVerisoul, headers: dict[str, str], method: str, path: str
) -> None:
    with httpx.Client(transport=fake.transport(), base_url="https://f") as http:
        response = http.request(method, path, headers=headers, json={})
    assert response.status_code == 401
    assert response.json() == {"statusCode": 401, "message": "Unauthorized"}
    assert fake.issued_sessions() == ()


def test_unknown_path_and_wrong_method(http: httpx.Client) -> None:
    assert http.get("/liveness/nothing").status_code == 404
    assert http.post("/liveness/session").status_code == 405
    assert http.get("/liveness/enroll").json() == {
        "statusCode": 405,
        "message": "Method Not Allowed",
    }


@pytest.mark.parametrize("project_id", [None, "", "not-a-uuid"])
def test_public_redirect_without_a_project(fake: FakeVerisoul, project_id: str | None) -> None:
    params = {} if project_id is None else {"project_id": project_id}
    with httpx.Client(transport=fake.transport(), base_url="https://f") as anonymous:
        response = anonymous.get("/public/liveness-redirect", params=params)
    assert response.status_code == 400
    assert response.json() == {"error": "missing_project_id"}
    assert fake.issued_sessions() == ()

"""Stateful Face Match / ID Check flows through raw HTTP against the in-process fake."""

from __future__ import annotations

import uuid

import httpx
import pytest

from verisoul.testing import FakeDocument, FakeVerisoul

from .conftest import RawApi


def test_session_ids_are_fresh_uuids(api: RawApi, fake: FakeVerisoul) -> None:
    first, second = api.new_session(), api.new_session(id="true")
    assert first != second
    assert str(uuid.UUID(first)) == first
    assert fake.issued_sessions() == (first, second)


def test_face_match_enrol_then_authenticate(api: RawApi, fake: FakeVerisoul) -> None:
    onboarding = api.new_session()
    fake.complete_session(onboarding, face="alice")

    report = api.post("/liveness/verify-face", session_id=onboarding).json()
    assert report["decision"] == "Real"
    assert report["matches"] == {"num_accounts_linked": 0, "accounts_linked": []}
    assert report["metadata"]["session_id"] == onboarding
    assert report["metadata"]["account_id"] is None

    enrolled = api.post("/liveness/enroll", session_id=onboarding, account_id="acct-alice")
    assert enrolled.status_code == 200
    assert enrolled.json()["success"] is True
    assert fake.enrolled_account(onboarding) == "acct-alice"
    after = api.post("/liveness/verify-face", session_id=onboarding).json()
    assert after["metadata"]["account_id"] == "acct-alice"

    same_person = api.new_session()
    fake.complete_session(same_person, face="alice")
    body = api.post("/liveness/verify-identity", session_id=same_person, account_id="acct-alice")
    assert body.status_code == 200
    assert body.json()["match"] is True
    assert body.json()["success"] is True

    impostor = api.new_session()
    fake.complete_session(impostor, face="mallory")
    body = api.post("/liveness/verify-identity", session_id=impostor, account_id="acct-alice")
    assert body.json()["match"] is False


def test_repeat_face_links_the_other_account(api: RawApi, fake: FakeVerisoul) -> None:
    first = api.new_session()
    fake.complete_session(first, face="alice")
    assert api.post("/liveness/enroll", session_id=first, account_id="acct-1").status_code == 200

    second = api.new_session()
    fake.complete_session(second, face="alice")
    report = api.post("/liveness/verify-face", session_id=second).json()
    assert report["matches"] == {
        "num_accounts_linked": 1,
        "accounts_linked": [{"account_id": "acct-1", "match_types": ["face"]}],
    }
    assert report["risk_flags"] == ["repeat_face"]
    assert report["decision"] == "Fake"

    # Once enrolled elsewhere, the session's own account is not listed as a link.
    assert api.post("/liveness/enroll", session_id=second, account_id="acct-2").status_code == 200
    report = api.post("/liveness/verify-face", session_id=first).json()
    assert report["matches"]["accounts_linked"] == [
        {"account_id": "acct-2", "match_types": ["face"]}
    ]


def test_id_check_report_and_document_match(api: RawApi, fake: FakeVerisoul) -> None:
    first = api.new_session(id="true")
    fake.complete_session(first, document=FakeDocument(id_number="X123", first_name="Ada"))
    report = api.post("/liveness/verify-id", session_id=first).json()
    assert report["document_data"]["user_data"]["first_name"] == "Ada"
    assert report["document_data"]["user_data"]["id_number"] == "X123"
    assert report["document_signals"]["id_validity"] == "likely_authentic_id"
    assert report["photo_urls"]["id_scan_front"].endswith("/id_scan_front.jpg")
    assert api.post("/liveness/enroll", session_id=first, account_id="acct-1").status_code == 200

    second = api.new_session(id="true")
    fake.complete_session(second, document=FakeDocument(id_number="X123"))
    report = api.post("/liveness/verify-id", session_id=second).json()
    assert report["matches"]["accounts_linked"] == [
        {"account_id": "acct-1", "match_types": ["document_number"]}
    ]
    assert report["risk_flags"] == ["repeat_id"]


def test_default_documents_and_faces_are_unique(api: RawApi, fake: FakeVerisoul) -> None:
    first, second = api.new_session(id="true"), api.new_session(id="true")
    fake.complete_session(first)
    fake.complete_session(second)
    assert api.post("/liveness/enroll", session_id=first, account_id="a").status_code == 200
    report = api.post("/liveness/verify-id", session_id=second).json()
    assert report["matches"]["num_accounts_linked"] == 0


def test_referring_session_is_echoed(api: RawApi, fake: FakeVerisoul) -> None:
    referring = str(uuid.uuid4())
    with_ref = api.new_session(referring_session_id=referring.upper(), simulate="success")
    report = api.post("/liveness/verify-face", session_id=with_ref).json()
    assert report["metadata"]["referring_session_id"] == referring
    assert set(report["referring_session_signals"]) >= {"impossible_travel", "ip_mismatch"}

    without = api.new_session(simulate="success")
    report = api.post("/liveness/verify-face", session_id=without).json()
    assert report["metadata"]["referring_session_id"] is None
    assert "referring_session_signals" not in report


def test_session_ids_are_case_insensitive(api: RawApi, fake: FakeVerisoul) -> None:
    session = api.new_session(simulate="success")
    response = api.post("/liveness/verify-face", session_id=session.upper())
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("simulate", "verify_code"),
    [
        ("success", None),
        ("liveness_check_failed", "liveness_check_failed"),
        ("failed_to_process_id_scan", "id_scan_failed"),
        ("failed_to_complete_face_scan", "session_not_complete"),
        ("failed_to_collect_device_data", "session_not_complete"),
        ("failed_to_get_camera_permission", "session_not_started"),
        ("invalid_session_id", "session_not_started"),
        ("session_id_not_found", "session_not_started"),
        ("some_future_case", "session_not_started"),
    ],
)
def test_simulate_cases(api: RawApi, simulate: str, verify_code: str | None) -> None:
    session = api.new_session(id="true", simulate=simulate)
    response = api.post("/liveness/verify-id", session_id=session)
    if verify_code is None:
        assert response.status_code == 200
        assert response.json()["metadata"]["session_id"] == session
    else:
        assert response.status_code == 400
        assert response.json()["error"] == verify_code
        assert response.json()["success"] is False


def test_complete_session_rejects_unknown_ids_and_outcomes(
    api: RawApi, fake: FakeVerisoul
) -> None:
    with pytest.raises(KeyError):
        fake.complete_session(str(uuid.uuid4()))
    with pytest.raises(ValueError, match="unknown outcome"):
        fake.complete_session(api.new_session(), outcome="teleported")


@pytest.mark.parametrize(
    ("id_flag", "product_path"), [("true", "/liveness/verify-id"), (None, "/liveness/verify-face")]
)
def test_public_redirect_needs_no_key(
    fake: FakeVerisoul, api: RawApi, id_flag: str | None, product_path: str
) -> None:
    params = {"project_id": fake.project_id, "referring_session_id": str(uuid.uuid4())}
    if id_flag is not None:
        params["id"] = id_flag
    with httpx.Client(transport=fake.transport(), base_url="https://f") as anonymous:
        response = anonymous.get("/public/liveness-redirect", params=params)
    assert response.status_code == 302
    location = httpx.URL(response.headers["location"])
    assert location.host == "app.sandbox.verisoul.ai"
    (session_id,) = fake.issued_sessions()
    assert location.params["session_id"] == session_id
    fake.complete_session(session_id)
    assert api.post(product_path, session_id=session_id).status_code == 200

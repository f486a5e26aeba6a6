"""The FastAPI and aiohttp examples, served for real, driven over HTTP like a browser would.

Each test runs against ``examples/fastapi_app.py`` (uvicorn) and ``examples/aiohttp_app.py``
(aiohttp's web runner); Verisoul is a FakeVerisoul on loopback.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import httpx
import pytest

from verisoul.testing import FakeVerisoul

from .._servers import unused_port
from ..conftest import TEST_KEY
from .conftest import ClientSpy, ServeExample, back_from_hosted_page, session_of

pytestmark = pytest.mark.usefixtures("fake_url")


@pytest.fixture
def app(serve_example: ServeExample) -> Iterator[httpx.Client]:
    """An HTTP client for the running example app."""
    with serve_example() as url, httpx.Client(base_url=url, timeout=10) as http:
        yield http


def start(app: httpx.Client, account_id: str, **extra: str) -> str:
    """Start Face Match for an account; returns the hosted page URL."""
    response = app.post("/face-match/start", json={"account_id": account_id, **extra})
    assert response.status_code == 200, response.text
    data = response.json()
    # VERISOUL_BASE_URL is the served fake: hosted_url() is its stand-in page.
    assert data["url"].startswith(f"{os.environ['VERISOUL_BASE_URL']}/?session_id=")
    assert f"?session_id={data['session_id']}&" in data["url"]
    url: str = data["url"]
    return url


def detail(response: httpx.Response) -> str:
    """The error message of an answer (FastAPI's validation details included)."""
    assert TEST_KEY not in response.text
    return str(response.json()["detail"])


def test_start_then_redirect_verifies_and_enrolls(
    app: httpx.Client, fake: FakeVerisoul, sdk_clients: ClientSpy
) -> None:
    referring = str(uuid.uuid4())
    hosted = start(app, "acct-1", verisoul_session_id=referring)
    session_id = session_of(hosted)
    (created,) = [r for r in fake.requests if r.path == "/liveness/session"]
    assert ("referring_session_id", referring) in created.query
    assert "redirect_url=http%3A%2F%2F127.0.0.1%3A" in hosted

    fake.complete_session(session_id)  # the user's part, on the hosted page
    response = app.get(back_from_hosted_page(hosted))

    assert response.status_code == 200, response.text
    assert response.json() == {
        "account_id": "acct-1",
        "session_id": session_id,
        "decision": "Real",
        "risk_score": 0.05,
        "enrolled": True,
    }
    assert fake.enrolled_account(session_id) == "acct-1"
    assert [r.path for r in fake.requests][1:] == ["/liveness/verify-face", "/liveness/enroll"]
    again = app.get(back_from_hosted_page(hosted))  # a session finishes once
    assert again.status_code == 404
    assert "start again" in detail(again)
    assert len(sdk_clients.created) == 1


def test_one_client_opened_at_startup_and_closed_at_shutdown(
    serve_example: ServeExample, sdk_clients: ClientSpy
) -> None:
    with serve_example() as url:
        (client,) = sdk_clients.created
        assert not client.is_closed
        for account in ("a", "b", "c"):
            assert httpx.post(f"{url}/face-match/start", json={"account_id": account}).is_success
    assert sdk_clients.created == [client]
    assert client.is_closed


def test_redirect_retried_after_a_lost_enroll_answer_succeeds(
    app: httpx.Client, fake: FakeVerisoul
) -> None:
    hosted = start(app, "acct-1")
    fake.complete_session(session_of(hosted))
    fake.drop_next(route="POST /liveness/enroll", after_processing=True)

    lost = app.get(back_from_hosted_page(hosted))
    assert lost.status_code == 503  # the enroll's outcome is unknown: not retried blindly
    assert fake.enrolled_account(session_of(hosted)) == "acct-1"  # ...but it was applied

    retried = app.get(back_from_hosted_page(hosted))
    assert retried.status_code == 200, retried.text
    assert retried.json()["enrolled"] is True
    enrolls = [r for r in fake.requests if r.path == "/liveness/enroll"]
    assert len(enrolls) == 1  # verify-face showed the enrollment: no second enroll


def test_a_failed_hosted_check_needs_a_new_session(app: httpx.Client, fake: FakeVerisoul) -> None:
    hosted = start(app, "acct-1")
    fake.complete_session(session_of(hosted), outcome="liveness_check_failed")

    response = app.get(back_from_hosted_page(hosted, error_message="liveness_check_failed"))

    assert response.status_code == 400
    assert detail(response) == "Face Match failed (liveness_check_failed): start again"
    assert app.get(back_from_hosted_page(hosted)).status_code == 404
    assert fake.enrolled_account(session_of(hosted)) is None


def test_a_forged_success_redirect_is_refused_by_verisoul(
    app: httpx.Client, fake: FakeVerisoul
) -> None:
    hosted = start(app, "acct-1")  # the user never finishes the hosted page

    response = app.get(back_from_hosted_page(hosted))

    assert response.status_code == 400
    assert detail(response) == "Verisoul refused the session: session_not_started"
    assert fake.enrolled_account(session_of(hosted)) is None


def test_a_session_tied_to_another_account_is_a_conflict(
    app: httpx.Client, fake: FakeVerisoul
) -> None:
    hosted = start(app, "acct-1")
    fake.complete_session(session_of(hosted))
    with fake.client() as direct:  # someone enrolled it elsewhere first
        direct.enroll_account(session_of(hosted), "acct-other")

    response = app.get(back_from_hosted_page(hosted))

    assert response.status_code == 409
    assert detail(response) == "Verisoul refused the session: session_already_tied_to_an_account"
    assert fake.enrolled_account(session_of(hosted)) == "acct-other"


def test_a_face_enrolled_to_another_account_is_declined(
    app: httpx.Client, fake: FakeVerisoul
) -> None:
    first = start(app, "acct-1")
    fake.complete_session(session_of(first), face="alice")
    assert app.get(back_from_hosted_page(first)).status_code == 200

    second = start(app, "acct-2")
    fake.complete_session(session_of(second), face="alice")  # same person, new account
    response = app.get(back_from_hosted_page(second))

    assert response.status_code == 403
    assert detail(response) == "Face Match declined: Fake"
    assert fake.enrolled_account(session_of(second)) is None


@pytest.mark.parametrize(
    ("method", "path", "body", "status", "words"),
    [
        ("POST", "/face-match/start", {}, {400, 422}, "account_id"),
        ("POST", "/face-match/start", {"account_id": ""}, {400, 422}, "account_id"),
        ("POST", "/face-match/start", {"account_id": 7}, {400, 422}, "account_id"),
        (
            "POST",
            "/face-match/start",
            {"account_id": "a", "verisoul_session_id": "not-a-uuid"},
            {400, 422},
            "verisoul_session_id",
        ),
        ("POST", "/face-match/start", None, {400, 422}, ""),
        ("GET", "/face-match/done", None, {400}, "not a Verisoul redirect"),
        ("GET", "/face-match/done?success=maybe", None, {400}, "true or false"),
        ("GET", "/face-match/done?success=true&session_id=x", None, {400}, "UUID"),
        ("GET", f"/face-match/done?success=true&session_id={uuid.uuid4()}", None, {404}, "start"),
    ],
)
def test_bad_input_is_a_4xx_with_a_clear_message(
    app: httpx.Client,
    fake: FakeVerisoul,
    method: str,
    path: str,
    body: object,
    status: set[int],
    words: str,
) -> None:
    response = app.request(method, path, json=body)

    assert response.status_code in status
    assert words in detail(response)
    assert fake.request_count == 0  # refused before calling Verisoul


@pytest.mark.parametrize(
    ("verisoul_status", "status", "message"),
    [
        (401, 502, "Verisoul failed, try again later"),
        (403, 502, "Verisoul failed, try again later"),
        (429, 503, "Verisoul is unavailable, try again"),
        (500, 502, "Verisoul failed, try again later"),
        (503, 502, "Verisoul failed, try again later"),
    ],
)
def test_verisoul_errors_map_to_gateway_statuses(
    serve_example: ServeExample,
    fake: FakeVerisoul,
    sdk_clients: ClientSpy,
    verisoul_status: int,
    status: int,
    message: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    sdk_clients.overrides.update(max_retries=0)  # one failed attempt is enough here
    fake.fail_next(verisoul_status, retry_after=0)
    with serve_example() as url:
        response = httpx.post(f"{url}/face-match/start", json={"account_id": "acct-1"})
    assert (response.status_code, detail(response)) == (status, message)
    (logged,) = [r for r in caplog.records if r.getMessage().startswith("Verisoul call failed")]
    assert str(verisoul_status) in logged.getMessage()  # the conftest checks: no key in logs


def test_a_wrong_api_key_is_not_the_callers_fault(
    serve_example: ServeExample, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VERISOUL_API_KEY", "sk_wrong_key_0123456789")
    with serve_example() as url:
        response = httpx.post(f"{url}/face-match/start", json={"account_id": "acct-1"})
    assert response.status_code == 502
    assert "sk_wrong_key" not in response.text


def test_an_unreachable_verisoul_is_503(
    serve_example: ServeExample, monkeypatch: pytest.MonkeyPatch, sdk_clients: ClientSpy
) -> None:
    monkeypatch.setenv("VERISOUL_BASE_URL", f"http://127.0.0.1:{unused_port()}")
    sdk_clients.overrides.update(max_retries=0)
    with serve_example() as url:
        response = httpx.post(f"{url}/face-match/start", json={"account_id": "acct-1"})
    assert (response.status_code, detail(response)) == (503, "Verisoul is unavailable, try again")


def test_a_slow_verisoul_is_504(
    serve_example: ServeExample, fake: FakeVerisoul, sdk_clients: ClientSpy
) -> None:
    sdk_clients.overrides.update(timeout=0.3, max_retries=0)
    fake.delay_next(3.0, route="GET /liveness/session")
    with serve_example() as url:
        response = httpx.post(f"{url}/face-match/start", json={"account_id": "acct-1"})
    assert response.status_code == 504
    assert detail(response) == "Verisoul did not answer in time, try again"

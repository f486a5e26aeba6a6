"""Issue 14: the local dev server (stand-in hosted page, control API), verdicts on demand,
block-scoped faults, quiet hang-ups, and the fake's clients taking ``transport=``."""

from __future__ import annotations

import json
import logging
import socket
import subprocess
import sys
import uuid
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

import verisoul
from verisoul.testing import (
    DECISIONS,
    DOCUMENT_SIGNAL_VALUES,
    RISK_FLAGS,
    FakeVerisoul,
    Scenario,
)

from .conftest import KEY


@pytest.fixture
def served(fake: FakeVerisoul) -> Iterator[tuple[str, httpx.Client]]:
    with fake.serve() as url, httpx.Client(base_url=url, headers={"x-api-key": KEY}) as http:
        yield url, http


def _query(location: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(location).query)


# -- hosted_url() points at the served fake's page --------------------------------------------


def test_hosted_url_of_a_client_on_the_fake_is_the_fakes_page(
    fake: FakeVerisoul, served: tuple[str, httpx.Client]
) -> None:
    url, _http = served
    with verisoul.Verisoul(api_key=KEY, base_url=url) as client:
        session = client.create_liveness_session()
        hosted = client.hosted_url(session, redirect_url="https://shop.example/back?step=2")
    assert hosted.startswith(f"{url}/?session_id={session.session_id}")
    page = httpx.get(hosted)
    assert page.status_code == 200
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert session.session_id in page.text
    with fake.client() as sdk, pytest.raises(verisoul.BadRequestError) as info:
        sdk.verify_face(session.session_id)
    assert info.value.code == "session_not_complete"  # opened, not finished


@pytest.mark.parametrize(
    ("outcome", "query"),
    [
        ("success", {"success": ["true"]}),
        (
            "liveness_check_failed",
            {"success": ["false"], "error_message": ["liveness_check_failed"]},
        ),
        (
            "failed_to_get_camera_permission",
            {"success": ["false"], "error_message": ["failed_to_get_camera_permission"]},
        ),
    ],
)
def test_the_page_redirects_like_verisouls(
    fake: FakeVerisoul, served: tuple[str, httpx.Client], outcome: str, query: dict[str, list[str]]
) -> None:
    _url, http = served
    session_id = http.get("/liveness/session").json()["session_id"]
    form = {
        "session_id": session_id,
        "redirect_url": "https://app.example/done?x=1",
        "outcome": outcome,
    }
    answer = http.post("/_fake/hosted", data=form)
    assert answer.status_code == 303
    location = answer.headers["location"]
    assert location.startswith("https://app.example/done?x=1&session_id=")
    assert parse_qs(urlsplit(location).query) == {"x": ["1"], "session_id": [session_id], **query}
    parsed = verisoul.parse_redirect(location)
    assert (parsed.session_id, parsed.success) == (session_id, outcome == "success")
    with fake.client() as client:
        if outcome == "success":
            assert client.verify_face(session_id).decision == "Real"
        else:
            with pytest.raises(verisoul.BadRequestError):
                client.verify_face(session_id)


def test_the_page_offers_every_documented_outcome_decision_flag_and_signal(
    served: tuple[str, httpx.Client],
) -> None:
    url, http = served
    face = http.get("/liveness/session").json()["session_id"]
    id_check = http.get("/liveness/session", params={"id": "true"}).json()["session_id"]
    face_page = httpx.get(f"{url}/", params={"session_id": face}).text
    id_page = httpx.get(f"{url}/", params={"session_id": id_check}).text
    for value in (*DECISIONS, *RISK_FLAGS, "liveness_check_failed", "session_id_not_found"):
        assert f'value="{value}"' in face_page
    assert 'value="failed_to_process_id_scan"' not in face_page
    assert 'value="failed_to_process_id_scan"' in id_page
    for name, values in DOCUMENT_SIGNAL_VALUES.items():
        assert f'name="signal_{name}"' in id_page
        assert all(f'value="{value}"' in id_page for value in values)


def test_the_page_chooses_verdict_and_repeat_face(
    fake: FakeVerisoul, served: tuple[str, httpx.Client]
) -> None:
    url, http = served
    first = http.get("/liveness/session").json()["session_id"]
    fake.complete_session(first)
    http.post("/liveness/enroll", json={"session_id": first, "account_id": "alice"})
    second = http.get("/liveness/session").json()["session_id"]
    page = httpx.get(f"{url}/", params={"session_id": second}).text
    assert 'value="account:alice"' in page
    form = {"session_id": second, "outcome": "success", "face": "account:alice"}
    answer = http.post("/_fake/hosted", data=form)
    assert answer.headers["location"].startswith("https://verisoul.ai?session_id=")
    with fake.client() as client:
        report = client.verify_face(second)
        assert report.decision == "Fake"
        assert "repeat_face" in report.risk_flags
        assert report.matches is not None
        assert report.matches.accounts_linked[0].account_id == "alice"
        assert client.verify_identity(second, "alice").match is True
    third = http.get("/liveness/session", params={"id": "true"}).json()["session_id"]
    form = {
        "session_id": third,
        "outcome": "success",
        "decision": "Suspicious",
        "risk_score": "0.6",
        "risk_flags": ["vpn_detected", "likely_fake_id"],
        "signal_id_validity": "likely_fake_id",
    }
    assert http.post("/_fake/hosted", data=form).status_code == 303
    with fake.client() as client:
        id_report = client.verify_id(third)
    assert (id_report.decision, id_report.risk_score) == ("Suspicious", 0.6)
    assert id_report.risk_flags == ("vpn_detected", "likely_fake_id")
    assert id_report.document_signals is not None
    assert id_report.document_signals.id_validity == "likely_fake_id"


def test_unknown_finished_or_missing_sessions_go_back_at_once(
    fake: FakeVerisoul, served: tuple[str, httpx.Client]
) -> None:
    url, http = served
    back = "https://app.example/done"
    unknown = str(uuid.uuid4())
    answer = httpx.get(f"{url}/", params={"session_id": unknown, "redirect_url": back})
    assert _query(answer.headers["location"])["error_message"] == ["invalid_session_id"]
    answer = httpx.get(f"{url}/", params={"redirect_url": back})
    assert _query(answer.headers["location"])["error_message"] == ["session_id_not_found"]
    finished = http.get("/liveness/session", params={"simulate": "success"}).json()["session_id"]
    answer = httpx.get(f"{url}/", params={"session_id": finished, "redirect_url": back})
    assert _query(answer.headers["location"])["error_message"] == ["invalid_session_id"]
    assert httpx.get(f"{url}/").status_code == 200  # the index page
    bad = httpx.get(f"{url}/", params={"session_id": finished, "redirect_url": "javascript:x"})
    assert bad.status_code == 400


def test_the_public_redirect_sends_to_the_served_page(served: tuple[str, httpx.Client]) -> None:
    url, http = served
    answer = http.get("/public/liveness-redirect", params={"project_id": str(uuid.uuid4())})
    assert answer.status_code == 302
    assert answer.headers["location"].startswith(f"{url}/?session_id=")


def test_in_process_the_page_answers_through_the_transport(fake: FakeVerisoul) -> None:
    with fake.client() as client:
        session = client.create_liveness_session()
        hosted = client.hosted_url(session)
    with httpx.Client(transport=fake.transport()) as browser:
        assert browser.get(hosted).status_code == 200


# -- the control API ----------------------------------------------------------------------


def test_control_api_round_trip(fake: FakeVerisoul, served: tuple[str, httpx.Client]) -> None:
    url, http = served
    with httpx.Client(base_url=f"{url}/_fake") as control:  # no key needed
        _drive_the_control_api(fake, http, control)


def _drive_the_control_api(fake: FakeVerisoul, http: httpx.Client, control: httpx.Client) -> None:
    assert "POST /_fake/reset" in control.get("").json()["routes"]
    session_id = http.get("/liveness/session").json()["session_id"]
    done = control.post(
        f"/sessions/{session_id}/complete",
        json={"decision": "Fake", "risk_flags": ["known_fraud_face"], "risk_score": 0.99},
    )
    assert done.status_code == 200
    assert done.json()["stage"] == "finished"
    with fake.client() as client:
        report = client.verify_face(session_id)
    assert (report.decision, report.risk_flags, report.risk_score) == (
        "Fake",
        ("known_fraud_face",),
        0.99,
    )
    assert control.put("/scenario", json={"outcome": "liveness_check_failed"}).status_code == 200
    assert fake.scenario == Scenario(outcome="liveness_check_failed")
    simulated = http.get("/liveness/session", params={"simulate": "success"}).json()["session_id"]
    assert fake.enrolled_account(simulated) is None
    assert control.delete("/scenario").json()["outcome"] == "success"
    assert control.post("/faults", json={"kind": "status", "status": 503, "times": 2}).json() == {
        "pending": 2
    }
    assert http.get("/liveness/session").status_code == 503
    assert control.delete("/faults").json() == {"pending": 0}
    logged = control.get("/requests", params={"limit": "1"}).json()["requests"]
    assert [entry["path"] for entry in logged] == ["/liveness/session"]
    assert ["x-api-key", "[redacted]"] in logged[0]["headers"]
    assert KEY not in json.dumps(control.get("/requests").json())
    assert all(entry.path.startswith("/liveness") for entry in fake.requests)  # not logged
    assert control.post("/reset").json() == {"reset": True}
    assert fake.issued_sessions() == ()
    assert fake.requests == ()


@pytest.mark.parametrize(
    ("method", "path", "body", "status", "code"),
    [
        ("POST", f"/sessions/{uuid.uuid4()}/complete", {}, 404, "session_not_found"),
        ("PUT", "/scenario", {"decision": "Maybe"}, 400, "bad_request"),
        ("PUT", "/scenario", {"bogus": 1}, 400, "bad_request"),
        ("PUT", "/scenario", {"risk_score": 2}, 400, "bad_request"),
        ("POST", "/faults", {"kind": "explode"}, 400, "bad_request"),
        ("POST", "/faults", {"kind": "status"}, 400, "bad_request"),
        ("GET", "/nothing", None, 404, "not_found"),
        ("PATCH", "/faults", None, 405, "method_not_allowed"),
    ],
)
def test_control_api_errors(
    served: tuple[str, httpx.Client], method: str, path: str, body: object, status: int, code: str
) -> None:
    url, _ = served
    answer = httpx.request(method, f"{url}/_fake{path}", json=body)
    assert answer.status_code == status
    assert answer.json()["error"] == code
    assert answer.json()["message"]


# -- verdicts from Python ------------------------------------------------------------------


@pytest.mark.parametrize("decision", DECISIONS)
def test_every_decision_on_demand(fake: FakeVerisoul, decision: str) -> None:
    with fake.client() as client:
        session = client.create_liveness_session()
        fake.complete_session(session.session_id, decision=decision)
        assert client.verify_face(session.session_id).decision == decision


def test_every_risk_flag_and_document_signal_on_demand(fake: FakeVerisoul) -> None:
    signals: dict[str, object] = {
        name: values[-1] for name, values in DOCUMENT_SIGNAL_VALUES.items()
    }
    signals.update(id_age=15, id_face_match_score=0.12)
    with fake.client() as client:
        session = client.create_id_check_session()
        fake.complete_session(
            session.session_id,
            risk_flags=RISK_FLAGS,
            risk_score=0.8,
            document_signals=signals,
        )
        report = client.verify_id(session.session_id)
    assert report.risk_flags == RISK_FLAGS
    assert report.decision == "Fake"
    assert report.document_signals is not None
    for name, value in signals.items():
        assert getattr(report.document_signals, name) == value


def test_scenario_objects_and_defaults(fake: FakeVerisoul) -> None:
    suspicious = Scenario(decision="Suspicious", risk_flags=["vpn_detected"])
    fake.set_scenario(suspicious)
    with fake.client() as client:
        simulated = client.create_liveness_session(simulate="success")
        assert client.verify_face(simulated.session_id).decision == "Suspicious"
        later = client.create_liveness_session()
        fake.complete_session(later.session_id, scenario=Scenario(risk_score=0.3))
        report = client.verify_face(later.session_id)
        assert (report.decision, report.risk_score) == ("Real", 0.3)
    fake.set_scenario()
    assert fake.scenario == Scenario()


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"decision": "Maybe"}, ValueError),
        ({"outcome": "teleported"}, ValueError),
        ({"risk_score": 1.5}, ValueError),
        ({"risk_score": float("nan")}, ValueError),
        ({"risk_flags": "vpn_detected"}, TypeError),
        ({"document_signals": {"id_validity": "sort_of"}}, ValueError),
        ({"document_signals": {"eye_colour": "blue"}}, ValueError),
        ({"document_signals": {"id_face_match_score": 3}}, ValueError),
    ],
)
def test_scenario_values_are_checked(fields: dict[str, object], error: type[Exception]) -> None:
    with pytest.raises(error):
        Scenario(**fields)  # type: ignore[arg-type]


def test_same_face_as_needs_an_enrolled_account(fake: FakeVerisoul) -> None:
    with fake.client() as client:
        session = client.create_liveness_session()
    with pytest.raises(ValueError, match="no face is enrolled"):
        fake.complete_session(session.session_id, same_face_as="nobody")


# -- faults scoped to a block ----------------------------------------------------------------


def test_unused_faults_of_a_block_do_not_leak_into_the_next_call(fake: FakeVerisoul) -> None:
    """times=5 on a call that stops after 3 attempts: the other 2 end with the block."""
    with fake.client(max_retries=2) as client:
        client._sleep = lambda seconds: None  # type: ignore[method-assign]
        with fake.faults(503, times=5), pytest.raises(verisoul.InternalServerError):
            client.create_liveness_session()
        assert fake.pending_faults() == 0
        assert client.create_liveness_session().session_id  # the next call is clean


def test_without_a_block_unused_faults_stay_armed(fake: FakeVerisoul) -> None:
    with fake.client(max_retries=2) as client:
        client._sleep = lambda seconds: None  # type: ignore[method-assign]
        fake.fail_next(503, times=5)
        with pytest.raises(verisoul.InternalServerError):
            client.create_liveness_session()
        assert fake.pending_faults() == 2  # as the docs say: they hit the next requests


def test_fault_blocks_nest_and_scope_every_kind(fake: FakeVerisoul) -> None:
    fake.fail_next(500, times=3)  # outside any block: kept
    with fake.faults() as scoped:
        scoped.delay_next(0.01, times=2)
        scoped.drop_randomly(0.5)
        with fake.faults(429, times=4):
            assert fake.pending_faults() == 3 + 2 + 4
        assert fake.pending_faults() == 3 + 2
    assert fake.pending_faults() == 3
    with fake.client() as client:
        client._sleep = lambda seconds: None  # type: ignore[method-assign]
        with pytest.raises(verisoul.InternalServerError):
            client.create_liveness_session()  # the random drop did not outlive its block


# -- the fake's clients take transport= and any client option but http_client ---------------


@pytest.mark.anyio
async def test_async_client_accepts_transport(fake: FakeVerisoul) -> None:
    for transport in ("httpx", "aiohttp"):
        async with fake.async_client(transport=transport, max_retries=0, deadline=5) as client:
            assert (await client.create_liveness_session()).session_id
    with pytest.raises(ValueError, match="transport"):
        fake.async_client(transport="curl")
    with pytest.raises(TypeError, match="http_client"):
        fake.async_client(http_client=object())


def test_sync_client_accepts_transport(fake: FakeVerisoul) -> None:
    with fake.client(transport="httpx", timeout=3.0) as client:
        assert client.create_liveness_session().session_id


# -- a robust server ---------------------------------------------------------------------


def test_a_client_hanging_up_is_one_debug_line_not_a_traceback() -> None:
    """Run in a child so that stderr is the server's alone."""
    code = """
import logging, socket, struct, time
from verisoul.testing import FakeVerisoul
logging.basicConfig(level=logging.DEBUG, format="%(name)s %(levelname)s %(message)s")
fake = FakeVerisoul()
fake.delay_next(0.3, times=20)
REQUEST = b"GET /liveness/session HTTP/1.1\\r\\nHost: x\\r\\nx-api-key: test-key\\r\\n\\r\\n"
with fake.serve() as url:
    port = int(url.rsplit(":", 1)[1])
    for _ in range(20):
        s = socket.create_connection(("127.0.0.1", port))
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        s.sendall(REQUEST)
        s.close()  # hang up (RST) before the delayed answer
    time.sleep(0.6)
"""
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    hangups = [line for line in done.stderr.splitlines() if "hung up" in line]
    assert hangups
    assert all(line.startswith("verisoul.testing DEBUG") for line in hangups)


def test_undeclared_methods_answer_405_with_allow(served: tuple[str, httpx.Client]) -> None:
    _url, http = served
    for method in ("TRACE", "OPTIONS", "PATCH"):
        answer = http.request(method, "/liveness/session")
        assert answer.status_code == 405
        assert answer.headers["allow"] == "GET"
        assert answer.json()["statusCode"] == 405
    head = http.head("/liveness/verify-face")
    assert head.status_code == 405
    assert head.content == b""


def test_serve_on_another_host_address(fake: FakeVerisoul) -> None:
    with fake.serve(host="localhost") as url:
        assert url.startswith("http://localhost:")
        with socket.create_connection(("localhost", int(url.rsplit(":", 1)[1]))):
            pass


def test_hang_up_logger_is_the_fakes() -> None:
    assert logging.getLogger("verisoul.testing").name == "verisoul.testing"

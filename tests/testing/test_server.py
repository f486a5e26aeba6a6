"""The fake over real HTTP on 127.0.0.1: keep-alive, framing, faults, concurrency, shutdown."""

from __future__ import annotations

import http.client
import json
import socket
import threading
import time
from collections.abc import Iterator
from urllib.parse import urlsplit

import httpx
import pytest

from verisoul.testing import FakeVerisoul

from .conftest import KEY, run_in_threads


@pytest.fixture
def base_url(fake: FakeVerisoul) -> Iterator[str]:
    with fake.serve() as url:
        yield url


@pytest.fixture
def served(base_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base_url, headers={"x-api-key": KEY}) as client:
        yield client


def _connection(base_url: str) -> http.client.HTTPConnection:
    parts = urlsplit(base_url)
    assert parts.hostname == "127.0.0.1"
    assert parts.port is not None
    return http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)


def test_flow_over_http(served: httpx.Client, fake: FakeVerisoul) -> None:
    session = served.get("/liveness/session").json()["session_id"]
    fake.complete_session(session, face="bob")
    enrolled = served.post("/liveness/enroll", json={"session_id": session, "account_id": "b"})
    assert enrolled.json()["success"] is True
    assert served.get("/liveness/session", headers={"x-api-key": "wrong"}).status_code == 401
    assert served.get("/liveness/unknown").status_code == 404


def test_keep_alive_and_content_length(base_url: str) -> None:
    connection = _connection(base_url)
    try:
        for _ in range(3):
            connection.request("GET", "/liveness/session", headers={"x-api-key": KEY})
            response = connection.getresponse()
            body = response.read()
            assert response.status == 200
            assert response.version == 11
            assert int(response.headers["content-length"]) == len(body)
            assert not response.will_close
            assert json.loads(body)["session_id"]
    finally:
        connection.close()


def test_chunked_request_body(base_url: str, fake: FakeVerisoul) -> None:
    connection = _connection(base_url)
    try:
        connection.request("GET", "/liveness/session?simulate=success", headers={"x-api-key": KEY})
        session_id = json.loads(connection.getresponse().read())["session_id"]
        body = json.dumps({"session_id": session_id, "account_id": "chunky"}).encode()
        connection.request(
            "POST",
            "/liveness/enroll",
            body=iter([body[:10], body[10:]]),
            headers={"x-api-key": KEY, "content-type": "application/json"},
            encode_chunked=True,
        )
        response = connection.getresponse()
        assert response.status == 200, response.read()
        response.read()
    finally:
        connection.close()
    assert fake.enrolled_account(session_id) == "chunky"


def test_drop_closes_the_socket_without_answering(
    served: httpx.Client, fake: FakeVerisoul
) -> None:
    fake.drop_next()
    with pytest.raises(httpx.RemoteProtocolError):
        served.get("/liveness/session")
    assert fake.issued_sessions() == ()
    assert served.get("/liveness/session").status_code == 200


def test_delay_then_answer_or_client_timeout(served: httpx.Client, fake: FakeVerisoul) -> None:
    fake.delay_next(0.1, times=2)
    started = time.monotonic()
    assert served.get("/liveness/session").status_code == 200
    assert time.monotonic() - started >= 0.1
    with pytest.raises(httpx.ReadTimeout):
        served.get("/liveness/session", timeout=httpx.Timeout(5, read=0.02))


def test_status_fault_over_http(served: httpx.Client, fake: FakeVerisoul) -> None:
    fake.fail_next(429, retry_after=7)
    response = served.get("/liveness/session")
    assert response.status_code == 429
    assert response.headers["retry-after"] == "7"


def test_concurrent_clients(base_url: str, fake: FakeVerisoul) -> None:
    session_ids: list[str] = []
    lock = threading.Lock()

    def worker() -> None:
        with httpx.Client(base_url=base_url, headers={"x-api-key": KEY}) as client:
            for _ in range(10):
                sid = client.get("/liveness/session").json()["session_id"]
                with lock:
                    session_ids.append(sid)

    assert run_in_threads(worker, 8) == []
    assert len(set(session_ids)) == 80
    assert len(fake.issued_sessions()) == 80


def test_shutdown_closes_idle_keep_alive_connections(fake: FakeVerisoul) -> None:
    with fake.serve() as url:
        connection = _connection(url)
        connection.request("GET", "/liveness/session", headers={"x-api-key": KEY})
        connection.getresponse().read()
        started = time.monotonic()
    assert time.monotonic() - started < 2
    connection.close()
    port = urlsplit(url).port
    assert port is not None
    with pytest.raises(ConnectionRefusedError), socket.create_connection(("127.0.0.1", port)):
        pass


def test_shutdown_interrupts_a_delayed_answer(fake: FakeVerisoul) -> None:
    fake.delay_next(30)
    errors: list[BaseException] = []
    with fake.serve() as url:

        def call() -> None:
            try:
                httpx.get(f"{url}/liveness/session", headers={"x-api-key": KEY}, timeout=10)
            except httpx.HTTPError as exc:
                errors.append(exc)

        caller = threading.Thread(target=call)
        caller.start()
        deadline = time.monotonic() + 5
        while not fake.requests and time.monotonic() < deadline:
            time.sleep(0.01)
        started = time.monotonic()
    assert time.monotonic() - started < 2
    caller.join(timeout=5)
    assert len(errors) == 1


def test_fixed_port(fake: FakeVerisoul) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with fake.serve(port=port) as url:
        assert url == f"http://127.0.0.1:{port}"
        assert httpx.get(f"{url}/liveness/session", headers={"x-api-key": KEY}).status_code == 200


def test_a_crashing_route_answers_500_and_keeps_serving(
    served: httpx.Client,
    fake: FakeVerisoul,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    def explode(*args: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(fake._app.router, "resolve", explode)
    response = served.get("/liveness/session")
    assert response.status_code == 500
    assert response.json()["message"] == "FakeVerisoul crashed: RuntimeError"
    assert "RuntimeError: boom" in capsys.readouterr().err
    monkeypatch.undo()
    assert served.get("/liveness/session").status_code == 200

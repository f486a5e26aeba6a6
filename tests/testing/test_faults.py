"""Fault injection, the rate limit and the request log, in-process (raw httpx)."""

from __future__ import annotations

import time

import httpx
import pytest

from verisoul.testing import FakeVerisoul

from .conftest import KEY, RawApi


def test_fail_next_answers_the_status_without_processing(
    http: httpx.Client, fake: FakeVerisoul
) -> None:
    fake.fail_next(503, times=2, retry_after=3)
    assert fake.pending_faults() == 2
    for _ in range(2):
        response = http.get("/liveness/session")
        assert response.status_code == 503
        assert response.headers["retry-after"] == "3"
        assert response.json() == {"statusCode": 503, "message": "Service Unavailable"}
    assert fake.issued_sessions() == ()
    assert http.get("/liveness/session").status_code == 200
    assert fake.pending_faults() == 0


@pytest.mark.parametrize(
    ("retry_after", "header"), [(1.5, "2"), (0, "0"), ("Wed, 21 Oct 2015 07:28:00 GMT", None)]
)
def test_retry_after_values(
    http: httpx.Client, fake: FakeVerisoul, retry_after: float | str, header: str | None
) -> None:
    fake.fail_next(429, retry_after=retry_after)
    expected = header if header is not None else retry_after
    assert http.get("/liveness/session").headers["retry-after"] == expected


def test_fail_next_with_a_custom_body(http: httpx.Client, fake: FakeVerisoul) -> None:
    fake.fail_next(502, body=b"<html>Bad Gateway</html>")
    fake.fail_next(500, body=b'{"error": "boom"}')
    html = http.get("/liveness/session")
    assert html.text == "<html>Bad Gateway</html>"
    assert html.headers["content-type"].startswith("text/plain")
    assert "retry-after" not in html.headers
    assert http.get("/liveness/session").json() == {"error": "boom"}


@pytest.mark.parametrize(
    "route", ["/liveness/enroll", "POST /liveness/enroll", "post /liveness/enroll"]
)
def test_faults_can_target_one_route(api: RawApi, fake: FakeVerisoul, route: str) -> None:
    fake.fail_next(500, route=route)
    session = api.new_session(simulate="success")
    assert api.post("/liveness/verify-face", session_id=session).status_code == 200
    assert api.post("/liveness/enroll", session_id=session, account_id="a").status_code == 500
    assert api.post("/liveness/enroll", session_id=session, account_id="a").status_code == 200


def test_route_filter_with_another_method_does_not_fire(
    http: httpx.Client, fake: FakeVerisoul
) -> None:
    fake.fail_next(500, route="POST /liveness/session")
    assert http.get("/liveness/session").status_code == 200
    assert fake.pending_faults() == 1
    fake.clear_faults()
    assert fake.pending_faults() == 0


@pytest.mark.parametrize("route", ["liveness/enroll", "GET", "GET /a /b", ""])
def test_bad_route_filters_are_rejected(fake: FakeVerisoul, route: str) -> None:
    with pytest.raises(ValueError, match="route must look like"):
        fake.fail_next(500, route=route)


def test_times_must_be_positive(fake: FakeVerisoul) -> None:
    with pytest.raises(ValueError, match="at least 1"):
        fake.drop_next(times=0)


def test_faults_fire_in_the_order_armed(http: httpx.Client, fake: FakeVerisoul) -> None:
    fake.fail_next(500)
    fake.fail_next(429)
    codes = [http.get("/liveness/session").status_code for _ in range(3)]
    assert codes == [500, 429, 200]


def test_in_process_delay_sleeps_then_answers(http: httpx.Client, fake: FakeVerisoul) -> None:
    fake.delay_next(0.05)
    started = time.monotonic()
    response = http.get("/liveness/session")
    assert time.monotonic() - started >= 0.05
    assert response.status_code == 200


def test_in_process_delay_beyond_read_timeout_times_out(
    http: httpx.Client, fake: FakeVerisoul
) -> None:
    fake.delay_next(5)
    started = time.monotonic()
    with pytest.raises(httpx.ReadTimeout):
        http.get("/liveness/session", timeout=httpx.Timeout(1, read=0.05))
    assert time.monotonic() - started < 1
    # The server did the work; only the answer was late.
    assert len(fake.issued_sessions()) == 1


def test_in_process_drop(http: httpx.Client, fake: FakeVerisoul) -> None:
    fake.drop_next()
    with pytest.raises(httpx.RemoteProtocolError):
        http.get("/liveness/session")
    assert fake.issued_sessions() == ()


def test_in_process_drop_after_processing(api: RawApi, fake: FakeVerisoul) -> None:
    session = api.new_session(simulate="success")
    fake.drop_next(after_processing=True, route="/liveness/enroll")
    with pytest.raises(httpx.RemoteProtocolError):
        api.post("/liveness/enroll", session_id=session, account_id="a")
    assert fake.enrolled_account(session) == "a"


def test_malformed_body(http: httpx.Client, fake: FakeVerisoul) -> None:
    fake.malform_next()
    fake.malform_next(body=b"[]")
    truncated = http.get("/liveness/session")
    assert truncated.status_code == 200
    with pytest.raises(ValueError, match=r"Unterminated|Expecting"):
        truncated.json()
    assert http.get("/liveness/session").json() == []
    assert len(fake.issued_sessions()) == 2


class ManualClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_rate_limit_answers_429_with_retry_after(http: httpx.Client, fake: FakeVerisoul) -> None:
    clock = ManualClock()
    fake.rate_limit(2, per=10, clock=clock)
    assert [http.get("/liveness/session").status_code for _ in range(2)] == [200, 200]
    clock.now += 2.5
    limited = http.get("/liveness/session")
    assert limited.status_code == 429
    assert limited.headers["retry-after"] == "8"
    clock.now += 7.5
    assert http.get("/liveness/session").status_code == 200
    fake.rate_limit(None)
    assert all(http.get("/liveness/session").status_code == 200 for _ in range(5))


def test_rate_limit_counts_only_authenticated_requests(fake: FakeVerisoul) -> None:
    fake.rate_limit(1, clock=ManualClock())
    with httpx.Client(transport=fake.transport(), base_url="https://f") as http:
        assert http.get("/liveness/session").status_code == 401
        assert http.get("/liveness/session", headers={"x-api-key": KEY}).status_code == 200
        assert http.get("/liveness/session", headers={"x-api-key": KEY}).status_code == 429


def test_request_log_redacts_the_key(api: RawApi, fake: FakeVerisoul) -> None:
    fake.fail_next(500)
    api.http.get("/liveness/session", params={"simulate": "success", "id": "true"})
    session = api.new_session()
    api.post("/liveness/verify-face", session_id=session)
    log = fake.requests
    assert [(entry.method, entry.path) for entry in log] == [
        ("GET", "/liveness/session"),
        ("GET", "/liveness/session"),
        ("POST", "/liveness/verify-face"),
    ]
    assert log[0].query == (("simulate", "success"), ("id", "true"))
    assert log[0].header("X-API-Key") == "[redacted]"
    assert log[2].json() == {"session_id": session}
    assert log[2].header("content-type") == "application/json"
    assert log[2].header("x-missing") is None
    assert KEY not in repr(log)
    assert KEY not in repr(fake)
    fake.clear_requests()
    assert fake.requests == ()


def test_empty_api_key_is_refused() -> None:
    with pytest.raises(ValueError, match="api_key"):
        FakeVerisoul(api_key="")


def test_random_faults_are_repeatable_with_a_seed() -> None:
    def run() -> list[int]:
        fake = FakeVerisoul(api_key=KEY)
        fake.fail_randomly(503, 0.3, seed=7)
        with httpx.Client(
            transport=fake.transport(), base_url="https://f", headers={"x-api-key": KEY}
        ) as client:
            codes = [client.get("/liveness/session").status_code for _ in range(200)]
        assert fake.fault_count == codes.count(503)
        return codes

    first = run()
    assert first == run()
    assert 30 < first.count(503) < 90
    assert set(first) == {200, 503}


def test_random_drops_until_cleared(http: httpx.Client, fake: FakeVerisoul) -> None:
    fake.drop_randomly(1.0, route="/liveness/session")
    with pytest.raises(httpx.RemoteProtocolError):
        http.get("/liveness/session")
    assert http.post("/liveness/verify-face", json={}).status_code == 400
    assert fake.pending_faults() == 0  # random rules are not "pending"
    fake.clear_faults()
    assert http.get("/liveness/session").status_code == 200


@pytest.mark.parametrize("rate", [-0.1, 1.5])
def test_random_rate_must_be_a_probability(fake: FakeVerisoul, rate: float) -> None:
    with pytest.raises(ValueError, match="between 0 and 1"):
        fake.fail_randomly(500, rate)


def test_log_limit_keeps_the_newest_and_counts_all() -> None:
    fake = FakeVerisoul(api_key=KEY, log_limit=3)
    with httpx.Client(transport=fake.transport(), base_url="https://f") as http:
        for index in range(5):
            http.get("/liveness/session", params={"n": str(index)})
    assert [entry.query for entry in fake.requests] == [
        (("n", "2"),),
        (("n", "3"),),
        (("n", "4"),),
    ]
    assert fake.request_count == 5
    fake.clear_requests()
    assert fake.request_count == 5

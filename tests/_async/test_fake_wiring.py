"""AsyncVerisoul wired to FakeVerisoul: in-process and over loopback, faults driving retries.

Written once for the async client; tests/_sync/ holds the generated twin for Verisoul.
"""

from __future__ import annotations

import uuid

import pytest

import verisoul
from verisoul import AsyncVerisoul
from verisoul.testing import FakeDocument, FakeVerisoul

from ..conftest import TEST_KEY


class ManualClock:
    """A clock that moves only when the client "sleeps"."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class NoSleep:
    """Replaces the client's sleep so retry tests run instantly, recording the delays."""

    def __init__(self, clock: ManualClock | None) -> None:
        self.delays: list[float] = []
        self.clock = clock

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)
        if self.clock is not None:
            self.clock.now += seconds


def instant(
    client: AsyncVerisoul, monkeypatch: pytest.MonkeyPatch, clock: ManualClock | None = None
) -> NoSleep:
    sleeper = NoSleep(clock)
    monkeypatch.setattr(client, "_sleep", sleeper)
    return sleeper


@pytest.fixture
def fake() -> FakeVerisoul:
    return FakeVerisoul(api_key=TEST_KEY)


@pytest.mark.anyio
async def test_in_process_client_creates_known_sessions(fake: FakeVerisoul) -> None:
    referring = str(uuid.uuid4())
    async with fake.async_client() as client:
        assert client.environment == "sandbox"
        session = await client.create_liveness_session(referring, simulate="success")
    assert fake.issued_sessions() == (session.session_id,)
    (logged,) = fake.requests
    assert logged.query == (("referring_session_id", referring), ("simulate", "success"))
    assert logged.header("x-api-key") == "[redacted]"
    assert TEST_KEY not in repr(fake.requests)


@pytest.mark.anyio
async def test_wrong_key_is_an_authentication_error(fake: FakeVerisoul) -> None:
    async with fake.async_client(api_key="sk_wrong") as client:
        with pytest.raises(verisoul.AuthenticationError) as caught:
            await client.create_liveness_session()
    assert caught.value.status_code == 401
    assert fake.request_count == 1


@pytest.mark.anyio
async def test_groups_enabled_is_a_bad_request() -> None:
    fake = FakeVerisoul(api_key=TEST_KEY, groups_enabled=True)
    async with fake.async_client() as client:
        with pytest.raises(verisoul.BadRequestError) as caught:
            await client.create_liveness_session()
    assert caught.value.code == "groups_enabled"
    assert caught.value.request_id is not None
    assert uuid.UUID(caught.value.request_id)


@pytest.mark.anyio
@pytest.mark.parametrize("status", [429, 500, 503])
async def test_failing_statuses_are_retried(
    fake: FakeVerisoul, monkeypatch: pytest.MonkeyPatch, status: int
) -> None:
    fake.fail_next(status, times=2, retry_after=1)
    async with fake.async_client(max_retries=2) as client:
        sleeper = instant(client, monkeypatch)
        session = await client.create_liveness_session()
    assert sleeper.delays == [1.0, 1.0]
    assert fake.request_count == 3
    assert fake.issued_sessions() == (session.session_id,)


@pytest.mark.anyio
async def test_retries_give_up_with_the_last_status(
    fake: FakeVerisoul, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake.fail_next(503, times=5)
    async with fake.async_client(max_retries=2) as client:
        instant(client, monkeypatch)
        with pytest.raises(verisoul.InternalServerError) as caught:
            await client.create_liveness_session()
    assert caught.value.status_code == 503
    assert caught.value.attempts == 3
    assert fake.pending_faults() == 2


@pytest.mark.anyio
async def test_dropped_connection_is_retried(
    fake: FakeVerisoul, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake.drop_next()
    async with fake.async_client() as client:
        instant(client, monkeypatch)
        await client.create_liveness_session()
    assert fake.fault_count == 1
    assert len(fake.issued_sessions()) == 1


@pytest.mark.anyio
async def test_dropped_connections_exhaust_retries(
    fake: FakeVerisoul, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake.drop_next(times=3)
    async with fake.async_client(max_retries=2) as client:
        instant(client, monkeypatch)
        with pytest.raises(verisoul.APIConnectionError) as caught:
            await client.create_liveness_session()
    assert caught.value.attempts == 3


@pytest.mark.anyio
async def test_slow_answer_times_out(fake: FakeVerisoul) -> None:
    fake.delay_next(10)
    async with fake.async_client(timeout=0.05, max_retries=0) as client:
        with pytest.raises(verisoul.APITimeoutError):
            await client.create_liveness_session()
    assert len(fake.issued_sessions()) == 1  # the fake did the work; the answer was late


@pytest.mark.anyio
async def test_malformed_body_is_a_validation_error(fake: FakeVerisoul) -> None:
    fake.malform_next()
    async with fake.async_client() as client:
        with pytest.raises(verisoul.APIResponseValidationError) as caught:
            await client.create_liveness_session()
    assert caught.value.status_code == 200


@pytest.mark.anyio
async def test_rate_limit_is_waited_out(
    fake: FakeVerisoul, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = ManualClock()
    fake.rate_limit(1, per=5, clock=clock)
    async with fake.async_client(max_retries=1) as client:
        sleeper = instant(client, monkeypatch, clock)
        await client.create_liveness_session()
        clock.now = 2.0
        await client.create_liveness_session()  # 429, Retry-After: 3, then accepted
    assert sleeper.delays == [3.0]
    assert fake.request_count == 3
    assert len(fake.issued_sessions()) == 2


@pytest.mark.anyio
async def test_loopback_server_with_faults(
    fake: FakeVerisoul, monkeypatch: pytest.MonkeyPatch
) -> None:
    with fake.serve() as base_url:
        async with AsyncVerisoul(api_key=TEST_KEY, base_url=base_url, max_retries=3) as client:
            instant(client, monkeypatch)
            fake.fail_next(503, retry_after=0)
            fake.drop_next()
            fake.malform_next(route="/nowhere")  # never used: a route filter
            session = await client.create_liveness_session(simulate="success")
            assert fake.issued_sessions() == (session.session_id,)
            fake.delay_next(5)
            with pytest.raises(verisoul.APITimeoutError):
                await client.create_liveness_session(timeout=0.05, max_retries=0)
    assert fake.request_count == 4
    assert fake.pending_faults() == 1


# -- the full Face Match / ID Check flow through the client -------------------------------


@pytest.mark.anyio
async def test_face_match_flow(fake: FakeVerisoul) -> None:
    async with fake.async_client() as client:
        onboarding = await client.create_liveness_session()
        fake.complete_session(onboarding.session_id, face="alice")
        report = await client.verify_face(onboarding.session_id)
        assert report.decision == "Real"
        assert report.matches is not None
        assert report.matches.num_accounts_linked == 0
        enrolled = await client.enroll_account(onboarding.session_id, "acct-alice")
        assert enrolled.success is True

        login = await client.create_liveness_session()
        fake.complete_session(login.session_id, face="alice")
        assert (await client.verify_identity(login.session_id, "acct-alice")).match is True

        impostor = await client.create_liveness_session()
        fake.complete_session(impostor.session_id, face="mallory")
        assert (await client.verify_identity(impostor.session_id, "acct-alice")).match is False

        duplicate = await client.create_liveness_session()
        fake.complete_session(duplicate.session_id, face="alice")
        report = await client.verify_face(duplicate.session_id)
    assert report.decision == "Fake"
    assert report.risk_flags == ("repeat_face",)
    assert report.matches is not None
    (link,) = report.matches.accounts_linked
    assert (link.account_id, link.match_types) == ("acct-alice", ("face",))


@pytest.mark.anyio
async def test_id_check_flow(fake: FakeVerisoul) -> None:
    referring = str(uuid.uuid4())
    async with fake.async_client() as client:
        session = await client.create_id_check_session(referring)
        fake.complete_session(session.session_id, document=FakeDocument("P-77", first_name="Ada"))
        report = await client.verify_id(session.session_id)
        await client.enroll_account(session.session_id, "acct-ada")
    assert report.document_data is not None
    assert report.document_data.user_data is not None
    assert report.document_data.user_data.first_name == "Ada"
    assert report.document_data.user_data.id_number == "P-77"
    assert report.metadata is not None
    assert report.metadata.referring_session_id == referring
    assert report.referring_session_signals is not None
    assert fake.enrolled_account(session.session_id) == "acct-ada"


@pytest.mark.anyio
async def test_verify_codes_surface_as_bad_requests(fake: FakeVerisoul) -> None:
    async with fake.async_client() as client:
        with pytest.raises(verisoul.BadRequestError) as unknown:
            await client.verify_face(uuid.uuid4())
        assert unknown.value.code == "session_not_found"

        pending = await client.create_liveness_session()
        with pytest.raises(verisoul.BadRequestError) as not_started:
            await client.verify_face(pending.session_id)
        assert not_started.value.code == "session_not_started"

        failed = await client.create_id_check_session(simulate="failed_to_process_id_scan")
        with pytest.raises(verisoul.BadRequestError) as scan_failed:
            await client.verify_id(failed.session_id)
        assert scan_failed.value.code == "id_scan_failed"

        done = await client.create_liveness_session(simulate="success")
        await client.enroll_account(done.session_id, "first")
        with pytest.raises(verisoul.BadRequestError) as tied:
            await client.enroll_account(done.session_id, "second")
        assert tied.value.code == "session_already_tied_to_an_account"
        with pytest.raises(verisoul.BadRequestError) as no_account:
            await client.verify_identity(done.session_id, "nobody")
        assert no_account.value.code == "account_not_found"


@pytest.mark.anyio
async def test_lost_enroll_response_is_outcome_unknown_and_not_retried(
    fake: FakeVerisoul, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with fake.async_client(max_retries=2) as client:
        instant(client, monkeypatch)
        session = await client.create_liveness_session(simulate="success")
        fake.drop_next(route="POST /liveness/enroll", after_processing=True)
        with pytest.raises(verisoul.APIConnectionError) as caught:
            await client.enroll_account(session.session_id, "acct")
    assert caught.value.outcome_unknown is True
    assert fake.enrolled_account(session.session_id) == "acct"  # it was applied
    assert [entry.path for entry in fake.requests].count("/liveness/enroll") == 1


@pytest.mark.anyio
async def test_refused_enroll_is_retried(
    fake: FakeVerisoul, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with fake.async_client(max_retries=2) as client:
        sleeper = instant(client, monkeypatch)
        session = await client.create_liveness_session(simulate="success")
        fake.fail_next(429, times=2, retry_after=2, route="/liveness/enroll")
        assert (await client.enroll_account(session.session_id, "acct")).success is True
        other = await client.create_liveness_session(simulate="success")
        fake.fail_next(503, route="/liveness/enroll")
        with pytest.raises(verisoul.InternalServerError):
            await client.enroll_account(other.session_id, "acct")  # a 5xx is not retried
    assert sleeper.delays == [2.0, 2.0]
    assert [entry.path for entry in fake.requests].count("/liveness/enroll") == 4


@pytest.mark.anyio
async def test_enroll_timeout_over_loopback_is_outcome_unknown(fake: FakeVerisoul) -> None:
    with fake.serve() as base_url:
        async with AsyncVerisoul(api_key=TEST_KEY, base_url=base_url) as client:
            session = await client.create_liveness_session(simulate="success")
            fake.delay_next(5, route="/liveness/enroll")
            with pytest.raises(verisoul.APITimeoutError) as caught:
                await client.enroll_account(session.session_id, "acct", timeout=0.1)
    assert caught.value.outcome_unknown is True
    assert fake.enrolled_account(session.session_id) == "acct"

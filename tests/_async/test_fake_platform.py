"""AsyncVerisoul's platform methods against FakeVerisoul: whole flows, state, errors.

Written once for the async client; tests/_sync/ holds the generated twin for Verisoul.
"""

from __future__ import annotations

import pytest

import verisoul
from verisoul import Account, AsyncVerisoul, EmailEntry, webhooks
from verisoul.testing import FakeVerisoul

from ..conftest import TEST_KEY

SECRET = "whsec_flow"


@pytest.fixture
def fake() -> FakeVerisoul:
    return FakeVerisoul(api_key=TEST_KEY)


@pytest.mark.anyio
async def test_account_lifecycle(fake: FakeVerisoul) -> None:
    """authenticate -> get_account -> lists add/remove -> linked accounts -> delete."""
    laptop = fake.create_platform_session(device_id="laptop")
    async with fake.async_client() as client:
        first = await client.authenticate_session(
            laptop,
            Account(
                "ann",
                email="ann@example.com",
                phone="+14155550123",
                expected_countries=("US",),
                lists=("beta testers",),
            ),
        )
        assert first.account_id == "ann"
        assert first.lists == ("beta testers",)
        assert first.linked_accounts == ()
        assert fake.requests[-1].query == ()  # accounts_linked not asked for
        report = await client.get_account("ann")
        assert report.account is not None
        assert report.account.phone == "+14155550123"
        assert report.num_sessions == 1

        await client.create_list("vip", "Very important")
        added = await client.add_account_to_list("vip", "ann")
        assert added.success is True
        assert (await client.get_list("vip")).accounts == ("ann",)
        assert (await client.get_account("ann")).lists == ("beta testers", "vip")
        await client.remove_account_from_list("vip", "ann")
        assert (await client.get_list("vip")).accounts == ()

        second = await client.authenticate_session(
            fake.create_platform_session(device_id="laptop"),
            {"id": "bob", "email": "ann@example.com"},
            accounts_linked=True,
        )
        assert second.linked_accounts is not None
        (link,) = second.linked_accounts
        assert (link.account_id, link.match_type) == ("ann", ("device", "email"))
        linked = await client.get_linked_accounts("ann")
        assert linked.accounts_linked is not None
        assert [item.account_id for item in linked.accounts_linked] == ["bob"]
        sessions = await client.get_account_sessions("ann")
        assert sessions.sessions == (laptop,)

        deleted = await client.delete_account("ann")
        assert (deleted.account_id, deleted.success) == ("ann", True)
        with pytest.raises(verisoul.BadRequestError) as caught:
            await client.get_account("ann")
        assert caught.value.body == {"statusCode": 400, "message": "Account not found"}
        assert (await client.get_linked_accounts("bob")).accounts_linked == ()
        assert fake.account_ids() == ("bob",)


@pytest.mark.anyio
async def test_session_reads_and_unknown_sessions(fake: FakeVerisoul) -> None:
    session_id = fake.create_platform_session(country_code="FR")
    async with fake.async_client() as client:
        anonymous = await client.unauthenticated_session(session_id, accounts_linked=True)
        assert anonymous.account_id is None
        assert anonymous.linked_accounts == ()
        assert anonymous.session is not None
        assert anonymous.session.true_country_code == "FR"
        await client.authenticate_session(session_id, {"id": "ann"})
        session = await client.get_session(session_id)
        assert session.account_ids == ("ann",)
        assert session.session_id == session_id
        with pytest.raises(verisoul.BadRequestError) as caught:
            await client.authenticate_session("no-such-session", {"id": "ann"})
        assert caught.value.status_code == 400
        assert caught.value.body == {"statusCode": 400, "message": "Session ID not found"}


@pytest.mark.anyio
async def test_update_account_keeps_what_it_does_not_set(fake: FakeVerisoul) -> None:
    async with fake.async_client() as client:
        await client.authenticate_session(
            fake.create_platform_session(),
            Account("ann", email="ann@example.com", expected_countries=("US",)),
        )
        report = await client.update_account(
            Account("ann", first_name="Ann", expected_countries=())
        )
        assert report.account is not None
        assert report.account.email == "ann@example.com"
        assert report.account.first_name == "Ann"
        assert report.account.expected_countries == ("US",)


@pytest.mark.anyio
@pytest.mark.parametrize(
    "name", ["vip/2024", "who? me", "with spaces", "a/b?c d#e%f", "..x", ".hidden"]
)
async def test_list_names_with_reserved_characters(fake: FakeVerisoul, name: str) -> None:
    async with fake.async_client() as client:
        await client.authenticate_session(fake.create_platform_session(), {"id": "x/y?z"})
        created = await client.create_list(name, "awkward")
        assert created.message == f"List {name} created"
        await client.add_account_to_list(name, "x/y?z")
        details = await client.get_list(name)
        assert (details.description, details.accounts) == ("awkward", ("x/y?z",))
        summaries = (await client.list_lists()).lists or ()
        assert name in [summary.name for summary in summaries]
        await client.delete_list(name)
        with pytest.raises(verisoul.BadRequestError, match="List not found"):
            await client.get_list(name)
    assert [request.method for request in fake.requests].count("POST") == 3


@pytest.mark.anyio
async def test_list_errors(fake: FakeVerisoul) -> None:
    async with fake.async_client() as client:
        await client.create_list("vip", "")
        with pytest.raises(verisoul.BadRequestError, match="List already exists"):
            await client.create_list("vip", "again")
        with pytest.raises(verisoul.BadRequestError, match="Account not found"):
            await client.add_account_to_list("vip", "nobody")
        with pytest.raises(verisoul.BadRequestError, match="List not found"):
            await client.delete_list("missing")


@pytest.mark.anyio
async def test_verify_phone(fake: FakeVerisoul) -> None:
    async with fake.async_client() as client:
        result = await client.verify_phone("+442071234567")
        assert result.phone is not None
        assert (result.phone.valid, result.phone.country_code) == (True, "GB")
        assert result.project_id == fake.project_id
        with pytest.raises(verisoul.BadRequestError) as caught:
            await client.verify_phone("555-0123")
        assert caught.value.body == {"statusCode": 400, "message": "Invalid phone number"}


@pytest.mark.anyio
async def test_email_single_and_batch_with_webhook_events(fake: FakeVerisoul) -> None:
    async with fake.async_client() as client:
        quiet = await client.submit_email("ann@example.com")
        assert quiet.webhook_configured is False
        fake.configure_email_webhook(SECRET)
        single = await client.submit_email(
            "ann@example.com",
            claims={"name": {"first": "Ann"}, "country": "US"},
            identity_intelligence=True,
        )
        assert single.webhook_configured is True
        batch = await client.submit_email_batch(
            ["a@gmail.com", EmailEntry(email="b@mailinator.com")], batch_name="march"
        )
        assert (batch.batch_name, batch.status, batch.total_count) == ("march", "pending", 2)
    events = [
        webhooks.verify_and_parse_email_event(delivery.body, delivery.headers, SECRET)
        for delivery in fake.email_events()
    ]
    assert [event.request_id for event in events][:1] == [single.request_id]
    assert [event.batch_id for event in events] == [None, batch.batch_id, batch.batch_id]
    results = [event.data.result for event in events if event.data is not None]
    decisions = [result.decision for result in results if result is not None]
    assert decisions == [
        webhooks.EmailDecision.HIGH_TRUST,
        webhooks.EmailDecision.TRUSTED,
        webhooks.EmailDecision.HIGH_RISK,
    ]


@pytest.mark.anyio
async def test_platform_calls_over_loopback(fake: FakeVerisoul) -> None:
    session_id = fake.create_platform_session()
    with fake.serve() as base_url:
        async with AsyncVerisoul(api_key=TEST_KEY, base_url=base_url) as client:
            await client.authenticate_session(session_id, {"id": "ann", "lists": ["a/b?c"]})
            assert (await client.get_list("a/b?c")).accounts == ("ann",)
            assert (await client.get_account("ann")).lists == ("a/b?c",)

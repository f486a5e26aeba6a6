"""One in-process sync client shared by many threads: the fake's lock keeps state whole."""

from __future__ import annotations

from verisoul.testing import FakeVerisoul

from ..conftest import TEST_KEY
from .conftest import run_in_threads


def test_shared_sync_client_across_threads() -> None:
    fake = FakeVerisoul(api_key=TEST_KEY)
    with fake.client() as client:

        def worker() -> None:
            for _ in range(25):
                session = client.create_liveness_session(simulate="success")
                fake.complete_session(session.session_id, face="same-person")

        assert run_in_threads(worker, 8) == []
    assert len(set(fake.issued_sessions())) == 200
    assert fake.request_count == 200
    assert len(fake.requests) == 200

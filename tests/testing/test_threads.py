"""One in-process sync client shared by many threads: the fake's lock keeps state whole."""

from __future__ import annotations

import threading

from verisoul.testing import FakeVerisoul

from ..conftest import TEST_KEY


def test_shared_sync_client_across_threads() -> None:
    fake = FakeVerisoul(api_key=TEST_KEY)
    errors: list[BaseException] = []
    with fake.client() as client:

        def worker() -> None:
            try:
                for _ in range(25):
                    session = client.create_liveness_session(simulate="success")
                    fake.complete_session(session.session_id, face="same-person")
            except BaseException as exc:  # reported below
                errors.append(exc)

        threads = [threading.Thread(target=worker) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    assert errors == []
    assert len(set(fake.issued_sessions())) == 200
    assert fake.request_count == 200
    assert len(fake.requests) == 200

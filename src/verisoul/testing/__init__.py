"""Test helpers: :class:`FakeVerisoul`, an in-memory Verisoul API for offline tests.

Not imported by ``import verisoul``; import it in tests::

    from verisoul.testing import FakeVerisoul

    fake = FakeVerisoul()
    with fake.client() as client:
        session = client.create_liveness_session()
        fake.complete_session(session.session_id)
"""

from __future__ import annotations

from ._fake import FakeVerisoul
from ._log import LoggedRequest
from ._platform_state import WebhookDelivery
from ._state import OUTCOME_ERRORS, SIMULATE_CASES, FakeDocument

__all__ = [
    "OUTCOME_ERRORS",
    "SIMULATE_CASES",
    "FakeDocument",
    "FakeVerisoul",
    "LoggedRequest",
    "WebhookDelivery",
]

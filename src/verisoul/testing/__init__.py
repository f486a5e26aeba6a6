"""Test helpers: :class:`FakeVerisoul`, an in-memory Verisoul API for offline tests.

Not imported by ``import verisoul``; import it in tests::

    from verisoul.testing import FakeVerisoul

    fake = FakeVerisoul()
    with fake.client() as client:
        session = client.create_liveness_session()
        fake.complete_session(session.session_id)

The platform API works the same way: ``fake.create_platform_session()`` makes a device
session to authenticate, and ``fake.configure_email_webhook(secret)`` makes ``POST /email``
record signed webhook deliveries (``fake.email_events()``) to replay into your handler.
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

"""Test helpers: :class:`FakeVerisoul`, an in-memory Verisoul API for offline tests.

Not imported by ``import verisoul``; import it in tests::

    from verisoul.testing import FakeVerisoul

    fake = FakeVerisoul()
    with fake.client() as client:
        session = client.create_liveness_session()
        fake.complete_session(session.session_id)

Served (``fake.serve()`` or ``verisoul mock serve``), it also answers a stand-in for the
hosted Face Match / ID Check page and a control API under ``/_fake/``. Choose any verdict
with ``fake.complete_session(..., decision=..., risk_flags=...)`` or a :class:`Scenario`.

The platform API works the same way: ``fake.create_platform_session()`` makes a device
session to authenticate, and ``fake.configure_email_webhook(secret)`` makes ``POST /email``
record signed webhook deliveries (``fake.email_events()``) to replay into your handler.
"""

from __future__ import annotations

from ._fake import FakeVerisoul
from ._log import LoggedRequest
from ._platform_state import WebhookDelivery
from ._scenario import DECISIONS, DOCUMENT_SIGNAL_VALUES, RISK_FLAGS, Scenario
from ._state import OUTCOME_ERRORS, SIMULATE_CASES, FakeDocument

__all__ = [
    "DECISIONS",
    "DOCUMENT_SIGNAL_VALUES",
    "OUTCOME_ERRORS",
    "RISK_FLAGS",
    "SIMULATE_CASES",
    "FakeDocument",
    "FakeVerisoul",
    "LoggedRequest",
    "Scenario",
    "WebhookDelivery",
]

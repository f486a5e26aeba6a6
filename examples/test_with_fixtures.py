"""Tests of your own code using the fixtures the SDK's pytest plugin provides.

Installing ``verisoul`` registers them; this file needs no conftest. Run it with
``pytest examples/test_with_fixtures.py``.
"""

from __future__ import annotations

from verisoul import Verisoul
from verisoul.testing import FakeVerisoul


def test_a_suspicious_face_is_reviewed(
    verisoul_fake: FakeVerisoul, verisoul_client: Verisoul
) -> None:
    session = verisoul_client.create_liveness_session()
    verisoul_fake.complete_session(session.session_id, decision="Suspicious")
    assert verisoul_client.verify_face(session.session_id).decision == "Suspicious"


def test_each_test_gets_a_fresh_fake(verisoul_fake: FakeVerisoul) -> None:
    assert verisoul_fake.issued_sessions() == ()

"""Fixtures for the hand-written reliability tests (threads, loops, fork, load)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .._servers import LoopbackServer, json_action, serve

SESSION_ID = "8a3e5b6f-5c3d-4d3e-9a6f-2b1c0d9e8f7a"
REQUEST_ID = "0f6d2c41-1b2a-4c3d-8e9f-a0b1c2d3e4f5"
OK_BODY = {"request_id": REQUEST_ID, "session_id": SESSION_ID}


@pytest.fixture
def ok_server() -> Iterator[LoopbackServer]:
    """A loopback server answering every request with a valid liveness session."""
    answer = json_action(OK_BODY)
    with serve(lambda _: answer) as server:
        yield server


# --- hostile data (issue 13 items 7, 8, 10, 11): figure names ------------------------------
# Counted by tests/test_hostile_data.py and tests/_async/test_hostile_inputs.py through
# ``figures.record``; printed with the other reliability figures at the end of the run.

#: Server answers that echo the key (whole, cut, encoded...) checked for a leak.
KEY_ECHOES_CHECKED = "hostile data: key echoes checked (str, repr, body, logs, CLI)"
#: Keys, header values and base URLs that cannot be sent, refused at construction.
UNSENDABLE_CONFIG_REFUSED = "hostile data: unsendable keys/headers/base URLs refused"
#: Path and query values refused before sending (dots, too long) or proven route-safe.
PATH_VALUES_CHECKED = "hostile data: path/query values checked (refused or route kept)"
#: Malformed webhook payloads that ended in WebhookPayloadError.
MALFORMED_PAYLOADS_TRIED = "hostile data: malformed webhook payloads tried"
#: Documented example responses parsed with one field mutated.
MUTATED_RESPONSES_PARSED = "hostile data: mutated responses parsed"

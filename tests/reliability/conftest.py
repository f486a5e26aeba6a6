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

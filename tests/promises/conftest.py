"""Fixtures of the promise tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .._servers import LoopbackServer, json_action, serve
from ._support import OK_BODY


@pytest.fixture
def ok_server() -> Iterator[LoopbackServer]:
    """A loopback server answering every request with a valid liveness session."""
    answer = json_action(OK_BODY)
    with serve(lambda _: answer) as server:
        yield server

"""Fixtures for the fake's own tests: a fake, and raw httpx clients wired to it."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from verisoul.testing import FakeVerisoul

KEY = "fake-test-key"


class RawApi:
    """Thin raw-HTTP helper: the fake's tests must not depend on the SDK client."""

    def __init__(self, http: httpx.Client) -> None:
        self.http = http

    def new_session(self, **query: str) -> str:
        response = self.http.get("/liveness/session", params=query)
        assert response.status_code == 200, response.text
        session_id = response.json()["session_id"]
        assert isinstance(session_id, str)
        return session_id

    def post(self, path: str, **body: Any) -> httpx.Response:
        return self.http.post(path, json=body)

    def error_code(self, path: str, **body: Any) -> str:
        response = self.post(path, **body)
        assert response.status_code == 400, response.text
        code = response.json()["error"]
        assert isinstance(code, str)
        return code


@pytest.fixture
def fake() -> FakeVerisoul:
    return FakeVerisoul(api_key=KEY)


@pytest.fixture
def http(fake: FakeVerisoul) -> Iterator[httpx.Client]:
    with httpx.Client(
        transport=fake.transport(), base_url="https://fake.test", headers={"x-api-key": KEY}
    ) as client:
        yield client


@pytest.fixture
def api(http: httpx.Client) -> RawApi:
    return RawApi(http)


def run_in_threads(worker: Callable[[], None], count: int) -> list[BaseException]:
    """Run ``worker`` on ``count`` threads at once; return what they raised."""
    errors: list[BaseException] = []

    def guarded() -> None:
        try:
            worker()
        except BaseException as exc:  # handed back to the test
            errors.append(exc)

    threads = [threading.Thread(target=guarded) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors

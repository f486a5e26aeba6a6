"""Shared fixtures: both anyio backends, a test key, loopback servers."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator

import pytest

from verisoul import _transports
from verisoul._async import _base

TEST_KEY = "sk_test_5f1c2a9e-do-not-leak-0123456789"

#: ``nox -s tests-aiohttp`` sets this to run the async suite on the aiohttp transport.
TEST_TRANSPORT = os.environ.get("VERISOUL_TEST_TRANSPORT", "httpx")


@pytest.fixture(params=["asyncio", "trio"])
def anyio_backend(request: pytest.FixtureRequest) -> str:
    """Every async test runs on asyncio and on trio (asyncio only on the aiohttp transport)."""
    if request.param == "trio" and TEST_TRANSPORT == "aiohttp":
        pytest.skip("the aiohttp transport runs on asyncio only (covered on httpx's transport)")
    return str(request.param)


@pytest.fixture(autouse=True)
def _async_clients_on_the_test_transport(monkeypatch: pytest.MonkeyPatch) -> None:
    """Under ``VERISOUL_TEST_TRANSPORT``, every pool an AsyncVerisoul builds uses it."""
    if TEST_TRANSPORT != "httpx":
        chosen = _transports.check_transport(TEST_TRANSPORT, None)
        pool = _transports.async_http_pool
        monkeypatch.setattr(
            _base, "async_http_pool", lambda _, headers, proxy=None: pool(chosen, headers, proxy)
        )


@pytest.fixture(autouse=True)
def _no_env_config(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests must not depend on the developer's shell."""
    monkeypatch.delenv("VERISOUL_API_KEY", raising=False)
    monkeypatch.delenv("VERISOUL_ENVIRONMENT", raising=False)
    monkeypatch.delenv("VERISOUL_LOG", raising=False)
    monkeypatch.delenv("VERISOUL_BASE_URL", raising=False)


@pytest.fixture(autouse=True)
def _debug_logs_never_hold_the_key(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """Every test runs with DEBUG logging captured; no record may contain the key."""
    caplog.set_level(logging.DEBUG, logger="verisoul")
    yield
    # At teardown ``caplog.records`` holds only the teardown phase's records.
    for record in caplog.get_records("setup") + caplog.get_records("call"):
        assert TEST_KEY not in record.getMessage()


@pytest.fixture(autouse=True)
def _errors_and_reprs_never_hold_the_key(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """Every error created, client repr and httpx/httpcore DEBUG record is checked too."""
    from .reliability.leak_guard import checking_for_leaks

    with checking_for_leaks(caplog):
        yield


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Print what the reliability suite exercised (faults, attempts, calls, memory)."""
    from .reliability.figures import write_summary

    write_summary(terminalreporter)

"""The suite-wide secret check really catches a leak (so its silence means something)."""

from __future__ import annotations

import logging

import httpx
import pytest

import verisoul

from ..conftest import TEST_KEY
from .leak_guard import checking_for_leaks, texts_of


def test_texts_of_follows_the_chain_request_and_body() -> None:
    request = httpx.Request("GET", "https://api.sandbox.verisoul.ai/liveness/session")
    response = httpx.Response(500, request=request)
    cause = httpx.ReadError("inner detail")
    error = verisoul.InternalServerError("outer", response=response, body={"k": "body detail"})
    error.__cause__ = cause
    texts = "\n".join(texts_of(error))
    assert "outer" in texts
    assert "inner detail" in texts
    assert "body detail" in texts
    assert "/liveness/session" in texts


def test_a_key_in_an_error_message_is_caught(caplog: pytest.LogCaptureFixture) -> None:
    with (
        pytest.raises(AssertionError, match="leaked"),
        checking_for_leaks(caplog),
    ):
        verisoul.VerisoulError(f"oops {TEST_KEY}")


def test_a_key_in_a_log_record_is_caught(caplog: pytest.LogCaptureFixture) -> None:
    with (
        pytest.raises(AssertionError, match="leaked"),
        checking_for_leaks(caplog),
    ):
        logging.getLogger("httpx").debug("header x-api-key: %s", TEST_KEY)
    caplog.clear()  # the record was planted on purpose; keep the suite-wide check green


def test_client_reprs_are_checked(caplog: pytest.LogCaptureFixture) -> None:
    with checking_for_leaks(caplog):
        client = verisoul.Verisoul(api_key=TEST_KEY)
    assert TEST_KEY not in repr(client)
    assert TEST_KEY not in repr(client._config.api_key)
    assert TEST_KEY not in str(client._config.api_key)
    client.close()
